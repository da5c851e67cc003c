"""Generated input at every RPC of every version: never UNKNOWN or INTERNAL, and a
refused call leaves the store exactly as it was.

A seeded loop (reproducible: the seed is in the failure message) builds
requests from each method's descriptor with hostile values, sends garbage
bytes and corrupted encodings, and talks to the server through a raw gRPC
channel so nothing on the client side filters the input.
"""

from __future__ import annotations

import json
import math
import random
import re
import socket
from typing import Any

import grpc
import pytest
import requests
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


# -- the REST side ----------------------------------------------------------------------------

#: JSON values no field should make the HTTP side fail on
HOSTILE_JSON = [
    *("NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0", "0.5"),
    *("9" * 5000, "9" * 400, "18446744073709551616", "-9223372036854775809"),
    *('"\\ud800"', '"a\\udfff"', '"\\ud83d\\ude00"', '"\\u0000\\u0001"', '"1e400"', '"NaN"'),
    *("[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000),
    *("null", "true", "[]", "{}", '""', '{"\\ud800": 1}', '[1, "\\ud800"]', '"x"'),
    '"' + "\u00e9" * 300 + '"',
]
#: every google.rpc status name
RPC_NAMES = frozenset(code.name for code in grpc.StatusCode)
_SAMPLE = {"projects": "proj", "locations": "us-central1", "queues": "q", "tasks": "t1"}


def _concrete(uri: str) -> str:
    """A URI template with its variables filled in with the seeded state's names."""

    def fill_in(match: re.Match[str]) -> str:
        parts = (match.group(2) or "*").split("/")
        return "/".join(
            _SAMPLE.get(parts[at - 1], "x") if part in ("*", "**") else part
            for at, part in enumerate(parts)
        )

    return re.sub(r"\{([^}=]+)(?:=([^}]*))?\}", fill_in, uri)


def _hostile_object(descriptor: Any, rng: random.Random, depth: int = 0) -> str:
    """JSON text of an object whose fields (by JSON or proto name) hold hostile values."""
    items = []
    for fd in rng.sample(list(descriptor.fields), min(3, len(descriptor.fields))):
        name = rng.choice([fd.json_name, fd.name])
        if fd.message_type is not None and depth < 3 and rng.random() < 0.5:
            value = _hostile_object(fd.message_type, rng, depth + 1)
        else:
            value = rng.choice(HOSTILE_JSON)
        items.append(f'"{name}": {value}')
    if rng.random() < 0.2:
        stranger = rng.choice(['"\\ud800"', '"nme"', '"a.b"'])
        items.append(f"{stranger}: {rng.choice(HOSTILE_JSON)}")
    return "{" + ", ".join(items) + "}"


def _json_error(answer: Any, what: str) -> None:
    assert answer.status_code < 500, f"{what}: {answer.status_code} {answer.text[:300]}"
    if answer.status_code >= 400 and answer.request.method != "HEAD":
        error = answer.json()["error"]
        assert error["code"] == answer.status_code and error["status"] in RPC_NAMES, what


def rest_bindings() -> list[tuple[str, str, str | None, Any]]:
    out: dict[tuple[str, str], tuple[str, str, str | None, Any]] = {}
    for version in versions().values():
        for row in version.service.methods.values():
            for rule in row.http:
                key = (rule.method.upper(), rule.uri)
                out.setdefault(key, (*key, rule.body, row.request_pb.DESCRIPTOR))
    return sorted(out.values(), key=lambda binding: binding[:2])


@pytest.fixture(scope="module")
def rest_emulator() -> Any:
    with Emulator(dispatch=False, settings=Settings(queue_tombstone_seconds=0.0)) as emu:
        seed_state(emu)
        yield emu


@pytest.mark.parametrize(
    "verb,uri,body,descriptor", rest_bindings(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_hostile_rest_requests(
    rest_emulator: Emulator, verb: str, uri: str, body: str | None, descriptor: Any
) -> None:
    rng = random.Random(f"{SEED}:{verb}:{uri}")
    url = rest_emulator.http_url + _concrete(uri)
    json_type = {"Content-Type": "application/json"}
    with requests.Session() as session:
        for i in range(12):
            if i % 4 == 0:
                data = rng.randbytes(rng.randint(1, 300))
            else:
                data = _hostile_object(descriptor, rng).encode()
            params = {}
            if rng.random() < 0.4:
                fd = rng.choice(list(descriptor.fields))
                params[rng.choice([fd.json_name, fd.name, "a.b", "$alt"])] = rng.choice(
                    ["1e400", "-1", "abc", "\u00e9", "x" * 3000, "true", "FULL", "99999999999"]
                )
            answer = session.request(
                verb, url, data=data if body else None, params=params, headers=json_type, timeout=10
            )
            _json_error(answer, f"seed {SEED} {verb} {uri} #{i}: {data[:120]!r} {params}")


@pytest.mark.parametrize(
    "path",
    ["/_emulator/reset", f"/{QUEUE}/tasks", f"/v2/{QUEUE}/tasks:buffer", f"/{QUEUE}/tasks/t1"],
)
def test_hostile_rest_requests_beyond_the_tables(rest_emulator: Emulator, path: str) -> None:
    rng = random.Random(f"{SEED}:{path}")
    with requests.Session() as session:
        for i in range(20):
            first, second = rng.sample(HOSTILE_JSON, 2)
            data = [
                rng.randbytes(rng.randint(1, 300)),
                b'{"project": ' + first.encode() + b', "task": ' + second.encode() + b"}",
                b'{"task": {"httpRequest": {"url": ' + first.encode() + b"}}}",
            ][i % 3]
            verb = "DELETE" if path.endswith("/t1") else "POST"
            answer = session.request(
                verb,
                rest_emulator.http_url + path,
                data=data,
                headers={"Content-Type": "application/json", "X-Odd": "\u00e9\u00e8"},
                timeout=10,
            )
            _json_error(answer, f"seed {SEED} {path} #{i}: {data[:120]!r}")


ODD_REQUESTS = [
    b"GET http://localhost/v2/" + QUEUE.encode() + b" HTTP/1.1",
    b"OPTIONS * HTTP/1.1",
    b"CONNECT localhost:443 HTTP/1.1",
    b"GET /v2/%zz HTTP/1.1",
    b"GET /v2/%FF%FE/x HTTP/1.1",
    b"GET /v2/projects/%ED%A0%80/locations/l/queues HTTP/1.1",
    b"GET /v2/\xc3\xa9 HTTP/1.1",
    b"GET /v2/\x00 HTTP/1.1",
    b"GET //// HTTP/1.1",
    b"get / HTTP/1.1",
    b"GET / HTTP/1.2",
    b"GET / HTTP/9.9",
    b"GET / HTTP/1.1 extra",
    b"M" * 5000 + b" / HTTP/1.1",
    b"GET /v2/" + b"a" * 70_000 + b" HTTP/1.1",
    b"DELETE /v2/" + PARENT.encode() + b"/queues HTTP/1.1",
    b"TRACE / HTTP/1.1",
    b"GET /_emulator/queues/%ED%A0%80/tasks HTTP/1.1",
    b"GET /_emulator/nothing HTTP/1.1",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
]


@pytest.mark.parametrize("line", ODD_REQUESTS, ids=lambda line: repr(line[:24]))
def test_odd_request_lines_get_json_errors(rest_emulator: Emulator, line: bytes) -> None:
    host, port = rest_emulator.http_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(line + b"\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    assert status < 500, answer[:300]
    if status >= 400:
        error = json.loads(body)["error"]
        assert error["code"] == status and error["status"] in RPC_NAMES
