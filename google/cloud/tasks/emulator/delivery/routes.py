"""Routes: deliver tasks made for production URLs to where the test runs.

A route maps a URL prefix to a target: another URL (``--route
https://worker-abc-uc.a.run.app=http://127.0.0.1:8080``), or, in Python, a
WSGI or ASGI application called in-process (:meth:`~..embed.Emulator.route`).
Only HTTP tasks are routed; App Engine tasks go to ``--app-engine-host`` as
before, and a task no route matches is delivered to its own URL.

What a user can rely on:

- A prefix matches a task's URL (after the queue's ``uri_override`` and with
  any ``user:password@`` removed) when the URL equals it or goes on with
  ``/``, ``?`` or ``#`` right after it, or when the prefix itself ends with
  ``/``: ``https://a.run.app`` matches ``https://a.run.app/jobs`` and
  ``https://a.run.app?x=1``, never ``https://a.run.app.evil/`` or
  ``https://a.run.app:8443/``.  Scheme and host compare without regard to
  case, and an explicit default port (``:443`` for https, ``:80`` for
  http) is the same as none.  Of the prefixes that match, the longest wins.
- A URL target replaces the prefix: ``https://a.run.app/jobs/1?x=1`` routed
  by ``https://a.run.app=http://127.0.0.1:8080`` is sent to
  ``http://127.0.0.1:8080/jobs/1?x=1``; one slash joins the two where the
  prefix or the target ends with ``/``.
- Everything else about the request stays as production would send it: the
  ``Host`` header names the task's own host, the OIDC token's audience is
  the task's URL (unless the task sets one), every ``X-CloudTasks-*``
  header, the method and the body are unchanged, and the stored task keeps
  its URL.
- An application target sees the task's own URL: its path and query, its
  host (``Host``, ``SERVER_NAME``, the ASGI ``server``) and scheme, with the
  same headers and body a handler on the network would get.  Its answer is
  judged as a network answer is: a 2xx completes the task, any other status
  is a failed attempt.  An exception it raises, or an answer it never
  starts, is a failed attempt with status 500 (what a web server would send
  for it), logged on the ``google.cloud.tasks.emulator.dispatch`` logger
  with the exception's type, message and traceback.
- A WSGI application runs on a thread of its own for each delivery, so it
  never holds up the emulator; past the task's dispatch deadline the
  attempt counts as timed out and whatever the thread does later is
  ignored.  An ASGI application runs on the emulator's event loop (it must
  not block) and is cancelled at the deadline.  ASGI ``lifespan`` events
  are not sent: start what the application needs before routing to it.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeAlias
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from yarl import URL

from .decisions import BODY_METHODS, Request

log = logging.getLogger("google.cloud.tasks.emulator.dispatch")

#: A WSGI application (``app(environ, start_response)``) or an ASGI 3 one
#: (``await app(scope, receive, send)``).
App: TypeAlias = Callable[..., Any]
#: What a route sends to: a URL (``http://127.0.0.1:8080``) or an application.
Target: TypeAlias = str | Callable[..., Any]
#: ``(status, error, first bytes of the answer, its headers)``, as the dispatcher records
Outcome: TypeAlias = tuple[int | None, str, bytes, tuple[tuple[str, str], ...]]

_DEFAULT_PORTS = {"http": ":80", "https": ":443"}
_BOUNDARY = "/?#"
#: the status an application's exception, or an answer it never started, stands for
APP_FAILED = 500


# -- URLs -------------------------------------------------------------------------------


def check_url(text: str, role: str = "URL") -> str:
    """``text`` if it is an absolute http:// or https:// URL; ValueError naming ``role`` if not."""
    if not isinstance(text, str):
        raise ValueError(f"{role} {text!r} is not a string")
    if not text or any(c.isspace() for c in text):
        raise ValueError(f"{role} {text!r}: use an http:// or https:// URL without spaces")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"{role} {text!r} is not a valid URL") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not text.lower().startswith(
        parts.scheme.lower() + "://"
    ):
        raise ValueError(f"{role} {text!r}: use an http:// or https:// URL")
    if not parts.hostname:
        raise ValueError(f"{role} {text!r} names no host")
    if "@" in parts.netloc:
        raise ValueError(f"{role} {text!r}: a route's URL carries no user:password@")
    return text


