"""Where a task goes and what sending it marks: facts of the service, used by delivery too.

Pure functions over the model: the queue-level overrides of a task's URL and
App Engine routing, how the service names the App Engine host, and how a task
record counts an attempt when it is sent.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit, urlunsplit

from . import model as m

IF_NOT_EXISTS, ALWAYS = 1, 2
SCHEMES = {1: "http", 2: "https"}


def override_url(url: str, target: m.Queue) -> str:
    """The URL a task is sent to once its queue's ``http_target.uri_override`` applies."""
    http_target = target.http_target
    if not (target.HasField("http_target") and http_target.HasField("uri_override")):
        return url
    uri = http_target.uri_override
    if uri.uri_override_enforce_mode == IF_NOT_EXISTS and url:
        return url
    parts = urlsplit(url) if url else SplitResult("https", "", "/", "", "")
    scheme = SCHEMES.get(uri.scheme, parts.scheme or "https")
    host = uri.host or (parts.hostname or "")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = uri.port if uri.HasField("port") else parts.port  # a given 0 clears the port
    netloc = f"{host}:{port}" if port else host
    path = uri.path_override.path if uri.HasField("path_override") else parts.path
    query = uri.query_override.query_params if uri.HasField("query_override") else parts.query
    return urlunsplit((scheme, netloc, path or "/", query, ""))


def routing(task: m.Task, queue: m.Queue) -> m.Task:
    """The App Engine routing that applies: the queue's override, else the task's."""
    holder = queue.app_engine_http_queue
    if queue.HasField("app_engine_http_queue") and holder.HasField("app_engine_routing_override"):
        return holder.app_engine_routing_override  # type: ignore[no-any-return]
    return task.app_engine_http_request.app_engine_routing  # type: ignore[no-any-return]


def app_engine_host(route: object, app_host: str) -> str:
    """``[instance.][version.][service.]<app host>``: how the service addresses the app."""
    parts = [getattr(route, f) for f in ("instance", "version", "service")]
    return ".".join([p for p in parts if p] + [app_host])


def mark_dispatched(task: m.Task, now_us: int) -> None:
    """Count an attempt as it is sent: ``dispatch_count`` includes attempts not yet answered."""
    task.dispatch_count += 1
    if not task.HasField("first_attempt"):
        m.set_us(task.first_attempt.dispatch_time, now_us)
    task.last_attempt.Clear()
    task.last_attempt.schedule_time.CopyFrom(task.schedule_time)
    m.set_us(task.last_attempt.dispatch_time, now_us)


def dispatched_record(record: bytes, now_us: int) -> bytes:
    """:func:`mark_dispatched` on a stored task record."""
    task = m.Task.FromString(record)
    mark_dispatched(task, now_us)
    return task.SerializeToString()
