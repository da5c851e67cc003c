"""Field-level rules: queue defaults and limits, task validation, paging tokens, filters.

Pure functions over model messages; the service calls them inside its
transactions.  Messages the real service documents live in :mod:`.errors`
or here; the rest are ours, worded the same way.

How a validation message is worded (INVALID_ARGUMENT, over gRPC and REST
alike), as the real service words the ones it was recorded giving:

- A field is named ``MessageType.camelCaseField``: the protobuf message that
  holds it and the field's JSON name, e.g. ``RateLimits.maxDispatchesPerSecond``,
  ``RetryConfig.minBackoff``, ``OidcToken.serviceAccountEmail``,
  ``LeaseTasksRequest.leaseDuration``.  The names are v2's; a v2beta2 request
  whose field has another name there (``maxTasksDispatchedPerSecond``) hears
  the v2 name.
- A negative number or duration: ``<field> cannot be negative.``
- A bound: ``<field> must be less than or equal to <N>.`` and
  ``<field> must be greater or equal to <N>.`` (the service's words, without
  "than"); one field bounded by another names both:
  ``RetryConfig.minBackoff must be less than or equal to RetryConfig.maxBackoff.``
- A range: ``<field> must be between [<low>, <high>].``, durations written as
  the service writes them (``15s``, ``30m``, ``24h15s``, ``720h``).
- A missing field: ``<field> is required.``
- A length: ``<field> must be at most <N> characters.``
- A malformed value: ``<field> must start with '<prefix>'.``, or
  ``<field> is not a valid <kind>.``
- A schedule time too far ahead quotes the time in US Pacific time, as the
  service does: ``The Task.scheduleTime, 2099-12-31T16:00:00-08:00, is too far
  in the future. Schedule time must be no more than 720h in the future.``
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from google.protobuf import duration_pb2

from . import model as m
from .errors import ServiceError, invalid, shown

MAX_RATE = 500.0
DEFAULT_CONCURRENCY = 1000
MAX_CONCURRENCY = 5000
DEFAULT_ATTEMPTS = 100
DEFAULT_MIN_BACKOFF = 0.1
DEFAULT_MAX_BACKOFF = 3600.0
DEFAULT_DOUBLINGS = 16
DEFAULT_TASK_TTL = 31 * 24 * 3600
DEFAULT_TOMBSTONE_TTL = 3600
MAX_SCHEDULE_AHEAD_US = 30 * 24 * 3600 * 1_000_000
DEFAULT_DEADLINE = 600
HTTP_DEADLINE = (15, 30 * 60)
APP_ENGINE_DEADLINE = (15, 24 * 3600 + 15)
MAX_LEASE_SECONDS = 7 * 24 * 3600
MAX_LEASE_TASKS = 1000
MAX_PORT = 65535
MAX_URL_LENGTH = 2083
BODY_METHODS = (1, 4, 6)  # POST, PUT, PATCH
STATES = {"RUNNING": m.RUNNING, "PAUSED": m.PAUSED, "DISABLED": m.DISABLED}

# The service's words (recorded), for a task without a payload (naming the oneof), a URL
# of another scheme or none (naming HttpTarget for a task's HttpRequest too), and a
# schedule time too far ahead.
NO_PAYLOAD = "Task.payload_type is not set."
URL_SCHEME = "HttpTarget.url must start with 'http://' or 'https://'."
TOO_FAR_AHEAD = (
    "The Task.scheduleTime, {time}, is too far in the future. Schedule time must be no more"
    " than {limit} in the future."
)
PULL_IN_PUSH_QUEUE = "Task.pullMessage can be set only for a task in a pull queue."


def burst_size(rate: float) -> int:
    """The token bucket size the service derives from a rate: a fifth of a second's worth."""
    return min(100, max(1, math.ceil(rate / 5)))


def negative(field: str) -> ServiceError:
    """``<field> cannot be negative.``"""
    return invalid(f"{field} cannot be negative.")


def at_most(field: str, bound: object) -> ServiceError:
    """``<field> must be less than or equal to <bound>.``"""
    return invalid(f"{field} must be less than or equal to {bound}.")