def normal(url: str) -> str:
    """``url`` with its scheme and host in lower case and a default port left out.

    Only the part before the path changes, so a prefix of the result is a
    prefix of the original from the path on.
    """
    start = url.find("://")
    if start < 0:
        return url
    start += 3
    ends = [at for at in (url.find(c, start) for c in _BOUNDARY) if at >= 0]
    end = min(ends, default=len(url))
    scheme = url[: start - 3].lower()
    authority = url[start:end].lower()
    default = _DEFAULT_PORTS.get(scheme)
    if default is not None and authority.endswith(default) and "@" not in authority:
        authority = authority[: -len(default)]
    return f"{scheme}://{authority}{url[end:]}"


def matches(prefix: str, url: str) -> bool:
    """Whether ``prefix`` matches ``url`` on a URL boundary (both already :func:`normal`)."""
    if not url.startswith(prefix):
        return False
    return len(url) == len(prefix) or prefix.endswith("/") or url[len(prefix)] in _BOUNDARY


def join(prefix: str, target: str, url: str) -> str:
    """``url`` (matched by ``prefix``; both :func:`normal`) with ``target`` for ``prefix``."""
    rest = url[len(prefix) :]
    if prefix.endswith("/"):
        rest = "/" + rest  # the boundary slash belongs to what follows
    if target.endswith("/") and rest.startswith("/"):
        return target + rest[1:]
    return target + rest


def longest(prefixes: Iterable[str], url: str) -> str | None:
    """The longest of ``prefixes`` (each :func:`normal`) that matches ``url``, or None."""
    found: str | None = None
    norm = normal(url)
    for prefix in prefixes:
        if matches(prefix, norm) and (found is None or len(prefix) > len(found)):
            found = prefix
    return found


def rewrite(routes: Mapping[str, str], url: str) -> str:
    """``url`` sent where the longest matching prefix of ``routes`` (FROM -> TO) says.

    A pure function: ``rewrite({"https://a.run.app": "http://127.0.0.1:8080"},
    "https://a.run.app/jobs/1")`` is ``"http://127.0.0.1:8080/jobs/1"``; a URL
    no prefix matches comes back as it is.
    """
    table = {normal(prefix): to for prefix, to in routes.items()}
    prefix = longest(table, url)
    return url if prefix is None else join(prefix, table[prefix], normal(url))


def host_header(url: str) -> str:
    """The ``Host`` header a client sends for ``url``: its host, and its port unless the default."""
    host = URL(url).host_port_subcomponent
    if not host:
        raise ValueError(f"{url!r} names no host")
    return host


def parse_route(text: str) -> tuple[str, str]:
    """``FROM=TO`` (two http:// or https:// URLs) as ``(FROM, TO)``; ValueError if not.

    The pair splits at the first ``=`` that an ``http://`` or ``https://``
    follows, so FROM may have an ``=`` of its own.
    """
    low = text.lower()
    cuts = [at for at in (low.find("=http://"), low.find("=https://")) if at >= 0]
    if not cuts:
        if "=" not in text:
            raise ValueError(
                f"{text!r}: use FROM=TO, e.g. https://app.example.com=http://127.0.0.1:8080"
            )
        raise ValueError(f"{text!r}: the target after '=' must be an http:// or https:// URL")
    cut = min(cuts)
    try:
        return check_url(text[:cut], "the prefix"), check_url(text[cut + 1 :], "the target")
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None


# -- the table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One route: a URL prefix and where the tasks it matches go."""

    #: the prefix as given
    prefix: str
    #: a URL, or an in-process application
    target: str | InProcess


