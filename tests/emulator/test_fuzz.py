"""Generated input at every RPC of every version: never UNKNOWN or INTERNAL, and a
refused call leaves the store exactly as it was.

A seeded loop (reproducible: the seed is in the failure message) builds
requests from each method's descriptor with hostile values, sends garbage
bytes and corrupted encodings, and talks to the server through a raw gRPC
channel so nothing on the client side filters the input.
"""

from __future__ import annotations

import math
import random
from typing import Any

import grpc
import pytest
from google.protobuf import duration_pb2
from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.message import Message

from google.cloud.tasks.emulator import Emulator, Settings
from google.cloud.tasks.emulator.service import model as m
from google.cloud.tasks.emulator.versions import versions

from .helpers import PARENT, QUEUE

SEED = 20240611
PULL = f"{PARENT}/queues/pull"
STRINGS = [
    "",
    PARENT,
    QUEUE,
    PULL,
    f"{QUEUE}/tasks/t1",
    f"{QUEUE}/tasks/bad id",
    f"{PULL}/tasks/p1",
    f"{PARENT}/queues/other",
    f"{PARENT}/cmekConfig",
    f"{PARENT}/operations/x",
    "projects/proj",
    "projects/proj/locations/us-central1/keyRings/r/cryptoKeys/k",
    "projects//locations//queues/",
    "state: PAUSED",
    'tag="a"',
    "tag_function=oldest_tag()",
    "https://example.com/x",
    "roles/viewer",
    "user:a@b.c",
    "cloudtasks.tasks.create",
    "rate_limits",
    "retry_config.max_attempts",
    "\u00e9\u2603\U0001f600",
    "x" * 600,
    "\x00",
    "../../etc/passwd",
]
INT32 = [0, 1, -1, 2, 7, 100, 1000, 1001, 5001, 2**31 - 1, -(2**31)]
INT64 = [*INT32, 2**63 - 1, -(2**63), 253402300800, -62135596801]
DOUBLES = [0.0, 0.5, 1.0, -1.0, 500.0, 501.0, math.nan, math.inf, -math.inf, 1e308]


def fill(msg: Message, rng: random.Random, depth: int = 0) -> None:
    """Set a random subset of ``msg``'s fields to hostile values."""
    for fd in msg.DESCRIPTOR.fields:
        if rng.random() < 0.45:
            continue
        if fd.message_type is not None:
            if fd.message_type.GetOptions().map_entry:
                target = getattr(msg, fd.name)
                for _ in range(rng.randint(0, 2)):
                    key = scalar(fd.message_type.fields_by_name["key"], rng)
                    value_fd = fd.message_type.fields_by_name["value"]
                    if value_fd.message_type is None:
                        target[key] = scalar(value_fd, rng)
                    elif depth < 3:
                        fill(target[key], rng, depth + 1)
            elif fd.is_repeated:
                for _ in range(rng.randint(0, 3)):
                    item = getattr(msg, fd.name).add()
                    if depth < 3:
                        fill(item, rng, depth + 1)
            elif depth < 4:
                child = getattr(msg, fd.name)
                child.SetInParent()
                fill(child, rng, depth + 1)
        elif fd.is_repeated:
            getattr(msg, fd.name).extend(scalar(fd, rng) for _ in range(rng.randint(0, 3)))
        else:
            setattr(msg, fd.name, scalar(fd, rng))


def scalar(fd: Any, rng: random.Random) -> Any:
    t = fd.type
    if t == FD.TYPE_STRING:
        return rng.choice(STRINGS)
    if t == FD.TYPE_BYTES:
        return rng.randbytes(rng.choice([0, 3, 64, 2000]))
    if t == FD.TYPE_BOOL:
        return rng.random() < 0.5
    if t in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
        return rng.choice(DOUBLES) if t == FD.TYPE_DOUBLE else rng.choice([0.0, 1.0, -1.0])
    if t == FD.TYPE_ENUM:
        return rng.choice([*fd.enum_type.values_by_number, -1, 99])
    if t in (FD.TYPE_INT64, FD.TYPE_SINT64, FD.TYPE_SFIXED64):
        return rng.choice(INT64)
    if t in (FD.TYPE_UINT32, FD.TYPE_FIXED32):
        return rng.choice([0, 1, 2**32 - 1])
    if t in (FD.TYPE_UINT64, FD.TYPE_FIXED64):
        return rng.choice([0, 1, 2**64 - 1])
    return rng.choice(INT32)


