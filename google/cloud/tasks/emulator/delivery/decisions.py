"""What the dispatcher decides, as pure functions: requests, headers, backoff, rate.

Nothing here does I/O or reads a clock: the dispatcher passes the time in.
The rules follow the real service (see the emulator's README section on
delivery): the headers it adds and how it counts them, how queue-level
overrides replace a task's target, the retry schedule and when a task is
given up, and the token bucket behind ``max_dispatches_per_second``.  A
request's URL never carries credentials: ``user:password@`` in a task's URL
becomes HTTP Basic auth, or gives way to an Authorization header the request
has anyway (see :func:`http_request`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from google.api_core import exceptions as core_exceptions

from ..service import model as m
from ..service.cloud_tasks import (  # the User-Agents the service stores and sends
    APP_ENGINE_USER_AGENT,
    HTTP_USER_AGENT,
)
from ..service.targets import (  # re-exported: what a task's target is
    app_engine_host,
    override_url,
    routing,
)

APP_ENGINE_RETRY_REASON = "App Error"
#: App Engine's retry reason after an attempt that timed out
APP_ENGINE_TIMEOUT_REASON = "Instance Unavailable"
#: How an attempt that got no answer within its dispatch deadline is remembered (as
#: :attr:`Attempt.previous_status`): the next attempt of an HTTP task shows it as
#: :data:`HTTP_TIMEOUT_STATUS`, of an App Engine task as ``0``.  A refused connection
#: (no answer at all) is remembered as None.
TIMED_OUT = 0
#: the previous response an HTTP task's retry shows after a timeout (504 Gateway Timeout)
HTTP_TIMEOUT_STATUS = 504
#: answers that say the handler is overloaded or unavailable: not executions of an HTTP task
_NOT_EXECUTED = frozenset((429, 503))
DEFAULT_OAUTH_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
OCTET_STREAM = "application/octet-stream"

METHODS = {1: "POST", 2: "GET", 3: "HEAD", 4: "PUT", 5: "DELETE", 6: "PATCH", 7: "OPTIONS"}
BODY_METHODS = frozenset(("POST", "PUT", "PATCH"))

#: Task headers the service computes itself or reserves, so a task's own are dropped.
_RESERVED = ("host", "content-length", "user-agent")
_RESERVED_PREFIXES = ("x-cloudtasks-", "x-appengine-", "x-google-")

#: Makes a bearer token: ``(kind, service account email, audience or scope) -> token``,
#: where kind is ``"oidc"`` or ``"oauth"``.
Mint = Callable[[str, str, str], str]


@dataclass(frozen=True)
class Attempt:
    """What the headers of the next attempt say about the earlier ones."""

    #: attempts made before this one
    retries: int
    #: earlier attempts that count as executions, what the ``TaskExecutionCount``
    #: header says (see :func:`counts_as_execution`)
    executions: int
    #: HTTP status of the previous attempt; :data:`TIMED_OUT` when it got no answer within
    #: its deadline; None on the first attempt, or when it got no answer at all
    previous_status: int | None
    #: the task's schedule time, µs since the epoch
    eta_us: int


@dataclass(frozen=True)
class Request:
    """One HTTP request the dispatcher sends for a task."""

    method: str
    #: where to connect
    url: str
    #: every header, in order, with the case the task gave
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: seconds the handler has to answer
    deadline: float
    #: ``"http"`` or ``"app_engine"``
    kind: str


def short_name(name: str) -> str:
    """The last segment of a resource name (a queue or task id)."""
    return name.rsplit("/", 1)[-1]


def eta(us: int) -> str:
    """A schedule time as the ``TaskETA`` headers show it: seconds since the epoch."""
    seconds, micros = divmod(abs(us), 1_000_000)
    return f"{'-' if us < 0 else ''}{seconds}.{micros:06d}"


def _reserved(key: str) -> bool:
    low = key.lower()
    return low in _RESERVED or low.startswith(_RESERVED_PREFIXES)


def _own_headers(headers: object) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.items() if not _reserved(k)]  # type: ignore[attr-defined]


def _replace(headers: list[tuple[str, str]], key: str, value: str) -> None:
    """Set ``key`` (case-insensitively replacing any present) to ``value``."""
    low = key.lower()
    headers[:] = [(k, v) for k, v in headers if k.lower() != low]
    headers.append((key, value))


def _has(headers: list[tuple[str, str]], key: str) -> bool:
    low = key.lower()
    return any(k.lower() == low for k, _ in headers)


def _token_header(holder: object, url: str, mint: Mint) -> str | None:
    which = holder.WhichOneof("authorization_header")  # type: ignore[attr-defined]
    if which == "oidc_token":
        token = holder.oidc_token  # type: ignore[attr-defined]
        return mint("oidc", token.service_account_email, token.audience or url)
    if which == "oauth_token":
        token = holder.oauth_token  # type: ignore[attr-defined]
        return mint("oauth", token.service_account_email, token.scope or DEFAULT_OAUTH_SCOPE)
    return None


def split_credentials(url: str) -> tuple[str, str | None]:
    """``(url without its user:password@, an HTTP Basic Authorization value or None)``.

    The user and password are percent-decoded, as curl and browsers do, and
    the rest of the URL is left exactly as it was.
    """
    scheme_end = url.find("://")
    if scheme_end < 0:
        return url, None
    start = scheme_end + 3
    ends = [at for at in (url.find(c, start) for c in "/?#") if at >= 0]
    end = min(ends, default=len(url))
    userinfo, at, _ = url[start:end].rpartition("@")
    if not at:
        return url, None
    bare = url[:start] + url[start + len(userinfo) + 1 :]
    user, _, password = userinfo.partition(":")
    if not user and not password:  # "http://@host/" names nobody
        return bare, None
    pair = unquote_to_bytes(user) + b":" + unquote_to_bytes(password)
    return bare, "Basic " + base64.b64encode(pair).decode("ascii")


def http_request(task: m.Task, queue: m.Queue, attempt: Attempt, mint: Mint) -> Request:
    """The request for an HTTP-target task, with the queue's overrides applied.

    Credentials in the URL (``https://user:password@host/...``) never reach the
    wire in the URL: they become an ``Authorization: Basic`` header, unless the
    request carries an Authorization header already (the task's own, a queue
    header override, or an OIDC or OAuth token), which wins.
    """
    source = task.http_request
    target = queue.http_target if queue.HasField("http_target") else None
    url, basic = split_credentials(override_url(source.url, queue))
    method = METHODS.get(source.http_method, "POST")
    if target is not None and target.http_method:
        method = METHODS.get(target.http_method, method)
    headers = _own_headers(source.headers)
    if target is not None:
        for override in target.header_overrides:
            if not _reserved(override.header.key):
                _replace(headers, override.header.key, override.header.value)
    headers.append(("User-Agent", HTTP_USER_AGENT))
    headers += [
        ("X-CloudTasks-QueueName", short_name(queue.name)),
        ("X-CloudTasks-TaskName", short_name(task.name)),
        ("X-CloudTasks-TaskRetryCount", str(attempt.retries)),
        ("X-CloudTasks-TaskExecutionCount", str(attempt.executions)),
        ("X-CloudTasks-TaskETA", eta(attempt.eta_us)),
    ]
    if attempt.retries:
        previous = attempt.previous_status
        if previous == TIMED_OUT:
            previous = HTTP_TIMEOUT_STATUS
        if previous is not None:
            headers.append(("X-CloudTasks-TaskPreviousResponse", str(previous)))
        headers.append(("X-CloudTasks-TaskRetryReason", ""))
    holder = target if target is not None and target.WhichOneof("authorization_header") else source
    bearer = _token_header(holder, url, mint)
    if bearer is not None:
        _replace(headers, "Authorization", f"Bearer {bearer}")
    elif basic is not None and not _has(headers, "Authorization"):
        headers.append(("Authorization", basic))
    body = source.body if method in BODY_METHODS else b""
    return Request(method, url, tuple(headers), body, _deadline(task), "http")


def app_engine_request(task: m.Task, queue: m.Queue, attempt: Attempt, app_host: str) -> Request:
    """The request for an App Engine task, sent to ``app_host`` with the routed ``Host``."""
    source = task.app_engine_http_request
    method = METHODS.get(source.http_method, "POST")
    headers = _own_headers(source.headers)
    body = source.body if method in BODY_METHODS else b""
    if body and not _has(headers, "Content-Type"):
        headers.append(("Content-Type", OCTET_STREAM))
    headers += [
        ("Host", app_engine_host(routing(task, queue), app_host)),
        ("User-Agent", APP_ENGINE_USER_AGENT),
        ("X-AppEngine-QueueName", short_name(queue.name)),
        ("X-AppEngine-TaskName", short_name(task.name)),
        ("X-AppEngine-TaskRetryCount", str(attempt.retries)),
        ("X-AppEngine-TaskExecutionCount", str(attempt.executions)),
        ("X-AppEngine-TaskETA", eta(attempt.eta_us)),
    ]
    if attempt.retries:
        previous = attempt.previous_status
        if previous is not None:
            headers.append(("X-AppEngine-TaskPreviousResponse", str(previous)))
        reason = APP_ENGINE_TIMEOUT_REASON if previous == TIMED_OUT else APP_ENGINE_RETRY_REASON
        headers.append(("X-AppEngine-TaskRetryReason", reason))
    url = f"http://{app_host}{source.relative_uri or '/'}"
    return Request(method, url, tuple(headers), body, _deadline(task), "app_engine")


def request_for(
    task: m.Task, queue: m.Queue, attempt: Attempt, app_host: str, mint: Mint
) -> Request:
    """The request that delivers ``task`` (an HTTP or App Engine task) now."""
    if task.HasField("app_engine_http_request"):
        return app_engine_request(task, queue, attempt, app_host)
    return http_request(task, queue, attempt, mint)


def _deadline(task: m.Task) -> float:
    if task.HasField("dispatch_deadline"):
        return m.seconds_of(task.dispatch_deadline)
    return 600.0


# -- outcomes --------------------------------------------------------------------------


def succeeded(status: int | None) -> bool:
    """Whether an attempt's answer completes the task: any 2xx."""
    return status is not None and 200 <= status < 300


def counts_as_execution(outcome: int | None, app_engine: bool = False) -> bool:
    """Whether an attempt that ended with ``outcome`` adds to the ``TaskExecutionCount`` header.

    ``outcome`` is the answer's HTTP status, :data:`TIMED_OUT`, or None when the
    handler could not be reached.  For an HTTP task, any answer but 429 and 503
    counts (so after 503, 404, 429, 500 and 302 the count goes 0, 1, 1, 2, 3).
    For an App Engine task, every attempt counts but one that timed out (a
    refused connection counts, as it always has here: the real service's
    answer to that is not recorded).
    """
    if app_engine:
        return outcome != TIMED_OUT
    return outcome is not None and outcome != TIMED_OUT and outcome not in _NOT_EXECUTED


#: HTTP statuses with one ``google.rpc.Code`` (the mapping ``google/rpc/code.proto`` gives)
_RPC_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 429: 8, 499: 1, 501: 12, 503: 14, 504: 4}


