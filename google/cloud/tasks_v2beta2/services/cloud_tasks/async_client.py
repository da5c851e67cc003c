"""``CloudTasksAsyncClient``: the asyncio client of Cloud Tasks v2beta2.

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

from google.api_core.gapic_v1.method import DEFAULT
from google.cloud.location import locations_pb2
from google.iam.v1 import iam_policy_pb2, policy_pb2
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

from google.cloud.tasks._core.client import BaseAsyncClient, Metadata, OptionalRetry
from google.cloud.tasks._core.client import Timeout as TimeoutT
from google.cloud.tasks_v2beta2._spec import SERVICE
from google.cloud.tasks_v2beta2.types import cloudtasks, queue, task

from . import pagers

if TYPE_CHECKING:
    from .transports.base import CloudTasksTransport

__all__ = ("CloudTasksAsyncClient",)


class CloudTasksAsyncClient(BaseAsyncClient):
    """Push and pull queues of Cloud Tasks v2beta2 and their tasks; every method is a coroutine.

    Uses the ``grpc_asyncio`` transport unless told otherwise."""

    _service = SERVICE
    _pagers: ClassVar[Any] = pagers

    @property
    def transport(self) -> CloudTasksTransport:
        """The transport every call of this client goes through."""
        return cast("CloudTasksTransport", self._transport)

    async def __aenter__(self) -> CloudTasksAsyncClient:
        return self

    # -- queues ----------------------------------------------------------------------------

    async def list_queues(
        self,
        request: cloudtasks.ListQueuesRequest | dict | None = None,
        *,
        parent: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> pagers.ListQueuesAsyncPager:
        """Queues of a location (``projects/P/locations/L``), in name order, page by page.

        ``filter`` (on the request) narrows the list, e.g. ``state: PAUSED``.
        Iterating the pager fetches further pages as needed.
        """
        return await self._call("list_queues", request, (parent,), retry, timeout, metadata)

    async def get_queue(
        self,
        request: cloudtasks.GetQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """The queue named ``name``; ``NotFound`` if there is none."""
        return await self._call("get_queue", request, (name,), retry, timeout, metadata)

    async def create_queue(
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
        return await self._call("create_queue", request, (parent, queue), retry, timeout, metadata)

    async def update_queue(
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
        return await self._call(
            "update_queue", request, (queue, update_mask), retry, timeout, metadata
        )

    async def delete_queue(
        self,
        request: cloudtasks.DeleteQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        """Delete a queue and all of its tasks; its name cannot be reused for a while."""
        await self._call("delete_queue", request, (name,), retry, timeout, metadata)

    async def purge_queue(
        self,
        request: cloudtasks.PurgeQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Delete every task created before this call; returns the queue with ``purge_time``."""
        return await self._call("purge_queue", request, (name,), retry, timeout, metadata)

    async def pause_queue(
        self,
        request: cloudtasks.PauseQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Stop dispatching the queue's tasks (tasks can still be added): state ``PAUSED``."""
        return await self._call("pause_queue", request, (name,), retry, timeout, metadata)

    async def resume_queue(
        self,
        request: cloudtasks.ResumeQueueRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> queue.Queue:
        """Dispatch the queue's tasks again: state ``RUNNING``."""
        return await self._call("resume_queue", request, (name,), retry, timeout, metadata)

    async def upload_queue_yaml(
        self,
        request: cloudtasks.UploadQueueYamlRequest | dict | None = None,
        *,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        """Replace an App Engine app's queues with those of a ``queue.yaml`` file (gRPC only).

        A remnant for old gcloud releases; new code calls ``create_queue``.
        """
        await self._call("upload_queue_yaml", request, (), retry, timeout, metadata)

    # -- IAM -------------------------------------------------------------------------------

    async def get_iam_policy(
        self,
        request: iam_policy_pb2.GetIamPolicyRequest | dict | None = None,
        *,
        resource: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> policy_pb2.Policy:
        """The IAM policy of the queue ``resource`` (empty if none was set)."""
        return await self._call("get_iam_policy", request, (resource,), retry, timeout, metadata)

    async def set_iam_policy(
        self,
        request: iam_policy_pb2.SetIamPolicyRequest | dict | None = None,
        *,
        resource: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> policy_pb2.Policy:
        """Replace the IAM policy of the queue ``resource`` (the request carries the policy)."""
        return await self._call("set_iam_policy", request, (resource,), retry, timeout, metadata)

    async def test_iam_permissions(
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
        return await self._call(
            "test_iam_permissions", request, (resource, permissions), retry, timeout, metadata
        )

    # -- tasks -----------------------------------------------------------------------------

    async def list_tasks(
        self,
        request: cloudtasks.ListTasksRequest | dict | None = None,
        *,
        parent: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> pagers.ListTasksAsyncPager:
        """Tasks of the queue ``parent``, page by page (``BASIC`` view unless asked)."""
        return await self._call("list_tasks", request, (parent,), retry, timeout, metadata)

    async def get_task(
        self,
        request: cloudtasks.GetTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """The task named ``name``; ``NotFound`` if it does not exist (any more)."""
        return await self._call("get_task", request, (name,), retry, timeout, metadata)

    async def create_task(
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
        return await self._call("create_task", request, (parent, task), retry, timeout, metadata)

    async def delete_task(
        self,
        request: cloudtasks.DeleteTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        """Delete a task that has not completed yet."""
        await self._call("delete_task", request, (name,), retry, timeout, metadata)

    # -- pull queues -----------------------------------------------------------------------

    async def lease_tasks(
        self,
        request: cloudtasks.LeaseTasksRequest | dict | None = None,
        *,
        parent: str | None = None,
        lease_duration: duration_pb2.Duration | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> cloudtasks.LeaseTasksResponse:
        """Lease up to ``max_tasks`` due tasks of the pull queue ``parent`` for ``lease_duration``.

        Each leased task's ``schedule_time`` becomes its lease expiry; quote it to
        acknowledge, renew or cancel the lease.  ``filter`` on the request picks
        tasks by tag (``tag="x"`` or ``tag_function=oldest_tag()``).
        """
        return await self._call(
            "lease_tasks", request, (parent, lease_duration), retry, timeout, metadata
        )

    async def acknowledge_task(
        self,
        request: cloudtasks.AcknowledgeTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        schedule_time: timestamp_pb2.Timestamp | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        """Mark a leased task done, deleting it; ``schedule_time`` must be the lease's."""
        await self._call(
            "acknowledge_task", request, (name, schedule_time), retry, timeout, metadata
        )

    async def renew_lease(
        self,
        request: cloudtasks.RenewLeaseRequest | dict | None = None,
        *,
        name: str | None = None,
        schedule_time: timestamp_pb2.Timestamp | None = None,
        lease_duration: duration_pb2.Duration | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """Extend a lease to ``lease_duration`` from now; returns the task with its new expiry."""
        return await self._call(
            "renew_lease", request, (name, schedule_time, lease_duration), retry, timeout, metadata
        )

    async def cancel_lease(
        self,
        request: cloudtasks.CancelLeaseRequest | dict | None = None,
        *,
        name: str | None = None,
        schedule_time: timestamp_pb2.Timestamp | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """Give a lease back: the task can be leased again at once."""
        return await self._call(
            "cancel_lease", request, (name, schedule_time), retry, timeout, metadata
        )

    async def run_task(
        self,
        request: cloudtasks.RunTaskRequest | dict | None = None,
        *,
        name: str | None = None,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> task.Task:
        """Dispatch the task now, whatever its schedule, rate limits or a paused queue."""
        return await self._call("run_task", request, (name,), retry, timeout, metadata)

    # -- mixins ----------------------------------------------------------------------------

    async def get_location(
        self,
        request: locations_pb2.GetLocationRequest | dict | None = None,
        *,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> locations_pb2.Location:
        """One location where Cloud Tasks is offered (``request.name``)."""
        return await self._call("get_location", request, (), retry, timeout, metadata)

    async def list_locations(
        self,
        request: locations_pb2.ListLocationsRequest | dict | None = None,
        *,
        retry: OptionalRetry = DEFAULT,
        timeout: TimeoutT = DEFAULT,
        metadata: Metadata = (),
    ) -> locations_pb2.ListLocationsResponse:
        """Locations of a project (``request.name`` is ``projects/P``) where Cloud Tasks runs."""
        return await self._call("list_locations", request, (), retry, timeout, metadata)