class Routes:
    """The routing table the dispatcher reads; changeable from any thread while it runs."""

    def __init__(self, routes: Mapping[str, Target] | Iterable[tuple[str, Target]] = ()) -> None:
        self._lock = threading.Lock()
        #: normalized prefix -> route; replaced whole on each change, read without the lock
        self._table: dict[str, Route] = {}
        pairs = routes.items() if isinstance(routes, Mapping) else routes
        for prefix, target in pairs:
            self.set(prefix, target)

    def set(self, prefix: str, target: Target | None) -> None:
        """Send tasks whose URL ``prefix`` matches to ``target`` (None: remove the route).

        ``target`` is an http:// or https:// URL, or a WSGI or ASGI
        application; ValueError for a bad URL, TypeError for anything else.
        """
        check_url(prefix, "the prefix")
        route: Route | None = None
        if target is not None:
            if isinstance(target, str):
                route = Route(prefix, check_url(target, "the target"))
            elif callable(target):
                route = Route(prefix, InProcess(target))
            else:
                raise TypeError(
                    f"a route's target is a URL or a WSGI or ASGI application, not {target!r}"
                )
        with self._lock:
            table = dict(self._table)
            if route is None:
                table.pop(normal(prefix), None)
            else:
                table[normal(prefix)] = route
            self._table = table

    def assign(self, routes: Mapping[str, Target]) -> None:
        """Replace every route with ``routes`` (checked first: on an error nothing changes)."""
        table = Routes(routes)._table
        with self._lock:
            self._table = table

    def items(self) -> list[tuple[str, Target]]:
        """``(prefix, target)`` of each route, as given."""
        return [
            (r.prefix, r.target.app if isinstance(r.target, InProcess) else r.target)
            for r in self._table.values()
        ]

    def __len__(self) -> int:
        return len(self._table)

    def resolve(self, request: Request) -> tuple[Request, InProcess | None]:
        """Where ``request`` goes: ``(request to send, application to call or None)``.

        A request no route matches, and an App Engine task's, comes back as it
        is.  A URL route gives a copy with the URL rewritten and the original
        ``Host`` header set; an application route gives the request unchanged
        and the application to call with it.
        """
        table = self._table
        if not table or request.kind != "http" or not request.url:
            return request, None
        prefix = longest(table, request.url)
        if prefix is None:
            return request, None
        target = table[prefix].target
        if isinstance(target, InProcess):
            return request, target
        url = join(prefix, target, normal(request.url))
        headers = [(k, v) for k, v in request.headers if k.lower() != "host"]
        headers.insert(0, ("Host", host_header(request.url)))
        return replace(request, url=url, headers=tuple(headers)), None


# -- in-process applications ---------------------------------------------------------


def is_asgi(app: App) -> bool:
    """Whether ``app`` is an ASGI application: a coroutine function or one when called."""
    if inspect.iscoroutinefunction(app):
        return True
    # an instance of a class whose __call__ is async (Starlette, FastAPI, Django's ASGIHandler)
    return inspect.iscoroutinefunction(type(app).__call__)


class InProcess:
    """A WSGI or ASGI application that tasks are delivered to without a socket."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.asgi = is_asgi(app)

    async def send(self, request: Request, limit: int) -> Outcome:
        """Deliver ``request`` (keeping ``limit`` bytes of the answer).

        ``asyncio.TimeoutError`` when the application has not answered within
        the request's deadline; whatever the application does wrong is an answer.
        """
        if self.asgi:
            return await asyncio.wait_for(_call_asgi(self.app, request, limit), request.deadline)
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Outcome] = loop.create_future()

        def settle(outcome: Outcome) -> None:
            if not done.done():
                done.set_result(outcome)

        def work() -> None:
            outcome = _call_wsgi(self.app, request, limit)
            try:
                loop.call_soon_threadsafe(settle, outcome)
            except RuntimeError:  # the emulator stopped meanwhile
                pass

        threading.Thread(target=work, name="cloud-tasks-emulator-wsgi", daemon=True).start()
        return await asyncio.wait_for(done, request.deadline)


@dataclass(frozen=True)
class _Where:
    """What a handler on the network learns of ``request``'s URL (as aiohttp sends it)."""

    scheme: str
    #: the path and query, percent-encoded as they go on the wire
    raw_path: str
    raw_query: str
    #: the ``Host`` header, and the host and port apart
    host: str
    server: str
    port: int


def _where(request: Request) -> _Where:
    url = URL(request.url)
    port = url.port or (443 if url.scheme == "https" else 80)
    return _Where(
        url.scheme,
        url.raw_path or "/",
        url.raw_query_string,
        host_header(request.url),
        url.raw_host or "",
        port,
    )


