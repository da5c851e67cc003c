"""Request, response and operation-metadata messages of the v2beta3 CloudTasks service.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

from collections.abc import MutableMapping, MutableSequence

import proto
from google.protobuf import field_mask_pb2, timestamp_pb2
from google.rpc import status_pb2

from google.cloud.tasks_v2beta3.types import cmek_config as cmek_config_types
from google.cloud.tasks_v2beta3.types import queue as queue_types
from google.cloud.tasks_v2beta3.types import task as task_types

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta3",
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
        "ListTasksRequest",
        "ListTasksResponse",
        "GetTaskRequest",
        "CreateTaskRequest",
        "BatchCreateTasksRequest",
        "DeleteTaskRequest",
        "BatchDeleteTasksRequest",
        "BatchDeleteTasksMetadata",
        "RunTaskRequest",
        "BatchCreateTasksResponse",
        "BatchCreateTasksMetadata",
        "UpdateCmekConfigRequest",
        "GetCmekConfigRequest",
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
    page_size: int = proto.Field(proto.INT32, number=3)
    page_token: str = proto.Field(proto.STRING, number=4)


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


class BatchCreateTasksRequest(proto.Message):
    """Request for ``batch_create_tasks``, a long-running operation.

    Attributes:
        parent (str):
            The queue that receives the tasks,
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
        requests (MutableSequence[CreateTaskRequest]):
            Up to 100 CreateTask requests, each with the same ``parent``.
        request_id (str):
            Optional id that makes a retried batch run once; generated by the service when
            empty.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    requests: MutableSequence[CreateTaskRequest] = proto.RepeatedField(
        proto.MESSAGE, number=2, message=CreateTaskRequest
    )
    request_id: str = proto.Field(proto.STRING, number=3)


class DeleteTaskRequest(proto.Message):
    """Request for ``delete_task``: removes a task that has not finished yet.

    Attributes:
        name (str):
            Full task name, ``<queue name>/tasks/TASK_ID``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class BatchDeleteTasksRequest(proto.Message):
    """Request for ``batch_delete_tasks``, a long-running operation.

    Attributes:
        parent (str):
            The queue holding the tasks,
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``.
        names (MutableSequence[str]):
            Up to 1000 full task names to delete.
        request_id (str):
            Optional id that makes a retried batch run once; generated by the service when
            empty.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    names: MutableSequence[str] = proto.RepeatedField(proto.STRING, number=2)
    request_id: str = proto.Field(proto.STRING, number=3)


class BatchDeleteTasksMetadata(proto.Message):
    """Progress of a ``batch_delete_tasks`` operation; every field is output only.

    Attributes:
        start_time (Timestamp):
            When the operation started.
        end_time (Timestamp):
            When it finished; unset while running.
        state (BatchDeleteTasksMetadata.State):
            Where the operation stands.
        failed_requests (MutableMapping[int, google.rpc.status_pb2.Status]):
            Errors by index into the request's ``names``.
    """

    class State(proto.Enum):
        """Where a batch delete stands.

        Values:
            STATE_UNSPECIFIED (0): Not set.
            RUNNING (1): Still deleting.
            SUCCEEDED (2): Every task was deleted.
            PARTIALLY_SUCCEEDED (3): Some deletions failed; see ``failed_requests``.
            FAILED (4): No task was deleted.
        """

        STATE_UNSPECIFIED = 0
        RUNNING = 1
        SUCCEEDED = 2
        PARTIALLY_SUCCEEDED = 3
        FAILED = 4

    start_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=1, message=timestamp_pb2.Timestamp
    )
    end_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )
    state: BatchDeleteTasksMetadata.State = proto.Field(proto.ENUM, number=3, enum=State)
    failed_requests: MutableMapping[int, status_pb2.Status] = proto.MapField(
        proto.INT32, proto.MESSAGE, number=4, message=status_pb2.Status
    )


class RunTaskRequest(proto.Message):
    """Request for ``run_task``: dispatches the task now, ignoring pause and rate limits.

    A failed run reschedules the task by the queue's retry policy.

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


class BatchCreateTasksResponse(proto.Message):
    """Result of a ``batch_create_tasks`` operation.

    Attributes:
        tasks (MutableSequence[Task]):
            The tasks created.
    """

    tasks: MutableSequence[task_types.Task] = proto.RepeatedField(
        proto.MESSAGE, number=1, message=task_types.Task
    )


class BatchCreateTasksMetadata(proto.Message):
    """Progress of a ``batch_create_tasks`` operation.

    Attributes:
        start_time (Timestamp):
            Output only. When the operation started.
        end_time (Timestamp):
            Output only. When it finished; unset while running.
        state (BatchCreateTasksMetadata.State):
            Output only. Where the operation stands.
        failed_requests (MutableMapping[int, google.rpc.status_pb2.Status]):
            Errors by index into the request's ``requests``.
    """

    class State(proto.Enum):
        """Where a batch create stands.

        Values:
            STATE_UNSPECIFIED (0): Not set.
            RUNNING (1): Still creating.
            SUCCEEDED (2): Every task was created.
            FAILED (3): No task was created.
            CANCELLED (4): The operation was cancelled.
            PARTIALLY_SUCCEEDED (5): Some creations failed; see ``failed_requests``.
        """

        STATE_UNSPECIFIED = 0
        RUNNING = 1
        SUCCEEDED = 2
        FAILED = 3
        CANCELLED = 4
        PARTIALLY_SUCCEEDED = 5

    start_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=1, message=timestamp_pb2.Timestamp
    )
    end_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )
    state: BatchCreateTasksMetadata.State = proto.Field(proto.ENUM, number=3, enum=State)
    failed_requests: MutableMapping[int, status_pb2.Status] = proto.MapField(
        proto.INT32, proto.MESSAGE, number=4, message=status_pb2.Status
    )


class UpdateCmekConfigRequest(proto.Message):
    """Request for ``update_cmek_config``.

    Attributes:
        cmek_config (CmekConfig):
            The new settings; ``cmek_config.name`` says which location.
        update_mask (FieldMask):
            Fields to change; when unset, every field is replaced.
    """

    cmek_config: cmek_config_types.CmekConfig = proto.Field(
        proto.MESSAGE, number=1, message=cmek_config_types.CmekConfig
    )
    update_mask: field_mask_pb2.FieldMask = proto.Field(
        proto.MESSAGE, number=2, message=field_mask_pb2.FieldMask
    )


class GetCmekConfigRequest(proto.Message):
    """Request for ``get_cmek_config``.

    Attributes:
        name (str):
            ``projects/PROJECT_ID/locations/LOCATION_ID/cmekConfig``.
    """

    name: str = proto.Field(proto.STRING, number=1)


__all__ = tuple(sorted(__protobuf__.manifest))
