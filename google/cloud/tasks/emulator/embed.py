"""Run the emulator inside a Python process, for tests and scripts.

>>> with Emulator() as emu:
...     client = emu.client()
...     client.list_queues(parent="projects/p/locations/us-central1")
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, overload

import grpc
from google.auth.credentials import AnonymousCredentials

from .delivery.journal import Delivery, Journal
from .delivery.tokens import DISCOVERY_PATH, JWKS_PATH, PEM_CERTS_PATH, Signer
from .host import Host
from .servers.front_door import FrontDoor
from .servers.grpc_server import Server, address, start_server
from .servers.guard import Guard
from .service import names
from .service.cloud_tasks import CloudTasksService
from .service.errors import ServiceError
from .service.model import Settings
from .service.store import Store

if TYPE_CHECKING:
    from google.cloud import tasks_v2, tasks_v2beta2, tasks_v2beta3

    AnyClient: TypeAlias = (
        tasks_v2.CloudTasksClient | tasks_v2beta3.CloudTasksClient | tasks_v2beta2.CloudTasksClient
    )
    AnyAsyncClient: TypeAlias = (
        tasks_v2.CloudTasksAsyncClient
        | tasks_v2beta3.CloudTasksAsyncClient
        | tasks_v2beta2.CloudTasksAsyncClient
    )

VERSIONS = ("v2", "v2beta3", "v2beta2")


class Emulator:
    """A Cloud Tasks emulator serving gRPC and delivering tasks from background threads.

    ``port=0`` (the default) picks a free port; ``data`` is a SQLite file to
    keep state in (in memory when None); ``queues`` are full queue names to
    create at start (their locations join ``settings.locations``); ``engine``
    picks the gRPC engine (see :func:`~.grpc_server.start_server`).  :attr:`host`
    is the ``host:port`` to give clients (or put in ``CLOUD_TASKS_EMULATOR_HOST``).

    ``dispatch=False`` stores tasks without ever delivering them.  App Engine
    tasks go to ``settings.app_engine_host``; OIDC tokens are signed with the
    RSA key in the PEM file ``signing_key`` (when None: with ``data``, a key
    made once and kept in that file, so tokens verify across restarts; in
    memory, a key made at start), verifiable against :attr:`certs_url`.

    gRPC and the HTTP side (the REST API and the OIDC documents) share one
    address, :attr:`host`.  Given an ``http_port``, the HTTP side listens
    there instead (0: any free port) and gRPC has ``port`` to itself, which
    spares gRPC calls the hop through the shared port's front door.
    ``ui=False`` leaves out the web dashboard served at ``/`` of that address.

    HTTP requests are refused when their ``Host`` names a host other than a
    loopback name, an IP address or ``host``, which defeats DNS rebinding;
    ``allowed_hosts`` adds names (a docker-compose service name, say), and
    ``["*"]`` accepts any ``Host``.  ``ValueError`` when one is not a host name.
    See :mod:`~.servers.guard` for what else the HTTP side refuses.
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
        dispatch: bool = True,
        signing_key: str | None = None,
        http_port: int | None = None,
        ui: bool = True,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        given = [allowed_hosts] if isinstance(allowed_hosts, str) else allowed_hosts
        self._allowed_hosts = tuple(given)
        Guard.of(self._allowed_hosts)  # a name that is not a host is named now, not at start
        self._bind = host
        self._port = port
        self._data = data
        self._queues = tuple(queues)
        settings = settings or Settings()
        # the locations of the queues made at start are locations the emulator serves
        locations = names.with_locations(settings.locations, self._queues)
        self.settings = replace(settings, locations=locations)
        self._engine = engine
        self._dispatch = dispatch
        self._signing_key = signing_key
        self._http_port = http_port
        self._ui = ui
        self._server: Server | None = None
        self._door: FrontDoor | None = None
        self._host: Host | None = None
        self.store: Store | None = None
        self.service: CloudTasksService | None = None
        self.signer: Signer | None = None

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> Emulator:
        """Open the store, create the requested queues and start serving."""
        if self._server is not None:
            return self
        self.store = Store(self._data)
        self.service = CloudTasksService(self.store, self.settings)
        try:
            # with a data file and no key file, the key made at the first start is kept in it
            self.signer = Signer(self._signing_key, self.store)
            for name in self._queues:
                self.service.ensure_queue(name)
            self._host = Host(
                self.service,
                self.signer,
                dispatch=self._dispatch,
                http_host=self._bind,
                http_port=self._http_port,
                ui=self._ui,
                allowed_hosts=self._allowed_hosts,
            ).start()
            if self._http_port is not None:
                self._server = start_server(self.service, self._bind, self._port, self._engine)
            else:  # one address: the engine listens privately behind the front door
                self._server = start_server(self.service, "127.0.0.1", 0, self._engine)
                self._door = FrontDoor(
                    self._bind,
                    self._port,
                    ("127.0.0.1", self._server.port),
                    self._host.adopt,
                )
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, grace: float | None = 0.5) -> None:
        """Stop serving and delivering, and close the store."""
        if self._door is not None:
            self._door.stop()
            self._door = None
        if self._server is not None:
            self._server.stop(grace)
            self._server = None
        if self._host is not None:
            self._host.stop()
            self._host = None
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
        if self._door is not None:
            return address(self._door.host, self._door.port)
        return self._server.address

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._door.port if self._door is not None else self._server.port

    @property
    def dispatching(self) -> bool:
        """Whether due tasks are delivered to their handlers."""
        return self._host is not None and self._host.dispatcher is not None

    @property
    def http_url(self) -> str:
        """``http://host:port`` of the HTTP side (the OIDC discovery document and certs)."""
        host = self._running_host()
        if self._door is not None:
            return f"http://{self.host}"
        return f"http://{address(self._bind, host.http_port)}"

    @property
    def certs_url(self) -> str:
        """Certificates that verify the OIDC tokens tasks carry, in the form google-auth reads.

        ``google.oauth2.id_token.verify_token(token, request, certs_url=emu.certs_url)``.
        """
        return self.http_url + PEM_CERTS_PATH

    @property
    def jwks_url(self) -> str:
        """The JWK Set of the token signing key (what the discovery document names)."""
        return self.http_url + JWKS_PATH

    @property
    def discovery_url(self) -> str:
        """The OpenID configuration document."""
        return self.http_url + DISCOVERY_PATH

    @property
    def public_key_pem(self) -> str:
        """The public half of the token signing key, PEM-encoded."""
        if self.signer is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self.signer.public_key_pem()

    def _journal(self) -> Journal:
        if self._host is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._host.journal

    def _running_host(self) -> Host:
        if self._host is None:
            raise RuntimeError("the emulator is not running; call start() first")
        return self._host

    def _known_queue(self, queue: str | None, must_exist: bool = False) -> None:
        """ValueError unless ``queue`` is None or a full queue name (of a queue, if asked)."""
        if queue is None:
            return
        try:
            names.queue(queue)
        except ServiceError:
            raise ValueError(
                f"{queue!r} is not a full queue name"
                " (projects/PROJECT/locations/LOCATION/queues/QUEUE)"
            ) from None
        if must_exist and self.service is not None:
            try:
                self.service.get_queue(queue)
            except ServiceError:
                raise ValueError(f"there is no queue {queue}") from None

    def deliveries(self, queue: str | None = None) -> list[Delivery]:
        """Recent delivery attempts (of one queue, a full name; or all), oldest first."""
        self._known_queue(queue)
        return self._journal().deliveries(queue)

    def wait_for_deliveries(
        self, count: int, queue: str | None = None, timeout: float = 10.0
    ) -> list[Delivery]:
        """Wait until ``count`` delivery attempts were made (in ``queue``, or anywhere).

        Attempts are counted from the start or the last :meth:`reset`, failed
        ones included; the recorded attempts are returned.  ``TimeoutError``
        after ``timeout`` seconds.
        """
        self._known_queue(queue)
        return self._journal().wait_for_deliveries(count, queue, timeout)

    def wait_until_drained(self, queue: str | None = None, timeout: float = 10.0) -> None:
        """Wait until ``queue`` (a full name; every queue when None) holds no task.

        A task leaves a queue when its handler answered 2xx, when its retries
        are spent, or when it is deleted.  ``TimeoutError`` after ``timeout`` seconds.
        """
        self._known_queue(queue, must_exist=True)
        self._journal().wait_until_drained(queue, timeout)

    def reset(self) -> None:
        """Forget every queue, task, policy, config, operation and delivery.

        The queues named at start are made again.
        """
        if self.service is None:
            raise RuntimeError("the emulator is not running; call start() first")
        self.service.reset()
        if self._host is not None:
            self._host.forget()
        for name in self._queues:
            self.service.ensure_queue(name)

    # -- clients ------------------------------------------------------------------------

    # The overloads give a type checker the client class of the version asked for.
    @overload
    def client(
        self, version: Literal["v2"] = "v2", transport: str = "grpc"
    ) -> tasks_v2.CloudTasksClient: ...
    @overload
    def client(
        self, version: Literal["v2beta3"], transport: str = "grpc"
    ) -> tasks_v2beta3.CloudTasksClient: ...
    @overload
    def client(
        self, version: Literal["v2beta2"], transport: str = "grpc"
    ) -> tasks_v2beta2.CloudTasksClient: ...
    @overload
    def client(self, version: str, transport: str = "grpc") -> AnyClient: ...

    def client(self, version: str = "v2", transport: str = "grpc") -> AnyClient:
        """A ``CloudTasksClient`` of ``version`` connected to this emulator.

        ``transport`` is ``"grpc"`` (the emulator's gRPC address) or ``"rest"``
        (its HTTP side, :attr:`http_url`).
        """
        module = _version_module(version)
        transports = module.services.cloud_tasks.transports
        if transport == "rest":
            rest = transports.CloudTasksRestTransport(
                host=self.http_url, credentials=AnonymousCredentials()
            )
            return module.CloudTasksClient(transport=rest)
        if transport != "grpc":
            raise ValueError(f"unknown transport {transport!r}; use grpc or rest")
        channel = transports.CloudTasksGrpcTransport(
            host=self.host,
            credentials=AnonymousCredentials(),
            channel=lambda host, **kw: grpc.insecure_channel(host, options=kw.get("options")),
        )
        return module.CloudTasksClient(transport=channel)

    @overload
    def async_client(
        self, version: Literal["v2"] = "v2", transport: str = "grpc_asyncio"
    ) -> tasks_v2.CloudTasksAsyncClient: ...
    @overload
    def async_client(
        self, version: Literal["v2beta3"], transport: str = "grpc_asyncio"
    ) -> tasks_v2beta3.CloudTasksAsyncClient: ...
    @overload
    def async_client(
        self, version: Literal["v2beta2"], transport: str = "grpc_asyncio"
    ) -> tasks_v2beta2.CloudTasksAsyncClient: ...
    @overload
    def async_client(self, version: str, transport: str = "grpc_asyncio") -> AnyAsyncClient: ...

    def async_client(self, version: str = "v2", transport: str = "grpc_asyncio") -> AnyAsyncClient:
        """A ``CloudTasksAsyncClient`` of ``version`` connected to this emulator.

        ``transport`` is ``"grpc_asyncio"`` or ``"rest_asyncio"`` (needs aiohttp).
        Make it inside the event loop that will use it.
        """
        module = _version_module(version)
        transports = module.services.cloud_tasks.transports
        if transport == "rest_asyncio":
            from google.auth.aio.credentials import AnonymousCredentials as AsyncAnonymous

            rest = transports.AsyncCloudTasksRestTransport(
                host=self.http_url, credentials=AsyncAnonymous()
            )
            return module.CloudTasksAsyncClient(transport=rest)
        if transport != "grpc_asyncio":
            raise ValueError(f"unknown transport {transport!r}; use grpc_asyncio or rest_asyncio")
        channel = transports.CloudTasksGrpcAsyncIOTransport(
            host=self.host,
            credentials=AnonymousCredentials(),
            channel=lambda host, **kw: grpc.aio.insecure_channel(host, options=kw.get("options")),
        )
        return module.CloudTasksAsyncClient(transport=channel)


def _version_module(version: str) -> Any:
    if version not in VERSIONS:
        raise ValueError(f"unknown API version {version!r}; choose one of {', '.join(VERSIONS)}")
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    importlib.import_module(f"google.cloud.tasks_{version}.services.cloud_tasks.transports")
    return module