def _headers(request: Request, host: str) -> list[tuple[str, str]]:
    """The headers a handler on the network would get for ``request``."""
    headers = [("Host", host), *((k, v) for k, v in request.headers if k.lower() != "host")]
    if request.body or request.method in BODY_METHODS:
        headers.append(("Content-Length", str(len(request.body))))
    return headers


def _failure(app: App, request: Request, exc: BaseException | None, what: str) -> Outcome:
    """A failed attempt (500) for an application that raised ``exc`` or did ``what`` wrong."""
    name = getattr(app, "__qualname__", None) or type(app).__qualname__
    error = f"{type(exc).__name__}: {exc}" if exc is not None else what
    log.warning(
        "the application %s, called for %s %s, failed: %s",
        name,
        request.method,
        request.url,
        error,
        exc_info=(type(exc), exc, exc.__traceback__) if exc is not None else None,
    )
    return APP_FAILED, error[:500], b"", ()


def _call_wsgi(app: App, request: Request, limit: int) -> Outcome:
    """Call a WSGI application with ``request`` (on the calling thread)."""
    where = _where(request)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(where.raw_path).decode("latin-1"),
        "QUERY_STRING": where.raw_query,
        "SERVER_NAME": where.server,
        "SERVER_PORT": str(where.port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": where.scheme,
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for key, value in _headers(request, where.host):
        name = key.upper().replace("-", "_")
        if name not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = "HTTP_" + name
        environ[name] = f"{environ[name]},{value}" if name in environ else value
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if started and exc_info is None:
            raise RuntimeError("start_response was called twice without exc_info")
        started[:] = [(status, headers)]  # nothing is on the wire yet: a later call replaces it
        return written.append

    written: list[bytes] = []
    try:
        chunks = app(environ, start_response)
        try:
            kept = b"".join(written)
            for chunk in chunks:
                if len(kept) < limit:
                    kept += bytes(chunk)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    except BaseException as exc:  # the application's failure is an answer
        return _failure(app, request, exc, "")
    if not started:
        return _failure(app, request, None, "the application never called start_response")
    status_line, headers = started[0]
    code = status_line.split(" ", 1)[0]
    if len(code) != 3 or not code.isdigit():
        return _failure(app, request, None, f"the application answered status {status_line!r}")
    return int(code), "", kept[:limit], tuple((str(k), str(v)) for k, v in headers)


async def _call_asgi(app: App, request: Request, limit: int) -> Outcome:
    """Call an ASGI 3 application with ``request`` (on the running loop)."""
    where = _where(request)
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": request.method,
        "scheme": where.scheme,
        "path": unquote(where.raw_path),
        "raw_path": where.raw_path.encode("ascii", "replace"),
        "query_string": where.raw_query.encode("ascii", "replace"),
        "root_path": "",
        "headers": [
            (k.lower().encode("latin-1"), v.encode("latin-1", "replace"))
            for k, v in _headers(request, where.host)
        ],
        "client": ("127.0.0.1", 0),
        "server": (where.server, where.port),
        "extensions": {},
    }
    body_sent = False
    finished = asyncio.Event()
    status: int | None = None
    answer_headers: tuple[tuple[str, str], ...] = ()
    kept = b""

    async def receive() -> dict[str, Any]:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": request.body, "more_body": False}
        await finished.wait()  # the client stays until the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: Mapping[str, Any]) -> None:
        nonlocal status, answer_headers, kept
        kind = message.get("type")
        if kind == "http.response.start":
            if status is not None:
                raise RuntimeError("http.response.start was sent twice")
            status = int(message["status"])
            answer_headers = tuple(
                (bytes(k).decode("latin-1"), bytes(v).decode("latin-1"))
                for k, v in message.get("headers", ())
            )
        elif kind == "http.response.body":
            if status is None:
                raise RuntimeError("http.response.body was sent before http.response.start")
            if len(kept) < limit:
                kept += bytes(message.get("body", b""))
            if not message.get("more_body", False):
                finished.set()

    try:
        await app(scope, receive, send)
    except Exception as exc:  # the application's failure is an answer
        return _failure(app, request, exc, "")
    finally:
        finished.set()
    if status is None:
        return _failure(app, request, None, "the application returned without answering")
    return status, "", kept[:limit], answer_headers
