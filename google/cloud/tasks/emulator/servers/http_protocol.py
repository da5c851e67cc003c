"""How the HTTP side holds its connections: bounded in time and number, refused in JSON.

The web application runs on aiohttp's server, with these additions (on the
shared port, where the front door hands connections over, and on a port of
the HTTP side's own alike):

- A request's line and headers must arrive within :data:`HEADER_SECONDS`
  of its first byte, on a new connection and on a kept-alive one alike;
  else the connection is closed.  Together they may take at most
  :data:`MAX_HEAD_BYTES`; one line (the URL, or one header) at most
  :data:`MAX_LINE_BYTES`, so a URL up to 64 KiB reaches the REST gateway.
- A connection idle for :data:`KEEPALIVE_SECONDS` between requests is
  closed.  (A request pipelined behind another one's body, in the same
  packet, is bounded by this rather than by :data:`HEADER_SECONDS`.)
- At most :data:`MAX_CONNECTIONS` connections are open at once; one more
  is answered 503 UNAVAILABLE and closed at once.  Each such episode is
  logged once when it starts (WARNING) and once when it ends (INFO), and so
  is a port of the HTTP side's own running out of file descriptors (asyncio
  then retries each second; it would log every failed ``accept``).
- A request aiohttp cannot parse (a bad request line, a line too long, a
  bad chunked encoding, ...) is answered 400 INVALID_ARGUMENT in Google's
  JSON error format, never in plain text, and logged at INFO in one line;
  so is an error aiohttp's router raises (``OPTIONS *`` finds no route:
  404 NOT_FOUND).
- Service calls run on :data:`WORKER_THREADS` worker threads, which the
  application shuts down when it is cleaned up (see
  :func:`~.rest_extras.off_loop`).

A request's body has its own bound, in :func:`~.rest_extras.read_body`.
The module's numbers are read for each new connection, so tests may change
them on a running emulator.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import Any

from aiohttp import web, web_protocol
from aiohttp.http_exceptions import LineTooLong
from aiohttp.streams import StreamReader

from ..service.errors import Code, shown
from .front_door import SCARCE, Episode
from .rest_extras import WORKERS, json_answer
from .rest_gateway import error_body

log = logging.getLogger("google.cloud.tasks.emulator")

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]

#: seconds a request's line and headers may take to arrive, from its first byte
HEADER_SECONDS = 15.0
#: seconds a connection may stay idle between requests
KEEPALIVE_SECONDS = 30.0
#: HTTP connections open at once
MAX_CONNECTIONS = 1024
#: longest line of a request's head: its URL, or one header (name and value)
MAX_LINE_BYTES = 64 << 10
#: most bytes a request's line and headers may take together
MAX_HEAD_BYTES = 256 << 10
#: threads the HTTP side's service calls run on
WORKER_THREADS = 4


def raw_error(code: Code, message: str) -> bytes:
    """A whole HTTP/1.1 answer carrying ``message`` in Google's JSON error format,
    for writing straight to a connection that is then closed."""
    body = json.dumps(error_body(code, message)).encode()
    head = (
        f"HTTP/1.1 {code.http} {HTTPStatus(code.http).phrase}\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


class HttpConnection(web_protocol.RequestHandler):
    """One HTTP/1.1 connection: aiohttp's protocol with the bounds above."""

    __slots__ = ("_server", "_refused", "_since", "_head_bytes", "_timer", "_body")

    def __init__(self, server: HttpServer, *, loop: asyncio.AbstractEventLoop, **kwargs: Any):
        kwargs.update(
            keepalive_timeout=KEEPALIVE_SECONDS,
            max_line_size=MAX_LINE_BYTES,
            max_field_size=MAX_LINE_BYTES,
        )
        super().__init__(server, loop=loop, **kwargs)
        self._server = server
        self._refused = False
        #: loop time the awaited request's first bytes arrived (None: none are awaited)
        self._since: float | None = None
        self._head_bytes = 0
        self._timer: asyncio.TimerHandle | None = None
        #: the body of the latest request, which may still be arriving
        self._body: StreamReader | None = None

    # -- the number of connections --------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not self._server.admit():
            self._refused = True
            text = "The emulator has too many HTTP connections open; try again later."
            transport.write(raw_error(Code.UNAVAILABLE, text))  # type: ignore[attr-defined]
            transport.close()
            return
        super().connection_made(transport)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._refused:
            return
        self._head_done()
        self._server.release()
        super().connection_lost(exc)

    # -- the time a request's head may take ----------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        # (``_upgraded`` is aiohttp 3.14's; before it, the emulator never upgrades anyway)
        if not data or self._force_close or self._close or getattr(self, "_upgraded", False):
            super().data_received(data)
            return
        between = self._body is None or self._body.is_eof()
        if self._since is None and between:  # the first bytes of a new request
            self._head_begins()
        self._head_bytes += len(data)
        count = self._request_count
        super().data_received(data)
        if self._request_count != count:  # a request's head is complete
            self._head_done()
            if self._messages:
                self._body = self._messages[-1][1]
        elif self._since is not None and self._head_bytes > MAX_HEAD_BYTES:
            self._head_too_long()

    def _head_begins(self) -> None:
        now = self._loop.time()
        self._since = now
        self._head_bytes = 0
        self._timer = self._loop.call_at(now + HEADER_SECONDS, self._head_late)
        # The idle bound is over: from now on, the head's own bound applies.
        self._next_keepalive_close_time = max(self._next_keepalive_close_time, now + HEADER_SECONDS)

    def _head_done(self) -> None:
        self._since = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _head_late(self) -> None:
        self._timer = None
        if self._since is None or self.transport is None:
            return
        log.debug("an HTTP request's head took over %g seconds: closing", HEADER_SECONDS)
        self._since = None
        self._give_up()

    def _head_too_long(self) -> None:
        text = f"The request's line and headers are longer than {MAX_HEAD_BYTES} bytes."
        log.info("HTTP request from %s -> INVALID_ARGUMENT: %s", self._peer(), text)
        self._head_done()
        if self.transport is not None and self._idle():
            self.transport.write(raw_error(Code.INVALID_ARGUMENT, text))
        self._give_up()

    def _idle(self) -> bool:
        """Whether no request is being answered or waiting to be (so nothing else writes)."""
        return not self._request_in_progress and not self._messages

    def _give_up(self) -> None:
        """Close now when idle; else once the requests already received are answered."""
        if self._idle():
            self.force_close()
        else:
            self.close()

    def _peer(self) -> str:
        peer = self.peername
        return f"{peer[0]}" if isinstance(peer, tuple) else str(peer)

    # -- requests aiohttp could not parse -------------------------------------------------

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """The answer to a request that failed outside the application: JSON, not text.

        A request aiohttp could not parse is INVALID_ARGUMENT; anything else is
        the emulator's failure (INTERNAL, logged with its traceback).
        """
        if request.writer.output_size > 0:  # an answer was begun: the connection is lost
            raise ConnectionError("an answer was already begun; cannot answer the error")
        if status == HTTPStatus.BAD_REQUEST:
            code = Code.INVALID_ARGUMENT
            if isinstance(exc, LineTooLong):
                what = f"A line of the request (its URL or a header) is over {MAX_LINE_BYTES} bytes"
            else:
                what = str(message or exc or "it is not HTTP/1.1").split("\n", 1)[0].rstrip(":")
            text = f"The request could not be parsed: {shown(what, 200)}."
            log.info("HTTP request from %s -> %s: %s", self._peer(), code.name, text)
        else:
            code = Code.INTERNAL
            text = "The emulator failed."
            log.error("an HTTP request from %s failed", self._peer(), exc_info=exc)
        answer = json_answer(error_body(code, text), status=code.http)
        answer.force_close()
        return answer


