"""Each API version's view of the model: converters in both directions.

A version is described by pairs of field paths, ``(version path, model path)``,
for its ``Queue`` and its ``Task``.  A pair moves one field; message fields
whose classes differ between versions but share field numbers move as bytes.
The same pairs translate a version's ``update_mask`` into model paths, so a
queue made through v2 reads back through v2beta3 and v2beta2, each with its
own field names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from google.protobuf import field_mask_pb2
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message

from google.cloud.tasks._core.spec import Service

from .service import model as m
from .service import rules
from .service.errors import ServiceError, invalid, shown

Pairs = tuple[tuple[str, str], ...]


Action = Callable[[Any, Message], None]


def _setter(fd: Any, dst_path: str) -> Action:
    """An action putting a source field's value at ``dst_path`` of the destination."""
    *parents, leaf = dst_path.split(".")
    if not parents:
        return _top_setter(fd, leaf)

    def holder(dst: Any) -> Any:
        for name in parents:
            dst = getattr(dst, name)
        return dst

    if fd.message_type is not None and not fd.is_repeated:

        def move_message(value: Any, dst: Message) -> None:
            target = getattr(holder(dst), leaf)
            if type(target) is type(value):
                target.CopyFrom(value)
            else:  # the same fields under another version's class
                target.ParseFromString(value.SerializeToString())
            target.SetInParent()

        return move_message

    def move_scalar(value: Any, dst: Message) -> None:
        setattr(holder(dst), leaf, value)

    return move_scalar


def _top_setter(fd: Any, leaf: str) -> Action:
    """:func:`_setter` for a field of the destination message itself (the common case)."""
    if fd.message_type is not None and not fd.is_repeated:

        def move_message(value: Any, dst: Message) -> None:
            target = getattr(dst, leaf)
            if type(target) is type(value):
                target.CopyFrom(value)
            else:  # the same fields under another version's class
                target.MergeFromString(value.SerializeToString())
            target.SetInParent()

        return move_message

    def move_scalar(value: Any, dst: Message) -> None:
        setattr(dst, leaf, value)

    return move_scalar


#: Per-field actions by source field number.
Actions = dict[int, Action]


def plan(pairs: Sequence[tuple[str, str]], source: Descriptor) -> Actions:
    """Compile ``(source path, destination path)`` pairs into per-field actions."""
    actions: Actions = {}
    nested: dict[str, list[tuple[str, str]]] = {}
    for src, dst in pairs:
        head, _, rest = src.partition(".")
        if rest:
            nested.setdefault(head, []).append((rest, dst))
        else:
            fd = source.fields_by_name[head]
            actions[fd.number] = _setter(fd, dst)
    for head, sub in nested.items():
        fd = source.fields_by_name[head]
        assert fd.message_type is not None, f"{head} is not a message field"
        actions[fd.number] = _nested(plan(sub, fd.message_type))
    return actions


def _nested(inner: Actions) -> Action:
    def move_fields(value: Any, dst: Message) -> None:
        apply(inner, value, dst)

    return move_fields


def apply(actions: Actions, src: Message, dst: Message) -> None:
    """Run the actions of the fields set in ``src``."""
    get = actions.get
    for fd, value in src.ListFields():
        action = get(fd.number)
        if action is not None:
            action(value, dst)


