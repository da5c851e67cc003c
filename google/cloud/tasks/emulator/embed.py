"""Run the emulator inside a Python process, for tests and scripts.

>>> with Emulator() as emu:
...     client = emu.client()
...     client.list_queues(parent="projects/p/locations/us-central1")
"""

from __future__ import annotations

import datetime
import importlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, overload

import grpc
from google.auth.credentials import AnonymousCredentials

from .delivery.journal import Delivery, Journal
from .delivery.routes import Routes, Target
from .delivery.tokens import DISCOVERY_PATH, JWKS_PATH, PEM_CERTS_PATH, Signer
from .host import Host
from .servers.front_door import FrontDoor
from .servers.grpc_server import Server, address, start_server
from .servers.guard import Guard
from .service import names
from .service.clock import Clock
from .service.cloud_tasks import CloudTasksService
from .service.errors import ServiceError
from .service.model import Settings
from .service.queue_files import DeclaredQueue, read_file
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
#: how the name of a file declaring queues ends (``queues=`` tells files from names by it)
QUEUE_FILE_SUFFIXES = (".yaml", ".yml", ".json")
#: seconds a clock move with ``wait=True`` waits for the deliveries it made due, by default
SETTLE_SECONDS = 30.0


class EmulatorClock:
    """The emulator's clock as a test moves it: :attr:`Emulator.clock`.

    Every time the service derives follows it: a task's default ``schedule_time``
    and ``create_time``, when it is due, backoff and ``max_retry_duration``, rate
    limits, leases, the name reuse windows and the times of attempts.  Network
    timeouts (``dispatch_deadline``) and OIDC token times stay on real time.
    """

    def __init__(self, source: Clock, emulator: Emulator) -> None:
        #: the service's clock itself
        self.source = source
        self._emulator = emulator

    @property
    def mode(self) -> str:
        """``"system"`` (the machine's time plus what it was moved) or ``"manual"``."""
        return self.source.mode

    def now(self) -> datetime.datetime:
        """The emulator's time, an aware UTC ``datetime``."""
        return self.source.now()

    def advance(
        self,
        seconds: float | datetime.timedelta = 0.0,
        *,
        wait: bool = False,
        timeout: float = SETTLE_SECONDS,
        **parts: float,
    ) -> datetime.datetime:
        """Move forward by ``seconds`` (or a ``timedelta``) plus ``timedelta`` keyword parts
        (``hours=24``); returns the new time.

        With ``wait=True``, returns once the deliveries the move made due have
        finished (those the queues' rate limits hold back excepted); ``TimeoutError``
        after ``timeout`` seconds.  ``ValueError`` for a move backwards.
        """
        since = self._launched()
        moved = self.source.advance(seconds, **parts)
        if wait:
            self._settle(since, timeout)
        return moved

    def set(
        self, when: datetime.datetime, *, wait: bool = False, timeout: float = SETTLE_SECONDS
    ) -> datetime.datetime:
        """Move forward to ``when`` (naive means UTC); as :meth:`advance` otherwise."""
        since = self._launched()
        moved = self.source.set(when)
        if wait:
            self._settle(since, timeout)
        return moved

    def _launched(self) -> int:
        host = self._emulator._host
        return host.launched() if host is not None else 0

    def _settle(self, since: int, timeout: float) -> None:
        host = self._emulator._host
        if host is not None:
            host.settle(since, timeout)


