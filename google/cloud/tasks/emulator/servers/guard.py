"""The one request guard in front of every HTTP route: which requests may be served.

The emulator has no credentials, so anything that can reach its port can
drive it.  Tools and client libraries are meant to; web pages the developer
happens to visit are not.  The guard wraps the whole web application (REST,
``/_emulator/``, the dashboard, the OIDC documents) and refuses, before any
handler runs:

- **DNS rebinding**: a request whose ``Host`` names a host that is not
  allowed (403).  Allowed are ``localhost`` and ``*.localhost``, any IP
  address (``127.0.0.1``, ``[::1]``, ``192.168.1.5``: rebinding needs a
  host name the attacker controls), the address the emulator listens on,
  and the names given with ``--allowed-host`` (``allowed_hosts`` in
  Python), for docker-compose service names.  Only the name counts, never
  the port, since port mappings change it.  ``*`` turns this check off.  A
  request without a ``Host`` header (HTTP/1.0) or with an empty one is served.
- **Requests from web pages of other sites**: a POST, PUT, PATCH or DELETE
  that carries an ``Origin`` (``null`` included) whose host is not allowed,
  or ``Sec-Fetch-Site: cross-site`` (403).  Requests without either, as
  curl and client libraries send them, are served.  An ``Origin`` naming an
  IP address is allowed when it is a loopback address, the listening
  address, or the very address the request was sent to (the emulator's own
  pages, reached by IP).
- **Bodies that are not JSON**: a POST, PUT, PATCH or DELETE with a body must
  say ``Content-Type: application/json`` (parameters such as
  ``; charset=utf-8`` allowed), else 400.  A browser cannot send that type
  to another site without a CORS preflight, which the emulator never grants.
  BufferTask (``.../tasks:buffer``), whose body is the task's body, takes any
  type, and so do the dashboard's own forms (which carry its token).

Refusals are answered in Google's JSON error format, say what was refused
and how to allow it, and are logged at INFO in one line.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from ..service.errors import Code, shown
from .rest_extras import BUFFER
from .rest_gateway import error_body

log = logging.getLogger("google.cloud.tasks.emulator")

#: methods that change state, the ones the Origin and Content-Type rules cover
STATE_CHANGING = frozenset(("POST", "PUT", "PATCH", "DELETE"))
#: the ``--allowed-host`` value that turns the Host check off
ANY_HOST = "*"
#: where the dashboard's buttons post their forms
DASHBOARD_ACTIONS = "/ui/act"


def _ip(name: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``name`` as an IP address (IPv4-mapped IPv6 as IPv4), or None when it is a host name."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _canonical(name: str) -> str:
    """A host name lower-cased without a trailing dot; an IP address in its usual form."""
    name = name.lower()
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    address = _ip(name) if name[:1].isdigit() or ":" in name else None
    return str(address) if address is not None else name


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a ``Host`` header (``name``, ``name:port``, ``[v6]:port``).

    The name comes canonical (see :func:`_canonical`; IPv6 without brackets);
    None when the value is not a host.
    """
    value = value.strip()
    port_text = ""
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or _ip(name) is None or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:]
        if rest and not port_text:
            return None
    else:
        name, colon, port_text = value.partition(":")
        if colon and not port_text:
            return None
    if port_text and not (port_text.isascii() and port_text.isdigit() and int(port_text) < 65536):
        return None
    if not name or any(c in name for c in "/\\@?# \t,;\"'<>") or not name.isprintable():
        return None
    return _canonical(name), int(port_text) if port_text else None


def allowed_host(text: str) -> str:
    """An ``--allowed-host`` value as the guard keeps it: a host name, or ``*``.

    A port given with it (``tasks:8123``) is dropped, since only names are
    compared.  ``ValueError`` (saying why) when ``text`` is not a host name.
    """
    text = text.strip()
    if text == ANY_HOST:
        return ANY_HOST
    if "://" in text:
        raise ValueError("give a host name, not a URL (e.g. tasks-emulator)")
    bare = _ip(text)  # an IPv6 address without brackets
    parts = (_canonical(text), None) if bare is not None else split_host(text)
    if parts is None:
        raise ValueError("not a host name (e.g. tasks-emulator, or * for any host)")
    return parts[0]


def _loopback_name(name: str) -> bool:
    return name == "localhost" or name.endswith(".localhost")