def at_least(field: str, bound: object) -> ServiceError:
    """``<field> must be greater or equal to <bound>.``"""
    return invalid(f"{field} must be greater or equal to {bound}.")


def required(field: str) -> ServiceError:
    """``<field> is required.``"""
    return invalid(f"{field} is required.")


def _duration(d: duration_pb2.Duration, field: str) -> float:
    """A duration field that may not be negative, in seconds."""
    if d.seconds < 0 or (d.seconds == 0 and d.nanos < 0):
        raise negative(field)
    if not m.duration_ok(d):
        raise invalid(f"{field} is not a valid duration.")
    return m.seconds_of(d)


def complete_retry_config(rc: m.RetryConfig, defaults: bool) -> None:
    """Validate a retry policy, filling the service defaults when ``defaults`` is true."""
    if rc.max_attempts < -1:
        raise at_least("RetryConfig.maxAttempts", -1)
    if rc.max_doublings < 0:
        raise negative("RetryConfig.maxDoublings")
    _duration(rc.max_retry_duration, "RetryConfig.maxRetryDuration")
    low = _duration(rc.min_backoff, "RetryConfig.minBackoff")
    high = _duration(rc.max_backoff, "RetryConfig.maxBackoff")
    if defaults:
        if rc.max_attempts == 0:
            rc.max_attempts = DEFAULT_ATTEMPTS
        if not rc.HasField("min_backoff"):
            low = DEFAULT_MIN_BACKOFF
            m.set_seconds(rc.min_backoff, low)
        if not rc.HasField("max_backoff"):
            high = DEFAULT_MAX_BACKOFF
            m.set_seconds(rc.max_backoff, high)
        if rc.max_doublings == 0:
            rc.max_doublings = DEFAULT_DOUBLINGS
        if not rc.HasField("max_retry_duration"):
            rc.max_retry_duration.SetInParent()
    if (rc.HasField("min_backoff") and rc.HasField("max_backoff")) and low > high:
        raise at_most("RetryConfig.minBackoff", "RetryConfig.maxBackoff")


def complete_queue(q: m.Queue) -> None:
    """Validate a queue's settings and fill in every default the service applies.

    ``rate_limits.max_burst_size`` is output only: whatever was sent (a
    negative number too) is replaced by the size the rate gives.
    """
    rl = q.rate_limits
    rate = rl.max_dispatches_per_second
    if rate < 0:
        raise negative("RateLimits.maxDispatchesPerSecond")
    if not rate <= MAX_RATE:  # NaN too
        raise at_most("RateLimits.maxDispatchesPerSecond", int(MAX_RATE))
    if rate == 0:
        rl.max_dispatches_per_second = MAX_RATE
    if rl.max_concurrent_dispatches < 0:
        raise negative("RateLimits.maxConcurrentDispatches")
    if rl.max_concurrent_dispatches > MAX_CONCURRENCY:
        raise at_most("RateLimits.maxConcurrentDispatches", MAX_CONCURRENCY)
    if rl.max_concurrent_dispatches == 0:
        rl.max_concurrent_dispatches = DEFAULT_CONCURRENCY
    rl.max_burst_size = burst_size(rl.max_dispatches_per_second)
    complete_retry_config(q.retry_config, defaults=True)
    ratio = q.stackdriver_logging_config.sampling_ratio
    if ratio < 0:
        raise negative("StackdriverLoggingConfig.samplingRatio")
    if not ratio <= 1:  # NaN too
        raise at_most("StackdriverLoggingConfig.samplingRatio", 1)
    for name, default in (("task_ttl", DEFAULT_TASK_TTL), ("tombstone_ttl", DEFAULT_TOMBSTONE_TTL)):
        value = getattr(q, name)
        if q.HasField(name):
            _duration(value, "Queue.taskTtl" if name == "task_ttl" else "Queue.tombstoneTtl")
        else:
            value.seconds = default
    if q.type_ == 0:
        q.type_ = m.PUSH
    if q.HasField("http_target"):
        check_http_target(q)


