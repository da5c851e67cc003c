# Written by scripts/gen_stubs.py from the classes of queue.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

import datetime as _datetime
import enum as _enum
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

from google.cloud.tasks import _message

from . import target as _target

class RateLimits(_message.Message):
    def __init__(
        self,
        mapping: RateLimits | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        max_dispatches_per_second: float = ...,
        max_burst_size: int = ...,
        max_concurrent_dispatches: int = ...,
    ) -> None: ...
    max_dispatches_per_second: float
    max_burst_size: int
    max_concurrent_dispatches: int

class RetryConfig(_message.Message):
    def __init__(
        self,
        mapping: RetryConfig | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        max_attempts: int = ...,
        max_retry_duration: _message.DurationArg | None = ...,
        min_backoff: _message.DurationArg | None = ...,
        max_backoff: _message.DurationArg | None = ...,
        max_doublings: int = ...,
    ) -> None: ...
    max_attempts: int
    @property
    def max_retry_duration(self) -> _datetime.timedelta: ...
    @max_retry_duration.setter
    def max_retry_duration(self, value: _message.DurationArg | None) -> None: ...
    @property
    def min_backoff(self) -> _datetime.timedelta: ...
    @min_backoff.setter
    def min_backoff(self, value: _message.DurationArg | None) -> None: ...
    @property
    def max_backoff(self) -> _datetime.timedelta: ...
    @max_backoff.setter
    def max_backoff(self, value: _message.DurationArg | None) -> None: ...
    max_doublings: int

class StackdriverLoggingConfig(_message.Message):
    def __init__(
        self,
        mapping: StackdriverLoggingConfig | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        sampling_ratio: float = ...,
    ) -> None: ...
    sampling_ratio: float

class Queue(_message.Message):
    class State(_enum.IntEnum):
        STATE_UNSPECIFIED = 0
        RUNNING = 1
        PAUSED = 2
        DISABLED = 3

    def __init__(
        self,
        mapping: Queue | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        name: str = ...,
        app_engine_routing_override: _target.AppEngineRouting | dict[str, Any] | None = ...,
        http_target: _target.HttpTarget | dict[str, Any] | None = ...,
        rate_limits: RateLimits | dict[str, Any] | None = ...,
        retry_config: RetryConfig | dict[str, Any] | None = ...,
        state: _QueueStateArg = ...,
        purge_time: _message.TimestampArg | None = ...,
        stackdriver_logging_config: StackdriverLoggingConfig | dict[str, Any] | None = ...,
    ) -> None: ...
    name: str
    @property
    def app_engine_routing_override(self) -> _target.AppEngineRouting: ...
    @app_engine_routing_override.setter
    def app_engine_routing_override(
        self,
        value: _target.AppEngineRouting | dict[str, Any] | None,
    ) -> None: ...
    @property
    def http_target(self) -> _target.HttpTarget: ...
    @http_target.setter
    def http_target(self, value: _target.HttpTarget | dict[str, Any] | None) -> None: ...
    @property
    def rate_limits(self) -> RateLimits: ...
    @rate_limits.setter
    def rate_limits(self, value: RateLimits | dict[str, Any] | None) -> None: ...
    @property
    def retry_config(self) -> RetryConfig: ...
    @retry_config.setter
    def retry_config(self, value: RetryConfig | dict[str, Any] | None) -> None: ...
    @property
    def state(self) -> Queue.State: ...
    @state.setter
    def state(self, value: _QueueStateArg) -> None: ...
    @property
    def purge_time(self) -> _datetime.datetime | None: ...
    @purge_time.setter
    def purge_time(self, value: _message.TimestampArg | None) -> None: ...
    @property
    def stackdriver_logging_config(self) -> StackdriverLoggingConfig: ...
    @stackdriver_logging_config.setter
    def stackdriver_logging_config(
        self,
        value: StackdriverLoggingConfig | dict[str, Any] | None,
    ) -> None: ...

_QueueStateName: TypeAlias = Literal["STATE_UNSPECIFIED", "RUNNING", "PAUSED", "DISABLED"]
_QueueStateArg: TypeAlias = Queue.State | int | _QueueStateName
