"""Queues declared in a file: App Engine's ``queue.yaml``, or a list of ``Queue`` resources.

Two formats, told apart by what the file holds:

- **queue.yaml** (a mapping with a ``queue:`` list), mapped to Cloud Tasks
  fields as the service maps an uploaded file: ``rate`` to
  ``max_dispatches_per_second`` (``5/s``, ``10/m``, ``1/h``, ``2/d``; 5/s when
  absent), ``bucket_size`` to ``max_burst_size`` (5 when absent),
  ``max_concurrent_requests`` to ``max_concurrent_dispatches`` (1000),
  ``retry_parameters``: ``task_retry_limit`` *n* to ``max_attempts`` *n* + 1
  (unlimited when absent), ``task_age_limit`` (``30s``, ``10m``, ``3h``,
  ``2d``) to ``max_retry_duration``, ``min_backoff_seconds`` (0.1),
  ``max_backoff_seconds`` (3600) and ``max_doublings`` (16); ``target``
  (``service``, ``version.service`` or ``instance.version.service``) to
  ``app_engine_routing_override``; ``mode: pull`` makes a pull queue (only
  its retry limits apply).  ``total_storage_limit``, ``application`` and
  ``acl`` are accepted and have no effect; ``resume_paused_queues: true``
  makes :meth:`~.declared.DeclaredQueueRules.upload_queue_yaml` resume the
  paused queues the file names.
- **Queue resources** in their JSON form (as JSON or YAML): a list, or a
  mapping whose ``queues:`` key holds the list, of v2 ``Queue`` objects as
  the REST API and ``gcloud`` write them (``rateLimits``, ``retryConfig``,
  ``httpTarget``, ...; field names in camelCase or snake_case).  ``name`` is
  a queue id, resolved in the given project and location, or a full name.
  ``state`` (``PAUSED``, say) is the state a queue the file creates starts
  in.

A mistake raises :class:`QueueFileError`, one line naming the file, the line
and the field.  Reading a file changes nothing: :mod:`.declared` applies the
queues through the service.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from google.protobuf import json_format, message_factory
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message

from . import model as m
from . import names, rules
from .errors import ServiceError

#: App Engine's limits for queue.yaml values (the service refuses more)
MAX_RATE = 500.0
MAX_BUCKET_SIZE = 500
MAX_CONCURRENT_REQUESTS = 5000
#: what a queue.yaml push queue gets for a setting it leaves out
DEFAULT_RATE = "5/s"
DEFAULT_BUCKET_SIZE = 5
DEFAULT_CONCURRENT_REQUESTS = 1000
DEFAULT_MIN_BACKOFF = 0.1
DEFAULT_MAX_BACKOFF = 3600.0
DEFAULT_DOUBLINGS = 16

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"(\d+(?:\.\d*)?)/([smhd])")
_AGE = re.compile(r"(\d+(?:\.\d*)?)([smhd])")
_ROUTE_PART = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOP_KEYS = ("queue", "total_storage_limit", "resume_paused_queues", "application")
_ENTRY_KEYS = (
    "name",
    "rate",
    "bucket_size",
    "max_concurrent_requests",
    "retry_parameters",
    "target",
    "mode",
    "acl",
)
_PUSH_ONLY = ("rate", "bucket_size", "max_concurrent_requests", "target")
_RETRY_KEYS = (
    "task_retry_limit",
    "task_age_limit",
    "min_backoff_seconds",
    "max_backoff_seconds",
    "max_doublings",
)
_STATES = {"RUNNING": m.RUNNING, "PAUSED": m.PAUSED, "DISABLED": m.DISABLED}


class QueueFileError(ValueError):
    """A mistake in a queue file: ``FILE:LINE: FIELD: what is wrong``, on one line."""

    def __init__(self, source: str, line: int | None, where: str, problem: str) -> None:
        self.source = source
        self.line = line
        self.where = where
        self.problem = problem
        place = f"{source}:{line}" if line else source
        text = f"{place}: {where}: {problem}" if where else f"{place}: {problem}"
        super().__init__(" ".join(text.split()))


@dataclass
class DeclaredQueue:
    """One queue a file declares, as the model holds it, and where it was declared."""

    queue: m.Queue
    source: str
    line: int
    #: the field path of the entry (``queue[2]``), for messages
    where: str
    #: ``rate_limits.max_burst_size`` to keep (queue.yaml's ``bucket_size``); None: from the rate
    burst: int | None = None
    #: the state a queue this declaration creates starts in (0: RUNNING)
    state: int = 0

    def error(self, problem: str) -> QueueFileError:
        return QueueFileError(self.source, self.line, self.where, problem)


@dataclass
class QueueFile:
    """What one file declares."""

    queues: list[DeclaredQueue] = field(default_factory=list)
    #: queue.yaml's ``resume_paused_queues``
    resume_paused: bool = False


class ResourceVersion(Protocol):
    """An API version whose ``Queue`` resources a file may hold (the v2 converter)."""

    def pb(self, name: str) -> Any: ...

    def queue_in(self, queue: Message) -> m.Queue: ...


# -- reading -----------------------------------------------------------------------------


def read_file(path: str | os.PathLike[str], parent: str, resources: ResourceVersion) -> QueueFile:
    """The queues the file at ``path`` declares, short ids resolved under ``parent``.

    ``parent`` is ``projects/P/locations/L``; ``resources`` converts ``Queue``
    resources to the model.  :class:`QueueFileError` for any mistake.
    """
    source = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise QueueFileError(source, None, "", f"cannot be read: {exc.strerror or exc}") from None
    return read_text(_decoded(data, source), source, parent, resources)


def read_text(
    text: str, source: str, parent: str, resources: ResourceVersion | None = None
) -> QueueFile:
    """The queues ``text`` declares (``source`` names it in errors); see :func:`read_file`.

    Without ``resources`` only queue.yaml is read.
    """
    doc = _Document(text, source)
    root = doc.root
    if isinstance(root, yaml.MappingNode) and any(k == "queue" for k, _, _ in doc.pairs(root, "")):
        return _queue_yaml(doc, root, parent)
    resource_form = isinstance(root, yaml.SequenceNode) or (
        isinstance(root, yaml.MappingNode) and any(k == "queues" for k, _, _ in doc.pairs(root, ""))
    )
    if resource_form and resources is not None:
        return QueueFile(_resources(doc, root, parent, resources))
    expected = "a queue: list (queue.yaml)"
    if resources is not None:
        expected += ", or a list of Queue resources (or a queues: key holding one)"
    raise doc.error(root, "", f"expected {expected}")


def read_queue_yaml(body: bytes, source: str, parent: str) -> QueueFile:
    """The queues of a queue.yaml file's bytes (UploadQueueYaml); :class:`QueueFileError`."""
    return read_text(_decoded(body, source), source, parent)


