"""The fixed messages every benchmark exchanges, encoded by hand.

The server and the bare gRPC clients must not depend on either Cloud Tasks
library (ours or the reference), so the few messages they need are written
here straight in the protobuf wire format.  The field numbers are those of
``google/cloud/tasks/v2/{task,target,queue,cloudtasks}.proto``.
"""

from __future__ import annotations

import struct

SERVICE = "google.cloud.tasks.v2.CloudTasks"
CREATE_TASK = f"/{SERVICE}/CreateTask"
GET_QUEUE = f"/{SERVICE}/GetQueue"
GET_TASK = f"/{SERVICE}/GetTask"
LIST_TASKS = f"/{SERVICE}/ListTasks"
DELETE_TASK = f"/{SERVICE}/DeleteTask"

PARENT = "projects/bench-project/locations/us-central1/queues/bench-queue"
TASK_NAME = PARENT + "/tasks/0123456789abcdef"
#: loopback only (same length as the ``https://example.com/task-handler`` it replaced): no
#: benchmark may ever send traffic off this machine, even by mistake
URL = "https://127.0.0.1:9/task-handler"
BODY = b'{"job": "resize", "image": "gs://bench-bucket/cat.jpg", "sizes": [64, 128, 256]}'

_VARINT, _FIXED64, _LENGTH = 0, 1, 2
_POST = 1  # HttpMethod.POST
_BASIC = 1  # Task.View.BASIC
_RUNNING = 1  # Queue.State.RUNNING


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        low, value = value & 0x7F, value >> 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _key(number: int, wire_type: int) -> bytes:
    return _varint(number << 3 | wire_type)


def _bytes(number: int, value: bytes | str) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return _key(number, _LENGTH) + _varint(len(data)) + data


def _int(number: int, value: int) -> bytes:
    return _key(number, _VARINT) + _varint(value)


def _double(number: int, value: float) -> bytes:
    return _key(number, _FIXED64) + struct.pack("<d", value)


def _time(number: int, seconds: int, nanos: int = 0) -> bytes:
    """A ``Timestamp`` or ``Duration`` field (both are ``seconds = 1, nanos = 2``)."""
    return _bytes(number, _int(1, seconds) + (_int(2, nanos) if nanos else b""))


def http_request() -> bytes:
    """``HttpRequest(url=URL, http_method=POST, body=BODY)``."""
    return _bytes(1, URL) + _int(2, _POST) + _bytes(4, BODY)


def create_task_request() -> bytes:
    """What ``create_task(parent=PARENT, task=Task(http_request=...))`` puts on the wire."""
    return _bytes(1, PARENT) + _bytes(2, _bytes(3, _bytes(1, URL) + _bytes(4, BODY)))


def task() -> bytes:
    """The task a real service would answer ``create_task`` with."""
    return (
        _bytes(1, TASK_NAME)
        + _bytes(3, http_request())
        + _time(4, 1_767_225_600, 123_000_000)  # schedule_time
        + _time(5, 1_767_225_600, 123_000_000)  # create_time
        + _time(6, 600)  # dispatch_deadline
        + _int(11, _BASIC)  # view
    )


def queue() -> bytes:
    """A running queue with its rate limits and retry settings, as ``get_queue`` answers."""
    rate_limits = _double(1, 500.0) + _int(2, 100) + _int(3, 1000)
    retry_config = _int(1, 100) + _time(2, 3600) + _time(3, 0, 100_000_000) + _time(4, 3600)
    retry_config += _int(5, 16)
    return (
        _bytes(1, PARENT)
        + _bytes(3, rate_limits)
        + _bytes(4, retry_config)
        + _int(5, _RUNNING)
        + _bytes(9, _double(1, 1.0))  # stackdriver_logging_config.sampling_ratio
    )


def list_tasks_response() -> bytes:
    """A first (and last) page of three tasks, as ``list_tasks`` answers."""
    return _bytes(1, task()) * 3


def name_request(name: str) -> bytes:
    """``Get/List/Delete...Request(name or parent=name)``: field 1 is the name in each."""
    return _bytes(1, name)


#: gRPC method path -> the constant answer the benchmark server gives
ANSWERS: dict[str, bytes] = {
    CREATE_TASK: task(),
    GET_QUEUE: queue(),
    GET_TASK: task(),
    LIST_TASKS: list_tasks_response(),
    DELETE_TASK: b"",
}
