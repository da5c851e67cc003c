"""Request and response messages of the v2beta2 CloudTasks service, pull-queue leasing included.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

from collections.abc import MutableSequence

import proto
from google.api import httpbody_pb2
from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

from google.cloud.tasks_v2beta2.types import queue as queue_types
from google.cloud.tasks_v2beta2.types import task as task_types

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta2",
    manifest={
        "ListQueuesRequest",
        "ListQueuesResponse",
        "GetQueueRequest",
        "CreateQueueRequest",
        "UpdateQueueRequest",
        "DeleteQueueRequest",
        "PurgeQueueRequest",
        "PauseQueueRequest",
        "ResumeQueueRequest",
        "UploadQueueYamlRequest",
        "ListTasksRequest",
        "ListTasksResponse",
        "GetTaskRequest",
        "CreateTaskRequest",
        "DeleteTaskRequest",
        "LeaseTasksRequest",
        "LeaseTasksResponse",
        "AcknowledgeTaskRequest",
        "RenewLeaseRequest",
        "CancelLeaseRequest",
        "RunTaskRequest",
    },
)


class ListQueuesRequest(proto.Message):
    """Request for ``list_queues``.

    Attributes:
        parent (str):
            Location whose queues are listed, ``projects/PROJECT_ID/locations/LOCATION_ID``.
        filter (str):
            Optional filter such as ``state: PAUSED``; empty lists every queue.
        page_size (int):
            Most queues in one page; the service may return fewer. 0 lets the service
            choose.
        page_token (str):
            ``next_page_token`` of the previous page, to continue a listing; the other
            request fields must stay the same.
        read_mask (FieldMask):
            Queue fields to return; when unset every field except ``stats`` is returned.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    filter: str = proto.Field(proto.STRING, number=2)
    page_size: int = proto.Field(proto.INT32, number=3)
    page_token: str = proto.Field(proto.STRING, number=4)
    read_mask: field_mask_pb2.FieldMask = proto.Field(
        proto.MESSAGE, number=5, message=field_mask_pb2.FieldMask
    )


class ListQueuesResponse(proto.Message):
    """One page of queues.

    Attributes:
        queues (MutableSequence[Queue]):
            The queues of this page, in lexicographic order of name.
        next_page_token (str):
            Token for the next page; empty on the last page.
    """

    @property
    def raw_page(self) -> ListQueuesResponse:
        """This page itself (the pager reads pages through this name)."""
        return self

    queues: MutableSequence[queue_types.Queue] = proto.RepeatedField(
        proto.MESSAGE, number=1, message=queue_types.Queue
    )
    next_page_token: str = proto.Field(proto.STRING, number=2)


class GetQueueRequest(proto.Message):
    """Request for ``get_queue``.

    Attributes:
        name (str):
            The queue, ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
        read_mask (FieldMask):
            Queue fields to return; when unset every field except ``stats`` is returned.
    """

    name: str = proto.Field(proto.STRING, number=1)
    read_mask: field_mask_pb2.FieldMask = proto.Field(
        proto.MESSAGE, number=2, message=field_mask_pb2.FieldMask
    )


class CreateQueueRequest(proto.Message):
    """Request for ``create_queue``.

    Attributes:
        parent (str):
            Location of the new queue, ``projects/PROJECT_ID/locations/LOCATION_ID``.
        queue (Queue):
            The queue to create; its ``name`` must lie under ``parent`` and cannot be
            changed later.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    queue: queue_types.Queue = proto.Field(proto.MESSAGE, number=2, message=queue_types.Queue)


class UpdateQueueRequest(proto.Message):
    """Request for ``update_queue``; a queue that does not exist yet is created.

    Attributes:
        queue (Queue):
            The queue's new settings; ``queue.name`` says which queue.
        update_mask (FieldMask):
            Queue fields to change; when unset, every field is replaced.
    """

    queue: queue_types.Queue = proto.Field(proto.MESSAGE, number=1, message=queue_types.Queue)
    update_mask: field_mask_pb2.FieldMask = proto.Field(
        proto.MESSAGE, number=2, message=field_mask_pb2.FieldMask
    )


class DeleteQueueRequest(proto.Message):
    """Request for ``delete_queue``: removes the queue and all of its tasks.

    The queue's name cannot be used again for a while afterwards.

    Attributes:
        name (str):
            The queue, ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class PurgeQueueRequest(proto.Message):
    """Request for ``purge_queue``: deletes every task created before the call.

    Attributes:
        name (str):
            The queue, ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class PauseQueueRequest(proto.Message):
    """Request for ``pause_queue``: dispatch stops, tasks can still be added.

    Attributes:
        name (str):
            The queue, ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class ResumeQueueRequest(proto.Message):
    """Request for ``resume_queue``: sets a paused or disabled queue back to running.

    Attributes:
        name (str):
            The queue, ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class UploadQueueYamlRequest(proto.Message):
    """Uploads a ``queue.yaml`` file that defines an App Engine app's queues.

    Attributes:
        app_id (str):
            The App Engine application id.
        http_body (google.api.httpbody_pb2.HttpBody):
            The file's contents; presence is tracked.
    """

    app_id: str = proto.Field(proto.STRING, number=1)
    http_body: httpbody_pb2.HttpBody = proto.Field(
        proto.MESSAGE, number=2, optional=True, message=httpbody_pb2.HttpBody
    )


class ListTasksRequest(proto.Message):
    """Request for ``list_tasks``.

    Attributes:
        parent (str):
            The queue whose tasks are listed,
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
        response_view (Task.View):
            How much of each task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them. ``FULL`` needs the ``cloudtasks.tasks.fullView``
            permission.
        page_size (int):
            Most tasks in one page, at most 1000 (the default); the service may return
            fewer.
        page_token (str):
            ``next_page_token`` of the previous page, to continue a listing; the other
            request fields must stay the same.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=2, enum=task_types.Task.View
    )
    page_size: int = proto.Field(proto.INT32, number=4)
    page_token: str = proto.Field(proto.STRING, number=5)