def rpc_code(status: int) -> int:
    """The ``google.rpc.Code`` number of an HTTP status (2 UNKNOWN when none fits)."""
    if 200 <= status < 300:
        return 0
    code = _RPC_CODES.get(status)
    if code is not None:
        return code
    known = core_exceptions.exception_class_for_http_status(status).grpc_status_code
    return known.value[0] if known is not None else 2


def retry_config(task: m.Task, queue: m.Queue) -> m.RetryConfig:
    """The queue's retry policy with any fields the task sets itself."""
    rc = m.RetryConfig()
    rc.CopyFrom(queue.retry_config)
    if task.HasField("retry_config"):
        own = task.retry_config
        for fd, value in own.ListFields():
            if fd.message_type is not None:
                getattr(rc, fd.name).CopyFrom(value)
            else:
                setattr(rc, fd.name, value)
    return rc


def backoff(rc: m.RetryConfig, retry: int) -> float:
    """Seconds before the ``retry``-th retry (1 for the first).

    The wait doubles from ``min_backoff`` ``max_doublings`` times, then grows by
    the last doubled step each retry, and never exceeds ``max_backoff``.
    """
    low = m.seconds_of(rc.min_backoff)
    high = m.seconds_of(rc.max_backoff)
    doublings = rc.max_doublings
    step = max(retry, 1) - 1
    if step <= doublings:
        wait = low * 2.0**step
    else:
        wait = low * 2.0**doublings * (1 + step - doublings)
    return min(wait, high) if high > 0 else wait


