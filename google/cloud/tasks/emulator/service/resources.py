"""IAM policies of queues, CMEK configs, operations and locations."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from google.cloud.location import locations_pb2
from google.iam.v1 import policy_pb2
from google.longrunning import operations_pb2
from google.protobuf import field_mask_pb2

from . import names, rules
from .base import ServiceBase
from .errors import ENTITY_MISSING, Code, ServiceError, invalid, not_found, shown

EMPTY_POLICY_ETAG = b"\x00\x20\x01"
CONCURRENT_POLICY_CHANGE = (
    "There were concurrent policy changes. Please retry the whole read-modify-write with"
    " exponential backoff."
)


class ResourceRules(ServiceBase):
    """Everything around queues and tasks that the API also serves."""

    # -- IAM ----------------------------------------------------------------------------

    def get_iam_policy(self, resource: str) -> policy_pb2.Policy:
        names.queue(resource)
        with self.store.read():
            self._queue(resource, ENTITY_MISSING)
            return self._policy(resource)

    def _policy(self, resource: str) -> policy_pb2.Policy:
        body = self.store.policy(resource)
        if body is None:
            return policy_pb2.Policy(etag=EMPTY_POLICY_ETAG)
        return policy_pb2.Policy.FromString(body)

    def set_iam_policy(
        self, resource: str, policy: policy_pb2.Policy, mask: Sequence[str]
    ) -> policy_pb2.Policy:
        names.queue(resource)
        paths = list(mask) or ["bindings", "etag"]
        bad = [p for p in paths if p not in ("bindings", "etag", "audit_configs", "version")]
        if bad:
            mask = "SetIamPolicyRequest.updateMask"
            raise invalid(f'{mask} names an unknown Policy field: "{shown(bad[0])}".')
        _check_policy(policy)
        with self.store.write():
            self._queue(resource, ENTITY_MISSING)
            current = self._policy(resource)
            if policy.etag and policy.etag != current.etag:
                raise ServiceError(Code.ABORTED, CONCURRENT_POLICY_CHANGE)
            new = policy_pb2.Policy()
            new.CopyFrom(current)
            field_mask_pb2.FieldMask(paths=paths).MergeMessage(
                policy, new, replace_message_field=True, replace_repeated_field=True
            )
            new.etag = secrets.token_bytes(8)
            self.store.put_policy(resource, new.SerializeToString())
            return new

    def test_iam_permissions(self, resource: str, permissions: Sequence[str]) -> list[str]:
        names.queue(resource)
        for permission in permissions:
            if "*" in permission:
                raise invalid(f'Permissions with wildcards are not allowed: "{shown(permission)}".')
        with self.store.read():
            self._queue(resource, ENTITY_MISSING)
        return [p for p in permissions if p.startswith("cloudtasks.")]

    # -- CMEK ---------------------------------------------------------------------------

    def get_cmek_config(self, name: str) -> bytes:
        """The stored config (model ``CmekConfig`` bytes) or an empty one for ``name``."""
        names.cmek_config(name)
        with self.store.read():
            body = self.store.cmek_config(name)
        return body if body is not None else _cmek_bytes(name, "")

    def update_cmek_config(self, name: str, kms_key: str, mask: Sequence[str]) -> bytes:
        parent = names.cmek_config(name)
        bad = [p for p in mask if p != "kms_key"]
        if bad:
            mask = "UpdateCmekConfigRequest.updateMask"
            raise invalid(f'{mask} names an unknown CmekConfig field: "{shown(bad[0])}".')
        if kms_key:
            location = names.kms_key_location(kms_key)
            if location is None:
                raise invalid(
                    'CmekConfig.kmsKey must be formatted: "projects/<PROJECT_ID>/locations/'
                    '<LOCATION_ID>/keyRings/<KEY_RING>/cryptoKeys/<KEY>".'
                )
            if location != parent.rsplit("/", 1)[1]:
                raise invalid(
                    "CmekConfig.kmsKey must be in the same location as the queues it protects."
                )
        body = _cmek_bytes(name, kms_key)
        with self.store.write():
            self.store.put_cmek_config(name, body)
        return body

    # -- operations and locations -------------------------------------------------------

    def get_operation(self, name: str) -> operations_pb2.Operation:
        names.operation(name)
        with self.store.read():
            body = self.store.operation(name)
        if body is None:
            raise not_found(ENTITY_MISSING)
        return operations_pb2.Operation.FromString(body)

    def list_locations(
        self, name: str, size: int, token: str
    ) -> locations_pb2.ListLocationsResponse:
        project = names.project(name)
        ids = self.settings.locations
        start = 0
        if token:
            start = ids.index(token) if token in ids else -1
            if start < 0:
                raise invalid("ListLocationsRequest.pageToken is not valid.")
        limit = rules.page_size(size, len(ids) or 1, "ListLocationsRequest")
        page = ids[start : start + limit]
        out = locations_pb2.ListLocationsResponse(
            locations=[_location(project, loc) for loc in page]
        )
        if start + limit < len(ids):
            out.next_page_token = ids[start + limit]
        return out

    def get_location(self, name: str) -> locations_pb2.Location:
        project, location = names.location_name(name)
        if location not in self.settings.locations:
            raise not_found(ENTITY_MISSING)
        return _location(project, location)


def _check_policy(policy: policy_pb2.Policy) -> None:
    if policy.version not in (0, 1, 3):
        raise invalid(f"Invalid policy version {policy.version}; use 1 or 3.")
    for binding in policy.bindings:
        if not binding.role.startswith("roles/"):
            raise invalid(f'Role "{shown(binding.role)}" is not a valid role name.')
        for member in binding.members:
            if member not in ("allUsers", "allAuthenticatedUsers") and ":" not in member:
                raise invalid(f'Invalid member "{shown(member)}": use a "type:value" principal.')


def _cmek_bytes(name: str, kms_key: str) -> bytes:
    from google.cloud.tasks_v2beta3.types import cmek_config

    return cmek_config.CmekConfig.pb()(name=name, kms_key=kms_key).SerializeToString()


def _location(project: str, location: str) -> locations_pb2.Location:
    return locations_pb2.Location(
        name=f"projects/{project}/locations/{location}",
        location_id=location,
        display_name=location,
    )