@dataclass(frozen=True)
class Guard:
    """Which hosts may be named in ``Host`` and ``Origin``, and the guard's decisions.

    ``names`` are the allowed host names beyond the loopback ones (the
    ``--allowed-host`` names and the address the emulator listens on, as
    :func:`allowed_host` keeps them); ``any_host`` turns the Host check off.
    """

    names: frozenset[str]
    any_host: bool

    @classmethod
    def of(cls, allowed: Iterable[str] = ()) -> Guard:
        """The guard for these allowed hosts (``ValueError`` for one that is not a host)."""
        names = {allowed_host(text) for text in allowed if text.strip()}
        return cls(frozenset(names - {ANY_HOST}), ANY_HOST in names)

    # -- the decisions ----------------------------------------------------------------

    def host_allowed(self, name: str) -> bool:
        """Whether a request may name ``name`` (canonical, no port) in its ``Host``."""
        return self.any_host or name in self.names or _loopback_name(name) or _ip(name) is not None

    def origin_allowed(self, origin: str, hosts: Sequence[str] = ()) -> bool:
        """Whether a page of ``origin`` may change state, for a request sent to ``hosts``.

        ``hosts`` are the request's ``Host`` header values: an origin that is
        exactly where the request went is the emulator's own page when that
        place is an IP address (or when every Host is accepted).
        """
        try:
            parts = urlsplit(origin.strip())
            name, port = parts.hostname, parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not name:
            return False
        name = _canonical(name)
        address = _ip(name)
        if name in self.names or _loopback_name(name):
            return True
        if address is not None and address.is_loopback:
            return True
        if len(hosts) != 1 or (address is None and not self.any_host):
            return False
        target = split_host(hosts[0])
        default = 443 if parts.scheme == "https" else 80
        return target is not None and (target[0], target[1] or default) == (name, port or default)

    def sender_refusal(
        self, verb: str, hosts: Sequence[str], origin: str | None, fetch_site: str | None
    ) -> tuple[Code, str] | None:
        """Why a request is refused for where it was sent or where it came from, or None.

        ``hosts`` are its ``Host`` header values (none for HTTP/1.0; an empty one
        counts as none, since a browser always names the host).
        """
        for host in hosts:
            refused = _host_refusal(self, host)
            if refused is not None:
                return Code.PERMISSION_DENIED, refused
        if verb not in STATE_CHANGING:
            return None
        if origin is not None and not self.origin_allowed(origin, hosts):
            return Code.PERMISSION_DENIED, _origin_refused(origin)
        if fetch_site is not None and fetch_site.strip().lower() == "cross-site":
            return Code.PERMISSION_DENIED, (
                "A request from a web page of another site (Sec-Fetch-Site: cross-site) may not"
                " change the emulator's state; send it from a tool or a client library."
            )
        return None


@functools.lru_cache(maxsize=1024)  # a client names the same host on every request
def _host_refusal(guard: Guard, host: str) -> str | None:
    """Why a ``Host`` header value is refused, or None."""
    if not host.strip():
        return None
    parts = split_host(host)
    if parts is None:
        return f'Host "{shown(host, 200)}" is not a host name the emulator accepts.'
    if not guard.host_allowed(parts[0]):
        return (
            f'Host "{shown(host, 200)}" is not allowed; start the emulator with'
            f" --allowed-host {shown(parts[0], 200)} to allow it."
        )
    return None


def body_refusal(
    verb: str, path: str, content_type: str | None, has_body: bool
) -> tuple[Code, str] | None:
    """Why a request is refused for its body's type, or None (see :func:`must_be_json`)."""
    if not has_body or not must_be_json(verb, path, content_type):
        return None
    got = f'"{shown(content_type, 100)}"' if content_type else "none"
    return Code.INVALID_ARGUMENT, (
        f"A {verb} request's body must be JSON, sent with Content-Type: application/json"
        f" (got {got}); with curl, add -H 'Content-Type: application/json'."
    )


def must_be_json(verb: str, path: str, content_type: str | None) -> bool:
    """Whether a body of this request, if any, is refused for not being declared JSON.

    State-changing requests must declare JSON, except BufferTask and the
    dashboard's forms, whose bodies are not API requests.
    """
    if verb not in STATE_CHANGING or _json_type(content_type):
        return False
    any_body = path == DASHBOARD_ACTIONS or BUFFER.fullmatch(path) is not None
    return not (verb == "POST" and any_body)


def _origin_refused(origin: str) -> str:
    text = shown(origin, 200)
    try:
        name = urlsplit(origin.strip()).hostname
    except ValueError:
        name = None
    if name and origin.strip().lower().startswith(("http://", "https://")):
        how = f"start the emulator with --allowed-host {shown(_canonical(name), 200)} to allow it"
    else:
        how = "send the request without an Origin header, as curl and client libraries do"
    return f'A web page of Origin "{text}" may not change the emulator\'s state; {how}.'


def _json_type(content_type: str | None) -> bool:
    """Whether a ``Content-Type`` says JSON (``application/json``, any parameters)."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


async def _has_body(request: web.Request) -> bool:
    """Whether the request carries a non-empty body (reading a chunked one to find out)."""
    if request.content_length is not None:
        return request.content_length > 0
    if not request.body_exists:
        return False
    try:
        return bool(await request.read())  # kept by aiohttp for the handler
    except web.HTTPRequestEntityTooLarge:
        return True


#: where :func:`http_app` keeps its guard, for handlers that check an Origin themselves
GUARD = web.AppKey("guard", Guard)


def request_guard(guard: Guard) -> Middleware:
    """The aiohttp middleware that applies ``guard`` to every request."""

    @web.middleware
    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        verb = request.method.upper()
        path = request.rel_url.raw_path
        headers = request.headers
        refused = guard.sender_refusal(
            verb, headers.getall("Host", []), headers.get("Origin"), headers.get("Sec-Fetch-Site")
        )
        content_type = headers.get("Content-Type")
        if refused is None and must_be_json(verb, path, content_type):
            refused = body_refusal(verb, path, content_type, await _has_body(request))
        if refused is None:
            return await handler(request)
        code, message = refused
        log.info("refused %s %s from %s: %s", verb, shown(path, 200), request.remote, message)
        return web.json_response(error_body(code, message), status=code.http)

    return guarded