def _decoded(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QueueFileError(source, None, "", f"is not UTF-8 text ({exc.reason})") from None


class _Loader(yaml.SafeLoader):
    """YAML 1.1 plus JSON's exponent numbers (``1e3``) read as numbers."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


class _Document:
    """A parsed YAML (or JSON) document whose values know their line."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        if text.lstrip()[:1] in ("[", "{"):
            # JSON allows tabs between tokens, YAML does not; inside JSON strings a tab is
            # always escaped, so this changes no value (and no line number)
            text = text.replace("\t", " ")
        self._loader = _Loader(text)
        try:
            root = self._loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            if mark is not None and not text[mark.index :].strip():
                line = len(text.rstrip().splitlines()) or 1  # ended early: its last line
            problem = exc.problem or exc.context or "not valid YAML"
            raise QueueFileError(source, line, "", f"not valid YAML or JSON: {problem}") from None
        except yaml.YAMLError as exc:
            raise QueueFileError(source, None, "", f"not valid YAML or JSON: {exc}") from None
        if root is None or (isinstance(root, yaml.ScalarNode) and self.is_null(root)):
            raise QueueFileError(source, 1, "", "the file declares nothing")
        self.root: yaml.Node = root

    def error(self, node: yaml.Node, where: str, problem: str) -> QueueFileError:
        return QueueFileError(self.source, node.start_mark.line + 1, where, problem)

    @staticmethod
    def is_null(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"

    def pairs(self, node: yaml.Node, where: str) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """``(key, key node, value node)`` of a mapping whose keys are plain and distinct."""
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, where, "expected a mapping (key: value lines)")
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.error(key_node, where, "a key must be a plain name")
            key = key_node.value
            if key in seen:
                raise self.error(
                    key_node, _join(where, key), f"appears twice (first on line {seen[key]})"
                )
            seen[key] = key_node.start_mark.line + 1
            yield key, key_node, value_node

    def items(self, node: yaml.Node, where: str) -> list[yaml.Node]:
        """The entries of a list (none for an empty value)."""
        if self.is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, where, "expected a list (lines starting with -)")
        return list(node.value)

    def value(self, node: yaml.Node) -> Any:
        return self._loader.construct_object(node, deep=True)

    def text(self, node: yaml.Node, where: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or self.is_null(node):
            raise self.error(node, where, "expected a single value")
        return str(node.value).strip()

    def integer(self, node: yaml.Node, where: str, low: int, high: int | None = None) -> int:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if type(value) is not int or value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f"of {low} or more"
            raise self.error(node, where, f"{_shown(node)} is not a whole number {bound}")
        return value

    def number(self, node: yaml.Node, where: str) -> float:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            value = -1.0
        if not 0 <= value < float("inf"):  # NaN too
            raise self.error(node, where, f"{_shown(node)} is not a number of 0 or more")
        return float(value)

    def flag(self, node: yaml.Node, where: str) -> bool:
        value = self.value(node) if isinstance(node, yaml.ScalarNode) else None
        if type(value) is not bool:
            raise self.error(node, where, f"{_shown(node)} is not true or false")
        return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value) if node.style is None else repr(node.value)
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _queue_name(doc: _Document, node: yaml.Node, where: str, parent: str) -> str:
    """A queue id resolved under ``parent``, or a full name; a mistake names the line."""
    given = doc.text(node, where)
    full = given if "/" in given else f"{parent}/queues/{given}"
    try:
        names.queue(full)
    except ServiceError:
        raise doc.error(
            node,
            where,
            f"{given!r} is not a queue id (1 to 100 letters, digits or hyphens)"
            " or a full name (projects/P/locations/L/queues/Q)",
        ) from None
    return full


# -- queue.yaml --------------------------------------------------------------------------


def _queue_yaml(doc: _Document, root: yaml.Node, parent: str) -> QueueFile:
    out = QueueFile()
    entries: list[yaml.Node] = []
    for key, key_node, value in doc.pairs(root, ""):
        if key == "queue":
            entries = doc.items(value, "queue")
        elif key == "resume_paused_queues":
            out.resume_paused = doc.flag(value, key)
        elif key not in _TOP_KEYS:
            raise doc.error(
                key_node, key, f"is not a queue.yaml setting; use {', '.join(_TOP_KEYS)}"
            )
    first: dict[str, int] = {}
    for index, entry in enumerate(entries):
        declared = _queue_entry(doc, entry, f"queue[{index}]", parent)
        name = declared.queue.name
        if name in first:
            raise doc.error(
                entry,
                declared.where,
                f"{name} is declared twice (first on line {first[name]})",
            )
        first[name] = declared.line
        out.queues.append(declared)
    return out


def _queue_entry(doc: _Document, entry: yaml.Node, where: str, parent: str) -> DeclaredQueue:
    fields: dict[str, yaml.Node] = {}
    for key, key_node, value in doc.pairs(entry, where):
        if key not in _ENTRY_KEYS:
            raise doc.error(
                key_node,
                _join(where, key),
                f"is not a queue setting; use {', '.join(_ENTRY_KEYS)}",
            )
        fields[key] = value
    if "name" not in fields:
        raise doc.error(entry, _join(where, "name"), "is required")
    q = m.Queue(name=_queue_name(doc, fields["name"], _join(where, "name"), parent))
    line = entry.start_mark.line + 1
    declared = DeclaredQueue(q, doc.source, line, where)
    pull = False
    if "mode" in fields:
        mode = doc.text(fields["mode"], _join(where, "mode"))
        if mode not in ("push", "pull"):
            raise doc.error(fields["mode"], _join(where, "mode"), f"{mode!r}: use push or pull")
        pull = mode == "pull"
    rc = q.retry_config
    if pull:
        q.type_ = m.PULL
    else:
        q.type_ = m.PUSH
        _push_settings(doc, fields, where, declared)
        m.set_seconds(rc.min_backoff, DEFAULT_MIN_BACKOFF)
        m.set_seconds(rc.max_backoff, DEFAULT_MAX_BACKOFF)
        rc.max_doublings = DEFAULT_DOUBLINGS
    rc.max_attempts = -1  # unlimited, unless task_retry_limit says otherwise
    rc.max_retry_duration.SetInParent()
    if "retry_parameters" in fields:
        _retry_parameters(doc, fields["retry_parameters"], _join(where, "retry_parameters"), q)
    _check(declared, entry, doc)
    return declared


def _push_settings(
    doc: _Document, fields: dict[str, yaml.Node], where: str, declared: DeclaredQueue
) -> None:
    q = declared.queue
    rl = q.rate_limits
    if "rate" in fields:
        rl.max_dispatches_per_second = _rate(doc, fields["rate"], _join(where, "rate"))
    else:
        per, unit = DEFAULT_RATE.split("/")
        rl.max_dispatches_per_second = float(per) / _SECONDS[unit]
    declared.burst = DEFAULT_BUCKET_SIZE
    if "bucket_size" in fields:
        declared.burst = doc.integer(
            fields["bucket_size"], _join(where, "bucket_size"), 1, MAX_BUCKET_SIZE
        )
    rl.max_concurrent_dispatches = DEFAULT_CONCURRENT_REQUESTS
    if "max_concurrent_requests" in fields:
        rl.max_concurrent_dispatches = doc.integer(
            fields["max_concurrent_requests"],
            _join(where, "max_concurrent_requests"),
            1,
            MAX_CONCURRENT_REQUESTS,
        )
    if "target" in fields:
        _target(doc, fields["target"], _join(where, "target"), q)


def _rate(doc: _Document, node: yaml.Node, where: str) -> float:
    text = doc.text(node, where)
    match = _RATE.fullmatch(text)
    if match is None:
        raise doc.error(node, where, f"{text!r} is not a rate; write N/s, N/m, N/h or N/d (5/s)")
    per_second = float(match.group(1)) / _SECONDS[match.group(2)]
    if per_second <= 0:
        raise doc.error(node, where, f"{text!r}: a rate above 0 (pause a queue with PauseQueue)")
    if per_second > MAX_RATE:
        raise doc.error(node, where, f"{text!r} is over the most a queue allows, 500/s")
    return per_second


def _target(doc: _Document, node: yaml.Node, where: str, q: m.Queue) -> None:
    text = doc.text(node, where)
    parts = text.split(".")
    if len(parts) > 3 or not all(_ROUTE_PART.fullmatch(part) for part in parts):
        raise doc.error(
            node, where, f"{text!r}: write service, version.service or instance.version.service"
        )
    route = q.app_engine_http_queue.app_engine_routing_override
    route.service = parts[-1]
    if len(parts) > 1:
        route.version = parts[-2]
    if len(parts) > 2:
        route.instance = parts[-3]


def _retry_parameters(doc: _Document, node: yaml.Node, where: str, q: m.Queue) -> None:
    rc = q.retry_config
    pull = q.type_ == m.PULL
    low = high = None
    for key, key_node, value in doc.pairs(node, where):
        here = _join(where, key)
        if key == "task_retry_limit":
            rc.max_attempts = doc.integer(value, here, 0, 2**31 - 2) + 1
        elif key == "task_age_limit":
            text = doc.text(value, here)
            match = _AGE.fullmatch(text)
            if match is None:
                raise doc.error(
                    value, here, f"{text!r} is not a time; write N and s, m, h or d (30s, 2d)"
                )
            seconds = float(match.group(1)) * _SECONDS[match.group(2)]
            m.set_seconds(rc.max_retry_duration, int(seconds))  # the service keeps whole seconds
        elif key in ("min_backoff_seconds", "max_backoff_seconds"):
            seconds = doc.number(value, here)
            if key == "min_backoff_seconds":
                low = (seconds, value, here)
            else:
                high = (seconds, value, here)
            if not pull:
                m.set_seconds(rc.min_backoff if key.startswith("min") else rc.max_backoff, seconds)
        elif key == "max_doublings":
            doublings = doc.integer(value, here, 0)
            if not pull:
                rc.max_doublings = doublings
        else:
            raise doc.error(
                key_node, here, f"is not a retry parameter; use {', '.join(_RETRY_KEYS)}"
            )
    if not pull and (low or high):
        least = low[0] if low else DEFAULT_MIN_BACKOFF
        most = high[0] if high else DEFAULT_MAX_BACKOFF
        if least > most:
            _, node_at, here = high or low  # type: ignore[misc]
            raise doc.error(
                node_at,
                here,
                f"min_backoff_seconds ({least:g}) is more than max_backoff_seconds ({most:g})",
            )


# -- Queue resources ---------------------------------------------------------------------


def _resources(
    doc: _Document, root: yaml.Node, parent: str, version: ResourceVersion
) -> list[DeclaredQueue]:
    prefix = ""
    items_node = root
    if isinstance(root, yaml.MappingNode):
        prefix = "queues"
        for key, key_node, value in doc.pairs(root, ""):
            if key != "queues":
                raise doc.error(
                    key_node, key, "is not expected here; list the queues under queues:"
                )
            items_node = value
    cls = version.pb("Queue")
    out: list[DeclaredQueue] = []
    first: dict[str, int] = {}
    for index, item in enumerate(doc.items(items_node, prefix or "queues")):
        where = f"{prefix}[{index}]"
        _check_fields(doc, item, cls, where)
        data = doc.value(item)
        name_node = next((v for k, _, v in doc.pairs(item, where) if k == "name"), None)
        if name_node is None:
            raise doc.error(item, _join(where, "name"), "is required")
        full = _queue_name(doc, name_node, _join(where, "name"), parent)
        data["name"] = full
        state = 0
        given_state = data.pop("state", None)
        if given_state is not None:
            state_node = next(v for k, _, v in doc.pairs(item, where) if k == "state")
            state = _STATES.get(str(given_state), 0)
            if not state:
                raise doc.error(
                    state_node, _join(where, "state"), f"{given_state!r}: use RUNNING or PAUSED"
                )
        try:
            resource = json_format.ParseDict(data, cls())
        except json_format.ParseError as exc:  # pragma: no cover - _check_fields saw each field
            raise doc.error(item, where, _reason(exc)) from None
        q = version.queue_in(resource)
        for output_only in ("purge_time", "stats"):
            q.ClearField(output_only)
        line = item.start_mark.line + 1
        declared = DeclaredQueue(q, doc.source, line, where, state=state)
        if full in first:
            raise doc.error(
                name_node, where, f"{full} is declared twice (first on line {first[full]})"
            )
        first[full] = line
        _check(declared, item, doc)
        out.append(declared)
    return out


def _check_fields(doc: _Document, node: yaml.Node, cls: Any, where: str) -> None:
    """Each field of a resource's JSON form parses, or the error names its line and path."""
    descriptor: Descriptor = cls.DESCRIPTOR
    by_name = {f.json_name: f for f in descriptor.fields}
    by_name.update({f.name: f for f in descriptor.fields})
    for key, key_node, value in doc.pairs(node, where):
        here = _join(where, key)
        fd = by_name.get(key)
        if fd is None:
            known = ", ".join(f.json_name for f in descriptor.fields)
            raise doc.error(key_node, here, f"is not a field of {descriptor.name} ({known})")
        nested = fd.message_type
        if (
            nested is not None
            and not fd.is_repeated
            and not nested.full_name.startswith("google.protobuf.")
            and isinstance(value, yaml.MappingNode)
        ):
            _check_fields(doc, value, message_factory.GetMessageClass(nested), here)
            continue
        if key == "state" and descriptor.name == "Queue":
            continue  # read by the caller: the state a new queue starts in
        try:
            json_format.ParseDict({key: doc.value(value)}, cls())
        except json_format.ParseError as exc:
            raise doc.error(value, here, _reason(exc)) from None


def _reason(exc: Exception) -> str:
    """The innermost words of a json_format error, without its own path."""
    text = str(exc)
    text = re.sub(r"^(Failed to parse \w+ field: )+", "", text)
    return re.sub(r"\s+at [\w.\[\]]+\.?$", "", text).rstrip(".") or str(exc)


# -- the service's own checks, with the file's line --------------------------------------


_FIELD_IN_MESSAGE = re.compile(r"\b[A-Z]\w*\.(\w+)")


def _check(declared: DeclaredQueue, node: yaml.Node, doc: _Document) -> None:
    """Run the service's queue checks on a copy; a refusal names the field's line if found."""
    q = m.Queue()
    q.CopyFrom(declared.queue)
    try:
        rules.complete_queue(q)
    except ServiceError as exc:
        match = _FIELD_IN_MESSAGE.search(exc.message)
        found = _find_key(node, match.group(1), declared.where) if match else None
        if found is not None:
            path, at = found
            raise doc.error(at, path, exc.message) from None
        raise declared.error(exc.message) from None


def _find_key(node: yaml.Node, key: str, where: str) -> tuple[str, yaml.Node] | None:
    """The path and value node of the first ``key`` under ``node`` (depth first)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            here = _join(where, str(key_node.value))
            if key_node.value == key:
                return here, value
            found = _find_key(value, key, here)
            if found is not None:
                return found
    return None
