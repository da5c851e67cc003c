"""A real HTTP handler for delivery tests: records every request, answers from a script."""

from __future__ import annotations

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
