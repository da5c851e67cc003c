"""The dashboard's settings view: how the running emulator is set up, read from its host.

:func:`settings_rows` lists what a person wiring an application to the
emulator asks for: where it listens, where it keeps its data, its clock,
where App Engine tasks and routed tasks go, and the OIDC issuer and key URLs
a handler verifies tokens against.  Each group of rows comes from one small
function below, reading the host as it is now (routes may change while it
runs), so a new setting is one more row in the group it belongs to.
"""

from __future__ import annotations

from typing import Protocol

from ..delivery.dispatcher import Dispatcher
from ..delivery.tokens import DISCOVERY_PATH, ISSUER, JWKS_PATH, PEM_CERTS_PATH
from ..service.cloud_tasks import CloudTasksService
from ..service.store import FINISHED_KEEP, FINISHED_MOST, FINISHED_WINDOW_US
from .dashboard_html import absolute, e

Rows = list[tuple[str, str]]


class HostView(Protocol):
    """What the settings view reads of the host running the dashboard."""

    service: CloudTasksService
    dispatcher: Dispatcher | None
    #: the HTTP side's own port (0: it shares the one address through the front door)
    http_port: int


def _code(text: str) -> str:
    return f"<code>{e(text)}</code>"


def address_rows(host: HostView, base_url: str, address: str) -> Rows:
    """Where the emulator answers (``address`` as this page was reached)."""
    if host.http_port:
        ports = (
            f"the HTTP side (REST, dashboard, OIDC documents) has port {host.http_port} of its own"
        )
    else:
        ports = "gRPC, REST, this dashboard and the OIDC documents share this one port"
    return [
        ("Address", f"{_code(base_url)} — {_code(f'CLOUD_TASKS_EMULATOR_HOST={address}')}"),
        ("Ports", e(ports)),
    ]


def data_rows(host: HostView) -> Rows:
    """Where state is kept, and how long finished tasks stay visible."""
    path = host.service.store.path
    data = _code(path) if path else "in memory: nothing is kept after the emulator stops"
    kept = (
        f"the last {FINISHED_KEEP:,}, and every one from the last"
        f" {FINISHED_WINDOW_US // 3_600_000_000} h of the clock (up to {FINISHED_MOST:,})"
    )
    return [("Data file", data), ("Finished tasks kept", e(kept))]


def clock_rows(host: HostView) -> Rows:
    """The emulator's clock: its mode and its time."""
    clock = host.service.clock
    if clock.mode == "manual":
        how = "manual: stands still until moved (POST /_emulator/clock:advance or clock:set)"
    else:
        how = "system: the machine's time, plus any move forward"
    return [("Clock", f"{e(how)}; now {e(absolute(clock.now_us()))}")]


def delivery_rows(host: HostView) -> Rows:
    """Whether tasks are delivered, and where App Engine and routed tasks go."""
    settings = host.service.settings
    dispatcher = host.dispatcher
    rows: Rows = [
        ("Delivery", "on" if dispatcher is not None else "off (started with --no-dispatch)"),
        ("App Engine host", _code(settings.app_engine_host)),
        ("Firebase Functions host", _code(settings.functions_host)),
    ]
    routes = dispatcher.routes.items() if dispatcher is not None else []
    if routes:
        shown = "<br>".join(
            f"{_code(prefix)} → "
            + (_code(target) if isinstance(target, str) else f"in-process app {e(target)!s}")
            for prefix, target in routes
        )
    else:
        shown = "none: each HTTP task goes to its own URL (add some with --route FROM=TO)"
    rows.append(("Routes", shown))
    return rows


def token_rows(base_url: str) -> Rows:
    """What a handler needs to verify the OIDC tokens tasks carry."""
    return [
        ("OIDC issuer", _code(ISSUER)),
        ("OpenID configuration", _link(base_url + DISCOVERY_PATH)),
        ("JWKS URL", _link(base_url + JWKS_PATH)),
        ("Certificates URL (PEM)", _link(base_url + PEM_CERTS_PATH)),
    ]


def service_rows(host: HostView) -> Rows:
    """Settings of the emulated service."""
    settings = host.service.settings
    return [
        ("Locations", e(", ".join(settings.locations))),
        (
            "Name reuse",
            e(
                f"a deleted queue's name after {settings.queue_tombstone_seconds:g} s,"
                f" a task's after {settings.task_tombstone_seconds:g} s"
            ),
        ),
    ]


def _link(url: str) -> str:
    return f'<a href="{e(url)}"><code>{e(url)}</code></a>'


def settings_rows(host: HostView, base_url: str, address: str) -> Rows:
    """Every row of the settings view, in the order shown."""
    return [
        *address_rows(host, base_url, address),
        *data_rows(host),
        *clock_rows(host),
        *delivery_rows(host),
        *token_rows(base_url),
        *service_rows(host),
    ]
