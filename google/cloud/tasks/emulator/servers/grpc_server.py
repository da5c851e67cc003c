"""The emulator's gRPC server: every version's service plus the mixins on one port.

:func:`start_server` picks an engine: the fast one (:mod:`.fast_server`) when
the installed grpcio offers it, else :class:`GrpcServer` on ``grpc.aio``.
Both answer the routes of :mod:`.grpc_routes`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import grpc

from ..service.cloud_tasks import CloudTasksService
from ..service.errors import ListenError
from . import fast_server
from .grpc_routes import SERVER_OPTIONS, Invoke, address, routes, trailers

__all__ = ["GrpcServer", "Server", "address", "start_server"]


def generic_handlers(service: CloudTasksService) -> list[grpc.GenericRpcHandler]:
    """The routes as ``grpc.aio`` generic handlers, one per gRPC service."""
    by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}
    for path, invoke in routes(service).items():
        name, rpc = path[1:].split("/")
        by_service.setdefault(name, {})[rpc] = grpc.unary_unary_rpc_method_handler(
            _context_call(invoke)
        )
    return [grpc.method_handlers_generic_handler(n, m) for n, m in by_service.items()]


def _context_call(invoke: Invoke) -> Callable[[bytes, Any], Awaitable[bytes | None]]:
    async def call(data: bytes, context: Any) -> bytes | None:
        response, error = invoke(data)
        if error is None:
            return response
        # A status without a message; no exception, so nothing keeps the request alive.
        trailing = trailers(error)
        if trailing:
            context.set_trailing_metadata(trailing)
        context.set_code(error.code.grpc)
        context.set_details(error.message)
        return None

    return call


class Server(Protocol):
    """What a running server offers, whichever engine runs it."""

    host: str
    port: int

    @property
    def address(self) -> str: ...

    def stop(self, grace: float | None = 1.0) -> None: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def start_server(
    service: CloudTasksService, host: str = "127.0.0.1", port: int = 0, engine: str = "auto"
) -> Server:
    """Serve ``service`` on ``host:port``.

    ``engine`` is ``"fast"`` (one thread on gRPC's core, the default when
    available), ``"grpc"`` (gRPC's public ``grpc.aio`` server) or ``"auto"``.
    """
    if engine not in ("auto", "fast", "grpc"):
        raise ValueError(f"unknown engine {engine!r}; use auto, fast or grpc")
    if engine != "grpc":
        if engine == "fast" or fast_server.available():
            return fast_server.FastGrpcServer(routes(service), host, port)
    return GrpcServer(service, host, port)


class GrpcServer:
    """``grpc.aio`` answering for ``service`` on ``host:port`` (0: any free port).

    The portable engine: gRPC's public asyncio server on a thread of its own.
    A call waits for its request without holding a thread, so idle or
    half-open calls never starve the others.  See :mod:`.fast_server` for the
    default engine.
    """

    def __init__(self, service: CloudTasksService, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._loop = asyncio.new_event_loop()
        self._stopped = threading.Event()
        where = address(host, port)
        try:
            self._server, self.port = self._loop.run_until_complete(self._start(service, where))
        except BaseException:
            self._loop.close()
            raise
        self._thread = threading.Thread(
            target=self._run, name="cloud-tasks-emulator-grpc", daemon=True
        )
        self._thread.start()

    @staticmethod
    async def _start(service: CloudTasksService, where: str) -> tuple[Any, int]:
        server = grpc.aio.server(handlers=generic_handlers(service), options=SERVER_OPTIONS)
        try:
            port = server.add_insecure_port(where)
        except RuntimeError as exc:
            raise ListenError("grpc", f"cannot listen on {where}: {exc}") from None
        if not port:
            raise ListenError("grpc", f"cannot listen on {where}")
        await server.start()
        return server, port

    def _run(self) -> None:
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()
            self._stopped.set()

    @property
    def address(self) -> str:
        return address(self.host, self.port)

    def stop(self, grace: float | None = 1.0) -> None:
        """Stop accepting calls, let running ones finish for ``grace`` seconds, then return."""
        if self._stopped.is_set() or not self._thread.is_alive():
            return
        done = asyncio.run_coroutine_threadsafe(self._server.stop(grace), self._loop)
        done.result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server stops (or ``timeout`` passes)."""
        return self._stopped.wait(timeout)
