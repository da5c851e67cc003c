"""Connections cannot wear the emulator down: heads and bodies that never finish, idle
connections, too many connections, and a process out of file descriptors.

Each bound holds on the shared port (connections the front door hands over)
and on a port of the HTTP side's own (``http_port``) alike.  The bounds are
module constants, shortened here so the tests run in seconds.
"""

from __future__ import annotations

import logging
import os
import re
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.servers import front_door, http_protocol, rest_extras

from .helpers import QUEUE

GET_QUEUE = b"GET /v2/" + QUEUE.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n"
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"


@pytest.fixture(scope="module")
def own_port() -> Iterator[Emulator]:
    """An emulator whose HTTP side listens on a port of its own."""
    with Emulator(dispatch=False, http_port=0) as emulator:
        yield emulator


@pytest.fixture(params=["shared port", "own port"])
def http_url(request: pytest.FixtureRequest, emu: Emulator, own_port: Emulator) -> str:
    return emu.http_url if request.param == "shared port" else own_port.http_url


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _answer(sock: socket.socket) -> tuple[bytes, bytes]:
    """One HTTP answer read off ``sock``: its status line and its body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += sock.recv(65536)
    return head.split(b"\r\n", 1)[0], body


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """What ``sock`` received until its peer closed it, which must happen within ``seconds``."""
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass
    except TimeoutError:
        raise AssertionError(f"still open after {seconds} s") from None
    return data


def test_a_request_head_must_arrive_in_time(http_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_protocol, "HEADER_SECONDS", 1.0)
    with _connect(http_url) as first:  # the first request on a connection
        first.sendall(GET_QUEUE[:30])
        assert _closed_within(first, 10) == b""
    with _connect(http_url) as kept:  # a later one on a kept-alive connection
        kept.sendall(GET_QUEUE)
        assert _answer(kept)[0].startswith(b"HTTP/1.1 404")
        kept.sendall(GET_QUEUE[:10])
        assert _closed_within(kept, 10) == b""
    with _connect(http_url) as trickle:  # a head that never stops arriving
        padded = GET_QUEUE[:-2] + b"X-Pad: " + b"a" * 400 + b"\r\n\r\n"
        started = time.monotonic()
        with pytest.raises(OSError):
            for at in range(len(padded)):
                trickle.send(padded[at : at + 1])
                time.sleep(0.05)
        assert time.monotonic() - started < 10
    with _connect(http_url) as slow:  # a head in pieces, complete in time, is served
        slow.sendall(GET_QUEUE[:20])
        time.sleep(0.3)
        slow.sendall(GET_QUEUE[20:])
        assert _answer(slow)[0].startswith(b"HTTP/1.1 404")


def test_a_request_head_is_bounded_in_size(http_url: str) -> None:
    with _connect(http_url) as large:
        large.sendall(GET_QUEUE[:-2])
        for at in range(5):  # each header within the line limit, all of them over the head's
            large.sendall(b"X-Pad-%d: " % at + b"a" * 60_000 + b"\r\n")
        status, body = _answer(large)
        assert _closed_within(large, 10) == b""
    assert status.startswith(b"HTTP/1.1 400") and b'"INVALID_ARGUMENT"' in body
    assert b"longer than 262144 bytes" in body


def test_an_idle_connection_is_closed(http_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http_protocol, "KEEPALIVE_SECONDS", 1.0)
    with _connect(http_url) as idle:
        idle.sendall(GET_QUEUE)
        assert _answer(idle)[0].startswith(b"HTTP/1.1 404")
        assert _closed_within(idle, 10) == b""


def test_a_body_that_does_not_arrive_in_time_is_refused(
    http_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest_extras, "BODY_SECONDS", 1.0)
    with _connect(http_url) as slow:
        slow.sendall(
            b"POST /v2/" + QUEUE.encode() + b"/tasks HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        slow.settimeout(10)
        status, body = _answer(slow)
    assert status.startswith(b"HTTP/1.1 400")
    assert b'"INVALID_ARGUMENT"' in body and b"did not arrive within 1 seconds" in body


@pytest.mark.parametrize("own", [False, True], ids=["shared port", "own port"])
def test_http_connections_past_the_cap_are_refused(
    own: bool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="google.cloud.tasks.emulator")
    monkeypatch.setattr(http_protocol, "MAX_CONNECTIONS", 3)
    monkeypatch.setattr(front_door, "SETTLE_SECONDS", 0.0)
    with Emulator(dispatch=False, queues=[QUEUE], http_port=0 if own else None) as emu:
        held = [_connect(emu.http_url) for _ in range(3)]
        for sock in held:
            sock.sendall(GET_QUEUE)
            assert _answer(sock)[0].startswith(b"HTTP/1.1 200")
        for _ in range(3):
            with _connect(emu.http_url) as extra:
                extra.sendall(GET_QUEUE)
                answer = _closed_within(extra, 5)
            assert b" 200 " not in answer
            if answer:  # the refusal, unless the close overtook it
                assert answer.startswith(b"HTTP/1.1 503") and b'"UNAVAILABLE"' in answer
        held.pop().close()
        time.sleep(0.3)
        assert requests.get(f"{emu.http_url}/v2/{QUEUE}", timeout=5).status_code == 200
        for sock in held:
            sock.close()
    lines = [r.getMessage() for r in caplog.records]
    assert sum("HTTP connections are open" in line for line in lines) == 1
    assert sum("takes HTTP connections again" in line for line in lines) == 1


def test_grpc_connections_past_the_cap_are_closed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="google.cloud.tasks.emulator")
    monkeypatch.setattr(front_door, "MAX_PIPES", 2)
    monkeypatch.setattr(front_door, "SETTLE_SECONDS", 0.0)
    with Emulator(dispatch=False, queues=[QUEUE]) as emu:
        held = [_connect(emu.http_url) for _ in range(2)]
        for sock in held:
            sock.sendall(PREFACE)
            assert sock.recv(9)[3:4] == b"\x04"  # the engine's SETTINGS frame
        for _ in range(3):
            with _connect(emu.http_url) as extra:
                extra.sendall(PREFACE)
                assert _closed_within(extra, 5) == b""
        held.pop().close()
        time.sleep(0.3)
        with emu.client() as client:
            assert client.get_queue(name=QUEUE, timeout=10).name == QUEUE
        for sock in held:
            sock.close()
    lines = [r.getMessage() for r in caplog.records]
    assert sum("gRPC connections are open" in line for line in lines) == 1
    assert sum("takes gRPC connections again" in line for line in lines) == 1


def test_the_http_worker_threads_end_with_the_emulator() -> None:
    def workers() -> list[threading.Thread]:
        return [t for t in threading.enumerate() if t.name.startswith("cloud-tasks-emulator-http")]

    before = set(workers())
    with Emulator(dispatch=False, queues=[QUEUE]) as emu:
        assert requests.get(f"{emu.http_url}/v2/{QUEUE}", timeout=5).status_code == 200
        assert set(workers()) - before
    deadline = time.monotonic() + 10
    while set(workers()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(workers()) - before


# -- out of file descriptors ------------------------------------------------------------------

DESCRIPTORS = 128


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _few_descriptors() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (DESCRIPTORS, DESCRIPTORS))


@pytest.mark.parametrize("own", [False, True], ids=["shared port", "own port"])
def test_out_of_descriptors_the_listener_pauses_and_logs_once(own: bool) -> None:
    args = ["--port", "0", "--no-dispatch", "--log-level", "INFO"]
    process = subprocess.Popen(
        [sys.executable, "-m", "google.cloud.tasks.emulator", "start", *args]
        + (["--http-port", "0"] if own else []),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        preexec_fn=_few_descriptors,
    )
    log: list[str] = []
    try:
        assert process.stdout is not None and process.stderr is not None
        ready = process.stdout.readline()
        host = process.stdout.readline().strip().split("=", 1)[1]
        if own:
            host = re.search(r"REST on http://([^)\s]+)", ready).group(1)  # type: ignore[union-attr]
        stderr = process.stderr
        reader = threading.Thread(target=lambda: log.extend(stderr), daemon=True)
        reader.start()
        address, port = host.rsplit(":", 1)
        crowd: list[socket.socket] = []
        for at in range(DESCRIPTORS + 60):
            sock = socket.create_connection((address, int(port)), timeout=10)
            if at % 2 and not own:
                sock.sendall(PREFACE)  # these want the gRPC engine, a descriptor more each
            crowd.append(sock)
        time.sleep(0.5)
        used = _cpu_seconds(process.pid)
        time.sleep(2)
        used = _cpu_seconds(process.pid) - used
        for sock in crowd:
            sock.close()
        url = f"http://{host}/_emulator/health"
        deadline = time.monotonic() + 15
        while True:
            try:
                assert requests.get(url, timeout=5).json() == {"status": "ok"}
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "the emulator does not serve again"
                time.sleep(0.2)
        time.sleep(front_door.SETTLE_SECONDS + 0.5)  # settled: the next connection ends it
        assert requests.get(url, timeout=5).json() == {"status": "ok"}
        time.sleep(0.3)
    finally:
        process.kill()
        process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
    ours = [line for line in log if "google.cloud.tasks.emulator" in line or "asyncio" in line]
    # Spinning on a listener that stays readable burnt most of a core and logged per try.
    assert used < 1.0, f"{used:.2f} s of CPU in 2 s while out of descriptors"
    cannot = [line for line in ours if "cannot accept" in line or "out of system resource" in line]
    assert len(cannot) == 1, cannot[:5]
    assert "WARNING" in cannot[0]
    assert sum("accepts connections again" in line and "INFO" in line for line in ours) == 1
    assert sum("gRPC engine does not take connections" in line for line in ours) <= 1
