"""The default gRPC engine: one thread driving gRPC's completion queue directly.

``grpc.server`` hands every call to a thread pool and back, which costs
several times what an emulator's handlers do.  Our handlers are short and
run under one store lock anyway, so this engine runs them inline on the
thread that polls gRPC's core: a call is three core events (call arrived,
request read, answer sent) and no thread switches.

It uses ``grpc._cython.cygrpc``, the layer ``grpc.server`` itself is built
on.  That layer is not a public API: :func:`available` checks that what we
use is there, and :func:`~.grpc_server.start_server` falls back to the
portable ``grpc.aio`` engine when it is not.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from ..service.errors import Code, ListenError, ServiceError
from .grpc_routes import SERVER_OPTIONS, Invoke, address, trailers

log = logging.getLogger("google.cloud.tasks.emulator")

try:  # pragma: no cover - exercised by whichever grpcio is installed
    from grpc._cython import cygrpc
except ImportError:  # pragma: no cover
    cygrpc = None

_NEEDED = (
    "CompletionQueue",
    "Server",
    "ReceiveMessageOperation",
    "SendInitialMetadataOperation",
    "SendMessageOperation",
    "SendStatusFromServerOperation",
    "ReceiveCloseOnServerOperation",
    "StatusCode",
)

#: Calls the core may accept ahead of our loop asking for them.
_PENDING_CALLS = 8


def available() -> bool:
    """Whether the installed grpcio offers what this engine needs."""
    return cygrpc is not None and all(hasattr(cygrpc, name) for name in _NEEDED)


if available():  # pragma: no branch - looked up once, used on every call
    _OK = cygrpc.StatusCode.ok
    _SendInitialMetadata = cygrpc.SendInitialMetadataOperation
    _SendStatus = cygrpc.SendStatusFromServerOperation
    _ReceiveClose = cygrpc.ReceiveCloseOnServerOperation
    _SendMessage = cygrpc.SendMessageOperation


class _Tag:
    """Marks a completion-queue event: which kind, and the call it belongs to."""

    __slots__ = ("call", "kind", "method")

    def __init__(self, kind: str, call: Any = None, method: bytes = b"") -> None:
        self.kind = kind
        self.call = call
        self.method = method


class FastGrpcServer:
    """Serves ``routes`` (gRPC path -> invoke) on ``host:port`` from one thread."""

    def __init__(self, routes: dict[str, Invoke], host: str = "127.0.0.1", port: int = 0) -> None:
        if not available():
            raise RuntimeError("this grpcio does not offer the fast engine")
        self._routes = {path.encode(): invoke for path, invoke in routes.items()}
        self._cq = cygrpc.CompletionQueue()
        self._server = cygrpc.Server(SERVER_OPTIONS, False)
        self._server.register_completion_queue(self._cq)
        self.host = host
        where = address(host, port)
        try:
            self.port = int(self._server.add_http2_port(where.encode()))
        except Exception as exc:  # the core reports a bind failure as an error
            raise ListenError("grpc", f"cannot listen on {where}: {exc}") from None
        if not self.port:
            raise ListenError("grpc", f"cannot listen on {where}")
        self._request = _Tag("request")
        self._shutdown = _Tag("shutdown")
        self._done = _Tag("done")
        self._stopped = threading.Event()
        self._stopping = False
        self._destroyed = False
        self._lock = threading.Lock()
        self._server.start()
        for _ in range(_PENDING_CALLS):
            self._server.request_call(self._cq, self._cq, self._request)
        self._thread = threading.Thread(
            target=self._serve, name="cloud-tasks-emulator-grpc", daemon=True
        )
        self._thread.start()

    @property
    def address(self) -> str:
        return address(self.host, self.port)

    # -- the loop -------------------------------------------------------------------------

    def _serve(self) -> None:
        try:
            while True:
                event = self._cq.poll()
                tag = event.tag
                if tag is self._shutdown:
                    break
                try:
                    if tag is self._request:
                        self._arrived(event)
                    elif isinstance(tag, _Tag) and tag.kind == "read":
                        self._answer(tag, event)
                except Exception:  # never let one call stop the server
                    log.exception("the gRPC loop failed on an event")
                event = None
        finally:
            with self._lock:
                self._server.destroy()
                self._destroyed = True
            self._stopped.set()

    def _arrived(self, event: Any) -> None:
        if not event.success:  # the server is shutting down
            return
        if not self._stopping:
            self._server.request_call(self._cq, self._cq, self._request)
        call = event.call
        tag = _Tag("read", call, event.call_details.method)
        call.start_server_batch((cygrpc.ReceiveMessageOperation(0),), tag)

    def _answer(self, tag: _Tag, event: Any) -> None:
        response: bytes | None = None
        error: ServiceError | None
        try:
            data = event.batch_operations[0].message() if event.success else None
            invoke = self._routes.get(tag.method)
            if invoke is None:
                error = ServiceError(Code.UNIMPLEMENTED, "Method not found!")
            elif data is None:
                error = ServiceError(Code.INVALID_ARGUMENT, "A unary call needs one request.")
            else:
                response, error = invoke(data)
        except Exception:  # answer anyway: a call left unanswered would hang its client
            log.exception("answering %r failed", tag.method)
            response, error = None, ServiceError(Code.INTERNAL, "The emulator failed.")
        trailing: tuple[tuple[str, bytes], ...] | None = None
        if error is None:
            status, details = _OK, b""
        else:
            status, details = error.code.grpc.value[0], error.message.encode()
            trailing = trailers(error) or None
        head = _SendInitialMetadata(None, 0)
        end = _SendStatus(trailing, status, details, 0)
        if response is None:
            operations: tuple[Any, ...] = (head, end, _ReceiveClose(0))
        else:
            operations = (head, end, _ReceiveClose(0), _SendMessage(response, 0))
        tag.call.start_server_batch(operations, self._done)

    # -- lifecycle ------------------------------------------------------------------------

    def stop(self, grace: float | None = 1.0) -> None:
        """Stop taking calls; calls still running after ``grace`` seconds are cancelled."""
        with self._lock:
            if not self._stopping:
                self._stopping = True
                self._server.shutdown(self._cq, self._shutdown)
        if not self._stopped.wait(grace or 0):
            with self._lock:
                if not self._destroyed:
                    self._server.cancel_all_calls()
            self._stopped.wait(10)
        self._thread.join(10)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server stops (or ``timeout`` passes)."""
        return self._stopped.wait(timeout)
