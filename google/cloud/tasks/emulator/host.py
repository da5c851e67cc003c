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
import concurrent.futures
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from .delivery.dispatcher import Dispatcher
from .delivery.journal import Journal
from .delivery.routes import Routes
from .delivery.tokens import Signer
from .servers.http_protocol import HttpRunner
from .servers.rest_extras import SETTLE
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
    loopback names and IP addresses (see :mod:`.servers.guard`).  HTTP tasks whose
    URL one of ``routes`` matches are delivered where it says (see
    :mod:`.delivery.routes`); the table may change while the host runs.
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
        routes: Routes | None = None,
        on_reset: Callable[[str | None], None] | None = None,
    ) -> None:
        self.service = service
        #: called after a reset of everything (None) or of one project, to remake what
        #: the emulator was started with (its --queue queues and queue files)
        self._on_reset = on_reset
        self.signer = signer
        # finished tasks and the charts go by the emulator's clock
        service.store.clock_us = service.clock.now_us
        self.journal = Journal(service.store, service.clock.now_us)
        self.dispatcher = Dispatcher(service, signer, self.journal, routes) if dispatch else None
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
        #: the dashboard (a :class:`~.servers.dashboard.Dashboard`) once serving (None: no UI)
        self.dashboard: Any = None

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

    def launched(self) -> int:
        """Deliveries launched so far (0 when this host does not deliver)."""
        return self.dispatcher.launched if self.dispatcher is not None else 0

    def settle(self, since: int, timeout: float) -> None:
        """Block until the deliveries due now, and those launched after the first ``since``
        (:meth:`launched`), have finished (see
        :meth:`~.delivery.dispatcher.Dispatcher.settle`); ``TimeoutError`` after ``timeout``
        seconds.  Returns at once when this host does not deliver."""
        loop = self._loop
        if self.dispatcher is None or loop is None or loop.is_closed():
            return
        done = asyncio.run_coroutine_threadsafe(self.dispatcher.settle(since), loop)
        try:
            done.result(timeout)
        except concurrent.futures.TimeoutError:
            done.cancel()
            raise TimeoutError(
                f"deliveries made due were still running after {timeout:g} s"
            ) from None

    def forget(self, project: str | None = None) -> None:
        """After a reset of the store (of everything, or of ``project``): forget the recorded
        deliveries (of everything only) and make the start queues again."""
        if project is None:
            self.journal.forget()
            if self.dashboard is not None:
                self.dashboard.depths.clear()
        if self._on_reset is not None:
            self._on_reset(project)

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

            board = self.dashboard = Dashboard(self.service, self.journal, self)
        app = http_app(
            self.service, self.signer, self.forget, board, self._allowed_hosts, self.journal.history
        )
        if self.dispatcher is not None:
            app[SETTLE] = self.dispatcher  # clock moves that wait for deliveries
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
