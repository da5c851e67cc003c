"""A large request holds up neither other REST calls nor deliveries.

Over REST the event loop only moves bytes, while decoding and the service call run
on the HTTP side's worker threads; a task larger than any task may be is refused
before it is converted between versions (converting 600,000 headers holds the
interpreter for seconds in protobuf's C code, which no thread can work around), and
over gRPC before it is even decoded.

The emulator runs in its own process here, so that the timings measured are its own
and not this process's.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import grpc
import pytest
import requests
from cli_process import running

from .conftest import QUEUE
from .handler import serving

HEADERS = 600_000


def _headers() -> dict[str, str]:
    return {f"X-Header-{at:07d}": "v" * 24 for at in range(HEADERS)}


def _big_create_task(version: str) -> bytes:
    task = {"httpRequest": {"url": "http://127.0.0.1:9/", "headers": _headers()}}
    body = json.dumps({"task": task}).encode()
    assert 25 << 20 < len(body) < 32 << 20
    return (
        f"POST /{version}/{QUEUE}/tasks HTTP/1.1\r\nHost: localhost\r\n".encode()
        + b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    ) + body


def _rest_sender(host: str, version: str) -> Callable[[], bytes]:
    big = _big_create_task(version)

    def send() -> bytes:
        address, port = host.rsplit(":", 1)
        with socket.create_connection((address, int(port)), timeout=120) as sock:
            sock.sendall(big)
            answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 400"), answer
        return answer

    return send


def _grpc_sender(host: str, version: str) -> Callable[[], bytes]:
    from google.cloud import tasks_v2

    request = tasks_v2.CreateTaskRequest.pb()(parent=QUEUE)
    request.task.http_request.url = "http://127.0.0.1:9/"
    request.task.http_request.headers.update(_headers())
    data = request.SerializeToString()
    assert 25 << 20 < len(data) < 32 << 20

    def send() -> bytes:
        options = [("grpc.max_send_message_length", -1)]
        with grpc.insecure_channel(host, options=options) as channel:
            call = channel.unary_unary("/google.cloud.tasks.v2.CloudTasks/CreateTask")
            try:
                call(data, timeout=120)
            except grpc.RpcError as exc:
                assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT, exc
                return (exc.details() or "").encode()
        raise AssertionError("a task of 30 MB was accepted")

    return send


@pytest.mark.parametrize(
    "transport, version",
    [("rest", "v2beta3"), ("rest", "v2"), ("grpc", "v2")],
)
def test_a_large_request_holds_up_neither_calls_nor_deliveries(
    transport: str, version: str
) -> None:
    with serving() as handler, running("--port", "0", "--queue", QUEUE, "--quiet") as (_, host, _r):
        base = f"http://{host}"
        rest = requests.Session()
        # Tasks due one after another while the large request is being decoded.
        start = datetime.now(timezone.utc) + timedelta(seconds=1.5)
        due: dict[str, float] = {}
        for at in range(40):
            when = start + timedelta(seconds=0.075 * at)
            answer = rest.post(
                f"{base}/v2/{QUEUE}/tasks",
                json={
                    "task": {
                        "httpRequest": {"url": handler.url(f"/t{at}")},
                        "scheduleTime": when.isoformat(),
                    }
                },
                timeout=10,
            ).json()
            assert "name" in answer, answer
            due[f"/t{at}"] = when.timestamp()
        assert rest.get(f"{base}/v2/{QUEUE}", timeout=10).status_code == 200
        # The wall clock of each delivery, from the handler's monotonic arrival times.
        offset = time.time() - time.monotonic()

        answered: list[bytes] = []
        make = _rest_sender if transport == "rest" else _grpc_sender
        send = make(host, version)

        def send_big() -> None:
            answered.append(send())

        sender = threading.Thread(target=send_big)
        sender.start()
        slowest = 0.0
        calls = 0
        while sender.is_alive():
            began = time.monotonic()
            assert rest.get(f"{base}/v2/{QUEUE}", timeout=60).status_code == 200
            slowest = max(slowest, time.monotonic() - began)
            calls += 1
            time.sleep(0.05)
        sender.join()
        assert answered and b"Task size is too large" in answered[0], answered
        arrived = handler.wait_for(len(due), timeout=30)
    late = max(r.at + offset - due[r.path] for r in arrived)
    # The old gateway decoded on the event loop: 6 s and more for both.
    assert calls >= (5 if transport == "rest" else 1), calls
    assert slowest < 2.0, f"a GetQueue took {slowest:.2f} s ({calls} calls)"
    assert late < 2.0, f"a delivery was {late:.2f} s late"