def check_http_target(q: m.Queue) -> None:
    """A queue-level HTTP target's URI override, header overrides and token must be whole."""
    target = q.http_target
    uri = target.uri_override
    if uri.port < 0:
        raise negative("UriOverride.port")
    if uri.port > MAX_PORT:
        raise at_most("UriOverride.port", MAX_PORT)
    path = uri.path_override.path
    if path and not path.startswith("/"):
        raise invalid("PathOverride.path must start with '/'.")
    for override in target.header_overrides:
        if not override.header.key:
            raise required("Header.key")
    _check_token(target)


#: the message type of each token a request or target may carry
_TOKENS = {"oidc_token": "OidcToken", "oauth_token": "OAuthToken"}


def _check_token(holder: object) -> None:
    which = holder.WhichOneof("authorization_header")  # type: ignore[attr-defined]
    if which and not getattr(holder, which).service_account_email:
        raise required(f"{_TOKENS[which]}.serviceAccountEmail")


#: How far over the limit a task, or a CreateTask request, may be and still reach the
#: exact measure (:func:`.cloud_tasks.stored_size`): room for the request's parent
#: and view, and for what the service drops or replaces before measuring (output-only
#: fields, a User-Agent or Content-Length of the task's own).
REQUEST_OVERHEAD = 64 << 10


def task_too_large(size: int, limit: int) -> ServiceError:
    """The INVALID_ARGUMENT for a task of ``size`` bytes over ``limit``."""
    return invalid(f"Task size is too large: {size} bytes; the limit is {limit} bytes.")


def refuse_oversize(size: int, settings: m.Settings, overhead: int = REQUEST_OVERHEAD) -> None:
    """Refuse at once a task (or request) of ``size`` bytes, far larger than any task may be.

    Converting or decoding a message of many MB holds the interpreter for
    seconds; one more than ``overhead`` bytes over the limit is refused before
    any such work, with the message the exact measure gives.  Anything nearer
    the limit is left to that measure, which counts the task as the service
    completes it.
    """
    limit = max(settings.max_task_bytes, settings.max_pull_task_bytes)
    if size > limit + overhead:
        raise task_too_large(size, limit)


def check_task(task: m.Task, queue: m.Queue, now: int, max_pull: int) -> int:
    """Validate a new task against its queue and fill in the defaults.

    A pull task is refused over ``max_pull`` bytes as sent; a push task's size
    is measured by the service once it is complete.  Returns the task's
    schedule time in microseconds since the epoch.
    """
    kind = task.WhichOneof("payload_type")
    pull = queue.type_ == m.PULL
    if pull:
        if kind != "pull_message":
            raise required("Task.pullMessage")  # the only payload a pull queue takes
        size = task.ByteSize()
        if size > max_pull:
            raise task_too_large(size, max_pull)
    else:
        if kind is None:
            raise invalid(NO_PAYLOAD)
        if kind == "pull_message":
            raise invalid(PULL_IN_PUSH_QUEUE)
    if kind == "http_request":
        _check_http_request(task, queue)
    elif kind == "app_engine_http_request":
        request = task.app_engine_http_request
        if request.http_method == 0:
            request.http_method = 1
        if not request.relative_uri:
            request.relative_uri = "/"
        elif not request.relative_uri.startswith("/"):
            raise invalid("AppEngineHttpRequest.relativeUri must start with '/'.")
        if request.body and request.http_method not in BODY_METHODS:
            raise _body_not_allowed("AppEngineHttpRequest")
        if request.body:
            _app_engine_body_headers(request)
    if task.HasField("schedule_time"):
        schedule_time = task.schedule_time
        if not m.timestamp_ok(schedule_time):
            raise invalid("Task.scheduleTime is not a valid timestamp.")
        schedule = m.us_of(schedule_time)
        if schedule > now + MAX_SCHEDULE_AHEAD_US:
            raise invalid(too_far_ahead(schedule_time.seconds))
    else:
        schedule = now
        m.set_us(task.schedule_time, now)
    if not pull:
        _check_deadline(task, kind)
    if task.HasField("retry_config"):
        complete_retry_config(task.retry_config, defaults=False)
    clear = task.ClearField
    clear("create_time")
    clear("first_attempt")
    clear("last_attempt")
    task.dispatch_count = task.response_count = 0
    m.set_us(task.create_time, now)
    return schedule


