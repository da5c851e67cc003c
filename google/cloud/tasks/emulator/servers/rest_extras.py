"""What the REST side serves beyond the method tables: BufferTask, Firebase, control.

- BufferTask (``POST /v2/{queue}/tasks:buffer``, ``.../tasks/{task_id}:buffer``,
  also ``/v2beta3/``): the raw body becomes an HTTP task for the queue's
  ``http_target.uri_override``; the answer is ``{"task": Task}``.
- The Firebase emulator's dialect, used by firebase-admin's task queues
  through ``CLOUD_TASKS_EMULATOR_HOST``: unversioned
  ``POST /projects/P/locations/L/queues/Q/tasks`` (a missing queue is made
  with the defaults; a task without a URL goes to function Q on the Functions
  emulator, ``--functions-host``) and ``DELETE .../tasks/ID``; a created task
  is answered as ``{"task": {"name": "/projects/..."}}``.
- Control endpoints for tests and tools, under ``/_emulator/``:
  ``GET health``, ``POST reset`` (everything, or ``{"project": "P"}``),
  ``GET queues`` and ``GET queues/{queue}/tasks`` (read-only JSON, each task
  with its recorded attempts; ``{queue}`` is a full name, with or without its
  slashes encoded as ``%2F``, or the id of a queue when no other queue has
  it), and the clock: ``GET clock`` answers ``{"now": "<RFC 3339>", "mode":
  "system"|"manual"}``, ``POST clock:advance`` with ``{"seconds": N}`` and
  ``POST clock:set`` with ``{"now": "<RFC 3339>"}`` move it forward and answer
  the same (``"wait": true`` in either: once the deliveries the move made due
  have finished; moving backwards is INVALID_ARGUMENT).  A known endpoint asked
  with another verb is NOT_FOUND, as a REST path is, with a message naming the
  verb it answers.

Also here, for the whole REST side: how a body is read (:func:`read_body`:
bounded in size and in time), how JSON is read (:func:`json_value`: strict
UTF-8, no lone surrogates, no ``NaN``) and put into a message
(:func:`parse_into`), and :func:`off_loop`, which runs the service calls on
the application's worker threads so the event loop only moves bytes.
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import json
import re
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from typing import Any, Protocol, TypeVar
from urllib.parse import unquote

from aiohttp import web
from google.protobuf import json_format
from google.protobuf.message import Message

from ..delivery.journal import Delivery
from ..service import model as m
from ..service.cloud_tasks import CloudTasksService
from ..service.errors import Code, ServiceError, invalid, not_found, precondition, shown
from ..service.targets import override_url
from ..versions import versions
from .grpc_routes import MAX_REQUEST_BYTES

_QUEUE = r"projects/[^/]+/locations/[^/]+/queues/[A-Za-z0-9-]+"
BUFFER = re.compile(rf"/(v2|v2beta3)/({_QUEUE})/tasks(?:/([^/:]+))?:buffer")
FIREBASE_TASKS = re.compile(rf"/({_QUEUE})/tasks")
FIREBASE_TASK = re.compile(rf"/({_QUEUE})/tasks/([^/]+)")
CONTROL = "/_emulator/"
#: the verb each control endpoint answers (``queues/{queue}/tasks`` answers GET)
_CONTROL_VERBS = {
    "health": "GET",
    "ready": "GET",
    "reset": "POST",
    "queues": "GET",
    "clock": "GET",
    "clock:advance": "POST",
    "clock:set": "POST",
}
#: seconds a clock move with ``"wait": true`` waits for the deliveries it made due, unless
#: its body says ``"timeoutSeconds"``
SETTLE_SECONDS = 60.0
#: the fields each clock move takes
_CLOCK_FIELDS = {
    "clock:advance": ("seconds", "wait", "timeoutSeconds"),
    "clock:set": ("now", "wait", "timeoutSeconds"),
}
#: request headers a buffered task does not keep: the call's own, not the task's
_NOT_KEPT = frozenset(
    (
        "authorization",
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "te",
        "upgrade",
        "accept-encoding",
        "user-agent",
        "x-goog-api-client",
        "x-goog-request-params",
        "x-goog-user-project",
    )
)
BUFFER_NEEDS_TARGET = "The queue must have an HTTP target with a uri_override to buffer tasks."

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
T = TypeVar("T")
#: the recorded attempts at a task, oldest first (``Journal.history``)
History = Callable[[str], list[Delivery]]

#: the application's worker threads for service calls (see :func:`off_loop`)
WORKERS = web.AppKey("workers", Executor)
#: seconds a request's body may take to arrive once its headers have
BODY_SECONDS = 60.0
#: where the application keeps the journal's :data:`History`, for ``queues/{queue}/tasks``
HISTORY: web.AppKey[History] = web.AppKey("history")


class Settles(Protocol):
    """What a clock move that waits needs of the dispatcher."""

    @property
    def launched(self) -> int: ...

    async def settle(self, since: int) -> None: ...


#: where the application keeps the dispatcher, for clock moves that wait (absent: nothing
#: is delivered)
SETTLE: web.AppKey[Settles] = web.AppKey("settle")


def _json(message: Any, int_enums: bool = False) -> Any:
    return json_format.MessageToDict(message, use_integers_for_enums=int_enums)


def json_answer(value: Any, status: int = 200) -> web.Response:
    """``value`` as a JSON response (what ``web.json_response`` sends)."""
    return web.Response(
        body=json.dumps(value).encode(),
        status=status,
        content_type="application/json",
        charset="utf-8",
    )


async def off_loop(request: web.Request, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` on the application's :data:`WORKERS` (the loop's default executor
    when it has none), so that a slow call never holds up the event loop."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(request.app.get(WORKERS), functools.partial(work, *args))


class Extras:
    """The extra routes, answered before the method tables are consulted."""

    def __init__(self, service: CloudTasksService, forget: Callable[[str | None], None]) -> None:
        self.service = service
        self._forget = forget

    def route(self, verb: str, path: str) -> Handler | None:
        """The handler for ``verb path``, or None when the method tables should answer."""
        if path.startswith(CONTROL):
            return self._control
        if verb == "POST" and BUFFER.fullmatch(path):
            return self._buffer
        if path.startswith("/projects/"):
            if verb == "POST" and FIREBASE_TASKS.fullmatch(path):
                return self._firebase_create
            if verb == "DELETE" and FIREBASE_TASK.fullmatch(path):
                return self._firebase_delete
        return None

    # -- BufferTask -----------------------------------------------------------------------

    async def _buffer(self, request: web.Request) -> web.StreamResponse:
        match = BUFFER.fullmatch(request.rel_url.raw_path)
        assert match is not None
        data = await read_body(request)
        headers = list(request.headers.items())
        return json_answer(await off_loop(request, self._buffered, match, headers, data))

    def _buffered(
        self, match: re.Match[str], headers: list[tuple[str, str]], data: bytes
    ) -> dict[str, Any]:
        version_name, queue_name, task_id = match.groups()
        queue = self.service.get_queue(queue_name)
        target = queue.http_target
        if not (queue.HasField("http_target") and target.uri_override.host):
            raise precondition(BUFFER_NEEDS_TARGET)
        task = m.Task()
        http = task.http_request
        http.url = override_url("", queue)
        http.http_method = target.http_method or 1
        for key, value in headers:
            if key.lower() not in _NOT_KEPT and key not in http.headers:
                if SURROGATE.search(key + value):  # bytes that were not UTF-8
                    raise invalid(f"The header {shown(key)} is not valid UTF-8.")
                http.headers[key] = value
        http.body = data
        if task_id:
            task.name = f"{queue_name}/tasks/{task_id}"
        created = self.service.create_task(queue_name, task)
        version = versions()[version_name]
        return {"task": _json(version.task_out(created, m.VIEW_BASIC))}

    # -- the Firebase emulator's dialect ----------------------------------------------------

    async def _firebase_create(self, request: web.Request) -> web.StreamResponse:
        match = FIREBASE_TASKS.fullmatch(request.rel_url.raw_path)
        assert match is not None
        data = await read_body(request)
        return json_answer(await off_loop(request, self._firebase_task, match.group(1), data))

    def _firebase_task(self, queue_name: str, data: bytes) -> dict[str, Any]:
        body = json_object(data)
        v2 = versions()["v2"]
        task = v2.pb("Task")()
        parse_into(body.get("task", {}), task)
        if not task.http_request.url:  # the function the queue is named after
            project, _, location, _, queue_id = queue_name.split("/")[1:]
            host = self.service.settings.functions_host
            task.http_request.url = f"http://{host}/{project}/{location}/{queue_id}"
        self.service.ensure_queue(queue_name)
        created = self.service.create_task(queue_name, v2.task_in(task))
        answer = _json(v2.task_out(created, m.VIEW_BASIC))
        answer["name"] = "/" + created.name
        return {"task": answer}

    async def _firebase_delete(self, request: web.Request) -> web.StreamResponse:
        name = request.rel_url.raw_path.lstrip("/")
        await off_loop(request, self.service.delete_task, name)
        return json_answer({})

    # -- control --------------------------------------------------------------------------

    async def _control(self, request: web.Request) -> web.StreamResponse:
        what = request.rel_url.raw_path[len(CONTROL) :]
        verb = request.method.upper()
        listing = what.startswith("queues/") and what.endswith("/tasks")
        answers = "GET" if listing else _CONTROL_VERBS.get(what)
        if answers is None:
            raise not_found(f"No control endpoint {verb} {CONTROL}{shown(what)}.")
        if verb != answers:  # NOT_FOUND, as for a REST path asked with a verb it lacks
            raise not_found(
                f"{CONTROL}{shown(what)} answers {answers}, not {shown(verb, 20)}:"
                f" use {answers} {CONTROL}{shown(what)}."
            )
        if what in ("health", "ready"):
            return json_answer({"status": "ok"})
        if what == "reset":
            data = await read_body(request)
            return json_answer(await off_loop(request, self._reset, data))
        if what == "queues":
            return json_answer({"queues": await off_loop(request, self._queues)})
        if what.startswith("clock"):
            return json_answer(await self._clock(request, what))
        queue = unquote(what[len("queues/") : -len("/tasks")])
        history = request.app.get(HISTORY)
        return json_answer({"tasks": await off_loop(request, self._tasks, queue, history)})

    def _reset(self, data: bytes) -> dict[str, Any]:
        project = json_object(data).get("project")
        if project is not None and not isinstance(project, str):
            raise invalid('"project" must be a project id.')
        self.service.reset(project or None)
        self._forget(project or None)
        return {"reset": project or "everything"}

    async def _clock(self, request: web.Request, what: str) -> dict[str, Any]:
        clock = self.service.clock
        if what != "clock":
            body = json_object(await read_body(request))
            known = _CLOCK_FIELDS.get(what, ())
            unknown = sorted(set(body) - set(known))
            if unknown:
                raise invalid(
                    f"{CONTROL}{what} takes {', '.join(map(repr, known))}; not"
                    f" {shown(', '.join(map(repr, unknown)))}."
                )
            wait = body.get("wait", False)
            if not isinstance(wait, bool):
                raise invalid('"wait" must be true or false.')
            timeout = body.get("timeoutSeconds", SETTLE_SECONDS)
            if (
                isinstance(timeout, bool)
                or not isinstance(timeout, (int, float))
                or not (0 < timeout <= 3600)
            ):
                raise invalid('"timeoutSeconds" must be a number of seconds from 0 to 3600.')
            dispatcher = request.app.get(SETTLE)
            since = dispatcher.launched if dispatcher is not None else 0
            try:
                if what == "clock:advance":
                    clock.advance(_seconds_field(body))
                else:
                    clock.set(_time_field(body))
            except ValueError as exc:  # ClockError: backwards
                raise invalid(str(exc)) from None
            if wait and dispatcher is not None:
                try:
                    await asyncio.wait_for(dispatcher.settle(since), timeout)
                except asyncio.TimeoutError:
                    raise ServiceError(
                        Code.DEADLINE_EXCEEDED,
                        f"The clock moved to {_timestamp(clock.now_us()).ToJsonString()}, but"
                        f" the deliveries it made due were still running after {timeout:g}"
                        " seconds (do not repeat the move).",
                    ) from None
        return {"now": _timestamp(clock.now_us()).ToJsonString(), "mode": clock.mode}

    def _queues(self) -> list[dict[str, Any]]:
        store = self.service.store
        with store.read():
            records = store.all_queues()
        out = []
        for record in records:
            queue = m.Queue.FromString(record)
            count, oldest = self.service.queue_stats(queue.name)
            shown = _json(queue)
            shown["tasks"] = count
            if oldest is not None:
                shown["oldestScheduleTime"] = json_format.MessageToDict(_timestamp(oldest))
            out.append(shown)
        return out

    def _tasks(self, queue: str, history: History | None) -> list[dict[str, Any]]:
        """Every task of ``queue`` (FULL view), each with ``"attempts"``: its recorded ones."""
        queue = self._queue_name(queue)
        out: list[dict[str, Any]] = []
        token = ""
        while True:
            tasks, token = self.service.list_tasks(queue, 1000, token)
            for t in tasks:
                entry = _json(t)
                entry["attempts"] = [_attempt(d) for d in history(t.name)] if history else []
                out.append(entry)
            if not token:
                return out

    def _queue_name(self, given: str) -> str:
        """The full name of the queue ``given`` names: itself, or the one queue with that id."""
        if "/" in given or not given:
            return given  # the service checks it
        store = self.service.store
        with store.read():
            records = store.all_queues()
        found = [
            name
            for name in (m.Queue.FromString(record).name for record in records)
            if name.rsplit("/", 1)[-1] == given
        ]
        if len(found) == 1:
            return found[0]
        if not found:
            raise not_found(
                f'No queue has the id "{shown(given)}": give a queue id that exists, or a full'
                " name (projects/P/locations/L/queues/Q)."
            )
        raise invalid(
            f'{len(found)} queues have the id "{shown(given)}" ({", ".join(found[:3])}'
            f"{', ...' if len(found) > 3 else ''}): give the full name of one."
        )


def _seconds_field(body: dict[str, Any]) -> float:
    seconds = body.get("seconds")
    if isinstance(seconds, str):  # JSON's int64 convention: a number in a string
        try:
            seconds = float(seconds)
        except ValueError:
            pass
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise invalid('"seconds" must be a number of seconds to move the clock forward.')
    return float(seconds)


def _time_field(body: dict[str, Any]) -> datetime.datetime:
    from google.protobuf import timestamp_pb2

    now = body.get("now")
    ts = timestamp_pb2.Timestamp()
    try:
        if not isinstance(now, str):
            raise ValueError
        ts.FromJsonString(now)
    except ValueError:
        raise invalid(
            f'"now" must be an RFC 3339 time such as "2030-01-01T00:00:00Z", not {shown(now)}.'
        ) from None
    return ts.ToDatetime(tzinfo=datetime.timezone.utc)


def _attempt(done: Delivery) -> dict[str, Any]:
    """One recorded attempt as the control endpoints show it."""
    at = datetime.datetime.fromtimestamp(done.at, datetime.timezone.utc)
    entry: dict[str, Any] = {
        "attempt": done.attempt,
        "dispatchTime": at.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "responseStatus": done.status,
        "latencyMs": round(done.latency * 1000, 1),
        "outcome": done.outcome,
        "httpMethod": done.method,
        "url": done.url,
    }
    if done.error:
        entry["error"] = done.error
    return entry


async def read_body(request: web.Request) -> bytes:
    """The request's body; INVALID_ARGUMENT when it is over the size the emulator reads
    (:data:`MAX_REQUEST_BYTES`), takes over :data:`BODY_SECONDS` to arrive, or breaks off."""
    if not request.body_exists:
        return b""
    try:
        return await asyncio.wait_for(request.read(), BODY_SECONDS)
    except web.HTTPRequestEntityTooLarge:
        raise invalid(
            f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
        ) from None
    except asyncio.TimeoutError:
        raise invalid(f"The request body did not arrive within {BODY_SECONDS:g} seconds.") from None
    except Exception as exc:  # a bad chunked encoding, a body cut short, ...
        raise invalid(f"The request body could not be read: {shown(exc)}") from None


def _timestamp(us: int) -> Any:
    from google.protobuf import timestamp_pb2

    ts = timestamp_pb2.Timestamp()
    m.set_us(ts, us)
    return ts


#: a ``\u`` escape of a surrogate, the only way JSON text in strict UTF-8 can hold one
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"Unexpected token {name}: not JSON")


def json_value(data: bytes) -> Any:
    """The JSON document ``data`` holds ({} for an empty body); INVALID_ARGUMENT when it is not
    one: not UTF-8, not JSON (``NaN`` and ``Infinity`` are not), or with a string (a key or a
    value) holding a lone surrogate, which no text encoding can carry."""
    if not data.strip():
        return {}
    try:
        value = json.loads(data.decode("utf-8"), parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise invalid(f"Invalid JSON payload received. {shown(exc, 200)}") from None
    if _SURROGATE_ESCAPE.search(data) and _holds_surrogate(value):
        raise invalid(
            "Invalid JSON payload received. A string holds a lone surrogate "
            "(a \\ud800-\\udfff escape that is not half of a pair)."
        )
    return value


def _holds_surrogate(value: Any) -> bool:
    """Whether any string in a decoded JSON document (keys too) holds a surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_object(data: bytes) -> dict[str, Any]:
    """:func:`json_value`, which must be an object."""
    body = json_value(data)
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. The body must be a JSON object.")
    return body