class Emulator:
    """A Cloud Tasks emulator serving gRPC and delivering tasks from background threads.

    ``port=0`` (the default) picks a free port; ``data`` is a SQLite file to
    keep state in (in memory when None); ``queues`` are queues to create at start,
    full names or ids (in ``project`` and ``location``; their locations join
    ``settings.locations``; ``ValueError`` for anything else), and files
    declaring queues (any entry ending in ``.yaml``, ``.yml`` or ``.json``, or
    naming a file that exists; see ``queue_files`` below); ``engine``
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

    ``routes`` maps URL prefixes to where HTTP tasks whose URL they match are
    delivered instead: another URL (``{"https://worker-abc-uc.a.run.app":
    "http://127.0.0.1:8080"}``) or a WSGI or ASGI application called
    in-process; see :meth:`route`.  ``ValueError`` for a prefix or target URL
    that is not http:// or https://.

    ``queue_files`` are files declaring queues to create or update at start
    (and again on :meth:`reset`): App Engine ``queue.yaml`` files or lists of
    ``Queue`` resources in their JSON form (see :mod:`~.service.queue_files`);
    queue ids in them are made in ``project`` and ``location``.  A mistake in
    one is a ``ValueError`` naming the file, the line and the field.
    ``location`` is also where ``UploadQueueYaml`` (v2beta2) puts the app's
    queues.

    ``clock="manual"`` stops the emulator's clock: it moves only through
    :attr:`clock` (``emu.clock.advance(hours=24)``), which also moves the default
    ``"system"`` clock forward.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        data: str | None = None,
        settings: Settings | None = None,
        queues: Iterable[str | os.PathLike[str]] = (),
        queue_files: Iterable[str | os.PathLike[str]] = (),
        project: str = "my-project",
        location: str = "us-central1",
        engine: str = "auto",
        dispatch: bool = True,
        signing_key: str | None = None,
        http_port: int | None = None,
        ui: bool = True,
        allowed_hosts: Iterable[str] = (),
        routes: Mapping[str, Target] | None = None,
        clock: str = "system",
    ) -> None:
        #: the emulator's clock (see :class:`EmulatorClock`); it lives across restarts
        self.clock = EmulatorClock(Clock(clock), self)
        given = [allowed_hosts] if isinstance(allowed_hosts, str) else allowed_hosts
        self._allowed_hosts = tuple(given)
        Guard.of(self._allowed_hosts)  # a name that is not a host is named now, not at start
        self._given_routes = dict(routes or {})
        self._routes = Routes(self._given_routes)  # a bad URL is named now, not at start
        self._bind = host
        self._port = port
        self._data = data
        names_given, files_given = split_queues(queues)
        self._queues = tuple(_full_queue_name(q, project, location) for q in names_given)
        self._location = location
        self._declared = read_queue_files([*files_given, *queue_files], project, location)
        settings = settings or Settings()
        # the locations of the queues made at start are locations the emulator serves
        made = [*self._queues, *(declared.queue.name for declared in self._declared)]
        locations = names.with_locations(settings.locations, made)
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
        self.service = CloudTasksService(self.store, self.settings, self.clock.source)
        try:
            # with a data file and no key file, the key made at the first start is kept in it
            self.signer = Signer(self._signing_key, self.store)
            self.service.app_location = self._location
            for name in self._queues:
                self.service.ensure_queue(name)
            self.service.declare_queues(self._declared)
            self._host = Host(
                self.service,
                self.signer,
                dispatch=self._dispatch,
                http_host=self._bind,
                http_port=self._http_port,
                ui=self._ui,
                allowed_hosts=self._allowed_hosts,
                routes=self._routes,
                on_reset=self._remake,
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
        try:
            self._journal().wait_until_drained(queue, timeout)
        except TimeoutError as exc:
            if self.clock.mode != "manual":
                raise
            raise TimeoutError(
                f"{exc}; the emulator's clock is manual: tasks scheduled after"
                f" {self.clock.now().isoformat()}, and retries, wait until"
                " emu.clock.advance(...) moves it"
            ) from None

    def reset(self) -> None:
        """Forget every queue, task, policy, config, operation and delivery.

        The queues named at start are made again, and the routes are again those
        given to the constructor (:meth:`route` changes are undone).
        """
        if self.service is None:
            raise RuntimeError("the emulator is not running; call start() first")
        self.service.reset()
        if self._host is not None:
            self._host.forget()  # which calls _remake
        else:
            self._remake(None)

    def _remake(self, project: str | None) -> None:
        """After a reset (of everything, or of ``project``): the queues named at start and
        the queue files' queues again, and (after a full reset) the routes given."""
        service = self.service
        if service is None:
            return
        mine = f"projects/{project}/"
        for name in self._queues:
            if project is None or name.startswith(mine):
                service.ensure_queue(name)
        service.declare_queues(
            [d for d in self._declared if project is None or d.queue.name.startswith(mine)]
        )
        if project is None:
            self._routes.assign(self._given_routes)

    def route(self, prefix: str, to: Target | None) -> None:
        """Deliver HTTP tasks whose URL starts with ``prefix`` to ``to`` from now on.

        ``to`` is a URL (``"http://127.0.0.1:8080"`` takes the place of
        ``prefix`` in the task's URL), or a WSGI application (Flask, Django) or
        ASGI application (Starlette, FastAPI, Django's ASGI handler) that gets
        the request in this process, without a socket; None removes the route.
        A route for the same prefix is replaced; the longest matching prefix
        wins.  The task's ``Host`` header, OIDC audience and ``X-CloudTasks-*``
        headers stay those of its own URL.  Works before :meth:`start` and
        while running; :meth:`reset` undoes it.  See
        :mod:`~.delivery.routes` for the matching rules and how applications
        are called.  ``ValueError`` for a URL that is not http:// or https://.

        >>> emu.route("https://worker-abc-uc.a.run.app", flask_app)
        """
        self._routes.set(prefix, to)

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