def _app_engine_body_headers(request: object) -> None:
    """An App Engine body's type (octet-stream unless given) and length are kept with it."""
    headers = request.headers  # type: ignore[attr-defined]
    given = {key.lower(): key for key in headers}
    if "content-type" not in given:
        headers["Content-Type"] = "application/octet-stream"
    if "content-length" in given:
        del headers[given["content-length"]]
    headers["Content-Length"] = str(len(request.body))  # type: ignore[attr-defined]


def _check_http_request(task: m.Task, queue: m.Queue) -> None:
    request = task.http_request
    if request.http_method == 0:
        request.http_method = 1
    if request.url:
        if len(request.url) > MAX_URL_LENGTH:
            raise invalid(f"HttpRequest.url must be at most {MAX_URL_LENGTH} characters.")
        problem = _url_problem(request.url)
        if problem:
            raise invalid(problem)
    elif not queue.http_target.uri_override.host:
        raise required("HttpRequest.url")
    if request.body and request.http_method not in BODY_METHODS:
        raise _body_not_allowed("HttpRequest")
    _check_token(request)


@lru_cache(maxsize=1024)
def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a task's target, or None.

    Only the scheme and the host are checked: like the service, a URL with a
    malformed percent escape (``http://host/%zz``) is taken as it is.
    """
    if not url[:8].lower().startswith(("http://", "https://")):
        return URL_SCHEME
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return None if host else "HttpRequest.url is not a valid URL."


def _body_not_allowed(request: str) -> ServiceError:
    return invalid(f"{request}.body can be set only if {request}.httpMethod is POST, PUT or PATCH.")


def _check_deadline(task: m.Task, kind: str | None) -> None:
    if not task.HasField("dispatch_deadline"):
        task.dispatch_deadline.seconds = DEFAULT_DEADLINE
        return
    d = task.dispatch_deadline
    low, high = HTTP_DEADLINE if kind == "http_request" else APP_ENGINE_DEADLINE
    if not m.duration_ok(d) or not low <= m.seconds_of(d) <= high:
        span = f"[{duration_text(low)}, {duration_text(high)}]"
        raise invalid(f"Task.dispatchDeadline must be between {span}.")


def lease_seconds(request: Any) -> int:
    """A request's ``lease_duration`` in whole seconds (truncated): at least 1 s, at most a week.

    ``request`` is a ``LeaseTasksRequest`` or ``RenewLeaseRequest`` of any version.
    """
    d: duration_pb2.Duration = request.lease_duration
    field = f"{request.DESCRIPTOR.name}.leaseDuration"
    if not request.HasField("lease_duration"):
        raise required(field)
    _duration(d, field)
    if d.seconds < 1:
        raise at_least(field, "1s")
    if d.seconds > MAX_LEASE_SECONDS:
        raise at_most(field, duration_text(MAX_LEASE_SECONDS))
    return d.seconds


# -- how the service writes times ------------------------------------------------------


def duration_text(seconds: int) -> str:
    """A whole number of seconds as the service writes a duration: ``15s``, ``30m``, ``24h15s``."""
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n)


def too_far_ahead(seconds: int) -> str:
    """The message for a schedule time (seconds since the epoch) too far in the future."""
    limit = duration_text(MAX_SCHEDULE_AHEAD_US // 1_000_000)
    return TOO_FAR_AHEAD.format(time=pacific_time(seconds), limit=limit)


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def pacific_time(seconds: int) -> str:
    """``seconds`` since the epoch in US Pacific time, RFC 3339 with its offset.

    The time zone comes from the system's (or the ``tzdata`` package's)
    database; where there is none, from the US rules in force since 2007.
    """
    utc = _EPOCH + timedelta(seconds=seconds)
    zone = _pacific_zone() or timezone(us_pacific_offset(utc))
    return utc.astimezone(zone).isoformat()


@lru_cache(maxsize=1)
def _pacific_zone() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("America/Los_Angeles")
    except (ImportError, KeyError, OSError, ValueError):  # no time zone database here
        return None


def us_pacific_offset(utc: datetime) -> timedelta:
    """The US Pacific offset from UTC at ``utc`` (an aware time), by the rules since 2007.

    Daylight time (-7 h) runs from 2:00 standard time on the second Sunday of
    March to 2:00 daylight time on the first Sunday of November; otherwise -8 h.
    """
    year = utc.year
    march = datetime(year, 3, 1, 10, tzinfo=timezone.utc)  # 2:00 PST
    start = march + timedelta(days=(6 - march.weekday()) % 7 + 7)
    november = datetime(year, 11, 1, 9, tzinfo=timezone.utc)  # 2:00 PDT
    end = november + timedelta(days=(6 - november.weekday()) % 7)
    return timedelta(hours=-7 if start <= utc < end else -8)


def show(task: m.Task, view: int) -> m.Task:
    """``task`` as ``view`` shows it: BASIC drops the request body (or pull payload).

    Changes ``task`` in place and returns it.
    """
    if view == m.VIEW_FULL:
        task.view = m.VIEW_FULL
        return task
    task.view = m.VIEW_BASIC
    kind = task.WhichOneof("payload_type")
    if kind == "http_request":
        task.http_request.ClearField("body")
    elif kind == "app_engine_http_request":
        task.app_engine_http_request.ClearField("body")
    elif kind == "pull_message":
        task.pull_message.ClearField("payload")
    return task


# -- paging and filters ------------------------------------------------------------------


def page_size(size: int, maximum: int, request: str) -> int:
    """The number of items a page holds: ``maximum`` when 0 or more, an error when negative.

    ``request`` names the request message (``ListQueuesRequest``, ...), for the message.
    """
    if size < 0:
        raise negative(f"{request}.pageSize")
    return maximum if size == 0 else min(size, maximum)


def page_token(last: str) -> str:
    """The token that continues a listing after the item named ``last``."""
    return base64.urlsafe_b64encode(last.encode()).decode()


def after(token: str, prefix: str) -> str:
    """The name a ``page_token`` continues after; INVALID_ARGUMENT if it is not ours.

    ``prefix`` is what the names listed start with: ``<parent>/queues/`` or
    ``<parent>/tasks/``.
    """
    if not token:
        return ""
    try:
        name = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        name = ""
    if not name.startswith(prefix):
        request = "ListTasksRequest" if prefix.endswith("/tasks/") else "ListQueuesRequest"
        raise invalid(f"{request}.pageToken is not valid.")
    return name


_STATE_FILTER = re.compile(r"\s*state\s*[:=]\s*\"?([A-Za-z_]+)\"?\s*")
_TAG_FILTER = re.compile(r'\s*tag\s*=\s*"((?:[^"\\]|\\.)*)"\s*')
_OLDEST_TAG = re.compile(r"\s*tag_function\s*=\s*oldest_tag\(\s*\)\s*")


def state_filter(text: str) -> int | None:
    """The queue state a ListQueues filter selects (None: every queue)."""
    if not text.strip():
        return None
    match = _STATE_FILTER.fullmatch(text)
    if not match:
        raise invalid(
            f'ListQueuesRequest.filter "{shown(text)}" is not supported;'
            ' use "state: RUNNING|PAUSED|DISABLED".'
        )
    name = match.group(1).upper()
    return STATES.get(name, 0)


def lease_filter(text: str) -> tuple[str, str | None]:
    """A LeaseTasks filter as ``("all"|"tag"|"oldest", tag)``."""
    if not text.strip():
        return "all", None
    match = _TAG_FILTER.fullmatch(text)
    if match:
        return "tag", re.sub(r"\\(.)", r"\1", match.group(1))
    if _OLDEST_TAG.fullmatch(text):
        return "oldest", None
    raise invalid(
        f'LeaseTasksRequest.filter "{shown(text)}" is not supported;'
        ' use tag="<tag>" or tag_function=oldest_tag().'
    )
