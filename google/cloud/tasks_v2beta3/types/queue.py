"""The v2beta3 queue and its rate, retry, logging and statistics messages.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

import proto
from google.protobuf import duration_pb2, timestamp_pb2

from google.cloud.tasks_v2beta3.types import target

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta3",
    manifest={
        "Queue",
        "RateLimits",
        "RetryConfig",
        "StackdriverLoggingConfig",
        "QueueStats",
    },
)


class RateLimits(proto.Message):
    """How fast a queue dispatches tasks; RunTask ignores these limits.

    Attributes:
        max_dispatches_per_second (float):
            Rate at which dispatch tokens are added; default and maximum 500.
        max_burst_size (int):
            Size of the token bucket; chosen by the service from the rate (``bucket_size``
            for queue.yaml queues).
        max_concurrent_dispatches (int):
            Most tasks in flight at once; default 1000, maximum 5000.
    """

    max_dispatches_per_second: float = proto.Field(proto.DOUBLE, number=1)
    max_burst_size: int = proto.Field(proto.INT32, number=2)
    max_concurrent_dispatches: int = proto.Field(proto.INT32, number=3)


class RetryConfig(proto.Message):
    """When a failed task is tried again; unset fields get the defaults below.

    The n-th retry waits ``min_backoff * 2**(n-1)`` for the first ``max_doublings`` retries,
    then grows linearly, never beyond ``max_backoff``. A task fails for good once it has
    used ``max_attempts`` and, if ``max_retry_duration`` is set, that long has passed since
    its first attempt.

    Attributes:
        max_attempts (int):
            Attempts allowed, the first included; default 100, ``-1`` unlimited.
        max_retry_duration (Duration):
            Time limit for retrying, counted from the first attempt; 0 (the default) means
            no limit.
        min_backoff (Duration):
            Shortest wait before a retry; default 0.1 s.
        max_backoff (Duration):
            Longest wait before a retry; default 3600 s.
        max_doublings (int):
            How many times the wait doubles before it grows linearly; default 16.
    """

    max_attempts: int = proto.Field(proto.INT32, number=1)
    max_retry_duration: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=2, message=duration_pb2.Duration
    )
    min_backoff: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=3, message=duration_pb2.Duration
    )
    max_backoff: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=4, message=duration_pb2.Duration
    )
    max_doublings: int = proto.Field(proto.INT32, number=5)


class StackdriverLoggingConfig(proto.Message):
    """Cloud Logging of a queue's task operations.

    Attributes:
        sampling_ratio (float):
            Share of operations logged, from 0.0 (the default: none) to 1.0 (all).
    """

    sampling_ratio: float = proto.Field(proto.DOUBLE, number=1)


class QueueStats(proto.Message):
    """Live, approximate figures about a queue; every field is output only.

    Attributes:
        tasks_count (int):
            Tasks in the queue.
        oldest_estimated_arrival_time (Timestamp):
            Schedule time of the oldest task; unset when the queue is empty.
        executed_last_minute_count (int):
            Tasks that finished (successfully or for good) in the last minute.
        concurrent_dispatches_count (int):
            Tasks dispatched and still waiting for an answer.
        effective_execution_rate (float):
            Current dispatch rate in tasks per second; may be below the configured maximum.
    """

    tasks_count: int = proto.Field(proto.INT64, number=1)
    oldest_estimated_arrival_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=2, message=timestamp_pb2.Timestamp
    )
    executed_last_minute_count: int = proto.Field(proto.INT64, number=3)
    concurrent_dispatches_count: int = proto.Field(proto.INT64, number=4)
    effective_execution_rate: float = proto.Field(proto.DOUBLE, number=5)


class Queue(proto.Message):
    """A named set of tasks sharing rate limits, a retry policy and target overrides.

    Attributes:
        name (str):
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``, QUEUE_ID being
            1-100 letters, digits or hyphens; fixed once created.
        app_engine_http_queue (AppEngineHttpQueue):
            Settings for App Engine tasks; one of ``queue_type``.
        http_target (HttpTarget):
            When set, overrides the URL, method, headers or token of every HTTP task in the
            queue.
        rate_limits (RateLimits):
            Dispatch rate and concurrency.
        retry_config (RetryConfig):
            Retry policy for failed attempts; a task's own ``retry_config`` wins.
        state (Queue.State):
            Output only. ``RUNNING`` once created; changed by PauseQueue and ResumeQueue.
        purge_time (Timestamp):
            Output only. Time of the last PurgeQueue; tasks created before it are gone.
        task_ttl (Duration):
            How long a task is kept after creation, dispatched or not (default 31 days).
        tombstone_ttl (Duration):
            How long a finished or deleted task's name stays reserved (default 1 hour).
        stackdriver_logging_config (StackdriverLoggingConfig):
            Cloud Logging settings; unset means nothing is logged.
        type_ (Queue.Type):
            ``PUSH`` (the default) or ``PULL``; fixed once created. Named ``type`` on the
            wire and in JSON.
        stats (QueueStats):
            Output only. Live statistics, returned only when ``read_mask`` asks for
            ``stats``.
    """

    class State(proto.Enum):
        """Whether a queue dispatches tasks.

        Values:
            STATE_UNSPECIFIED (0): Not set.
            RUNNING (1): Tasks are dispatched (or leased).
            PAUSED (2): Tasks can be added but are not dispatched.
            DISABLED (3): Left out of an uploaded queue.yaml; tasks can be added but are not
                dispatched.
        """

        STATE_UNSPECIFIED = 0
        RUNNING = 1
        PAUSED = 2
        DISABLED = 3

    class Type(proto.Enum):
        """Whether a queue pushes its tasks or holds them for pulling.

        Values:
            TYPE_UNSPECIFIED (0): Not set; treated as ``PUSH``.
            PULL (1): Tasks carry a ``PullMessage`` and are not dispatched.
            PUSH (2): Tasks are dispatched to their HTTP or App Engine target.
        """

        TYPE_UNSPECIFIED = 0
        PULL = 1
        PUSH = 2

    name: str = proto.Field(proto.STRING, number=1)
    app_engine_http_queue: target.AppEngineHttpQueue = proto.Field(
        proto.MESSAGE, number=3, oneof="queue_type", message=target.AppEngineHttpQueue
    )
    http_target: target.HttpTarget = proto.Field(
        proto.MESSAGE, number=13, message=target.HttpTarget
    )
    rate_limits: RateLimits = proto.Field(proto.MESSAGE, number=4, message=RateLimits)
    retry_config: RetryConfig = proto.Field(proto.MESSAGE, number=5, message=RetryConfig)
    state: Queue.State = proto.Field(proto.ENUM, number=6, enum=State)
    purge_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=7, message=timestamp_pb2.Timestamp
    )
    task_ttl: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=8, message=duration_pb2.Duration
    )
    tombstone_ttl: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=9, message=duration_pb2.Duration
    )
    stackdriver_logging_config: StackdriverLoggingConfig = proto.Field(
        proto.MESSAGE, number=10, message=StackdriverLoggingConfig
    )
    type_: Queue.Type = proto.Field(proto.ENUM, number=11, enum=Type)
    stats: QueueStats = proto.Field(proto.MESSAGE, number=12, message=QueueStats)


__all__ = tuple(sorted(__protobuf__.manifest))
