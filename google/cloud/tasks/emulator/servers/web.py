"""The emulator's HTTP side as one aiohttp application: REST, control, dashboard, OIDC.

Every route the HTTP side answers is added here, so that the request guard
(:mod:`.guard`), which wraps the application, wraps all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from ..delivery.tokens import DISCOVERY_PATH, JWKS_PATH, PEM_CERTS_PATH
from ..service.cloud_tasks import CloudTasksService
from .grpc_routes import MAX_REQUEST_BYTES
from .guard import GUARD, Guard, request_guard
from .rest_extras import HISTORY, History
from .rest_gateway import Gateway


def http_app(
    service: CloudTasksService,
    signer: Any,
    forget: Callable[[str | None], None],
    dashboard: Any = None,
    allowed_hosts: Iterable[str] = (),
    history: History | None = None,
) -> web.Application:
    """The emulator's HTTP side: the OIDC documents, the REST API and its extras.

    ``forget`` is called after a control request reset everything (None) or one
    project (its id); ``dashboard``
    (a :class:`~.dashboard.Dashboard`) adds the web pages, when given.
    ``allowed_hosts`` are the host names, beyond the loopback ones and IP
    addresses, that requests may name in ``Host`` and ``Origin`` (``*``: any
    Host); every route is behind the guard (see :mod:`.guard`).  ``history`` (the
    journal's) gives ``/_emulator/queues/{queue}/tasks`` each task's attempts.
    """

    async def discovery(request: web.Request) -> web.Response:
        return web.json_response(signer.discovery(f"{request.scheme}://{request.host}"))

    async def jwks(request: web.Request) -> web.Response:
        return web.json_response(signer.jwks())

    async def pem_certs(request: web.Request) -> web.Response:
        return web.json_response(signer.pem_certs())

    guard = Guard.of(allowed_hosts)
    app = web.Application(client_max_size=MAX_REQUEST_BYTES, middlewares=[request_guard(guard)])
    app[GUARD] = guard
    if history is not None:
        app[HISTORY] = history
    app.router.add_get(DISCOVERY_PATH, discovery)
    app.router.add_get(JWKS_PATH, jwks)
    app.router.add_get(PEM_CERTS_PATH, pem_certs)
    if dashboard is not None:
        dashboard.add_routes(app)
    app.router.add_route("*", r"/{tail:[\s\S]*}", Gateway(service, forget).handle)  # any path
    return app