def exhausted(rc: m.RetryConfig, attempts: int, first_us: int, now_us: int) -> bool:
    """Whether a task that failed ``attempts`` times is given up (and deleted).

    Both limits must be spent: ``max_attempts`` attempts (-1: never), and, when
    ``max_retry_duration`` is set, that long since the first attempt.
    """
    if rc.max_attempts < 0 or attempts < rc.max_attempts:
        return False
    limit = m.seconds_of(rc.max_retry_duration)
    return limit <= 0 or (now_us - first_us) >= limit * 1_000_000


# -- rate ------------------------------------------------------------------------------


class TokenBucket:
    """``max_dispatches_per_second`` as the service applies it: a bucket of ``burst`` tokens.

    It starts full and refills continuously at ``rate`` tokens a second.
    """

    __slots__ = ("burst", "rate", "_tokens", "_at")

    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self._tokens = float(burst)
        self._at = now

    def configure(self, rate: float, burst: int, now: float) -> None:
        """Take a queue's new limits at ``now`` (keeping its tokens, up to the new size)."""
        self.available(now)  # what the old rate earned until now
        self.rate = rate
        self.burst = burst
        self._tokens = min(self._tokens, float(burst))

    def available(self, now: float) -> int:
        """Whole tokens on hand at ``now`` (a ``now`` before the last one earns nothing)."""
        if now > self._at:
            self._tokens = min(float(self.burst), self._tokens + (now - self._at) * self.rate)
            self._at = now
        return int(self._tokens + 1e-9)

    def take(self, count: int) -> None:
        """Spend ``count`` tokens (after :meth:`available` said they are there)."""
        self._tokens -= count

    def wait(self, now: float) -> float:
        """Seconds from ``now`` until a whole token is on hand."""
        missing = 1.0 - (self._tokens + max(0.0, now - self._at) * self.rate)
        return max(0.0, missing / self.rate) if self.rate > 0 else 1.0