@dataclass
class Version:
    """One API version: its method table and converters to and from the model."""

    name: str
    service: Service
    queue_pairs: Pairs
    task_pairs: Pairs
    #: version mask paths that do not follow from the pairs (renamed subfields)
    renames: dict[str, str] = field(default_factory=dict)
    #: how the model's field names in messages (``RateLimits.maxDispatchesPerSecond``)
    #: read in this version, where it names the field otherwise
    wording: dict[str, str] = field(default_factory=dict)
    _types: Any = field(init=False, repr=False)
    _queue_in: Actions = field(init=False, repr=False)
    _queue_out: Actions = field(init=False, repr=False)
    _task_in: Actions = field(init=False, repr=False)
    _task_out: Actions = field(init=False, repr=False)
    _classes: dict[str, Any] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._types = importlib.import_module(f"google.cloud.tasks_{self.name}.types")
        swap = [(b, a) for a, b in self.queue_pairs]
        self._queue_in = plan(self.queue_pairs, self.pb("Queue").DESCRIPTOR)
        self._queue_out = plan(swap, m.Queue.DESCRIPTOR)
        swap = [(b, a) for a, b in self.task_pairs]
        self._task_in = plan(self.task_pairs, self.pb("Task").DESCRIPTOR)
        self._task_out = plan(swap, m.Task.DESCRIPTOR)

    def reworded(self, error: ServiceError) -> ServiceError:
        """``error`` with the fields its message names called as this version calls them."""
        message = error.message
        for model_name, own_name in self.wording.items():
            message = message.replace(model_name, own_name)
        if message == error.message:
            return error
        return ServiceError(error.code, message, error.details)

    def pb(self, name: str) -> Any:
        """The raw protobuf class of this version's type ``name``."""
        cls = self._classes.get(name)
        if cls is None:
            cls = self._classes[name] = getattr(self._types, name).pb()
        return cls

    # -- queues -------------------------------------------------------------------------

    def queue_in(self, queue: Message) -> m.Queue:
        out = m.Queue()
        apply(self._queue_in, queue, out)
        return out

    def queue_out(self, queue: m.Queue) -> Message:
        out = self.pb("Queue")()
        apply(self._queue_out, queue, out)
        return out

    def mask_in(self, paths: Sequence[str]) -> list[str]:
        """A version's ``update_mask`` as model paths; INVALID_ARGUMENT for unknown fields."""
        self.check_mask(paths, "UpdateQueueRequest.updateMask")
        return [self._model_path(path) for path in paths]

    def check_mask(self, paths: Sequence[str], what: str) -> None:
        """INVALID_ARGUMENT unless every path names a ``Queue`` field; ``what`` names the mask.

        ``what`` is written as the messages name fields: ``UpdateQueueRequest.updateMask``.
        """
        descriptor = self.pb("Queue").DESCRIPTOR
        for path in paths:
            if not field_mask_pb2.FieldMask(paths=[path]).IsValidForDescriptor(descriptor):
                raise invalid(f'{what} names an unknown Queue field: "{shown(path)}".')

    def _model_path(self, path: str) -> str:
        if path in self.renames:
            return self.renames[path]
        best = ("", "")
        for version_path, model_path in self.queue_pairs:
            if (path == version_path or path.startswith(version_path + ".")) and len(
                version_path
            ) > len(best[0]):
                best = (version_path, model_path)
        if not best[0]:
            return path
        return best[1] + path[len(best[0]) :]

    # -- tasks --------------------------------------------------------------------------

    def task_in(self, task: Message) -> m.Task:
        out = m.Task()
        apply(self._task_in, task, out)
        return out

    def task_out(self, task: m.Task, view: int) -> Message:
        """The task in this version's shape and ``view``; ``task`` itself may be changed."""
        out = self.pb("Task")()
        apply(self._task_out, rules.show(task, view), out)
        return out


class _Identity(Version):
    """The version whose messages are the model's (v2beta3): nothing to convert."""

    def queue_in(self, queue: Message) -> m.Queue:
        return queue  # type: ignore[return-value]

    def queue_out(self, queue: m.Queue) -> Message:
        return queue

    def task_in(self, task: Message) -> m.Task:
        return task  # type: ignore[return-value]

    def task_out(self, task: m.Task, view: int) -> Message:
        return rules.show(task, view)


