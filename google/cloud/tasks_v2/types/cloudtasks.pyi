# Written by scripts/gen_stubs.py from the classes of cloudtasks.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

import datetime as _datetime
import enum as _enum
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any, Literal, TypeAlias

from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.rpc import status_pb2 as _status_pb2

from google.cloud.tasks import _message

from . import cmek_config as _cmek_config
from . import queue as _queue
from . import task as _task

class ListQueuesRequest(_message.Message):
    def __init__(
        self,
        mapping: ListQueuesRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        filter: str = ...,
        page_size: int = ...,
        page_token: str = ...,
    ) -> None: ...
    parent: str
    filter: str
    page_size: int
    page_token: str

class ListQueuesResponse(_message.Message):
    def __init__(
        self,
        mapping: ListQueuesResponse | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        queues: Sequence[_queue.Queue | dict[str, Any]] = ...,
        next_page_token: str = ...,
    ) -> None: ...
    @property
    def queues(self) -> MutableSequence[_queue.Queue]: ...
    @queues.setter
    def queues(self, value: Sequence[_queue.Queue | dict[str, Any]]) -> None: ...
    next_page_token: str

class GetQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: GetQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class CreateQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: CreateQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        queue: _queue.Queue | dict[str, Any] | None = ...,
    ) -> None: ...
    parent: str
    @property
    def queue(self) -> _queue.Queue: ...
    @queue.setter
    def queue(self, value: _queue.Queue | dict[str, Any] | None) -> None: ...

class UpdateQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: UpdateQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        queue: _queue.Queue | dict[str, Any] | None = ...,
        update_mask: _message.FieldMaskArg | None = ...,
    ) -> None: ...
    @property
    def queue(self) -> _queue.Queue: ...
    @queue.setter
    def queue(self, value: _queue.Queue | dict[str, Any] | None) -> None: ...
    @property
    def update_mask(self) -> _field_mask_pb2.FieldMask: ...
    @update_mask.setter
    def update_mask(self, value: _message.FieldMaskArg | None) -> None: ...

class DeleteQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: DeleteQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class PurgeQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: PurgeQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class PauseQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: PauseQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class ResumeQueueRequest(_message.Message):
    def __init__(
        self,
        mapping: ResumeQueueRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class ListTasksRequest(_message.Message):
    def __init__(
        self,
        mapping: ListTasksRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        response_view: _task._TaskViewArg = ...,
        page_size: int = ...,
        page_token: str = ...,
    ) -> None: ...
    parent: str
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...
    page_size: int
    page_token: str

class ListTasksResponse(_message.Message):
    def __init__(
        self,
        mapping: ListTasksResponse | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        tasks: Sequence[_task.Task | dict[str, Any]] = ...,
        next_page_token: str = ...,
    ) -> None: ...
    @property
    def tasks(self) -> MutableSequence[_task.Task]: ...
    @tasks.setter
    def tasks(self, value: Sequence[_task.Task | dict[str, Any]]) -> None: ...
    next_page_token: str

class GetTaskRequest(_message.Message):
    def __init__(
        self,
        mapping: GetTaskRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        response_view: _task._TaskViewArg = ...,
    ) -> None: ...
    name: str
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...

class CreateTaskRequest(_message.Message):
    def __init__(
        self,
        mapping: CreateTaskRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        task: _task.Task | dict[str, Any] | None = ...,
        response_view: _task._TaskViewArg = ...,
    ) -> None: ...
    parent: str
    @property
    def task(self) -> _task.Task: ...
    @task.setter
    def task(self, value: _task.Task | dict[str, Any] | None) -> None: ...
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...

class BatchCreateTasksRequest(_message.Message):
    def __init__(
        self,
        mapping: BatchCreateTasksRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        requests: Sequence[CreateTaskRequest | dict[str, Any]] = ...,
        request_id: str = ...,
    ) -> None: ...
    parent: str
    @property
    def requests(self) -> MutableSequence[CreateTaskRequest]: ...
    @requests.setter
    def requests(self, value: Sequence[CreateTaskRequest | dict[str, Any]]) -> None: ...
    request_id: str

class DeleteTaskRequest(_message.Message):
    def __init__(
        self,
        mapping: DeleteTaskRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class BatchDeleteTasksRequest(_message.Message):
    def __init__(
        self,
        mapping: BatchDeleteTasksRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        names: Sequence[str] = ...,
        request_id: str = ...,
    ) -> None: ...
    parent: str
    @property
    def names(self) -> MutableSequence[str]: ...
    @names.setter
    def names(self, value: Sequence[str]) -> None: ...
    request_id: str

class BatchDeleteTasksMetadata(_message.Message):
    class State(_enum.IntEnum):
        STATE_UNSPECIFIED = 0
        RUNNING = 1
        SUCCEEDED = 2
        PARTIALLY_SUCCEEDED = 3
        FAILED = 4

    def __init__(
        self,
        mapping: BatchDeleteTasksMetadata | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        start_time: _message.TimestampArg | None = ...,
        end_time: _message.TimestampArg | None = ...,
        state: _BatchDeleteTasksMetadataStateArg = ...,
        failed_requests: Mapping[int, _status_pb2.Status] = ...,
    ) -> None: ...
    @property
    def start_time(self) -> _datetime.datetime | None: ...
    @start_time.setter
    def start_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def end_time(self) -> _datetime.datetime | None: ...
    @end_time.setter
    def end_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def state(self) -> BatchDeleteTasksMetadata.State: ...
    @state.setter
    def state(self, value: _BatchDeleteTasksMetadataStateArg) -> None: ...
    @property
    def failed_requests(self) -> MutableMapping[int, _status_pb2.Status]: ...
    @failed_requests.setter
    def failed_requests(self, value: Mapping[int, _status_pb2.Status]) -> None: ...

class RunTaskRequest(_message.Message):
    def __init__(
        self,
        mapping: RunTaskRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        response_view: _task._TaskViewArg = ...,
    ) -> None: ...
    name: str
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...

class UpdateCmekConfigRequest(_message.Message):
    def __init__(
        self,
        mapping: UpdateCmekConfigRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        cmek_config: _cmek_config.CmekConfig | dict[str, Any] | None = ...,
        update_mask: _message.FieldMaskArg | None = ...,
    ) -> None: ...
    @property
    def cmek_config(self) -> _cmek_config.CmekConfig: ...
    @cmek_config.setter
    def cmek_config(self, value: _cmek_config.CmekConfig | dict[str, Any] | None) -> None: ...
    @property
    def update_mask(self) -> _field_mask_pb2.FieldMask: ...
    @update_mask.setter
    def update_mask(self, value: _message.FieldMaskArg | None) -> None: ...

class GetCmekConfigRequest(_message.Message):
    def __init__(
        self,
        mapping: GetCmekConfigRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class BatchCreateTasksResponse(_message.Message):
    def __init__(
        self,
        mapping: BatchCreateTasksResponse | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        tasks: Sequence[_task.Task | dict[str, Any]] = ...,
    ) -> None: ...
    @property
    def tasks(self) -> MutableSequence[_task.Task]: ...
    @tasks.setter
    def tasks(self, value: Sequence[_task.Task | dict[str, Any]]) -> None: ...

class BatchCreateTasksMetadata(_message.Message):
    class State(_enum.IntEnum):
        STATE_UNSPECIFIED = 0
        RUNNING = 1
        SUCCEEDED = 2
        FAILED = 3
        CANCELLED = 4
        PARTIALLY_SUCCEEDED = 5

    def __init__(
        self,
        mapping: BatchCreateTasksMetadata | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        start_time: _message.TimestampArg | None = ...,
        end_time: _message.TimestampArg | None = ...,
        state: _BatchCreateTasksMetadataStateArg = ...,
        failed_requests: Mapping[int, _status_pb2.Status] = ...,
    ) -> None: ...
    @property
    def start_time(self) -> _datetime.datetime | None: ...
    @start_time.setter
    def start_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def end_time(self) -> _datetime.datetime | None: ...
    @end_time.setter
    def end_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def state(self) -> BatchCreateTasksMetadata.State: ...
    @state.setter
    def state(self, value: _BatchCreateTasksMetadataStateArg) -> None: ...
    @property
    def failed_requests(self) -> MutableMapping[int, _status_pb2.Status]: ...
    @failed_requests.setter
    def failed_requests(self, value: Mapping[int, _status_pb2.Status]) -> None: ...

_BatchDeleteTasksMetadataStateName: TypeAlias = Literal[
    "STATE_UNSPECIFIED",
    "RUNNING",
    "SUCCEEDED",
    "PARTIALLY_SUCCEEDED",
    "FAILED",
]
_BatchDeleteTasksMetadataStateArg: TypeAlias = (
    BatchDeleteTasksMetadata.State | int | _BatchDeleteTasksMetadataStateName
)
_BatchCreateTasksMetadataStateName: TypeAlias = Literal[
    "STATE_UNSPECIFIED",
    "RUNNING",
    "SUCCEEDED",
    "FAILED",
    "CANCELLED",
    "PARTIALLY_SUCCEEDED",
]
_BatchCreateTasksMetadataStateArg: TypeAlias = (
    BatchCreateTasksMetadata.State | int | _BatchCreateTasksMetadataStateName
)