class ListTasksResponse(proto.Message):
    """One page of tasks.

    Attributes:
        tasks (MutableSequence[Task]):
            The tasks of this page, in no particular order.
        next_page_token (str):
            Token for the next page; empty on the last page.
    """

    @property
    def raw_page(self) -> ListTasksResponse:
        """This page itself (the pager reads pages through this name)."""
        return self

    tasks: MutableSequence[task_types.Task] = proto.RepeatedField(
        proto.MESSAGE, number=1, message=task_types.Task
    )
    next_page_token: str = proto.Field(proto.STRING, number=2)


class GetTaskRequest(proto.Message):
    """Request for ``get_task``.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
        response_view (Task.View):
            How much of the task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them.
    """

    name: str = proto.Field(proto.STRING, number=1)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=2, enum=task_types.Task.View
    )


class CreateTaskRequest(proto.Message):
    """Request for ``create_task``.

    Attributes:
        parent (str):
            The queue that receives the task,
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``; it must exist.
        task (Task):
            The task to add. Leave ``name`` empty to get a generated id; a name that is in
            use or was used recently gives ALREADY_EXISTS.
        response_view (Task.View):
            How much of the task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    task: task_types.Task = proto.Field(proto.MESSAGE, number=2, message=task_types.Task)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=3, enum=task_types.Task.View
    )


class DeleteTaskRequest(proto.Message):
    """Request for ``delete_task``: removes a task that has not finished yet.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class LeaseTasksRequest(proto.Message):
    """Request for ``lease_tasks``: hands pull tasks to a worker for a while.

    Each leased task's ``schedule_time`` becomes the lease's expiry; a task whose lease runs
    out can be leased again.

    Attributes:
        parent (str):
            The pull queue, ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
        max_tasks (int):
            Most tasks to lease, at most 1000; fewer may be returned.
        lease_duration (Duration):
            How long the worker holds the tasks, at most a week; truncated to whole seconds.
        response_view (Task.View):
            How much of each task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them.
        filter (str):
            Empty leases any task; ``tag="<tag>"`` only tasks with that tag;
            ``tag_function=oldest_tag()`` tasks sharing the oldest task's tag.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    max_tasks: int = proto.Field(proto.INT32, number=2)
    lease_duration: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=3, message=duration_pb2.Duration
    )
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=4, enum=task_types.Task.View
    )
    filter: str = proto.Field(proto.STRING, number=5)


class LeaseTasksResponse(proto.Message):
    """The tasks leased by ``lease_tasks``.

    Attributes:
        tasks (MutableSequence[Task]):
            The leased tasks; possibly none.
    """

    tasks: MutableSequence[task_types.Task] = proto.RepeatedField(
        proto.MESSAGE, number=1, message=task_types.Task
    )


class AcknowledgeTaskRequest(proto.Message):
    """Request for ``acknowledge_task``: marks a leased task done, which deletes it.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
        schedule_time (Timestamp):
            The task's current ``schedule_time``, as LeaseTasks or RenewLease returned it;
            proves the caller holds the lease.
    """

    name: str = proto.Field(proto.STRING, number=1)
    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )


class RenewLeaseRequest(proto.Message):
    """Request for ``renew_lease``: extends a worker's lease on a pull task.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
        schedule_time (Timestamp):
            The task's current ``schedule_time``, as LeaseTasks or RenewLease returned it;
            proves the caller holds the lease.
        lease_duration (Duration):
            New lease length, counted from now; at most a week.
        response_view (Task.View):
            How much of the task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them.
    """

    name: str = proto.Field(proto.STRING, number=1)
    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )
    lease_duration: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=3, message=duration_pb2.Duration
    )
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=4, enum=task_types.Task.View
    )


class CancelLeaseRequest(proto.Message):
    """Request for ``cancel_lease``: ends a lease early so the task can be leased again.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
        schedule_time (Timestamp):
            The task's current ``schedule_time``, as LeaseTasks or RenewLease returned it;
            proves the caller holds the lease.
        response_view (Task.View):
            How much of the task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them.
    """

    name: str = proto.Field(proto.STRING, number=1)
    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=3, enum=task_types.Task.View
    )


class RunTaskRequest(proto.Message):
    """Request for ``run_task``: dispatches the task now, ignoring pause and rate limits.

    A failed run reschedules the task by the queue's retry policy. Pull tasks cannot be run.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
        response_view (Task.View):
            How much of the task to return: ``BASIC`` (the default) leaves out request
            bodies, ``FULL`` includes them.
    """

    name: str = proto.Field(proto.STRING, number=1)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=2, enum=task_types.Task.View
    )


__all__ = tuple(sorted(__protobuf__.manifest))