class _V2Beta2(Version):
    """v2beta2: pull queues as a target type, unlimited attempts as a flag, task status."""

    def queue_in(self, queue: Message) -> m.Queue:
        out = super().queue_in(queue)
        q: Any = queue
        if q.WhichOneof("target_type") == "pull_target":
            out.type_ = m.PULL
        elif q.WhichOneof("target_type"):
            out.type_ = m.PUSH
        if q.retry_config.unlimited_attempts:
            out.retry_config.max_attempts = -1
        return out

    def queue_out(self, queue: m.Queue) -> Message:
        out: Any = super().queue_out(queue)
        if queue.type_ == m.PULL:
            out.pull_target.SetInParent()
        elif not out.WhichOneof("target_type"):
            out.app_engine_http_target.SetInParent()
        if queue.retry_config.max_attempts == -1:
            out.retry_config.unlimited_attempts = True
        return out  # type: ignore[no-any-return]


_COMMON_QUEUE = ("http_target", "rate_limits", "purge_time")
_V2_QUEUE: Pairs = (
    ("name", "name"),
    ("app_engine_routing_override", "app_engine_http_queue.app_engine_routing_override"),
    *((f, f) for f in _COMMON_QUEUE),
    ("retry_config", "retry_config"),
    ("state", "state"),
    ("stackdriver_logging_config", "stackdriver_logging_config"),
)
_V2_TASK: Pairs = tuple(
    (f, f)
    for f in (
        "name",
        "app_engine_http_request",
        "http_request",
        "schedule_time",
        "create_time",
        "dispatch_deadline",
        "dispatch_count",
        "response_count",
        "first_attempt",
        "last_attempt",
        "view",
        "retry_config",
    )
)
_V2BETA2_QUEUE: Pairs = (
    ("name", "name"),
    ("app_engine_http_target", "app_engine_http_queue"),
    *((f, f) for f in _COMMON_QUEUE),
    ("state", "state"),
    ("task_ttl", "task_ttl"),
    ("tombstone_ttl", "tombstone_ttl"),
    ("stats", "stats"),
    *(
        (f"retry_config.{f}", f"retry_config.{f}")
        for f in ("max_attempts", "max_retry_duration", "min_backoff", "max_backoff")
    ),
    ("retry_config.max_doublings", "retry_config.max_doublings"),
)
_V2BETA2_TASK: Pairs = (
    *(
        (f, f)
        for f in (
            "name",
            "app_engine_http_request",
            "pull_message",
            "http_request",
            "schedule_time",
            "create_time",
            "view",
        )
    ),
    ("status.attempt_dispatch_count", "dispatch_count"),
    ("status.attempt_response_count", "response_count"),
    ("status.first_attempt_status", "first_attempt"),
    ("status.last_attempt_status", "last_attempt"),
)
#: v2beta2's names for fields the model (and v2, v2beta3) names otherwise
_V2BETA2_WORDING = {
    "RateLimits.maxDispatchesPerSecond": "RateLimits.maxTasksDispatchedPerSecond",
    "RateLimits.maxConcurrentDispatches": "RateLimits.maxConcurrentTasks",
    "AppEngineHttpRequest.relativeUri": "AppEngineHttpRequest.relativeUrl",
}
_V2BETA2_RENAMES = {
    "rate_limits.max_tasks_dispatched_per_second": "rate_limits.max_dispatches_per_second",
    "rate_limits.max_concurrent_tasks": "rate_limits.max_concurrent_dispatches",
    "retry_config.unlimited_attempts": "retry_config.max_attempts",
    "retry_config": "retry_config",
    "pull_target": "type_",
    "app_engine_http_target": "app_engine_http_queue",
}


@cache
def versions() -> dict[str, Version]:
    """Every served version by name (imports the three method tables on first use)."""
    from google.cloud.tasks_v2._spec import SERVICE as V2
    from google.cloud.tasks_v2beta2._spec import SERVICE as V2BETA2
    from google.cloud.tasks_v2beta3._spec import SERVICE as V2BETA3

    return {
        "v2": Version("v2", V2, _V2_QUEUE, _V2_TASK),
        "v2beta3": _Identity("v2beta3", V2BETA3, (), ()),
        "v2beta2": _V2Beta2(
            "v2beta2",
            V2BETA2,
            _V2BETA2_QUEUE,
            _V2BETA2_TASK,
            _V2BETA2_RENAMES,
            _V2BETA2_WORDING,
        ),
    }
