# Written by scripts/gen_stubs.py from the classes of task.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

import datetime as _datetime
import enum as _enum
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from google.rpc import status_pb2 as _status_pb2

from google.cloud.tasks import _message

from . import queue as _queue
from . import target as _target

class Attempt(_message.Message):
    def __init__(
        self,
        mapping: Attempt | Mapping[str, Any] | None = None,
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
        http_request: _target.HttpRequest | dict[str, Any] | None = ...,
        pull_message: _target.PullMessage | dict[str, Any] | None = ...,
        schedule_time: _message.TimestampArg | None = ...,
        create_time: _message.TimestampArg | None = ...,
        dispatch_deadline: _message.DurationArg | None = ...,
        dispatch_count: int = ...,
        response_count: int = ...,
        first_attempt: Attempt | dict[str, Any] | None = ...,
        last_attempt: Attempt | dict[str, Any] | None = ...,
        view: _TaskViewArg = ...,
        retry_config: _queue.RetryConfig | dict[str, Any] | None = ...,
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
    def http_request(self) -> _target.HttpRequest: ...
    @http_request.setter
    def http_request(self, value: _target.HttpRequest | dict[str, Any] | None) -> None: ...
    @property
    def pull_message(self) -> _target.PullMessage: ...
    @pull_message.setter
    def pull_message(self, value: _target.PullMessage | dict[str, Any] | None) -> None: ...
    @property
    def schedule_time(self) -> _datetime.datetime | None: ...
    @schedule_time.setter
    def schedule_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def create_time(self) -> _datetime.datetime | None: ...
    @create_time.setter
    def create_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def dispatch_deadline(self) -> _datetime.timedelta: ...
    @dispatch_deadline.setter
    def dispatch_deadline(self, value: _message.DurationArg | None) -> None: ...
    dispatch_count: int
    response_count: int
    @property
    def first_attempt(self) -> Attempt: ...
    @first_attempt.setter
    def first_attempt(self, value: Attempt | dict[str, Any] | None) -> None: ...
    @property
    def last_attempt(self) -> Attempt: ...
    @last_attempt.setter
    def last_attempt(self, value: Attempt | dict[str, Any] | None) -> None: ...
    @property
    def view(self) -> Task.View: ...
    @view.setter
    def view(self, value: _TaskViewArg) -> None: ...
    @property
    def retry_config(self) -> _queue.RetryConfig: ...
    @retry_config.setter
    def retry_config(self, value: _queue.RetryConfig | dict[str, Any] | None) -> None: ...

_TaskViewName: TypeAlias = Literal["VIEW_UNSPECIFIED", "BASIC", "FULL"]
_TaskViewArg: TypeAlias = Task.View | int | _TaskViewName
