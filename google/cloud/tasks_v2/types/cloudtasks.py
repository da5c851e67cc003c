"""Requests, responses and operation metadata of the v2 CloudTasks service.

Resource names follow ``projects/PROJECT_ID/locations/LOCATION_ID`` (a
location), ``<location>/queues/QUEUE_ID`` (a queue) and
``<queue>/tasks/TASK_ID`` (a task).
"""

from __future__ import annotations

from collections.abc import MutableMapping, MutableSequence

import proto
from google.protobuf import field_mask_pb2, timestamp_pb2
from google.rpc import status_pb2

from . import cmek_config as cmek_types
from . import queue as queue_types
from . import task as task_types

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2",
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
        "UpdateCmekConfigRequest",
        "GetCmekConfigRequest",
        "BatchCreateTasksResponse",
        "BatchCreateTasksMetadata",
    },
)


class ListQueuesRequest(proto.Message):
    """Asks for one page of a location's queues.

    Attributes:
        parent (str):
            The location, ``projects/PROJECT_ID/locations/LOCATION_ID``.
        filter (str):
            Optional filter on queue fields, e.g. ``state: PAUSED``; a page may
            then hold fewer queues than asked for.
        page_size (int):
            Most queues per page, at most 9800; 0 means the maximum.
        page_token (str):
            Empty for the first page, else the previous page's ``next_page_token``.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    filter: str = proto.Field(proto.STRING, number=2)
    page_size: int = proto.Field(proto.INT32, number=3)
    page_token: str = proto.Field(proto.STRING, number=4)


class ListQueuesResponse(proto.Message):
    """One page of queues.

    Attributes:
        queues (MutableSequence[Queue]):
            The queues, in lexicographic order of name.
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
    """Asks for one queue.

    Attributes:
        name (str):
            The queue's full name.
    """

    name: str = proto.Field(proto.STRING, number=1)


class CreateQueueRequest(proto.Message):
    """Creates a queue; ALREADY_EXISTS if its name is taken.

    Attributes:
        parent (str):
            The location, ``projects/PROJECT_ID/locations/LOCATION_ID``.
        queue (Queue):
            The new queue; its ``name`` must lie under ``parent``. Unset
            settings get the service defaults.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    queue: queue_types.Queue = proto.Field(proto.MESSAGE, number=2, message=queue_types.Queue)


class UpdateQueueRequest(proto.Message):
    """Changes a queue, creating it if it does not exist.

    Attributes:
        queue (Queue):
            The queue, found by its ``name``, with the new values.
        update_mask (FieldMask):
            Fields to change; empty changes every field.
    """

    queue: queue_types.Queue = proto.Field(proto.MESSAGE, number=1, message=queue_types.Queue)
    update_mask: field_mask_pb2.FieldMask = proto.Field(
        proto.MESSAGE, number=2, message=field_mask_pb2.FieldMask
    )


class DeleteQueueRequest(proto.Message):
    """Deletes a queue and its tasks; the name cannot be reused for a while.

    Attributes:
        name (str):
            The queue's full name.
    """

    name: str = proto.Field(proto.STRING, number=1)


class PurgeQueueRequest(proto.Message):
    """Deletes every task created before the call and sets ``purge_time``.

    Attributes:
        name (str):
            The queue's full name.
    """

    name: str = proto.Field(proto.STRING, number=1)


class PauseQueueRequest(proto.Message):
    """Stops a queue's dispatching; tasks can still be added.

    Attributes:
        name (str):
            The queue's full name.
    """

    name: str = proto.Field(proto.STRING, number=1)


class ResumeQueueRequest(proto.Message):
    """Restarts dispatching of a paused or disabled queue (state ``RUNNING``).

    Attributes:
        name (str):
            The queue's full name.
    """

    name: str = proto.Field(proto.STRING, number=1)


class ListTasksRequest(proto.Message):
    """Asks for one page of a queue's tasks.

    Attributes:
        parent (str):
            The queue's full name.
        response_view (Task.View):
            How much of each task to return; ``BASIC`` when unspecified.
        page_size (int):
            Most tasks per page, at most 1000; 0 means the maximum.
        page_token (str):
            Empty for the first page, else the previous page's ``next_page_token``.
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
            The tasks, in no promised order.
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
    """Asks for one task.

    Attributes:
        name (str):
            The task's full name.
        response_view (Task.View):
            How much of the task to return; ``BASIC`` when unspecified.
    """

    name: str = proto.Field(proto.STRING, number=1)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=2, enum=task_types.Task.View
    )


