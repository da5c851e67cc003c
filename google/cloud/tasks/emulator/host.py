"""The event loop the HTTP side and the dispatcher share, on a thread of its own.

:class:`Host` owns one asyncio loop.  On it run the web application (REST,
the control endpoints, the dashboard and the OIDC documents; see
:mod:`.servers.web`) and, when delivery is on, the
:class:`~.delivery.dispatcher.Dispatcher`.  Nothing else owns that loop: the
front door hands HTTP/1.1 connections to :meth:`Host.adopt`, and the service
wakes the dispatcher through :meth:`~.delivery.dispatcher.Dispatcher.poke`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from .delivery.dispatcher import Dispatcher
from .delivery.journal import Journal
from .delivery.tokens import Signer
from .servers.http_protocol import HttpRunner
from .servers.web import http_app
from .service.cloud_tasks import CloudTasksService
from .service.errors import ListenError

log = logging.getLogger("google.cloud.tasks.emulator")


class Host:
    """Runs the HTTP side of ``service`` and, with ``dispatch``, delivers its tasks.

    ``http_host``/``http_port`` is where the HTTP side listens (port 0: any
    free port; None: no listener of its own, connections arrive through
    :meth:`adopt`).  ``ui=False`` leaves out the dashboard.  Requests may name
    ``http_host`` and the ``allowed_hosts`` in ``Host`` and ``Origin``, besides
    loopback names and IP addresses (see :mod:`.servers.guard`).
    """

    def __init__(
        self,
        service: CloudTasksService,
        signer: Signer,
        *,
        dispatch: bool = True,
        http_host: str = "127.0.0.1",
        http_port: int | None = 0,
        ui: bool = True,
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self.service = service
        self.signer = signer
        self.journal = Journal(service.store)
        self.dispatcher = Dispatcher(service, signer, self.journal) if dispatch else None
        self._http_host = http_host
        self._http_port = http_port
        self._ui = ui
        self._allowed_hosts = (*allowed_hosts, http_host)
        #: the port the HTTP side listens on (0 without a listener of its own)
        self.http_port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._web: Any = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> Host:
        """Start the loop's thread; returns once the HTTP side listens (or raises why not)."""
        if self.dispatcher is not None:
            self.dispatcher.release_claims()
        self._thread = threading.Thread(
            target=self._run, name="cloud-tasks-emulator-host", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            self._thread.join()
            raise self._failure
        if self.dispatcher is not None:
            self.service.dispatch = self.dispatcher
        return self

    def stop(self) -> None:
        """Stop delivering (deliveries in flight are cut short) and close the HTTP side."""
        if self.dispatcher is not None and self.service.dispatch is self.dispatcher:
            self.service.dispatch = None
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stopping.set)
            except RuntimeError:  # pragma: no cover - the loop closed meanwhile
                pass
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None

    def forget(self) -> None:
        """Forget the recorded deliveries (with a reset of the store)."""
        self.journal.forget()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:  # pragma: no cover - reported to start()
            if not self._ready.is_set():
                self._failure = exc
            else:
                log.exception("the emulator's event loop stopped")
        finally:
            self._ready.set()
            loop.close()

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        board = None
        if self._ui:
            from .servers.dashboard import Dashboard

            board = Dashboard(self.service, self.journal.history, self.journal.recent)
        app = http_app(
            self.service, self.signer, self.forget, board, self._allowed_hosts, self.journal.history
        )
        site_runner = HttpRunner(app)  # bounded connections, JSON errors, worker threads
        await site_runner.setup()
        self._web = site_runner.server
        try:
            if self._http_port is not None:
                site = web.TCPSite(site_runner, self._http_host, self._http_port)
                try:
                    await site.start()
                except OSError as exc:
                    where = f"{self._http_host}:{self._http_port}"
                    reason = exc.strerror or exc
                    raise ListenError("http", f"cannot listen on {where}: {reason}") from None
                self.http_port = int(site_runner.addresses[0][1])
            if self.dispatcher is not None:
                self.dispatcher.attach(asyncio.get_running_loop())
            self._ready.set()
            if self.dispatcher is not None:
                await self.dispatcher.run(self._stopping)
            else:
                await self._stopping.wait()
        finally:
            await site_runner.cleanup()

    # -- connections from the front door --------------------------------------------------

    def adopt(self, sock: socket.socket) -> None:
        """Serve an accepted HTTP/1.1 connection (from any thread; its bytes still unread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            sock.close()
            return

        def serve() -> None:
            if self._web is None:
                sock.close()
                return
            flight = asyncio.ensure_future(loop.connect_accepted_socket(self._web, sock))
            flight.add_done_callback(_closed_on_failure(sock))

        try:
            loop.call_soon_threadsafe(serve)
        except RuntimeError:  # the loop is closing
            sock.close()


def _closed_on_failure(sock: socket.socket) -> Any:
    def done(flight: asyncio.Future[Any]) -> None:
        if not flight.cancelled() and flight.exception() is not None:
            sock.close()

    return done