#: the code a plain HTTP error aiohttp raises is answered with
_CODES = {
    HTTPStatus.BAD_REQUEST: Code.INVALID_ARGUMENT,
    HTTPStatus.FORBIDDEN: Code.PERMISSION_DENIED,
    HTTPStatus.NOT_FOUND: Code.NOT_FOUND,
    HTTPStatus.METHOD_NOT_ALLOWED: Code.NOT_FOUND,  # as Google's front end answers it
    HTTPStatus.REQUEST_ENTITY_TOO_LARGE: Code.INVALID_ARGUMENT,
    HTTPStatus.TOO_MANY_REQUESTS: Code.RESOURCE_EXHAUSTED,
    HTTPStatus.NOT_IMPLEMENTED: Code.UNIMPLEMENTED,
}


def _json_errors(handler: Handler) -> Handler:
    """``handler``, with the plain-text HTTP errors aiohttp raises (its router's 404 and
    405, a 413) answered in Google's JSON error format instead."""

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400 or exc.content_type == "application/json":
                raise
            code = _CODES.get(HTTPStatus(exc.status), Code.INVALID_ARGUMENT)
            if code is Code.NOT_FOUND:
                text = f"The URL {shown(request.raw_path, 200)} was not found."
            else:
                text = shown(exc.text or exc.reason, 200)
            log.info(
                "%s %s -> %s: %s", request.method, shown(request.raw_path, 200), code.name, text
            )
            return json_answer(error_body(code, text), status=code.http)

    return handle


