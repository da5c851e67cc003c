"""An in-memory Cloud Tasks service for tests, independent of any transport.

``FakeCloudTasks(service).handle(method, request, metadata)`` answers one RPC
of a method table (:class:`google.cloud.tasks._core.spec.Service`) with the
method's response class, or raises :class:`FakeError` carrying the gRPC code
and the message the real service gives.  A gRPC server (``fake_grpc``) or an
HTTP gateway puts it on the wire.

State lives in plain dicts of raw protobuf messages, one set per API
version; long-running operations are shared.  Tests steer it with
``fail_next`` and ``delay_next`` and read ``calls`` to see what the server
received.
"""

from __future__ import annotations

import base64
import copy
import itertools
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import grpc
import proto
from google.cloud.location import locations_pb2
from google.longrunning import operations_pb2
from google.protobuf import empty_pb2
from google.rpc import status_pb2

from google.cloud.tasks._core.spec import Method, Service

Code = grpc.StatusCode

QUEUE_RE = re.compile(r"^projects/([^/]+)/locations/([^/]+)/queues/([A-Za-z0-9-]{1,100})$")
TASK_RE = re.compile(r"^(projects/[^/]+/locations/[^/]+/queues/[A-Za-z0-9-]{1,100})/tasks/([^/]*)$")
TASK_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,500}$")
LOCATION_RE = re.compile(r"^projects/([^/]+)/locations/([^/]+)$")
CMEK_RE = re.compile(r"^projects/([^/]+)/locations/([^/]+)/cmekConfig$")
KMS_KEY_RE = re.compile(r"^projects/[^/]+/locations/([^/]+)/keyRings/[^/]+/cryptoKeys/[^/]+$")
FILTER_RE = re.compile(r"^\s*state\s*[:=]\s*([A-Z_]+)\s*$")

#: Locations every fake project offers, with display names.
LOCATIONS = {
    "asia-northeast1": "Tokyo",
    "europe-west1": "Belgium",
    "us-central1": "Iowa",
    "us-east1": "South Carolina",
}

QUEUE_MISSING = (
    "Queue does not exist. If you just created the queue, wait at least a minute for the queue"
    " to initialize."
)
NOT_FOUND = "Requested entity was not found."
TASK_GONE = (
    "The task no longer exists, though a task with this name existed recently. The task either"
    " successfully completed or was deleted."
)
QUEUE_NAME_FORMAT = (
    'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/'
    '<QUEUE_ID>".'
)
QUEUE_TOO_RECENT = (
    "The queue cannot be created because a queue with this name existed too recently."
)
EMPTY_POLICY_ETAG = b"ACAB"

#: Settings a new queue gets when the caller leaves them unset (v2 and v2beta names).
QUEUE_DEFAULTS: dict[str, Any] = {
    "rate_limits.max_dispatches_per_second": 500.0,
    "rate_limits.max_tasks_dispatched_per_second": 500.0,
    "rate_limits.max_burst_size": 100,
    "rate_limits.max_concurrent_dispatches": 1000,
    "rate_limits.max_concurrent_tasks": 1000,
    "retry_config.max_attempts": 100,
    "retry_config.min_backoff": timedelta(seconds=0.1),
    "retry_config.max_backoff": timedelta(seconds=3600),
    "retry_config.max_doublings": 16,
}


class FakeError(Exception):
    """A failed RPC: the gRPC status code and the service's message."""

    def __init__(self, code: grpc.StatusCode, message: str = "") -> None:
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message


def raw(message: Any) -> Any:
    """The protobuf message behind a proto-plus one (the same object, not a copy)."""
    if isinstance(message, proto.Message):
        return type(message).pb(message)
    return message


def raw_class(cls: Any) -> Any:
    """The protobuf class behind a proto-plus class (or the class itself)."""
    return cls.pb() if isinstance(cls, type) and issubclass(cls, proto.Message) else cls


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _field(message: Any, name: str) -> Any:
    return message.DESCRIPTOR.fields_by_name.get(name)


