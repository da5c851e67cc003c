"""The v2beta2 task and the status of its dispatch attempts.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

import proto
from google.protobuf import timestamp_pb2
from google.rpc import status_pb2

from google.cloud.tasks_v2beta2.types import target

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta2",
    manifest={
        "Task",
        "TaskStatus",
        "AttemptStatus",
    },
)


class AttemptStatus(proto.Message):
    """One dispatch of a task and its outcome; every field is output only.

    Attributes:
        schedule_time (Timestamp):
            When the attempt was scheduled.
        dispatch_time (Timestamp):
            When the request was sent.
        response_time (Timestamp):
            When the answer (or the failure) came back.
        response_status (google.rpc.status_pb2.Status):
            The outcome as an RPC status; unset until the attempt has ended.
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


class TaskStatus(proto.Message):
    """Dispatch record of a push task; every field is output only.

    Attributes:
        attempt_dispatch_count (int):
            Attempts made so far.
        attempt_response_count (int):
            Attempts that got an answer from the handler.
        first_attempt_status (AttemptStatus):
            The first attempt; only ``dispatch_time`` is kept.
        last_attempt_status (AttemptStatus):
            The latest attempt.
    """

    attempt_dispatch_count: int = proto.Field(proto.INT32, number=1)
    attempt_response_count: int = proto.Field(proto.INT32, number=2)
    first_attempt_status: AttemptStatus = proto.Field(
        proto.MESSAGE, number=3, message=AttemptStatus
    )
    last_attempt_status: AttemptStatus = proto.Field(proto.MESSAGE, number=4, message=AttemptStatus)


class Task(proto.Message):
    """A unit of work: pushed to a target on schedule, or leased by a worker.

    Exactly one of ``app_engine_http_request``, ``pull_message`` and ``http_request`` (the
    ``payload_type`` oneof) says what the task carries.

    Attributes:
        name (str):
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID``,
            TASK_ID being 1-500 letters, digits, ``-`` or ``_``. Leave empty on create to
            get a generated id.
        app_engine_http_request (AppEngineHttpRequest):
            Request sent to App Engine; one of ``payload_type``.
        pull_message (PullMessage):
            Payload for a pull queue; one of ``payload_type``.
        http_request (HttpRequest):
            Request sent to an HTTP endpoint; one of ``payload_type``.
        schedule_time (Timestamp):
            When the task is due; defaults to now, at most 30 days ahead. For a leased pull
            task, the lease's expiry.
        create_time (Timestamp):
            Output only. When the task was created.
        status (TaskStatus):
            Output only. Attempt counts and outcomes (push tasks).
        view (Task.View):
            Output only. Which view this copy of the task was returned in.
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
    pull_message: target.PullMessage = proto.Field(
        proto.MESSAGE, number=4, oneof="payload_type", message=target.PullMessage
    )
    http_request: target.HttpRequest = proto.Field(
        proto.MESSAGE, number=13, oneof="payload_type", message=target.HttpRequest
    )
    schedule_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=5, message=timestamp_pb2.Timestamp
    )
    create_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=6, message=timestamp_pb2.Timestamp
    )
    status: TaskStatus = proto.Field(proto.MESSAGE, number=7, message=TaskStatus)
    view: Task.View = proto.Field(proto.ENUM, number=8, enum=View)


__all__ = tuple(sorted(__protobuf__.manifest))