class CreateTaskRequest(proto.Message):
    """Adds a task to a queue.

    Attributes:
        parent (str):
            The queue's full name.
        task (Task):
            The task. With a ``name``, it must lie in ``parent`` and not have
            been used recently (ALREADY_EXISTS); without one, an id is generated.
        response_view (Task.View):
            How much of the created task to return; ``BASIC`` when unspecified.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    task: task_types.Task = proto.Field(proto.MESSAGE, number=2, message=task_types.Task)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=3, enum=task_types.Task.View
    )


class BatchCreateTasksRequest(proto.Message):
    """Adds several tasks to one queue in a long-running operation.

    Attributes:
        parent (str):
            The queue's full name.
        requests (MutableSequence[CreateTaskRequest]):
            At most 100 creations, each with this same ``parent``.
        request_id (str):
            Optional id of the operation, so that retrying the call does not
            repeat it; a UUID is generated when empty.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    requests: MutableSequence[CreateTaskRequest] = proto.RepeatedField(
        proto.MESSAGE, number=2, message=CreateTaskRequest
    )
    request_id: str = proto.Field(proto.STRING, number=3)


class DeleteTaskRequest(proto.Message):
    """Deletes a task; its name stays reserved for a while.

    Attributes:
        name (str):
            The task's full name.
    """

    name: str = proto.Field(proto.STRING, number=1)


class BatchDeleteTasksRequest(proto.Message):
    """Deletes several tasks of one queue in a long-running operation.

    Attributes:
        parent (str):
            The queue's full name.
        names (MutableSequence[str]):
            Full names of the tasks to delete.
        request_id (str):
            Optional id of the operation, so that retrying the call does not
            repeat it; a UUID is generated when empty.
    """

    parent: str = proto.Field(proto.STRING, number=1)
    names: MutableSequence[str] = proto.RepeatedField(proto.STRING, number=2)
    request_id: str = proto.Field(proto.STRING, number=3)


class BatchDeleteTasksMetadata(proto.Message):
    """Progress of a BatchDeleteTasks operation (the operation's ``metadata``).

    Attributes:
        start_time (Timestamp):
            Output only. When the operation started.
        end_time (Timestamp):
            Output only. When it finished; unset while running.
        state (BatchDeleteTasksMetadata.State):
            Output only. Where the operation stands.
        failed_requests (MutableMapping[int, google.rpc.status_pb2.Status]):
            Output only. Why deletions failed, keyed by index in ``names``.
    """

    class State(proto.Enum):
        """Where a batch deletion stands.

        Values:
            STATE_UNSPECIFIED (0): Not set.
            RUNNING (1): Still deleting.
            SUCCEEDED (2): Every task was deleted.
            PARTIALLY_SUCCEEDED (3): Some deletions failed; see ``failed_requests``.
            FAILED (4): The operation failed as a whole.
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
    """Dispatches a task now, even if its queue is paused or rate-limited.

    Attributes:
        name (str):
            The task's full name.
        response_view (Task.View):
            How much of the task to return; ``BASIC`` when unspecified.
    """

    name: str = proto.Field(proto.STRING, number=1)
    response_view: task_types.Task.View = proto.Field(
        proto.ENUM, number=2, enum=task_types.Task.View
    )


class UpdateCmekConfigRequest(proto.Message):
    """Sets the encryption key of a location.

    Attributes:
        cmek_config (CmekConfig):
            The config, found by its ``name``, with the new key.
        update_mask (FieldMask):
            Fields of ``cmek_config`` to change.
    """

    cmek_config: cmek_types.CmekConfig = proto.Field(
        proto.MESSAGE, number=1, message=cmek_types.CmekConfig
    )
    update_mask: field_mask_pb2.FieldMask = proto.Field(
        proto.MESSAGE, number=2, message=field_mask_pb2.FieldMask
    )


class GetCmekConfigRequest(proto.Message):
    """Asks for the encryption key settings of a location.

    Attributes:
        name (str):
            ``projects/PROJECT_ID/locations/LOCATION_ID/cmekConfig``.
    """

    name: str = proto.Field(proto.STRING, number=1)


class BatchCreateTasksResponse(proto.Message):
    """Result of a BatchCreateTasks operation (the operation's ``response``).

    Attributes:
        tasks (MutableSequence[Task]):
            The tasks that were created.
    """

    tasks: MutableSequence[task_types.Task] = proto.RepeatedField(
        proto.MESSAGE, number=1, message=task_types.Task
    )


class BatchCreateTasksMetadata(proto.Message):
    """Progress of a BatchCreateTasks operation (the operation's ``metadata``).

    Attributes:
        start_time (Timestamp):
            Output only. When the operation started.
        end_time (Timestamp):
            Output only. When it finished; unset while running.
        state (BatchCreateTasksMetadata.State):
            Output only. Where the operation stands.
        failed_requests (MutableMapping[int, google.rpc.status_pb2.Status]):
            Output only. Why creations failed, keyed by index in ``requests``.
    """

    class State(proto.Enum):
        """Where a batch creation stands.

        Values:
            STATE_UNSPECIFIED (0): Not set.
            RUNNING (1): Still creating.
            SUCCEEDED (2): Every task was created.
            FAILED (3): The operation failed as a whole.
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


__all__ = tuple(sorted(__protobuf__.manifest))
