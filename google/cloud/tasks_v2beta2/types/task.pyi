# Written by scripts/gen_stubs.py from the classes of task.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

import datetime as _datetime
import enum as _enum
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from google.rpc import status_pb2 as _status_pb2

from google.cloud.tasks import _message

from . import target as _target

class AttemptStatus(_message.Message):
    def __init__(
        self,
        mapping: AttemptStatus | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        schedule_time: _message.TimestampArg | None = ...,
        dispatch_time: _message.TimestampArg | None = ...,
        response_time: _message.TimestampArg | None = ...,
        response_status: _status_pb2.Status | None = ...,
    ) -> None: ...
    @property
    def schedule_time(self) -> _datetime.datetime | None: ...
    @schedule_time.setter
    def schedule_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def dispatch_time(self) -> _datetime.datetime | None: ...
    @dispatch_time.setter
    def dispatch_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def response_time(self) -> _datetime.datetime | None: ...
    @response_time.setter
    def response_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def response_status(self) -> _status_pb2.Status: ...
    @response_status.setter
    def response_status(self, value: _status_pb2.Status | None) -> None: ...

class TaskStatus(_message.Message):
    def __init__(
        self,
        mapping: TaskStatus | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        attempt_dispatch_count: int = ...,
        attempt_response_count: int = ...,
        first_attempt_status: AttemptStatus | dict[str, Any] | None = ...,
        last_attempt_status: AttemptStatus | dict[str, Any] | None = ...,
    ) -> None: ...
    attempt_dispatch_count: int
    attempt_response_count: int
    @property
    def first_attempt_status(self) -> AttemptStatus: ...
    @first_attempt_status.setter
    def first_attempt_status(self, value: AttemptStatus | dict[str, Any] | None) -> None: ...
    @property
    def last_attempt_status(self) -> AttemptStatus: ...
    @last_attempt_status.setter
    def last_attempt_status(self, value: AttemptStatus | dict[str, Any] | None) -> None: ...

class Task(_message.Message):
    class View(_enum.IntEnum):
        VIEW_UNSPECIFIED = 0
        BASIC = 1
        FULL = 2

    def __init__(
        self,
        mapping: Task | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        app_engine_http_request: _target.AppEngineHttpRequest | dict[str, Any] | None = ...,
        pull_message: _target.PullMessage | dict[str, Any] | None = ...,
        http_request: _target.HttpRequest | dict[str, Any] | None = ...,
        schedule_time: _message.TimestampArg | None = ...,
        create_time: _message.TimestampArg | None = ...,
        status: TaskStatus | dict[str, Any] | None = ...,
        view: _TaskViewArg = ...,
    ) -> None: ...
    name: str
    @property
    def app_engine_http_request(self) -> _target.AppEngineHttpRequest: ...
    @app_engine_http_request.setter
    def app_engine_http_request(
        self,
        value: _target.AppEngineHttpRequest | dict[str, Any] | None,
    ) -> None: ...
    @property
    def pull_message(self) -> _target.PullMessage: ...
    @pull_message.setter
    def pull_message(self, value: _target.PullMessage | dict[str, Any] | None) -> None: ...
    @property
    def http_request(self) -> _target.HttpRequest: ...
    @http_request.setter
    def http_request(self, value: _target.HttpRequest | dict[str, Any] | None) -> None: ...
    @property
    def schedule_time(self) -> _datetime.datetime | None: ...
    @schedule_time.setter
    def schedule_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def create_time(self) -> _datetime.datetime | None: ...
    @create_time.setter
    def create_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def status(self) -> TaskStatus: ...
    @status.setter
    def status(self, value: TaskStatus | dict[str, Any] | None) -> None: ...
    @property
    def view(self) -> Task.View: ...
    @view.setter
    def view(self, value: _TaskViewArg) -> None: ...

_TaskViewName: TypeAlias = Literal["VIEW_UNSPECIFIED", "BASIC", "FULL"]
_TaskViewArg: TypeAlias = Task.View | int | _TaskViewName
