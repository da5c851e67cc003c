"""A small, fast HTTP/1.1 task handler for the dispatch benchmark, run as its own process.

    python benchmarks/_handler.py

It listens on 127.0.0.1 only, answers every request ``200`` with an empty
body and records when each one arrived (``time.monotonic()``, the same clock
in every process on Linux, so the benchmark can compare it with its own).
Its CPU is its own: the emulator's figures never include it.

It prints ``{"port": N}`` on one line, then answers commands read from
standard input, one JSON line each, and exits when standard input closes:

``reset``
    forget every arrival: ``{"count": 0}``
``wait N SECONDS``
    once N requests have arrived since the reset, or SECONDS have passed:
    ``{"count": n, "at": <arrival time of the Nth, or null>}``
``dump``
    ``{"count": n, "times": [...], "names": <distinct X-CloudTasks-TaskName values>,
    "connections": <connections accepted>}``

The parser knows just enough HTTP/1.1 for the two emulators' clients
(aiohttp with keep-alive, urllib with ``Connection: close``): a header block,
then a ``Content-Length`` or chunked body.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import time
from typing import Any

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
OK_CLOSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
TASK_NAME = b"\r\nx-cloudtasks-taskname:"


class Log:
    """Arrivals since the last reset, and who is waiting for how many."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.names: set[bytes] = set()
        #: connections accepted since the reset
        self.connections = 0
        self.waiters: list[tuple[int, asyncio.Future[None]]] = []

    def arrived(self, at: float, name: bytes | None) -> None:
        self.times.append(at)
        if name is not None:
            self.names.add(name)
        if self.waiters:
            count = len(self.times)
            for wanted, future in self.waiters:
                if count >= wanted and not future.done():
                    future.set_result(None)

    def reset(self) -> None:
        self.times = []
        self.names = set()
        self.connections = 0


class Handler(asyncio.Protocol):
    """One connection: parses requests as they come, answers each at once."""

    def __init__(self, log: Log) -> None:
        self.log = log
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.log.connections += 1
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        buffer = self.buffer
        buffer += data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buffer[:end]).lower()
            length, chunked = 0, False
            for line in head.split(b"\r\n")[1:]:
                key, _, value = line.partition(b":")
                if key == b"content-length":
                    length = int(value)
                elif key == b"transfer-encoding" and b"chunked" in value:
                    chunked = True
            start = end + 4
            if chunked:
                body_end = _chunked_end(buffer, start)
                if body_end < 0:
                    return
            else:
                body_end = start + length
                if len(buffer) < body_end:
                    return
            request_line = head.split(b"\r\n", 1)[0]
            close = b"\r\nconnection: close" in head or request_line.endswith(b"http/1.0")
            name = None
            at = head.find(TASK_NAME)
            if at >= 0:
                stop = head.find(b"\r\n", at + 2)
                name = head[at + len(TASK_NAME) : stop if stop >= 0 else None].strip()
            del buffer[:body_end]
            self.log.arrived(now, name)
            assert self.transport is not None
            if close:
                self.transport.write(OK_CLOSE)
                self.transport.close()
                return
            self.transport.write(OK)


def _chunked_end(buffer: bytearray, at: int) -> int:
    """Where a chunked body starting at ``at`` ends (after its trailer), or -1 if incomplete."""
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return -1
        size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
        at = line_end + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n\r\n", at - 2)
            return -1 if trailer_end < 0 else trailer_end + 4
        at += size + 2
        if at > len(buffer):
            return -1


async def _command(log: Log, line: str) -> dict[str, Any]:
    words = line.split()
    if words[0] == "reset":
        log.reset()
        return {"count": 0}
    if words[0] == "wait":
        wanted, seconds = int(words[1]), float(words[2])
        if len(log.times) < wanted:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            entry = (wanted, future)
            log.waiters.append(entry)
            try:
                await asyncio.wait_for(future, seconds)
            except asyncio.TimeoutError:
                pass
            finally:
                log.waiters.remove(entry)
        count = len(log.times)
        return {"count": count, "at": log.times[wanted - 1] if count >= wanted else None}
    if words[0] == "dump":
        return {
            "count": len(log.times),
            "times": log.times,
            "names": len(log.names),
            "connections": log.connections,
        }
    return {"error": f"unknown command {line!r}"}


async def main() -> None:
    loop = asyncio.get_running_loop()
    log = Log()
    server = await loop.create_server(
        lambda: Handler(log), "127.0.0.1", 0, backlog=4096, reuse_address=True
    )
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        if not line:
            break
        if line.strip():
            answer = await _command(log, line.decode())
            sys.stdout.write(json.dumps(answer) + "\n")
            sys.stdout.flush()
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
