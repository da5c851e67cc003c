# Written by scripts/gen_stubs.py from the classes of cloudtasks.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

import datetime as _datetime
from collections.abc import Mapping, MutableSequence, Sequence
from typing import Any

from google.api import httpbody_pb2 as _httpbody_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2

from google.cloud.tasks import _message

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
        read_mask: _message.FieldMaskArg | None = ...,
    ) -> None: ...
    parent: str
    filter: str
    page_size: int
    page_token: str
    @property
    def read_mask(self) -> _field_mask_pb2.FieldMask: ...
    @read_mask.setter
    def read_mask(self, value: _message.FieldMaskArg | None) -> None: ...

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
        read_mask: _message.FieldMaskArg | None = ...,
    ) -> None: ...
    name: str
    @property
    def read_mask(self) -> _field_mask_pb2.FieldMask: ...
    @read_mask.setter
    def read_mask(self, value: _message.FieldMaskArg | None) -> None: ...

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

class UploadQueueYamlRequest(_message.Message):
    def __init__(
        self,
        mapping: UploadQueueYamlRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        app_id: str = ...,
        http_body: _httpbody_pb2.HttpBody | None = ...,
    ) -> None: ...
    app_id: str
    @property
    def http_body(self) -> _httpbody_pb2.HttpBody: ...
    @http_body.setter
    def http_body(self, value: _httpbody_pb2.HttpBody | None) -> None: ...

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

class DeleteTaskRequest(_message.Message):
    def __init__(
        self,
        mapping: DeleteTaskRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
    ) -> None: ...
    name: str

class LeaseTasksRequest(_message.Message):
    def __init__(
        self,
        mapping: LeaseTasksRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        parent: str = ...,
        max_tasks: int = ...,
        lease_duration: _message.DurationArg | None = ...,
        response_view: _task._TaskViewArg = ...,
        filter: str = ...,
    ) -> None: ...
    parent: str
    max_tasks: int
    @property
    def lease_duration(self) -> _datetime.timedelta: ...
    @lease_duration.setter
    def lease_duration(self, value: _message.DurationArg | None) -> None: ...
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...
    filter: str

class LeaseTasksResponse(_message.Message):
    def __init__(
        self,
        mapping: LeaseTasksResponse | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        tasks: Sequence[_task.Task | dict[str, Any]] = ...,
    ) -> None: ...
    @property
    def tasks(self) -> MutableSequence[_task.Task]: ...
    @tasks.setter
    def tasks(self, value: Sequence[_task.Task | dict[str, Any]]) -> None: ...

class AcknowledgeTaskRequest(_message.Message):
    def __init__(
        self,
        mapping: AcknowledgeTaskRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        schedule_time: _message.TimestampArg | None = ...,
    ) -> None: ...
    name: str
    @property
    def schedule_time(self) -> _datetime.datetime | None: ...
    @schedule_time.setter
    def schedule_time(self, value: _message.TimestampArg | None) -> None: ...

class RenewLeaseRequest(_message.Message):
    def __init__(
        self,
        mapping: RenewLeaseRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        schedule_time: _message.TimestampArg | None = ...,
        lease_duration: _message.DurationArg | None = ...,
        response_view: _task._TaskViewArg = ...,
    ) -> None: ...
    name: str
    @property
    def schedule_time(self) -> _datetime.datetime | None: ...
    @schedule_time.setter
    def schedule_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def lease_duration(self) -> _datetime.timedelta: ...
    @lease_duration.setter
    def lease_duration(self, value: _message.DurationArg | None) -> None: ...
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...

class CancelLeaseRequest(_message.Message):
    def __init__(
        self,
        mapping: CancelLeaseRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        schedule_time: _message.TimestampArg | None = ...,
        response_view: _task._TaskViewArg = ...,
    ) -> None: ...
    name: str
    @property
    def schedule_time(self) -> _datetime.datetime | None: ...
    @schedule_time.setter
    def schedule_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def response_view(self) -> _task.Task.View: ...
    @response_view.setter
    def response_view(self, value: _task._TaskViewArg) -> None: ...

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
