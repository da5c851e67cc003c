"""A real HTTP handler for delivery tests: records every request, answers from a script."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    """One request as the handler saw it."""

    method: str
    path: str
    #: headers in the order and case they arrived
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: time.monotonic() at arrival
    at: float

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)


class Handler:
    """Serves on 127.0.0.1; ``answers[path]`` is a list of statuses used in turn (last repeats).

    ``delay[path]`` makes answers to that path wait that many seconds.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: dict[str, list[int]] = {}
        self.delay: dict[str, float] = {}
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Condition()
        owner = self

        class _Request(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                with owner._lock:
                    owner.in_flight += 1
                    owner.most_in_flight = max(owner.most_in_flight, owner.in_flight)
                    seen = sum(1 for r in owner.received if r.path.split("?", 1)[0] == path)
                    owner.received.append(
                        Received(
                            self.command,
                            self.path,
                            tuple(self.headers.items()),
                            body,
                            time.monotonic(),
                        )
                    )
                    owner._lock.notify_all()
                    script = owner.answers.get(path, [200])
                    status = script[min(seen, len(script) - 1)]
                    delay = owner.delay.get(path, 0.0)
                try:
                    if delay:
                        time.sleep(delay)
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:  # the emulator gave up waiting
                    pass
                finally:
                    with owner._lock:
                        owner.in_flight -= 1

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Request)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/work") -> str:
        return f"http://{self.host}{path}"

    def wait_for(
        self, count: int, path: str | None = None, timeout: float = 10.0
    ) -> list[Received]:
        """The requests (to ``path``, or all) once there are ``count`` of them."""

        def matching() -> list[Received]:
            return [r for r in self.received if path is None or r.path.split("?")[0] == path]

        with self._lock:
            if not self._lock.wait_for(lambda: len(matching()) >= count, timeout):
                raise TimeoutError(f"{len(matching())} of {count} requests after {timeout} s")
            return matching()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def serving() -> Iterator[Handler]:
    handler = Handler()
    try:
        yield handler
    finally:
        handler.close()


class Hanging:
    """An HTTP server on 127.0.0.1 that holds every connection open and never answers."""

    def __init__(self) -> None:
        self.open = 0
        self.most_open = 0
        self._lock = threading.Condition()
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._hold, "127.0.0.1", 0, backlog=1024)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/hang") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        with self._lock:
            self.open += 1
            self.most_open = max(self.most_open, self.open)
            self._lock.notify_all()
        try:
            while await reader.read(65536):  # until the emulator gives up on the request
                pass
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()
            with self._lock:
                self.open -= 1

    def wait_open(self, count: int, timeout: float) -> None:
        """Return once ``count`` connections are held open at the same time."""
        with self._lock:
            if not self._lock.wait_for(lambda: self.open >= count, timeout):
                raise TimeoutError(f"{self.open} of {count} connections after {timeout} s")

    def close(self) -> None:
        async def shut() -> None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
