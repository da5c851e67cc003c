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
  ``GET queues`` and ``GET queues/{queue name}/tasks`` (read-only JSON, each
  task with its attempts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from google.protobuf import json_format

from ..service import model as m
from ..service.cloud_tasks import CloudTasksService
from ..service.errors import Code, ServiceError, invalid, precondition
from ..service.targets import override_url
from ..versions import versions
from .grpc_routes import MAX_REQUEST_BYTES

_QUEUE = r"projects/[^/]+/locations/[^/]+/queues/[A-Za-z0-9-]+"
BUFFER = re.compile(rf"/(v2|v2beta3)/({_QUEUE})/tasks(?:/([^/:]+))?:buffer")
FIREBASE_TASKS = re.compile(rf"/({_QUEUE})/tasks")
FIREBASE_TASK = re.compile(rf"/({_QUEUE})/tasks/([^/]+)")
CONTROL = "/_emulator/"
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


def _json(message: Any, int_enums: bool = False) -> Any:
    return json_format.MessageToDict(message, use_integers_for_enums=int_enums)


class Extras:
    """The extra routes, answered before the method tables are consulted."""

    def __init__(self, service: CloudTasksService, forget: Callable[[], None]) -> None:
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
        version_name, queue_name, task_id = match.groups()
        data = await read_body(request)
        queue = self.service.get_queue(queue_name)
        target = queue.http_target
        if not (queue.HasField("http_target") and target.uri_override.host):
            raise precondition(BUFFER_NEEDS_TARGET)
        task = m.Task()
        http = task.http_request
        http.url = override_url("", queue)
        http.http_method = target.http_method or 1
        for key, value in request.headers.items():
            if key.lower() not in _NOT_KEPT and key not in http.headers:
                http.headers[key] = value
        http.body = data
        if task_id:
            task.name = f"{queue_name}/tasks/{task_id}"
        created = self.service.create_task(queue_name, task)
        version = versions()[version_name]
        return web.json_response({"task": _json(version.task_out(created, m.VIEW_BASIC))})

    # -- the Firebase emulator's dialect ----------------------------------------------------

    async def _firebase_create(self, request: web.Request) -> web.StreamResponse:
        match = FIREBASE_TASKS.fullmatch(request.rel_url.raw_path)
        assert match is not None
        queue_name = match.group(1)
        body = await _body(request)
        v2 = versions()["v2"]
        task = v2.pb("Task")()
        try:
            json_format.ParseDict(body.get("task", {}), task)
        except json_format.ParseError as exc:
            raise invalid(f"Invalid JSON payload received. {exc}") from None
        if not task.http_request.url:  # the function the queue is named after
            project, _, location, _, queue_id = queue_name.split("/")[1:]
            host = self.service.settings.functions_host
            task.http_request.url = f"http://{host}/{project}/{location}/{queue_id}"
        self.service.ensure_queue(queue_name)
        created = self.service.create_task(queue_name, v2.task_in(task))
        answer = _json(v2.task_out(created, m.VIEW_BASIC))
        answer["name"] = "/" + created.name
        return web.json_response({"task": answer})

    async def _firebase_delete(self, request: web.Request) -> web.StreamResponse:
        self.service.delete_task(request.rel_url.raw_path.lstrip("/"))
        return web.json_response({})

    # -- control --------------------------------------------------------------------------

    async def _control(self, request: web.Request) -> web.StreamResponse:
        what = request.rel_url.raw_path[len(CONTROL) :]
        verb = request.method.upper()
        if what in ("health", "ready") and verb == "GET":
            return web.json_response({"status": "ok"})
        if what == "reset" and verb == "POST":
            project = (await _body(request)).get("project")
            if project is not None and not isinstance(project, str):
                raise invalid('"project" must be a project id.')
            self.service.reset(project or None)
            if not project:
                self._forget()
            return web.json_response({"reset": project or "everything"})
        if what == "queues" and verb == "GET":
            return web.json_response({"queues": self._queues()})
        if what.startswith("queues/") and what.endswith("/tasks") and verb == "GET":
            queue = what[len("queues/") : -len("/tasks")]
            return web.json_response({"tasks": self._tasks(queue)})
        raise ServiceError(Code.NOT_FOUND, f"No control endpoint {verb} {CONTROL}{what}.")

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

    def _tasks(self, queue: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        token = ""
        while True:
            tasks, token = self.service.list_tasks(queue, 1000, token)
            out.extend(_json(t) for t in tasks)
            if not token:
                return out


async def read_body(request: web.Request) -> bytes:
    """The request's body; INVALID_ARGUMENT when it is over the size the emulator reads."""
    try:
        return await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise invalid(
            f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
        ) from None


def _timestamp(us: int) -> Any:
    from google.protobuf import timestamp_pb2

    ts = timestamp_pb2.Timestamp()
    m.set_us(ts, us)
    return ts


async def _body(request: web.Request) -> dict[str, Any]:
    data = await read_body(request)
    if not data.strip():
        return {}
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise invalid(f"Invalid JSON payload received. {exc}") from None
    if not isinstance(body, dict):
        raise invalid("Invalid JSON payload received. The body must be a JSON object.")
    return body
