"""Every version's method table and path helpers against the API facts in ``tests/data``.

The JSON files record the public contract (gRPC paths, request and response
types, flattened and routing fields, default retry and timeout, REST
bindings, paging and long-running facts, resource-name templates).  A row
that drifts from them breaks real users, so each fact is compared here.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from google.api_core import exceptions
from google.protobuf import empty_pb2

from google.cloud.tasks._core.spec import Method, Service

DATA = Path(__file__).parent / "data"
VERSIONS = ("v2", "v2beta3", "v2beta2")

#: module of each protobuf class the JSON names by ``<module>.<Class>``
PB2_MODULES = {
    "operations_pb2": "google.longrunning.operations_pb2",
    "locations_pb2": "google.cloud.location.locations_pb2",
    "policy_pb2": "google.iam.v1.policy_pb2",
    "iam_policy_pb2": "google.iam.v1.iam_policy_pb2",
}
IAM_REQUESTS = {"GetIamPolicyRequest", "SetIamPolicyRequest", "TestIamPermissionsRequest"}


def facts(version: str) -> dict[str, Any]:
    return json.loads((DATA / f"cloudtasks_{version}.json").read_text())  # type: ignore[no-any-return]


def table(version: str) -> Service:
    return importlib.import_module(f"google.cloud.tasks_{version}._spec").SERVICE  # type: ignore[no-any-return]


def rows() -> list[tuple[str, str]]:
    return [(v, m["python_name"]) for v in VERSIONS for m in facts(v)["methods"]]


def fact(version: str, name: str) -> dict[str, Any]:
    (found,) = [m for m in facts(version)["methods"] if m["python_name"] == name]
    return found


def assert_class(cls: Any, version: str, dotted: str) -> None:
    """``cls`` is the class the JSON names: ``Class``, ``module.Class`` or ``pb2.Class``."""
    module, _, name = dotted.rpartition(".")
    assert cls.__name__ == name
    if module in PB2_MODULES:
        assert cls.__module__ == PB2_MODULES[module]
    elif module:  # a types module, possibly under the generated ``gct_`` alias
        assert cls.__module__ == f"google.cloud.tasks_{version}.types.{module.removeprefix('gct_')}"
    elif name in IAM_REQUESTS:
        assert cls.__module__ == PB2_MODULES["iam_policy_pb2"]
    else:
        assert cls.__module__.startswith(f"google.cloud.tasks_{version}.types.")


@pytest.mark.parametrize("version", VERSIONS)
def test_service_identity(version: str) -> None:
    data, service = facts(version), table(version)
    assert service.version == version
    assert service.package == data["package"]
    assert service.service == data["service"]
    assert service.default_host == data["default_host"]
    assert list(service.scopes) == data["auth_scopes"]
    assert list(service.methods) == [m.name for m in service.methods.values()]
    assert set(service.methods) == {m["python_name"] for m in data["methods"]}
    assert len(service.by_path()) == len(service.methods)


@pytest.mark.parametrize(("version", "name"), rows())
def test_row_matches_the_facts(version: str, name: str) -> None:
    want, row = fact(version, name), table(version).methods[name]
    assert isinstance(row, Method)
    assert row.rpc == want["rpc"]
    assert row.path == want["grpc_path"]
    assert_class(row.request, version, want["request"])
    assert row.flattened == tuple(want["flattened"])
    assert row.mixin == want.get("mixin", False)
    if row.mixin:
        # the established client routes mixin calls by ``name``; the data lists no fields
        assert want["routing"] == []
        assert row.routing == ("name",)
    else:
        assert row.routing == tuple(want["routing"])
    assert row.timeout == want["default_timeout"]
    http = [(h["method"], h["uri"], h.get("body")) for h in want["http"] or ()]
    assert [(h.method, h.uri, h.body) for h in row.http] == http


@pytest.mark.parametrize(("version", "name"), rows())
def test_row_response_paging_and_operations(version: str, name: str) -> None:
    want, row = fact(version, name), table(version).methods[name]
    returns = want["returns"]
    response: Any = row.response
    if want.get("paged"):
        assert returns == f"pagers.{row.rpc}Pager"
        assert_class(row.response, version, f"cloudtasks.{row.rpc}Response")
        assert row.items in response.meta.fields
        assert response.meta.fields[row.items].repeated
        pagers = importlib.import_module(
            f"google.cloud.tasks_{version}.services.cloud_tasks.pagers"
        )
        for suffix in ("Pager", "AsyncPager"):
            assert getattr(pagers, row.rpc + suffix)._items == row.items
    else:
        assert row.items is None
    if want.get("long_running") and not row.mixin:
        assert returns == "operation.Operation"
        assert response.__name__ == "Operation"
        assert row.lro is not None
        result, metadata = row.lro
        if want["lro_response"] == "Empty":
            assert result is None
        else:
            assert_class(result, version, want["lro_response"])
        assert_class(metadata, version, want["lro_metadata"])
    else:
        # GetOperation is marked long-running but returns the raw operation
        assert row.lro is None
        if returns == "None":
            assert row.response is None
        elif not want.get("paged"):
            assert_class(row.response, version, returns)
    if row.response is None:
        assert row.deserialize(b"") == empty_pb2.Empty()


@pytest.mark.parametrize(("version", "name"), rows())
def test_row_default_retry(version: str, name: str) -> None:
    want, row = fact(version, name)["default_retry"], table(version).methods[name]
    if want is None:
        assert row.retry is None
        return
    assert row.retry is not None
    assert row.retry.initial == want["initial"]
    assert row.retry.maximum == want["maximum"]
    assert row.retry.multiplier == want["multiplier"]
    assert row.retry.deadline == want["deadline"]
    assert list(row.retry.retry_on) == want["retry_on"]
    for asynchronous in (False, True):
        built = row.retry.build(asynchronous)
        assert (built._initial, built._maximum, built._multiplier) == (
            want["initial"],
            want["maximum"],
            want["multiplier"],
        )
        assert built._timeout == want["deadline"]
        for error in want["retry_on"]:
            assert built._predicate(getattr(exceptions, error)("x"))
        assert not built._predicate(exceptions.InternalServerError("x"))


# -- path helpers -------------------------------------------------------------------------


def clients(version: str) -> list[Any]:
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    return [module.CloudTasksClient, module.CloudTasksAsyncClient]


@pytest.mark.parametrize("version", VERSIONS)
def test_path_helpers_are_exactly_the_documented_ones(version: str) -> None:
    documented = set(facts(version)["path_helpers"])
    for cls in clients(version):
        helpers = {n for n in dir(cls) if n.endswith("_path") and not n.startswith("parse_")}
        assert helpers - {"location_path"} == documented  # location_path: deprecated alias
        parsers = {n for n in dir(cls) if n.startswith("parse_") and n.endswith("_path")}
        assert parsers == {f"parse_{n}" for n in documented}
    service_paths = {k: v for k, v in facts(version)["path_helpers"].items() if "common" not in k}
    assert dict(table(version).paths) == service_paths


@pytest.mark.parametrize(
    ("version", "helper"), [(v, h) for v in VERSIONS for h in sorted(facts(v)["path_helpers"])]
)
def test_path_helper_round_trip(version: str, helper: str) -> None:
    template = facts(version)["path_helpers"][helper]
    fields = re.findall(r"\{(\w+)\}", template)
    parts = {name: f"{name}-{i}" for i, name in enumerate(fields)}
    for cls in clients(version):
        path = getattr(cls, helper)(**parts)
        assert path == template.format(**parts)
        assert getattr(cls, helper)(*parts.values()) == path
        assert getattr(cls, f"parse_{helper}")(path) == parts
        assert getattr(cls, f"parse_{helper}")("nothing/like/it") == {}
