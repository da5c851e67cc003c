"""No input gets a 5xx from the HTTP side, and every 4xx is Google's JSON error format with a
google.rpc status name: JSON no text encoding can carry, numbers no field can hold, verbs a
path has no binding for, URLs and requests aiohttp cannot parse."""

from __future__ import annotations

import json
import logging
import socket
from typing import Any

import pytest
import requests

from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE

JSON = {"Content-Type": "application/json"}
URL = "http://127.0.0.1:9/"


def _error(answer: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    error: dict[str, Any] = answer.json()["error"]
    assert error["code"] == status and error["status"] == code
    return error


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (f"/v2/{QUEUE}/tasks", b'{"\\ud800": 1}'),
        (f"/v2/{QUEUE}/tasks", b'{"task": {"name": "x\\udfff"}}'),
        (f"/v2/{QUEUE}/tasks", b'{"task": {"httpRequest": {"headers": {"\\udc80a": "b"}}}}'),
        (f"/v2/{QUEUE}/tasks", b'{"task": {"httpRequest": {"url": ["\\ud83d"]}}}'),
        (f"/v2/{QUEUE}/tasks", b'{"task": {"name": "\xed\xa0\x80"}}'),  # UTF-8 of a surrogate
        (f"/v2/{QUEUE}/tasks", b'{"responseView": 1e400}'),
        (f"/v2/{QUEUE}/tasks", b'{"responseView": -1e400}'),
        (f"/v2/{QUEUE}/tasks", b'{"responseView": NaN}'),
        (f"/v2/{QUEUE}/tasks", b'{"responseView": ' + b"9" * 5000 + b"}"),
        (f"/v2/{QUEUE}/tasks", b'{"responseView": ' + b"9" * 4000 + b"}"),
        (f"/v2/{PARENT}/queues", b'{"rateLimits": {"maxDispatchesPerSecond": Infinity}}'),
        (f"/v2/{PARENT}/queues", b'{"retryConfig": {"maxAttempts": 1e400}}'),
        (f"/v2/{PARENT}/queues", b'{"name": {"\\ud800": []}}'),
        ("/_emulator/reset", b'{"project": "\\ud800"}'),
        ("/_emulator/reset", b'{"project": NaN}'),
        (f"/{QUEUE}/tasks", b'{"task": {"httpRequest": {"url": "\\ud800"}}}'),  # firebase-admin
        (f"/{QUEUE}/tasks", b'{"task": {"scheduleTime": 1e400}}'),
    ],
)
def test_json_no_field_can_hold_is_invalid_argument(emu: Emulator, path: str, body: bytes) -> None:
    requests.post(f"{emu.http_url}/v2/{PARENT}/queues", json={"name": QUEUE}, timeout=5)
    answer = requests.post(emu.http_url + path, data=body, headers=JSON, timeout=5)
    error = _error(answer, 400, "INVALID_ARGUMENT")
    assert error["message"].startswith("Invalid JSON payload received.")


def test_a_surrogate_pair_is_a_character_like_any_other(emu: Emulator) -> None:
    requests.post(f"{emu.http_url}/v2/{PARENT}/queues", json={"name": QUEUE}, timeout=5)
    body = b'{"task": {"httpRequest": {"url": "%s", "headers": {"X-Face": "\\ud83d\\ude00"}}}}'
    answer = requests.post(
        f"{emu.http_url}/v2/{QUEUE}/tasks", data=body % URL.encode(), headers=JSON, timeout=5
    )
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    ("verb", "path"),
    [("DELETE", f"/v2/{PARENT}/queues"), ("PUT", f"/v2/{QUEUE}"), ("POST", f"/v2/{QUEUE}/tasks/t")],
)
def test_a_verb_a_path_has_no_binding_for_is_not_found(emu: Emulator, verb: str, path: str) -> None:
    answer = requests.request(verb, emu.http_url + path, headers=JSON, timeout=5)
    assert "was not found" in _error(answer, 404, "NOT_FOUND")["message"]


def test_urls_up_to_64_kib_reach_the_service(emu: Emulator) -> None:
    requests.post(f"{emu.http_url}/v2/{PARENT}/queues", json={"name": QUEUE}, timeout=5)
    task_id = "a" * 60_000
    answer = requests.get(f"{emu.http_url}/v2/{QUEUE}/tasks/{task_id}", timeout=5)
    assert _error(answer, 400, "INVALID_ARGUMENT")["message"].startswith('Task ID "aaaa')
    answer = requests.get(f"{emu.http_url}/v2/{QUEUE}/tasks/{'a' * 70_000}", timeout=5)
    assert "65536 bytes" in _error(answer, 400, "INVALID_ARGUMENT")["message"]


def _raw(emu: Emulator, data: bytes) -> tuple[int, dict[str, Any]]:
    host, port = emu.http_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in head.lower(), answer[:300]
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize(
    "data",
    [
        b"BREW /pot HTCPCP/1.0\r\n\r\n",
        b"\x00\xff\x13 garbage\r\n\r\n",
        b"GET /v2/\xff\xfe HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\n"
        + b"".join(b"X%d: y\r\n" % i for i in range(200))
        + b"\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
        b"POST /v2/" + QUEUE.encode() + b"/tasks HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n",
    ],
    ids=[
        "method",
        "garbage",
        "url bytes",
        "long header",
        "headers",
        "no colon",
        "length",
        "chunk",
    ],
)
def test_requests_that_cannot_be_parsed_get_json_400(emu: Emulator, data: bytes) -> None:
    status, body = _raw(emu, data)
    assert status == 400 and body["error"]["status"] == "INVALID_ARGUMENT"
    assert body["error"]["code"] == 400


def test_a_request_no_route_takes_gets_json_404(emu: Emulator) -> None:
    status, body = _raw(emu, b"OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert status == 404 and body["error"]["status"] == "NOT_FOUND"


def test_a_refused_oversize_body_is_logged(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="google.cloud.tasks.emulator")
    big = b'{"name": "' + b"a" * (33 << 20) + b'"}'
    answer = requests.post(f"{emu.http_url}/v2/{PARENT}/queues", data=big, headers=JSON, timeout=30)
    assert "size exceeds" in _error(answer, 400, "INVALID_ARGUMENT")["message"]
    refusals = [r.getMessage() for r in caplog.records if "size exceeds" in r.getMessage()]
    assert len(refusals) == 1 and refusals[0].startswith(f"POST /v2/{PARENT}/queues -> ")
