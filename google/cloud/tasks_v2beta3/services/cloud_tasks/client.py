"""``CloudTasksClient``: the blocking client of Cloud Tasks v2beta3.

Every method takes either a ``request`` (message or dict) or the keyword
arguments named after its fields, never both (``ValueError``).  ``retry``,
``timeout`` and ``metadata`` apply to that call; left alone, the method's
defaults apply (idempotent reads retry ``DeadlineExceeded`` and
``ServiceUnavailable`` for up to 20 s; writes are not retried).  Failures
raise ``google.api_core.exceptions`` carrying the service's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from google.api_core import operation
from google.api_core.gapic_v1.method import DEFAULT
from google.cloud.location import locations_pb2
from google.iam.v1 import iam_policy_pb2, policy_pb2
from google.longrunning import operations_pb2
from google.protobuf import field_mask_pb2

from google.cloud.tasks._core.client import BaseClient, CmekPathsMixin, Metadata, OptionalRetry
from google.cloud.tasks._core.client import Timeout as TimeoutT
from google.cloud.tasks_v2beta3._spec import SERVICE
from google.cloud.tasks_v2beta3.types import cloudtasks, cmek_config, queue, task

from . import pagers

if TYPE_CHECKING:
    from .transports.base import CloudTasksTransport

__all__ = ("CloudTasksClient",)


class CloudTasksClient(CmekPathsMixin, BaseClient):
    """Manages queues and tasks of Cloud Tasks v2beta3 (blocking calls)."""

    _service = SERVICE
    _pagers: ClassVar[Any] = pagers

    @property
    def transport(self) -> CloudTasksTransport:
        """The transport every call of this client goes through."""
        return cast("CloudTasksTransport", self._transport)

    def __enter__(self) -> CloudTasksClient:
        return self

    # -- queues ----------------------------------------------------------------------------

    def list_queues(
        self,
        request: cloudtasks.ListQueuesRequest | dict | None = None,
        *,
        parent: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> pagers.ListQueuesPager:
        """Queues of a location (``projects/P/locations/L``), in name order, page by page.

        ``filter`` (on the request) narrows the list, e.g. ``state: PAUSED``.
        Iterating the pager fetches further pages as needed.
        """
        return self._call("list_queues", request, (parent,), retry, timeout, metadata)

    def get_queue(
        self,
        request: cloudtasks.GetQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """The queue named ``name``; ``NotFound`` if there is none."""
        return self._call("get_queue", request, (name,), retry, timeout, metadata)

    def create_queue(
        self,
        request: cloudtasks.CreateQueueRequest | dict | None = None,
        *,
        parent: str | None = None,
        queue: queue.Queue | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Create ``queue`` in location ``parent``; unset settings take the service defaults.

        ``AlreadyExists`` if the name is taken; ``FailedPrecondition`` if a
        queue of that name was deleted too recently.
        """
        return self._call("create_queue", request, (parent, queue), retry, timeout, metadata)

    def update_queue(
        self,
        request: cloudtasks.UpdateQueueRequest | dict | None = None,
        *,
        queue: queue.Queue | None = None,
        update_mask: field_mask_pb2.FieldMask | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Change the fields of ``queue`` listed in ``update_mask`` (all if unset).

        Creates the queue if it does not exist.
        """
        return self._call("update_queue", request, (queue, update_mask), retry, timeout, metadata)

    def delete_queue(
        self,
        request: cloudtasks.DeleteQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        """Delete a queue and all of its tasks; its name cannot be reused for a while."""
        self._call("delete_queue", request, (name,), retry, timeout, metadata)

    def purge_queue(
        self,
        request: cloudtasks.PurgeQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Delete every task created before this call; returns the queue with ``purge_time``."""
        return self._call("purge_queue", request, (name,), retry, timeout, metadata)

    def pause_queue(
        self,
        request: cloudtasks.PauseQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Stop dispatching the queue's tasks (tasks can still be added): state ``PAUSED``."""
        return self._call("pause_queue", request, (name,), retry, timeout, metadata)

    def resume_queue(
        self,
        request: cloudtasks.ResumeQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Dispatch the queue's tasks again: state ``RUNNING``."""
        return self._call("resume_queue", request, (name,), retry, timeout, metadata)

    # -- IAM -------------------------------------------------------------------------------

    def get_iam_policy(
        self,
        request: iam_policy_pb2.GetIamPolicyRequest | dict | None = None,
        *,
        resource: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> policy_pb2.Policy:
        """The IAM policy of the queue ``resource`` (empty if none was set)."""
        return self._call("get_iam_policy", request, (resource,), retry, timeout, metadata)

    def set_iam_policy(
        self,
        request: iam_policy_pb2.SetIamPolicyRequest | dict | None = None,
        *,
        resource: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> policy_pb2.Policy:
        """Replace the IAM policy of the queue ``resource`` (the request carries the policy)."""
        return self._call("set_iam_policy", request, (resource,), retry, timeout, metadata)

    def test_iam_permissions(
        self,
        request: iam_policy_pb2.TestIamPermissionsRequest | dict | None = None,
        *,
        resource: str | None = None,
        permissions: Sequence[str] | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> iam_policy_pb2.TestIamPermissionsResponse:
        """Which of ``permissions`` the caller holds on the queue ``resource``."""
        return self._call(
            "test_iam_permissions", request, (resource, permissions), retry, timeout, metadata
        )

    # -- tasks -----------------------------------------------------------------------------

    def list_tasks(
        self,
        request: cloudtasks.ListTasksRequest | dict | None = None,
        *,
        parent: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> pagers.ListTasksPager:
        """Tasks of the queue ``parent``, page by page (``BASIC`` view unless asked)."""
        return self._call("list_tasks", request, (parent,), retry, timeout, metadata)

    def get_task(
        self,
        request: cloudtasks.GetTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """The task named ``name``; ``NotFound`` if it does not exist (any more)."""
        return self._call("get_task", request, (name,), retry, timeout, metadata)

    def create_task(
        self,
        request: cloudtasks.CreateTaskRequest | dict | None = None,
        *,
        parent: str | None = None,
        task: task.Task | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """Add ``task`` to the queue ``parent``; the service names it if ``task.name`` is empty.

        Not retried by default: a retried create could add the task twice.
        ``AlreadyExists`` if a task of that name exists or existed recently.
        """
        return self._call("create_task", request, (parent, task), retry, timeout, metadata)

    def batch_create_tasks(
        self,
        request: cloudtasks.BatchCreateTasksRequest | dict | None = None,
        *,
        parent: str | None = None,
        requests: Sequence[cloudtasks.CreateTaskRequest] | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> operation.Operation:
        """Create many tasks in one queue; ``.result()`` is a ``BatchCreateTasksResponse``."""
        return self._call(
            "batch_create_tasks", request, (parent, requests), retry, timeout, metadata
        )

    def delete_task(
        self,
        request: cloudtasks.DeleteTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        """Delete a task that has not completed yet."""
        self._call("delete_task", request, (name,), retry, timeout, metadata)

    def batch_delete_tasks(
        self,
        request: cloudtasks.BatchDeleteTasksRequest | dict | None = None,
        *,
        parent: str | None = None,
        names: Sequence[str] | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> operation.Operation:
        """Delete many tasks of one queue; the operation's metadata reports failures."""
        return self._call("batch_delete_tasks", request, (parent, names), retry, timeout, metadata)

    def run_task(
        self,
        request: cloudtasks.RunTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """Dispatch the task now, whatever its schedule, rate limits or a paused queue."""
        return self._call("run_task", request, (name,), retry, timeout, metadata)

    # -- CMEK ------------------------------------------------------------------------------

    def update_cmek_config(
        self,
        request: cloudtasks.UpdateCmekConfigRequest | dict | None = None,
        *,
        cmek_config: cmek_config.CmekConfig | None = None,
        update_mask: field_mask_pb2.FieldMask | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> cmek_config.CmekConfig:
        """Set (or clear, with an empty ``kms_key``) the location's customer-managed key.

        Unlike other writes, retried by default: setting the same key twice is harmless.
        """
        return self._call(
            "update_cmek_config", request, (cmek_config, update_mask), retry, timeout, metadata
        )

    def get_cmek_config(
        self,
        request: cloudtasks.GetCmekConfigRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> cmek_config.CmekConfig:
        """The location's CMEK configuration (``projects/P/locations/L/cmekConfig``)."""
        return self._call("get_cmek_config", request, (name,), retry, timeout, metadata)

    # -- mixins ----------------------------------------------------------------------------

    def get_operation(
        self,
        request: operations_pb2.GetOperationRequest | dict | None = None,
        *,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> operations_pb2.Operation:
        """The current state of a long-running operation (``request.name``)."""
        return self._call("get_operation", request, (), retry, timeout, metadata)

    def get_location(
        self,
        request: locations_pb2.GetLocationRequest | dict | None = None,
        *,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> locations_pb2.Location:
        """One location where Cloud Tasks is offered (``request.name``)."""
        return self._call("get_location", request, (), retry, timeout, metadata)

    def list_locations(
        self,
        request: locations_pb2.ListLocationsRequest | dict | None = None,
        *,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> locations_pb2.ListLocationsResponse:
        """Locations of a project (``request.name`` is ``projects/P``) where Cloud Tasks runs."""
        return self._call("list_locations", request, (), retry, timeout, metadata)