class HttpServer(web.Server):
    """aiohttp's server (the protocol factory) making :class:`HttpConnection`\\ s and counting
    the open ones."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        #: connections open now (refused ones not counted)
        self.open = 0
        self._full = Episode()
        #: a listener of the HTTP side's own is out of descriptors
        self.scarce = Episode()

    def __call__(self) -> HttpConnection:
        return HttpConnection(self, loop=self._loop, **self._kwargs)

    def admit(self) -> bool:
        """Count in a new connection, or say it is one too many (logged once per episode)."""
        if self.open >= MAX_CONNECTIONS:
            self._full.begin(
                "%d HTTP connections are open, the most the emulator keeps; "
                "refusing new ones until some close",
                self.open,
            )
            return False
        self.open += 1
        self._full.end("the emulator takes HTTP connections again")
        self.scarce.end("the HTTP port accepts connections again")
        return True

    def release(self) -> None:
        self.open -= 1


class HttpRunner(web.AppRunner):
    """Runs the web application with :class:`HttpServer` (use its :attr:`server` as the
    protocol factory for sockets accepted elsewhere) and gives the application its
    :data:`~.rest_extras.WORKERS`, shut down with it."""

    def __init__(self, app: web.Application) -> None:
        super().__init__(app, access_log=None)

    async def _make_server(self) -> web.Server:
        workers = ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="cloud-tasks-emulator-http")
        loop = asyncio.get_running_loop()
        previous = loop.get_exception_handler()

        async def clean_up(app: web.Application) -> None:
            workers.shutdown(wait=False, cancel_futures=True)
            loop.set_exception_handler(previous)

        self.app[WORKERS] = workers
        self.app.on_cleanup.append(clean_up)
        plain = await super()._make_server()  # freezes the application
        server = HttpServer(
            _json_errors(plain.request_handler),
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            loop=loop,
            **plain._kwargs,
        )

        def on_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
            error = context.get("exception")
            accept = "accept" in str(context.get("message"))  # asyncio's listener says so
            if accept and isinstance(error, OSError) and error.errno in SCARCE:
                why = error.strerror or error
                server.scarce.begin("the HTTP port cannot accept connections (%s); retrying", why)
            elif previous is not None:
                previous(loop, context)
            else:
                loop.default_exception_handler(context)

        loop.set_exception_handler(on_loop_error)
        return server
