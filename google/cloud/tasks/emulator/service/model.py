"""The version-neutral model the emulator keeps, and its settings.

Queues and tasks are held as ``google.cloud.tasks.v2beta3`` protobuf messages:
that version's ``Queue`` and ``Task`` carry every field the three API versions
know (queue ``type`` for pull queues, ``task_ttl``, ``tombstone_ttl``, a task's
``pull_message`` with its tag, ``dispatch_deadline``, ``retry_config``), so each
version's view is a projection of one record.  The converters in
:mod:`.versions` do the projecting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from google.protobuf import duration_pb2, timestamp_pb2

from google.cloud.tasks_v2beta3.types import queue as _queue
from google.cloud.tasks_v2beta3.types import task as _task

Queue = _queue.Queue.pb()
RetryConfig = _queue.RetryConfig.pb()
Task = _task.Task.pb()

RUNNING, PAUSED, DISABLED = 1, 2, 3
PULL, PUSH = 1, 2
VIEW_BASIC, VIEW_FULL = 1, 2

#: the regions Cloud Tasks is offered in (its locations page), us-central1 first
DEFAULT_LOCATIONS = (
    "us-central1",
    *("us-east1", "us-east4", "us-east5", "us-south1"),
    *("us-west1", "us-west2", "us-west3", "us-west4"),
    *("northamerica-northeast1", "northamerica-northeast2"),
    *("southamerica-east1", "southamerica-west1"),
    *("europe-central2", "europe-north1", "europe-southwest1"),
    *("europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6"),
    *("europe-west8", "europe-west9", "europe-west10", "europe-west12"),
    *("asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3"),
    *("asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2"),
    *("australia-southeast1", "australia-southeast2"),
    *("me-central1", "me-central2", "me-west1", "africa-south1"),
)


@dataclass(frozen=True)
class Settings:
    """What a user may tune about the emulated service."""

    #: seconds a deleted queue's name stays unusable
    queue_tombstone_seconds: float = 60.0
    #: seconds a deleted (or acknowledged, or purged) task's name stays reserved
    task_tombstone_seconds: float = 3600.0
    #: location ids every project lists
    locations: tuple[str, ...] = field(default=DEFAULT_LOCATIONS)
    #: largest push task accepted, in bytes, measured complete as the service measures it
    #: (see :func:`.cloud_tasks.stored_size`): 1,048,569 on the real service
    max_task_bytes: int = 1_048_569
    #: largest serialized pull task accepted, in bytes
    max_pull_task_bytes: int = 1_000_000
    #: ``host:port`` App Engine tasks are sent to (their ``Host`` header adds the routing)
    app_engine_host: str = "localhost:8080"
    #: ``host:port`` of the Firebase Functions emulator, for firebase-admin tasks without a URL
    functions_host: str = "127.0.0.1:5001"


# -- time ------------------------------------------------------------------------------

MIN_SECONDS = -62135596800  # 0001-01-01T00:00:00Z
MAX_SECONDS = 253402300799  # 9999-12-31T23:59:59Z
MAX_DURATION_SECONDS = 315576000000


def now_us() -> int:
    """The current time in microseconds since the epoch."""
    return time.time_ns() // 1000


def us_of(ts: timestamp_pb2.Timestamp) -> int:
    """A timestamp as microseconds since the epoch."""
    return ts.seconds * 1_000_000 + ts.nanos // 1000


def set_us(ts: timestamp_pb2.Timestamp, us: int) -> None:
    """Set ``ts`` to ``us`` microseconds since the epoch."""
    seconds, micros = divmod(us, 1_000_000)
    ts.seconds = seconds
    ts.nanos = micros * 1000


def seconds_of(d: duration_pb2.Duration) -> float:
    """A duration in (fractional) seconds."""
    return d.seconds + d.nanos / 1e9


def set_seconds(d: duration_pb2.Duration, seconds: float) -> None:
    """Set ``d`` to ``seconds``."""
    whole = int(seconds)
    d.seconds = whole
    d.nanos = int(round((seconds - whole) * 1e9))


def timestamp_ok(ts: timestamp_pb2.Timestamp) -> bool:
    """Whether ``ts`` is a valid protobuf timestamp."""
    return MIN_SECONDS <= ts.seconds <= MAX_SECONDS and 0 <= ts.nanos <= 999_999_999


def duration_ok(d: duration_pb2.Duration) -> bool:
    """Whether ``d`` is a valid protobuf duration."""
    if not -MAX_DURATION_SECONDS <= d.seconds <= MAX_DURATION_SECONDS:
        return False
    if not -999_999_999 <= d.nanos <= 999_999_999:
        return False
    return not ((d.seconds > 0 and d.nanos < 0) or (d.seconds < 0 and d.nanos > 0))
