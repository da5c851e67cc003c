"""Run the emulator inside a Python process, for tests and scripts.

>>> with Emulator() as emu:
...     client = emu.client()
...     client.list_queues(parent="projects/p/locations/us-central1")
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import TracebackType
from typing import Any

import grpc
from google.auth.credentials import AnonymousCredentials

from .grpc_server import Server, start_server
from .model import Settings
from .service import CloudTasksService
from .store import Store

VERSIONS = ("v2", "v2beta3", "v2beta2")


class Emulator:
    """A Cloud Tasks emulator serving gRPC on a background thread pool.

    ``port=0`` (the default) picks a free port; ``data`` is a SQLite file to
    keep state in (in memory when None); ``queues`` are full queue names to
    create at start; ``engine`` picks the gRPC engine (see
    :func:`~.grpc_server.start_server`).  :attr:`host` is the ``host:port`` to give clients
    (or put in ``CLOUD_TASKS_EMULATOR_HOST``).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        data: str | None = None,
        settings: Settings | None = None,
        queues: Iterable[str] = (),
        engine: str = "auto",
    ) -> None:
        self._bind = host
        self._port = port
        self._data = data
        self.settings = settings or Settings()
        self._queues = tuple(queues)
        self._engine = engine
        self._server: Server | None = None
        self.store: Store | None = None
        self.service: CloudTasksService | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> Emulator:
        """Open the store, create the requested queues and start serving."""
        if self._server is not None:
            return self
        self.store = Store(self._data)
        self.service = CloudTasksService(self.store, self.settings)
        for name in self._queues:
            self.service.ensure_queue(name)
        try:
            self._server = start_server(self.service, self._bind, self._port, self._engine)
        except BaseException:
            self.store.close()
            raise
        return self

    def stop(self, grace: float | None = 0.5) -> None:
        """Stop serving and close the store."""
        if self._server is not None:
            self._server.stop(grace)
            self._server = None
        if self.store is not None:
            self.store.close()
            self.store = None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server stops or ``timeout`` seconds pass."""
        return self._server.wait(timeout) if self._server else True

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def host(self) -> str:
        """``host:port`` the emulator listens on."""
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._server.address

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._server.port

    def reset(self) -> None:
        """Forget every queue, task, policy, config and operation; re-create start queues."""
        if self.service is None:
            raise RuntimeError("the emulator is not running; call start() first")
        self.service.reset()
        for name in self._queues:
            self.service.ensure_queue(name)

    # -- clients ------------------------------------------------------------------------

    def client(self, version: str = "v2") -> Any:
        """A ``CloudTasksClient`` of ``version`` connected to this emulator."""
        module = _version_module(version)
        transport = module.services.cloud_tasks.transports.CloudTasksGrpcTransport(
            host=self.host,
            credentials=AnonymousCredentials(),
            channel=lambda host, **kw: grpc.insecure_channel(host, options=kw.get("options")),
        )
        return module.CloudTasksClient(transport=transport)

    def async_client(self, version: str = "v2") -> Any:
        """A ``CloudTasksAsyncClient`` of ``version`` connected to this emulator.

        Make it inside the event loop that will use it.
        """
        module = _version_module(version)
        transport = module.services.cloud_tasks.transports.CloudTasksGrpcAsyncIOTransport(
            host=self.host,
            credentials=AnonymousCredentials(),
            channel=lambda host, **kw: grpc.aio.insecure_channel(host, options=kw.get("options")),
        )
        return module.CloudTasksAsyncClient(transport=transport)


def _version_module(version: str) -> Any:
    if version not in VERSIONS:
        raise ValueError(f"unknown API version {version!r}; choose one of {', '.join(VERSIONS)}")
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    importlib.import_module(f"google.cloud.tasks_{version}.services.cloud_tasks.transports")
    return module