def _has(message: Any, name: str) -> bool:
    return _field(message, name) is not None


def _enum(message: Any, name: str, value: str) -> int:
    """The number of enum ``value`` of ``message``'s enum field ``name``."""
    number: int = _field(message, name).enum_type.values_by_name[value].number
    return number


def _set_default(message: Any, dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        if not _has(message, part):
            return
        message = getattr(message, part)
    spec = _field(message, leaf)
    if spec is None:
        return
    if spec.message_type is not None:
        if not message.HasField(leaf):
            getattr(message, leaf).FromTimedelta(value)
    elif spec.containing_oneof is not None:
        if message.WhichOneof(spec.containing_oneof.name) is None:
            setattr(message, leaf, value)
    elif not getattr(message, leaf):
        setattr(message, leaf, value)


def _repeated(spec: Any) -> bool:
    flag = getattr(spec, "is_repeated", None)
    return bool(flag) if flag is not None else spec.label == spec.LABEL_REPEATED


def _apply_mask(target: Any, source: Any, paths: list[str]) -> None:
    """Copy the dotted ``paths`` of ``source`` onto ``target`` (everything set, if none)."""
    if not paths:
        target.MergeFrom(source)
        return
    for path in paths:
        *parents, leaf = path.split(".")
        dst, src = target, source
        for part in parents:
            if not _has(dst, part):
                raise FakeError(Code.INVALID_ARGUMENT, f"Invalid update_mask path: {path}")
            dst, src = getattr(dst, part), getattr(src, part)
        spec = _field(dst, leaf)
        if spec is None:
            raise FakeError(Code.INVALID_ARGUMENT, f"Invalid update_mask path: {path}")
        if _repeated(spec):
            dst.ClearField(leaf)
            getattr(dst, leaf).MergeFrom(getattr(src, leaf))
        elif spec.message_type is not None:
            dst.ClearField(leaf)
            if src.HasField(leaf):
                getattr(dst, leaf).CopyFrom(getattr(src, leaf))
        else:
            setattr(dst, leaf, getattr(src, leaf))


def _encode_token(kind: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{offset}".encode()).decode()


def _page(kind: str, items: list[Any], page_size: int, page_token: str) -> tuple[list[Any], str]:
    """One page of ``items`` and the token of the next page ("" at the end)."""
    if page_size < 0:
        raise FakeError(Code.INVALID_ARGUMENT, "page_size must not be negative.")
    start = 0
    if page_token:
        try:
            got_kind, offset = base64.urlsafe_b64decode(page_token).decode().rsplit(":", 1)
            start = int(offset)
        except ValueError:
            got_kind = ""
        if got_kind != kind:
            raise FakeError(Code.INVALID_ARGUMENT, "The page_token is invalid.")
    end = start + (page_size or 1000)
    return items[start:end], (_encode_token(kind, end) if end < len(items) else "")


@dataclass
class _State:
    """What one API version holds: queues, tasks and the names that were deleted."""

    queues: dict[str, Any] = field(default_factory=dict)
    #: queue name -> {task name -> task}, in creation order
    tasks: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    deleted_queues: set[str] = field(default_factory=set)
    deleted_tasks: set[str] = field(default_factory=set)
    policies: dict[str, Any] = field(default_factory=dict)
    cmek: dict[str, Any] = field(default_factory=dict)


class FakeCloudTasks:
    """Answers every RPC of a Cloud Tasks method table from memory.

    ``handle(method, request, metadata)`` takes the request as the method's
    request class (proto-plus or protobuf) and returns an instance of its
    response class (``Empty`` for methods without one).
    """

    def __init__(self, service: Service) -> None:
        self.service = service
        self.calls: list[tuple[str, Any, dict[str, str]]] = []
        self._lock = threading.RLock()
        self._states: dict[str, _State] = defaultdict(_State)
        #: operation name -> the operation as it is once finished
        self._operations: dict[str, operations_pb2.Operation] = {}
        self._faults: dict[str, deque[FakeError]] = defaultdict(deque)
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._ids = itertools.count(1)

    # -- test controls -------------------------------------------------------------------

    def fail_next(
        self,
        method_name: str,
        code: grpc.StatusCode,
        count: int = 1,
        message: str = "injected failure",
    ) -> None:
        """Make the next ``count`` calls of ``method_name`` fail with ``code``."""
        with self._lock:
            self._faults[method_name].extend(FakeError(code, message) for _ in range(count))

    def delay_next(self, method_name: str, seconds: float) -> None:
        """Make the next call of ``method_name`` wait ``seconds`` before answering."""
        with self._lock:
            self._delays[method_name].append(seconds)

    def calls_of(self, method_name: str) -> list[tuple[str, Any, dict[str, str]]]:
        """The recorded calls of one method, oldest first."""
        with self._lock:
            return [call for call in self.calls if call[0] == method_name]

    # -- the entry point -----------------------------------------------------------------

    def handle(self, method: Method, request: Any, metadata: dict[str, str]) -> Any:
        """Answer one RPC, or raise :class:`FakeError`."""
        with self._lock:
            self.calls.append((method.name, request, dict(metadata)))
            delays = self._delays[method.name]
            delay = delays.popleft() if delays else 0.0
            faults = self._faults[method.name]
            fault = faults.popleft() if faults else None
        if delay:
            time.sleep(delay)
        if fault is not None:
            raise fault
        handler = getattr(self, "_" + method.name, None)
        if handler is None:
            raise FakeError(Code.UNIMPLEMENTED, f"Method {method.rpc} is not implemented.")
        with self._lock:
            result = handler(method, self._state(method), raw(request))
        return self._respond(method, result)

    # -- helpers -------------------------------------------------------------------------

    def _state(self, method: Method) -> _State:
        return self._states[method.service.rsplit(".", 1)[0]]

    @staticmethod
    def _respond(method: Method, result: Any) -> Any:
        if method.response is None:
            return empty_pb2.Empty()
        result = copy.deepcopy(result)
        cls = method.response
        if isinstance(cls, type) and issubclass(cls, proto.Message):
            return cls.wrap(result)
        return result

    @staticmethod
    def _queue_name(name: str) -> str:
        if not QUEUE_RE.match(name):
            raise FakeError(Code.INVALID_ARGUMENT, QUEUE_NAME_FORMAT)
        return name

    def _queue(self, state: _State, name: str) -> Any:
        queue = state.queues.get(self._queue_name(name))
        if queue is None:
            raise FakeError(Code.NOT_FOUND, QUEUE_MISSING)
        return queue

    @staticmethod
    def _task_name(name: str) -> tuple[str, str]:
        match = TASK_RE.match(name)
        if not match:
            raise FakeError(
                Code.INVALID_ARGUMENT,
                'Task name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/'
                'queues/<QUEUE_ID>/tasks/<TASK_ID>".',
            )
        queue, task_id = match.groups()
        if not TASK_ID_RE.match(task_id):
            raise FakeError(
                Code.INVALID_ARGUMENT,
                f'Task ID "{task_id}" can contain only letters ([A-Za-z]), numbers ([0-9]),'
                " hyphens (-), or underscores (_). Task ID must between 1 and 500 characters.",
            )
        return queue, task_id

    def _task(self, state: _State, name: str) -> Any:
        queue, _ = self._task_name(name)
        task = state.tasks[queue].get(name) if queue in state.queues else None
        if task is None:
            if name in state.deleted_tasks:
                raise FakeError(Code.NOT_FOUND, TASK_GONE)
            raise FakeError(Code.NOT_FOUND, NOT_FOUND)
        return task

    @staticmethod
    def _view(task: Any, request: Any) -> Any:
        """A copy of ``task`` as the request's ``response_view`` shows it (BASIC by default)."""
        out = copy.deepcopy(task)
        full = _has(request, "response_view") and request.response_view == _enum(
            request, "response_view", "FULL"
        )
        if not full:
            for target, body in (
                ("http_request", "body"),
                ("app_engine_http_request", "body"),
                ("app_engine_http_request", "payload"),
                ("pull_message", "payload"),
            ):
                if _has(out, target) and out.HasField(target):
                    part = getattr(out, target)
                    if _has(part, body):
                        part.ClearField(body)
        if _has(out, "view"):
            out.view = _enum(out, "view", "FULL" if full else "BASIC")
        return out

    def _new_id(self) -> str:
        return str(7_000_000_000_000_000_000 + next(self._ids) * 7919)

    # -- queues --------------------------------------------------------------------------

    def _list_queues(self, method: Method, state: _State, req: Any) -> Any:
        if not LOCATION_RE.match(req.parent):
            raise FakeError(Code.INVALID_ARGUMENT, f"Invalid parent: {req.parent!r}")
        queues = [
            q for name, q in sorted(state.queues.items()) if name.startswith(req.parent + "/")
        ]
        if req.filter:
            match = FILTER_RE.match(req.filter)
            if not match:
                raise FakeError(Code.INVALID_ARGUMENT, f"Invalid filter: {req.filter}")
            queues = [q for q in queues if q.state == _enum(q, "state", match.group(1))]
        page, token = _page("queues:" + req.parent, queues, req.page_size, req.page_token)
        response = raw_class(method.response)(next_page_token=token)
        response.queues.extend(page)
        return response

    def _get_queue(self, method: Method, state: _State, req: Any) -> Any:
        return self._queue(state, req.name)

    def _create_queue(self, method: Method, state: _State, req: Any) -> Any:
        match = LOCATION_RE.match(req.parent)
        if not match:
            parts = req.parent.split("/")
            project = parts[1] if len(parts) > 1 and parts[0] == "projects" else req.parent
            raise FakeError(
                Code.PERMISSION_DENIED, f"Permission denied on resource project {project}."
            )
        name = self._queue_name(req.queue.name)
        if not name.startswith(req.parent + "/queues/"):
            raise FakeError(
                Code.INVALID_ARGUMENT,
                f"The queue name must be in the request's parent location ({req.parent}).",
            )
        if name in state.queues:
            raise FakeError(Code.ALREADY_EXISTS, "Queue already exists")
        if name in state.deleted_queues:
            raise FakeError(Code.FAILED_PRECONDITION, QUEUE_TOO_RECENT)
        return self._store_queue(state, copy.deepcopy(req.queue))

    @staticmethod
    def _store_queue(state: _State, queue: Any) -> Any:
        for dotted, value in QUEUE_DEFAULTS.items():
            _set_default(queue, dotted, value)
        if not queue.state:
            queue.state = _enum(queue, "state", "RUNNING")
        state.queues[queue.name] = queue
        return queue

    def _update_queue(self, method: Method, state: _State, req: Any) -> Any:
        name = self._queue_name(req.queue.name)
        current = state.queues.get(name)
        if current is None:
            return self._store_queue(state, copy.deepcopy(req.queue))
        _apply_mask(current, req.queue, list(req.update_mask.paths))
        return current

    def _delete_queue(self, method: Method, state: _State, req: Any) -> Any:
        name = self._queue_name(req.name)
        if name not in state.queues:
            raise FakeError(Code.NOT_FOUND, NOT_FOUND)
        del state.queues[name]
        state.deleted_tasks.update(state.tasks.pop(name, {}))
        state.deleted_queues.add(name)
        state.policies.pop(name, None)
        return None

    def _purge_queue(self, method: Method, state: _State, req: Any) -> Any:
        queue = self._queue(state, req.name)
        state.deleted_tasks.update(state.tasks.pop(req.name, {}))
        if _has(queue, "purge_time"):
            queue.purge_time.FromDatetime(_now())
        return queue

    def _pause_queue(self, method: Method, state: _State, req: Any) -> Any:
        queue = self._queue(state, req.name)
        queue.state = _enum(queue, "state", "PAUSED")
        return queue

    def _resume_queue(self, method: Method, state: _State, req: Any) -> Any:
        queue = self._queue(state, req.name)
        queue.state = _enum(queue, "state", "RUNNING")
        return queue

    def _upload_queue_yaml(self, method: Method, state: _State, req: Any) -> Any:
        raise FakeError(Code.UNIMPLEMENTED, "UploadQueueYaml is only available over HTTP.")

    # -- IAM -----------------------------------------------------------------------------

    def _get_iam_policy(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.resource)
        policy = state.policies.get(req.resource)
        if policy is None:
            policy = raw_class(method.response)(etag=EMPTY_POLICY_ETAG)
        return policy

    def _set_iam_policy(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.resource)
        current = state.policies.get(req.resource)
        current_etag = current.etag if current is not None else EMPTY_POLICY_ETAG
        if req.policy.etag and req.policy.etag != current_etag:
            raise FakeError(
                Code.ABORTED,
                "There were concurrent policy changes. Please retry the whole read-modify-write"
                " with exponential backoff.",
            )
        policy = copy.deepcopy(req.policy)
        policy.etag = f"etag-{next(self._ids)}".encode()
        policy.version = policy.version or 1
        state.policies[req.resource] = policy
        return policy

    def _test_iam_permissions(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.resource)
        granted = [p for p in req.permissions if p.startswith("cloudtasks.")]
        return raw_class(method.response)(permissions=granted)

    # -- tasks ---------------------------------------------------------------------------

    def _list_tasks(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.parent)
        tasks = list(state.tasks[req.parent].values())
        page, token = _page("tasks:" + req.parent, tasks, req.page_size, req.page_token)
        response = raw_class(method.response)(next_page_token=token)
        response.tasks.extend(self._view(task, req) for task in page)
        return response

    def _get_task(self, method: Method, state: _State, req: Any) -> Any:
        return self._view(self._task(state, req.name), req)

    def _create_task(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.parent)
        task = copy.deepcopy(req.task)
        if task.name:
            queue, _ = self._task_name(task.name)
            if queue != req.parent:
                raise FakeError(
                    Code.INVALID_ARGUMENT,
                    f"The queue name from request ('{req.parent}') must be the same as the queue"
                    f" name in the named task ('{queue}').",
                )
            if task.name in state.tasks[req.parent] or task.name in state.deleted_tasks:
                raise FakeError(Code.ALREADY_EXISTS, "Requested entity already exists")
        else:
            task.name = f"{req.parent}/tasks/{self._new_id()}"
        now = _now()
        task.create_time.FromDatetime(now)
        if not task.HasField("schedule_time"):
            task.schedule_time.FromDatetime(now)
        elif task.schedule_time.ToDatetime(timezone.utc) > now + timedelta(days=30):
            raise FakeError(
                Code.INVALID_ARGUMENT,
                "The schedule time cannot be more than 30 days in the future.",
            )
        if _has(task, "dispatch_deadline") and not task.HasField("dispatch_deadline"):
            task.dispatch_deadline.FromTimedelta(timedelta(minutes=10))
        state.tasks[req.parent][task.name] = task
        return self._view(task, req)

    def _delete_task(self, method: Method, state: _State, req: Any) -> Any:
        self._remove_task(state, req.name)
        return None

    def _remove_task(self, state: _State, name: str) -> None:
        task = self._task(state, name)
        queue, _ = self._task_name(name)
        del state.tasks[queue][task.name]
        state.deleted_tasks.add(task.name)

    def _run_task(self, method: Method, state: _State, req: Any) -> Any:
        task = self._task(state, req.name)
        if _has(task, "dispatch_count"):
            task.dispatch_count += 1
        elif _has(task, "status"):
            task.status.attempt_dispatch_count += 1
        return self._view(task, req)

    # -- batches and operations ----------------------------------------------------------

    def _start_operation(
        self, req: Any, meta_cls: Any, result: Any, failures: dict[int, FakeError], total: int
    ) -> operations_pb2.Operation:
        """A running operation whose next poll finds it finished with ``result``."""
        project, location, _ = QUEUE_RE.match(req.parent).groups()  # type: ignore[union-attr]
        name = f"projects/{project}/locations/{location}/operations/{self._new_id()}"
        meta = raw_class(meta_cls)()
        meta.start_time.FromDatetime(_now())
        meta.state = _enum(meta, "state", "RUNNING")
        pending = operations_pb2.Operation(name=name, done=False)
        pending.metadata.Pack(meta)
        meta.end_time.FromDatetime(_now())
        if not failures:
            meta.state = _enum(meta, "state", "SUCCEEDED")
        elif len(failures) < total:
            meta.state = _enum(meta, "state", "PARTIALLY_SUCCEEDED")
        else:
            meta.state = _enum(meta, "state", "FAILED")
        for index, error in failures.items():
            meta.failed_requests[index].CopyFrom(
                status_pb2.Status(code=error.code.value[0], message=error.message)
            )
        finished = operations_pb2.Operation(name=name, done=True)
        finished.metadata.Pack(meta)
        finished.response.Pack(result)
        self._operations[name] = finished
        return pending

    def _batch_create_tasks(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.parent)
        if not req.requests:
            raise FakeError(Code.INVALID_ARGUMENT, "requests must not be empty.")
        result_cls, meta_cls = method.lro  # type: ignore[misc]
        result = raw_class(result_cls)()
        failures: dict[int, FakeError] = {}
        for index, one in enumerate(req.requests):
            one = copy.deepcopy(one)
            one.parent = one.parent or req.parent
            try:
                if one.parent != req.parent:
                    raise FakeError(
                        Code.INVALID_ARGUMENT, "Each request's parent must be the batch's parent."
                    )
                result.tasks.append(self._create_task(method, state, one))
            except FakeError as error:
                failures[index] = error
        return self._start_operation(req, meta_cls, result, failures, len(req.requests))

    def _batch_delete_tasks(self, method: Method, state: _State, req: Any) -> Any:
        self._queue(state, req.parent)
        if not req.names:
            raise FakeError(Code.INVALID_ARGUMENT, "names must not be empty.")
        failures: dict[int, FakeError] = {}
        for index, name in enumerate(req.names):
            try:
                if not name.startswith(req.parent + "/tasks/"):
                    raise FakeError(
                        Code.INVALID_ARGUMENT, "Each task must be in the batch's parent."
                    )
                self._remove_task(state, name)
            except FakeError as error:
                failures[index] = error
        _, meta_cls = method.lro  # type: ignore[misc]
        return self._start_operation(req, meta_cls, empty_pb2.Empty(), failures, len(req.names))

    def _get_operation(self, method: Method, state: _State, req: Any) -> Any:
        operation = self._operations.get(req.name)
        if operation is None:
            raise FakeError(Code.NOT_FOUND, NOT_FOUND)
        return operation

    # -- CMEK ----------------------------------------------------------------------------

    def _cmek(self, method: Method, state: _State, name: str) -> Any:
        if not CMEK_RE.match(name):
            raise FakeError(
                Code.INVALID_ARGUMENT,
                'CMEK config name must be formatted: "projects/<PROJECT_ID>/locations/'
                '<LOCATION_ID>/cmekConfig".',
            )
        config = state.cmek.get(name)
        if config is None:
            config = state.cmek[name] = raw_class(method.response)(name=name)
        return config

    def _get_cmek_config(self, method: Method, state: _State, req: Any) -> Any:
        return self._cmek(method, state, req.name)

    def _update_cmek_config(self, method: Method, state: _State, req: Any) -> Any:
        wanted = req.cmek_config
        config = self._cmek(method, state, wanted.name)
        paths = list(req.update_mask.paths)
        if paths and "kms_key" not in paths:
            return config
        location = CMEK_RE.match(wanted.name).group(2)  # type: ignore[union-attr]
        key = KMS_KEY_RE.match(wanted.kms_key)
        if wanted.kms_key and (key is None or key.group(1) != location):
            raise FakeError(
                Code.INVALID_ARGUMENT,
                f"The KMS key must be a crypto key in location {location}: {wanted.kms_key!r}",
            )
        config.kms_key = wanted.kms_key
        return config

    # -- v2beta2 pull queues -------------------------------------------------------------

    def _lease_tasks(self, method: Method, state: _State, req: Any) -> Any:
        queue = self._queue(state, req.parent)
        if queue.state != _enum(queue, "state", "RUNNING"):
            raise FakeError(Code.FAILED_PRECONDITION, "The queue is paused or disabled.")
        if not 0 <= req.max_tasks <= 1000:
            raise FakeError(Code.INVALID_ARGUMENT, "max_tasks must be between 1 and 1000.")
        lease = req.lease_duration.ToTimedelta()
        if lease <= timedelta(0) or lease > timedelta(weeks=1):
            raise FakeError(Code.INVALID_ARGUMENT, "lease_duration must be at most a week.")
        tag = None
        if req.filter:
            match = re.match(r'^\s*tag\s*=\s*"(.*)"\s*$', req.filter)
            if not match:
                raise FakeError(Code.INVALID_ARGUMENT, f"Invalid filter: {req.filter}")
            tag = match.group(1)
        now = _now()
        response = raw_class(method.response)()
        for task in state.tasks[req.parent].values():
            if len(response.tasks) >= (req.max_tasks or 1000):
                break
            if not task.HasField("pull_message"):
                continue
            if tag is not None and task.pull_message.tag != tag:
                continue
            if task.schedule_time.ToDatetime(timezone.utc) > now:
                continue
            task.schedule_time.FromDatetime(now + lease)
            task.status.attempt_dispatch_count += 1
            response.tasks.append(self._view(task, req))
        return response

    def _leased(self, state: _State, req: Any) -> Any:
        task = self._task(state, req.name)
        if task.schedule_time != req.schedule_time:
            raise FakeError(
                Code.FAILED_PRECONDITION,
                "The task's schedule_time does not match: the lease expired or was renewed.",
            )
        return task

    def _acknowledge_task(self, method: Method, state: _State, req: Any) -> Any:
        self._leased(state, req)
        return self._delete_task(method, state, req)

    def _renew_lease(self, method: Method, state: _State, req: Any) -> Any:
        task = self._leased(state, req)
        task.schedule_time.FromDatetime(_now() + req.lease_duration.ToTimedelta())
        return self._view(task, req)

    def _cancel_lease(self, method: Method, state: _State, req: Any) -> Any:
        task = self._leased(state, req)
        task.schedule_time.FromDatetime(_now())
        return self._view(task, req)

    # -- locations -----------------------------------------------------------------------

    @staticmethod
    def _location(project: str, location_id: str) -> locations_pb2.Location:
        return locations_pb2.Location(
            name=f"projects/{project}/locations/{location_id}",
            location_id=location_id,
            display_name=LOCATIONS[location_id],
            labels={"cloud.googleapis.com/region": location_id},
        )

    def _get_location(self, method: Method, state: _State, req: Any) -> Any:
        match = LOCATION_RE.match(req.name)
        if not match or match.group(2) not in LOCATIONS:
            raise FakeError(
                Code.NOT_FOUND, f"Location {req.name} is not found or access is unauthorized."
            )
        return self._location(*match.groups())

    def _list_locations(self, method: Method, state: _State, req: Any) -> Any:
        match = re.match(r"^projects/([^/]+)$", req.name)
        if not match:
            raise FakeError(Code.INVALID_ARGUMENT, f"Invalid resource name: {req.name!r}")
        locations = [self._location(match.group(1), loc) for loc in sorted(LOCATIONS)]
        page, token = _page("locations:" + req.name, locations, req.page_size, req.page_token)
        return locations_pb2.ListLocationsResponse(locations=page, next_page_token=token)