def _set(msg: Any, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    try:
        for name in parents:
            msg = getattr(msg, name)
        field = getattr(msg, leaf)
        if isinstance(field, Message):
            field.CopyFrom(value)
        elif isinstance(value, list):
            field.extend(value)
        else:
            setattr(msg, leaf, value)
    except (AttributeError, TypeError, ValueError):
        pass  # a field this version does not have


def template(rpc: str, rng: random.Random) -> list[tuple[str, Any]]:
    """Field settings that make a plausible, mostly valid request for ``rpc``."""
    queue = rng.choice([QUEUE, PULL])
    task = rng.choice([f"{QUEUE}/tasks/t1", f"{PULL}/tasks/p1", f"{QUEUE}/tasks/new"])
    lease = duration_pb2.Duration(seconds=rng.choice([1, 60, 600]))
    http = [("task.http_request.url", "https://example.com/x"), ("task.http_request.body", b"b")]
    pull = [("task.pull_message.payload", b"p"), ("task.pull_message.tag", "a")]
    table: dict[str, list[tuple[str, Any]]] = {
        "ListQueues": [("parent", PARENT), ("filter", rng.choice(["", "state: PAUSED"]))],
        "CreateQueue": [
            ("parent", PARENT),
            ("queue.name", f"{PARENT}/queues/n{rng.randrange(5)}"),
            ("queue.rate_limits.max_dispatches_per_second", 5.0),
        ],
        "UpdateQueue": [
            ("queue.name", queue),
            ("queue.retry_config.max_attempts", 3),
            ("update_mask.paths", [rng.choice(["retry_config", "rate_limits", "http_target"])]),
        ],
        "ListTasks": [("parent", queue), ("page_size", 1), ("response_view", 2)],
        "CreateTask": [("parent", queue), ("task.name", task), *(pull if queue == PULL else http)],
        "BatchCreateTasks": [("parent", QUEUE)],
        "BatchDeleteTasks": [("parent", QUEUE), ("names", [task])],
        "LeaseTasks": [("parent", PULL), ("max_tasks", 5), ("lease_duration", lease)],
        "RenewLease": [("name", f"{PULL}/tasks/p1"), ("lease_duration", lease)],
        "SetIamPolicy": [("resource", queue)],
        "TestIamPermissions": [("resource", queue), ("permissions", ["cloudtasks.queues.get"])],
        "GetIamPolicy": [("resource", queue)],
        "UpdateCmekConfig": [("cmek_config.name", f"{PARENT}/cmekConfig")],
        "GetCmekConfig": [("name", f"{PARENT}/cmekConfig")],
        "ListLocations": [("name", "projects/proj")],
        "GetLocation": [("name", f"{PARENT}")],
    }
    if rpc in table:
        return table[rpc]
    if rpc.endswith("Queue"):
        return [("name", queue)]
    return [("name", task), ("response_view", rng.choice([1, 2]))]


def mutate(msg: Message, rng: random.Random, depth: int = 0) -> None:
    """Replace one field somewhere in ``msg`` with a hostile value."""
    fields = list(msg.DESCRIPTOR.fields)
    if not fields:
        return
    fd = rng.choice(fields)
    if fd.message_type is not None and not fd.is_repeated and depth < 4:
        child = getattr(msg, fd.name)
        child.SetInParent()
        if rng.random() < 0.6:
            mutate(child, rng, depth + 1)
        else:
            fill(child, rng, depth + 1)
    elif fd.message_type is None and not fd.is_repeated:
        setattr(msg, fd.name, scalar(fd, rng))
    else:
        fill(msg, rng, depth)


def garbage(rng: random.Random, valid: bytes) -> bytes:
    """Bytes that are not a well-formed request (or barely are)."""
    choice = rng.randrange(5)
    if choice == 0:
        return rng.randbytes(rng.randint(1, 64))
    if choice == 1:
        return b"\x0a\x02\xff\xfe"  # field 1 as a string holding invalid UTF-8
    if choice == 2:
        return b"\x0a\x7f" + b"x" * 5  # a length past the end
    if choice == 3 and valid:
        data = bytearray(valid)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    return b"\x08" + b"\xff" * 11  # an overlong varint


def seed_state(emu: Emulator) -> None:
    client = emu.client()
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.create_task(
        parent=QUEUE, task={"name": f"{QUEUE}/tasks/t1", "http_request": {"url": "https://a.b/"}}
    )
    beta2 = emu.client("v2beta2")
    beta2.create_queue(parent=PARENT, queue={"name": PULL, "pull_target": {}})
    beta2.create_task(parent=PULL, task={"name": f"{PULL}/tasks/p1", "pull_message": {"tag": "a"}})


def consistent(emu: Emulator) -> None:
    assert emu.store is not None
    assert list(emu.store.integrity()) == []
    dump = emu.store.dump()
    for name, parent, state, body in dump["queues"]:
        q = m.Queue.FromString(body)
        assert q.name == name and name.startswith(str(parent) + "/queues/") and q.state == state
    for name, queue, _created, schedule, _tag, body, *_dispatch in dump["tasks"]:
        t = m.Task.FromString(body)
        assert t.name == name and name.startswith(str(queue) + "/tasks/")
        assert m.us_of(t.schedule_time) == schedule


def calls() -> list[tuple[str, Any]]:
    out: dict[str, Any] = {}
    for version in versions().values():
        for row in version.service.methods.values():
            out.setdefault(row.path, row.request if row.raw else row.request.pb())
    return sorted(out.items())


@pytest.mark.parametrize("path,request_type", calls(), ids=lambda v: str(v).rsplit("/", 1)[-1])
def test_generated_requests(path: str, request_type: Any) -> None:
    rng = random.Random(f"{SEED}:{path}")
    settings = Settings(queue_tombstone_seconds=0.0)
    with (
        Emulator(dispatch=False, settings=settings) as emu,
        grpc.insecure_channel(emu.host) as channel,
    ):
        seed_state(emu)
        call = channel.unary_unary(path)
        assert emu.store is not None
        for i in range(60):
            request = request_type()
            if i % 3 == 0:
                fill(request, rng)
            else:
                for field, value in template(path.rsplit("/", 1)[1], rng):
                    _set(request, field, value)
                if rng.random() < 0.7:
                    mutate(request, rng)
            data = request.SerializeToString()
            if i % 6 == 5:
                data = garbage(rng, data)
            before = emu.store.dump()
            try:
                call(data, timeout=10)
            except grpc.RpcError as error:
                code = error.code()
                assert code not in (grpc.StatusCode.UNKNOWN, grpc.StatusCode.INTERNAL), (
                    f"seed {SEED} {path} #{i}: {code} {error.details()} for {request}"
                )
                assert error.details(), f"{path} #{i}: {code} without a message"
                assert emu.store.dump() == before, f"{path} #{i}: a refused call changed state"
            consistent(emu)
