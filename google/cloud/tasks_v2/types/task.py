"""The v2 task and the record of its dispatch attempts.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

import proto
from google.protobuf import duration_pb2, timestamp_pb2
from google.rpc import status_pb2

from . import queue, target

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2",
    manifest={
        "Task",
        "Attempt",
    },
)


class Attempt(proto.Message):
    """One dispatch of a task and its outcome.

    Attributes:
        schedule_time (Timestamp):
            Output only. When the attempt was scheduled.
        dispatch_time (Timestamp):
            Output only. When the request was sent.
        response_time (Timestamp):
            Output only. When the answer (or the failure) came back.
        response_status (google.rpc.status_pb2.Status):
            Output only. The outcome as an RPC status; unset until the attempt
            has ended.
    """

    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=1, message=timestamp_pb2.Timestamp
    )
    dispatch_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )
    response_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=3, message=timestamp_pb2.Timestamp
    )
    response_status: status_pb2.Status = proto.Field(
        proto.MESSAGE, number=4, message=status_pb2.Status
    )


class Task(proto.Message):
    """A request Cloud Tasks sends on schedule and retries until it succeeds.

    Exactly one of ``app_engine_http_request`` and ``http_request`` (the
    ``message_type`` oneof) says where the task goes.

    Attributes:
        name (str):
            ``<queue name>/tasks/TASK_ID``, TASK_ID being 1-500 letters, digits,
            ``-`` or ``_``. Leave empty on create to get a generated id. A name
            stays reserved for a while after the task is done or deleted.
        app_engine_http_request (AppEngineHttpRequest):
            Request sent to App Engine; one of ``message_type``.
        http_request (HttpRequest):
            Request sent to an HTTP endpoint; one of ``message_type``.
        schedule_time (Timestamp):
            When the task should be attempted next; defaults to now and may be
            at most 30 days ahead.
        create_time (Timestamp):
            Output only. When the task was created.
        dispatch_deadline (Duration):
            How long to wait for the handler's answer. HTTP targets allow 15 s
            to 30 min, default 10 min.
        dispatch_count (int):
            Output only. Attempts made so far.
        response_count (int):
            Output only. Attempts that got an answer from the handler.
        first_attempt (Attempt):
            Output only. The first attempt; only ``dispatch_time`` is kept.
        last_attempt (Attempt):
            Output only. The latest attempt.
        view (Task.View):
            Output only. Which view this copy of the task was returned in.
        retry_config (RetryConfig):
            Retry policy for this task alone, replacing the queue's when set.
    """

    class View(proto.Enum):
        """How much of a task a response carries.

        Values:
            VIEW_UNSPECIFIED (0): Not set; same as ``BASIC``.
            BASIC (1): Everything but the request body.
            FULL (2): Everything; needs the ``cloudtasks.tasks.fullView`` permission.
        """

        VIEW_UNSPECIFIED = 0
        BASIC = 1
        FULL = 2

    name: str = proto.Field(proto.STRING, number=1)
    app_engine_http_request: target.AppEngineHttpRequest = proto.Field(
        proto.MESSAGE, number=2, oneof="message_type", message=target.AppEngineHttpRequest
    )
    http_request: target.HttpRequest = proto.Field(
        proto.MESSAGE, number=3, oneof="message_type", message=target.HttpRequest
    )
    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=4, message=timestamp_pb2.Timestamp
    )
    create_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=5, message=timestamp_pb2.Timestamp
    )
    dispatch_deadline: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=6, message=duration_pb2.Duration
    )
    dispatch_count: int = proto.Field(proto.INT32, number=7)
    response_count: int = proto.Field(proto.INT32, number=8)
    first_attempt: Attempt = proto.Field(proto.MESSAGE, number=9, message=Attempt)
    last_attempt: Attempt = proto.Field(proto.MESSAGE, number=10, message=Attempt)
    view: Task.View = proto.Field(proto.ENUM, number=11, enum=View)
    retry_config: queue.RetryConfig = proto.Field(
        proto.MESSAGE, number=12, message=queue.RetryConfig
    )


__all__ = tuple(sorted(__protobuf__.manifest))
