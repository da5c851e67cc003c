"""A large REST request holds up neither other REST calls nor deliveries: the event loop only
moves bytes, while decoding and the service call run on the HTTP side's worker threads.

The emulator runs in its own process here, so that the timings measured are its own and not
this process's.  The request is v2beta3's, whose task needs no conversion: converting a task
with 600,000 headers between versions holds the interpreter for seconds in protobuf's C code,
which no thread can work around.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import requests
from cli_process import running

from .conftest import QUEUE
from .handler import serving

HEADERS = 600_000


def _big_create_task() -> bytes:
    headers = {f"X-Header-{at:07d}": "v" * 24 for at in range(HEADERS)}
    task = {"httpRequest": {"url": "http://127.0.0.1:9/", "headers": headers}}
    body = json.dumps({"task": task}).encode()
    assert 25 << 20 < len(body) < 32 << 20
    return (
        b"POST /v2beta3/" + QUEUE.encode() + b"/tasks HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    ) + body


def test_a_large_rest_request_holds_up_neither_calls_nor_deliveries() -> None:
    big = _big_create_task()
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

        def send_big() -> None:
            address, port = host.rsplit(":", 1)
            with socket.create_connection((address, int(port)), timeout=120) as sock:
                sock.sendall(big)
                answered.append(sock.recv(65536))

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
        assert answered and answered[0].startswith(b"HTTP/1.1 400"), answered
        assert b"Task size is too large" in answered[0]
        arrived = handler.wait_for(len(due), timeout=30)
    late = max(r.at + offset - due[r.path] for r in arrived)
    # The old gateway decoded on the event loop: 6 s and more for both.
    assert calls > 5 and slowest < 2.0, f"a GetQueue took {slowest:.2f} s ({calls} calls)"
    assert late < 2.0, f"a delivery was {late:.2f} s late"
