"""Field-level rules: queue defaults and limits, task validation, paging tokens, filters.

Pure functions over model messages; the service calls them inside its
transactions.  Messages the real service documents live in :mod:`.errors`;
the rest are ours, worded the same way.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from functools import lru_cache
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
APP_ENGINE_DEADLINE = (15, 24 * 3600)
MAX_LEASE_SECONDS = 7 * 24 * 3600
BODY_METHODS = (1, 4, 6)  # POST, PUT, PATCH
STATES = {"RUNNING": m.RUNNING, "PAUSED": m.PAUSED, "DISABLED": m.DISABLED}


def burst_size(rate: float) -> int:
    """The token bucket size the service derives from a rate: a fifth of a second's worth."""
    return min(100, max(1, math.ceil(rate / 5)))


def _duration(d: duration_pb2.Duration, field: str) -> float:
    if not m.duration_ok(d) or d.seconds < 0 or d.nanos < 0:
        raise invalid(f"{field} must be a non-negative duration.")
    return m.seconds_of(d)


def complete_retry_config(rc: m.RetryConfig, field: str, defaults: bool) -> None:
    """Validate a retry policy, filling the service defaults when ``defaults`` is true."""
    if rc.max_attempts < -1:
        raise invalid(f"{field}.max_attempts must be -1 (unlimited) or at least 0.")
    if rc.max_doublings < 0:
        raise invalid(f"{field}.max_doublings must not be negative.")
    _duration(rc.max_retry_duration, f"{field}.max_retry_duration")
    low = _duration(rc.min_backoff, f"{field}.min_backoff")
    high = _duration(rc.max_backoff, f"{field}.max_backoff")
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
        raise invalid(f"{field}.min_backoff must not be greater than max_backoff.")


def complete_queue(q: m.Queue) -> None:
    """Validate a queue's settings and fill in every default the service applies."""
    rl = q.rate_limits
    if rl.max_dispatches_per_second == 0:
        rl.max_dispatches_per_second = MAX_RATE
    if not 0 < rl.max_dispatches_per_second <= MAX_RATE:
        raise invalid(
            "rate_limits.max_dispatches_per_second must be greater than 0 and at most 500."
        )
    if rl.max_concurrent_dispatches == 0:
        rl.max_concurrent_dispatches = DEFAULT_CONCURRENCY
    if not 0 < rl.max_concurrent_dispatches <= MAX_CONCURRENCY:
        raise invalid("rate_limits.max_concurrent_dispatches must be between 1 and 5000.")
    rl.max_burst_size = burst_size(rl.max_dispatches_per_second)
    complete_retry_config(q.retry_config, "retry_config", defaults=True)
    ratio = q.stackdriver_logging_config.sampling_ratio
    if not 0 <= ratio <= 1:
        raise invalid("stackdriver_logging_config.sampling_ratio must be between 0.0 and 1.0.")
    for name, default in (("task_ttl", DEFAULT_TASK_TTL), ("tombstone_ttl", DEFAULT_TOMBSTONE_TTL)):
        value = getattr(q, name)
        if q.HasField(name):
            _duration(value, name)
        else:
            value.seconds = default
    if q.type_ == 0:
        q.type_ = m.PUSH
    if q.HasField("http_target"):
        check_http_target(q)


def check_http_target(q: m.Queue) -> None:
    """A queue-level HTTP target must name a host when it overrides the URI."""
    target = q.http_target
    uri = target.uri_override
    if uri.port < 0 or uri.port > 65535:
        raise invalid("http_target.uri_override.port must be between 0 and 65535.")
    path = uri.path_override.path
    if path and not path.startswith("/"):
        raise invalid("http_target.uri_override.path_override.path must start with '/'.")
    for override in target.header_overrides:
        if not override.header.key:
            raise invalid("http_target.header_overrides: a header needs a key.")
    _check_token(target, "http_target")


def _check_token(holder: object, field: str) -> None:
    which = holder.WhichOneof("authorization_header")  # type: ignore[attr-defined]
    if which and not getattr(holder, which).service_account_email:
        raise invalid(f"{field}.{which}.service_account_email is required.")


#: bytes a CreateTask request may carry beyond its task (the parent name, the view)
REQUEST_OVERHEAD = 64 << 10


def task_too_large(size: int, limit: int) -> ServiceError:
    """The INVALID_ARGUMENT for a task of ``size`` bytes over ``limit``."""
    return invalid(f"Task size is too large: {size} bytes; the limit is {limit} bytes.")