def _full_queue_name(queue: str, project: str, location: str) -> str:
    """``queue`` as a full name: an id goes in ``project`` and ``location``.  ``ValueError``
    when it is neither an id nor a full queue name."""
    full = queue if "/" in queue else f"projects/{project}/locations/{location}/queues/{queue}"
    try:
        names.queue(full)
    except ServiceError as exc:
        raise ValueError(
            f"queues: {queue!r} is not a queue id, a full queue name"
            f" (projects/PROJECT/locations/LOCATION/queues/QUEUE) or a .yaml, .yml or .json"
            f" file ({exc.message})"
        ) from None
    return full


def split_queues(
    given: Iterable[str | os.PathLike[str]],
) -> tuple[list[str], list[str | os.PathLike[str]]]:
    """``(queue names, queue files)``: an entry is a file when it is a path object, ends in
    ``.yaml``, ``.yml`` or ``.json``, or names a file that exists; else a queue name."""
    queues: list[str] = []
    files: list[str | os.PathLike[str]] = []
    for entry in [given] if isinstance(given, str) else given:
        if isinstance(entry, os.PathLike) or entry.lower().endswith(QUEUE_FILE_SUFFIXES):
            files.append(entry)
        elif os.path.isfile(entry):
            files.append(entry)
        else:
            queues.append(entry)
    return queues, files


def read_queue_files(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], project: str, location: str
) -> list[DeclaredQueue]:
    """The queues the files declare, in order, ids resolved in ``project`` and ``location``.

    ``ValueError`` (a :class:`~.service.queue_files.QueueFileError` for a file)
    names the first mistake.
    """
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not given:
        return []
    for what, value in (("project", project), ("location", location)):
        if not value or any(c in value for c in "/ \t\n"):
            raise ValueError(f"{what} {value!r}: an id without spaces or slashes")
    from .versions import versions

    parent = f"projects/{project}/locations/{location}"
    declared: list[DeclaredQueue] = []
    for path in given:
        declared.extend(read_file(path, parent, versions()["v2"]).queues)
    return declared


def _version_module(version: str) -> Any:
    if version not in VERSIONS:
        raise ValueError(f"unknown API version {version!r}; choose one of {', '.join(VERSIONS)}")
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    importlib.import_module(f"google.cloud.tasks_{version}.services.cloud_tasks.transports")
    return module
