"""The v2beta3 task and the record of its dispatch attempts.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

import proto
from google.protobuf import duration_pb2, timestamp_pb2
from google.rpc import status_pb2

from google.cloud.tasks_v2beta3.types import queue, target

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta3",
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
            Output only. The outcome as an RPC status; unset until the attempt has ended.
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
    """A unit of work that Cloud Tasks dispatches on schedule and retries until it succeeds.

    Exactly one of ``app_engine_http_request``, ``http_request`` and ``pull_message`` (the
    ``payload_type`` oneof) says what the task carries.

    Attributes:
        name (str):
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID``,
            TASK_ID being 1-500 letters, digits, ``-`` or ``_``. Leave empty on create to
            get a generated id.
        app_engine_http_request (AppEngineHttpRequest):
            Request sent to App Engine; one of ``payload_type``.
        http_request (HttpRequest):
            Request sent to an HTTP endpoint; one of ``payload_type``.
        pull_message (PullMessage):
            Payload for a pull queue; one of ``payload_type``.
        schedule_time (Timestamp):
            When the task should be attempted next; defaults to now and may be at most 30
            days ahead.
        create_time (Timestamp):
            Output only. When the task was created.
        dispatch_deadline (Duration):
            How long to wait for the handler's answer; HTTP targets allow 15 s to 30 min,
            default 10 min.
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
            BASIC (1): Everything but the request body or payload.
            FULL (2): Everything; needs the ``cloudtasks.tasks.fullView`` permission.
        """

        VIEW_UNSPECIFIED = 0
        BASIC = 1
        FULL = 2

    name: str = proto.Field(proto.STRING, number=1)
    app_engine_http_request: target.AppEngineHttpRequest = proto.Field(
        proto.MESSAGE, number=3, oneof="payload_type", message=target.AppEngineHttpRequest
    )
    http_request: target.HttpRequest = proto.Field(
        proto.MESSAGE, number=11, oneof="payload_type", message=target.HttpRequest
    )
    pull_message: target.PullMessage = proto.Field(
        proto.MESSAGE, number=13, oneof="payload_type", message=target.PullMessage
    )
    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=4, message=timestamp_pb2.Timestamp
    )
    create_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=5, message=timestamp_pb2.Timestamp
    )
    dispatch_deadline: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=12, message=duration_pb2.Duration
    )
    dispatch_count: int = proto.Field(proto.INT32, number=6)
    response_count: int = proto.Field(proto.INT32, number=7)
    first_attempt: Attempt = proto.Field(proto.MESSAGE, number=8, message=Attempt)
    last_attempt: Attempt = proto.Field(proto.MESSAGE, number=9, message=Attempt)
    view: Task.View = proto.Field(proto.ENUM, number=10, enum=View)
    retry_config: queue.RetryConfig = proto.Field(
        proto.MESSAGE, number=14, message=queue.RetryConfig
    )


__all__ = tuple(sorted(__protobuf__.manifest))