def parse_into(value: Any, message: Message, at: str = "") -> None:
    """``json_format.ParseDict(value, message)``; INVALID_ARGUMENT for whatever it refuses.

    The message is one line.  A name no field has gets the service's wording,
    ``Unknown name "x" at 'task.http_request': Cannot find field.``, where the
    path starts at ``at`` (the request field ``value`` fills; "" for the request).
    """
    try:
        json_format.ParseDict(value, message)
    except Exception as exc:  # ParseError, or TypeError, OverflowError, ... for odd values
        unknown = unknown_name(value, message.DESCRIPTOR, at)
        if unknown is not None:
            name, where = unknown
            place = f" at '{shown(where)}'" if where else ""
            raise invalid(
                f'Invalid JSON payload received. Unknown name "{shown(name)}"{place}:'
                " Cannot find field."
            ) from None
        first = next(iter(str(exc).splitlines()), "") or type(exc).__name__
        raise invalid(f"Invalid JSON payload received. {shown(first, 300)}") from None


def unknown_name(value: Any, descriptor: Any, at: str = "") -> tuple[str, str] | None:
    """The first key of the JSON object ``value`` (or of an object within it) that names no
    field of the message ``descriptor`` describes, with the path of the object holding it
    (proto field names from ``at``, ``[i]`` for list items, ``[key]`` for map values)."""
    if not isinstance(value, dict) or descriptor.full_name.startswith("google.protobuf."):
        return None  # well-known types (Any, Struct, Timestamp, ...) have JSON of their own
    for key, item in value.items():
        fd = descriptor.fields_by_name.get(key)
        if fd is None:
            fd = next((f for f in descriptor.fields if f.json_name == key), None)
        if fd is None:
            return str(key), at
        kind = fd.message_type
        if kind is None:
            continue
        where = f"{at}.{fd.name}" if at else fd.name
        found = None
        if kind.GetOptions().map_entry:
            values = kind.fields_by_name["value"].message_type
            if values is not None and isinstance(item, dict):
                for k, v in item.items():
                    found = found or unknown_name(v, values, f"{where}[{k}]")
        elif fd.is_repeated:
            if isinstance(item, list):
                for i, v in enumerate(item):
                    found = found or unknown_name(v, kind, f"{where}[{i}]")
        else:
            found = unknown_name(item, kind, where)
        if found is not None:
            return found
    return None
