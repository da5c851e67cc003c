"""The v2beta2 queue and its rate, retry and statistics messages.

Timestamp fields read back as ``DatetimeWithNanoseconds`` and Duration fields
as ``datetime.timedelta``; both also accept the protobuf types.
"""

from __future__ import annotations

import proto
from google.protobuf import duration_pb2, timestamp_pb2

from google.cloud.tasks_v2beta2.types import target

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta2",
    manifest={
        "Queue",
        "RateLimits",
        "RetryConfig",
        "QueueStats",
    },
)


class RateLimits(proto.Message):
    """How fast a queue dispatches tasks; RunTask ignores these limits.

    Attributes:
        max_tasks_dispatched_per_second (float):
            Rate at which tasks are dispatched; at most 500 for App Engine queues. Output
            only for pull queues.
        max_burst_size (int):
            Size of the token bucket; chosen by the service from the rate (``bucket_size``
            for queue.yaml queues).
        max_concurrent_tasks (int):
            Most tasks in flight at once, at most 5000. Output only for pull queues, where
            it is -1 (no limit).
    """

    max_tasks_dispatched_per_second: float = proto.Field(proto.DOUBLE, number=1)
    max_burst_size: int = proto.Field(proto.INT32, number=2)
    max_concurrent_tasks: int = proto.Field(proto.INT32, number=3)


class RetryConfig(proto.Message):
    """When a failed task is tried again; unset fields get the service's defaults.

    The n-th retry waits ``min_backoff * 2**(n-1)`` for the first ``max_doublings`` retries,
    then grows linearly, never beyond ``max_backoff``. For pull queues only the attempt
    count applies; the other fields are output only.

    Attributes:
        max_attempts (int):
            Attempts allowed, the first included; must be above 0. One of ``num_attempts``.
        unlimited_attempts (bool):
            True for no attempt limit; one of ``num_attempts``.
        max_retry_duration (Duration):
            Time limit for retrying, counted from the first attempt; 0 means no limit. Whole
            seconds.
        min_backoff (Duration):
            Shortest wait before a retry; whole seconds.
        max_backoff (Duration):
            Longest wait before a retry; whole seconds.
        max_doublings (int):
            How many times the wait doubles before it grows linearly.
    """

    max_attempts: int = proto.Field(proto.INT32, number=1, oneof="num_attempts")
    unlimited_attempts: bool = proto.Field(proto.BOOL, number=2, oneof="num_attempts")
    max_retry_duration: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=3, message=duration_pb2.Duration
    )
    min_backoff: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=4, message=duration_pb2.Duration
    )
    max_backoff: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=5, message=duration_pb2.Duration
    )
    max_doublings: int = proto.Field(proto.INT32, number=6)


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
    """A named set of tasks sharing a target, rate limits and a retry policy.

    Exactly one of ``app_engine_http_target``, ``pull_target`` and ``http_target`` (the
    ``target_type`` oneof) says what kind of queue it is.

    Attributes:
        name (str):
            ``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``, QUEUE_ID being
            1-100 letters, digits or hyphens; fixed once created.
        app_engine_http_target (AppEngineHttpTarget):
            Makes this an App Engine push queue; one of ``target_type``.
        pull_target (PullTarget):
            Makes this a pull queue whose tasks workers lease; one of ``target_type``.
        http_target (HttpTarget):
            Makes this an HTTP push queue with overrides for every task; one of
            ``target_type``.
        rate_limits (RateLimits):
            Dispatch rate and concurrency.
        retry_config (RetryConfig):
            Retry policy for failed attempts.
        state (Queue.State):
            Output only. ``RUNNING`` once created; changed by PauseQueue and ResumeQueue.
        purge_time (Timestamp):
            Output only. Time of the last PurgeQueue; tasks created before it are gone.
        task_ttl (Duration):
            How long a task is kept after creation, dispatched or not (default 31 days).
        tombstone_ttl (Duration):
            How long a finished or deleted task's name stays reserved (default 1 hour).
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

    name: str = proto.Field(proto.STRING, number=1)
    app_engine_http_target: target.AppEngineHttpTarget = proto.Field(
        proto.MESSAGE, number=3, oneof="target_type", message=target.AppEngineHttpTarget
    )
    pull_target: target.PullTarget = proto.Field(
        proto.MESSAGE, number=4, oneof="target_type", message=target.PullTarget
    )
    http_target: target.HttpTarget = proto.Field(
        proto.MESSAGE, number=17, oneof="target_type", message=target.HttpTarget
    )
    rate_limits: RateLimits = proto.Field(proto.MESSAGE, number=5, message=RateLimits)
    retry_config: RetryConfig = proto.Field(proto.MESSAGE, number=6, message=RetryConfig)
    state: Queue.State = proto.Field(proto.ENUM, number=7, enum=State)
    purge_time: timestamp_pb2.Timestamp = proto.Field(
        proto.MESSAGE, number=8, message=timestamp_pb2.Timestamp
    )
    task_ttl: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=9, message=duration_pb2.Duration
    )
    tombstone_ttl: duration_pb2.Duration = proto.Field(
        proto.MESSAGE, number=10, message=duration_pb2.Duration
    )
    stats: QueueStats = proto.Field(proto.MESSAGE, number=16, message=QueueStats)


__all__ = tuple(sorted(__protobuf__.manifest))