def refuse_oversize(size: int, settings: m.Settings, overhead: int = 0) -> None:
    """Refuse at once a task (or request, with ``overhead``) larger than any task may be.

    Converting or decoding a message of many MB holds the interpreter for
    seconds; one this large is refused before any such work, with the message
    :func:`check_task` gives.
    """
    limit = max(settings.max_task_bytes, settings.max_pull_task_bytes)
    if size > limit + overhead:
        raise task_too_large(size, limit)


def check_task(task: m.Task, queue: m.Queue, now: int, max_pull: int, max_push: int) -> int:
    """Validate a new task against its queue and fill in the defaults.

    Returns the task's schedule time in microseconds since the epoch.
    """
    kind = task.WhichOneof("payload_type")
    pull = queue.type_ == m.PULL
    size = task.ByteSize()
    if pull:
        if kind != "pull_message":
            raise invalid("A pull queue accepts only pull tasks (tasks with a pull_message).")
        if size > max_pull:
            raise task_too_large(size, max_pull)
    else:
        if kind is None:
            raise invalid("Task must have a payload: http_request or app_engine_http_request.")
        if kind == "pull_message":
            raise invalid("Pull tasks can only be created in pull queues.")
        if size > max_push:
            raise task_too_large(size, max_push)
    if kind == "http_request":
        _check_http_request(task, queue)
    elif kind == "app_engine_http_request":
        request = task.app_engine_http_request
        if request.http_method == 0:
            request.http_method = 1
        if not request.relative_uri:
            request.relative_uri = "/"
        elif not request.relative_uri.startswith("/"):
            raise invalid("app_engine_http_request.relative_uri must start with '/'.")
        if request.body and request.http_method not in BODY_METHODS:
            raise invalid("A request body is only allowed for POST, PUT and PATCH.")
        if request.body:
            _app_engine_body_headers(request)
    if task.HasField("schedule_time"):
        schedule_time = task.schedule_time
        if not m.timestamp_ok(schedule_time):
            raise invalid("schedule_time is not a valid timestamp.")
        schedule = m.us_of(schedule_time)
        if schedule > now + MAX_SCHEDULE_AHEAD_US:
            raise invalid("schedule_time must be at most 30 days in the future.")
    else:
        schedule = now
        m.set_us(task.schedule_time, now)
    if not pull:
        _check_deadline(task, kind)
    if task.HasField("retry_config"):
        complete_retry_config(task.retry_config, "retry_config", defaults=False)
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
        if len(request.url) > 2083:
            raise invalid("http_request.url must be at most 2083 characters.")
        if not _absolute_http_url(request.url):
            raise invalid(
                f'http_request.url "{shown(request.url)}" must be an absolute http(s) URL.'
            )
    elif not queue.http_target.uri_override.host:
        raise invalid("http_request.url is required.")
    if request.body and request.http_method not in BODY_METHODS:
        raise invalid("A request body is only allowed for POST, PUT and PATCH.")
    _check_token(request, "http_request")


@lru_cache(maxsize=1024)
def _absolute_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _check_deadline(task: m.Task, kind: str | None) -> None:
    if not task.HasField("dispatch_deadline"):
        task.dispatch_deadline.seconds = DEFAULT_DEADLINE
        return
    d = task.dispatch_deadline
    low, high = HTTP_DEADLINE if kind == "http_request" else APP_ENGINE_DEADLINE
    if not m.duration_ok(d) or not low <= m.seconds_of(d) <= high:
        span = "30 minutes" if kind == "http_request" else "24 hours"
        raise invalid(f"dispatch_deadline must be between 15 seconds and {span}.")


def lease_seconds(d: duration_pb2.Duration, given: bool) -> int:
    """A lease duration truncated to whole seconds: more than 0 and at most a week."""
    if not given or not m.duration_ok(d) or not 1 <= d.seconds <= MAX_LEASE_SECONDS:
        raise invalid("lease_duration must be at least 1 second and at most 1 week.")
    return d.seconds


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


def page_size(size: int, maximum: int) -> int:
    """The number of items a page holds: ``maximum`` when 0 or more, an error when negative."""
    if size < 0:
        raise invalid("page_size must not be negative.")
    return maximum if size == 0 else min(size, maximum)


def page_token(last: str) -> str:
    """The token that continues a listing after the item named ``last``."""
    return base64.urlsafe_b64encode(last.encode()).decode()


def after(token: str, prefix: str) -> str:
    """The name a ``page_token`` continues after; INVALID_ARGUMENT if it is not ours."""
    if not token:
        return ""
    try:
        name = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeError, ValueError):
        name = ""
    if not name.startswith(prefix):
        raise invalid("Invalid page_token.")
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
        raise invalid(f'Unsupported filter "{shown(text)}"; use "state: RUNNING|PAUSED|DISABLED".')
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
        f'Unsupported filter "{shown(text)}"; use tag="<tag>" or tag_function=oldest_tag().'
    )
