"""Write the six client facades from one description of their methods.

Each API version needs a ``CloudTasksClient`` and a ``CloudTasksAsyncClient``
module that IDEs and type checkers can read statically: real signatures,
real return types, a full docstring per method.  Written by hand, those six
files were near-copies that would drift apart.  Instead, this script holds
the one hand-written description (``DOCS`` below: what each method does,
what each argument means, what it returns and raises) and reads everything
else from the versions' method tables (which methods exist, their flattened
fields, request and response classes, paging, operations, default retry and
timeout).  It writes::

    google/cloud/tasks_{v2,v2beta3,v2beta2}/services/cloud_tasks/client.py
    google/cloud/tasks_{v2,v2beta3,v2beta2}/services/cloud_tasks/async_client.py

Each method whose row allows it (a proto-plus request routed by one
flattened string, every flattened argument a string or one of the version's
messages) also gets a fast path ahead of its call into the shared core: for
the commonest call (flattened arguments of exactly those types, the default
``retry`` and ``timeout``, no extra ``metadata``) it builds the protobuf
request itself and calls the stub with metadata made once per routing value
(``google/cloud/tasks/_core/fast.py``); any other call, and any transport
that is not our gRPC one on a channel without interceptors, goes the general
way.  Written by this script from the table, never by hand.

Run ``python scripts/gen_clients.py`` after changing this file or a method
table; ``python scripts/gen_clients.py --check`` (and the test suite, in
``tests/test_generated_clients.py``) fails when a written file is not what
this script would write.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _generated  # scripts/, beside this file

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("v2", "v2beta3", "v2beta2")
WIDTH = 100

# -- the hand-written part: what each method means -------------------------------------------

QUEUE_NAME = "``projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID``"
TASK_NAME = QUEUE_NAME[:-2] + "/tasks/TASK_ID``"
LOCATION_NAME = "``projects/PROJECT_ID/locations/LOCATION_ID``"
NO_QUEUE = ("NotFound", "the queue does not exist.")
NO_TASK = ("NotFound", "the task does not exist, or no longer does (completed or deleted).")
DENIED = ("PermissionDenied", "the caller may not do this on the resource.")
LOST = ("FailedPrecondition", "``schedule_time`` is not the current lease's, or the lease expired.")
BAD = ("InvalidArgument", "a name or field is malformed or out of range; the message says which.")


@dataclass(frozen=True)
class Doc:
    """One method's documentation; argument texts are keyed by flattened field name."""

    summary: str
    body: str = ""
    args: dict[str, str] = field(default_factory=dict)
    returns: str = ""
    raises: tuple[tuple[str, str], ...] = ()
    #: a line of the section header comment that precedes the method, if it opens one
    section: str = ""


DOCS: dict[str, Doc] = {
    "list_queues": Doc(
        "List the queues of a location, in name order.",
        "Set ``filter`` on the request to narrow the list (``state: PAUSED``) and "
        "``page_size`` to choose how many queues each page holds.",
        {"parent": f"The location whose queues to list: {LOCATION_NAME}."},
        "A pager over the queues. Iterating it yields every ``Queue``, fetching "
        "further pages as it goes; its ``pages`` yield whole responses.",
        (BAD, DENIED),
        section="queues",
    ),
    "get_queue": Doc(
        "Get a queue: its state, rate limits, retry policy and targets.",
        "",
        {"name": f"The queue's name: {QUEUE_NAME}."},
        "The queue.",
        (NO_QUEUE, BAD, DENIED),
    ),
    "create_queue": Doc(
        "Create a queue.",
        "Settings left unset take the service's defaults. A name that was used "
        "by a queue deleted recently cannot be reused yet.",
        {
            "parent": f"The location to create the queue in: {LOCATION_NAME}.",
            "queue": "The queue to create; its ``name`` must lie inside ``parent``.",
        },
        "The queue as created, defaults filled in.",
        (
            ("AlreadyExists", "a queue of that name exists."),
            ("FailedPrecondition", "a queue of that name was deleted too recently."),
            BAD,
            DENIED,
        ),
    ),
    "update_queue": Doc(
        "Change some settings of a queue, creating the queue if it does not exist.",
        "Only the fields named in ``update_mask`` change; without a mask every "
        "field of ``queue`` is written.",
        {
            "queue": "The queue with the new settings; ``queue.name`` says which queue.",
            "update_mask": "The field paths of ``queue`` to change "
            "(``rate_limits.max_dispatches_per_second``, ``retry_config``, ...).",
        },
        "The queue as it is after the change.",
        (BAD, DENIED),
    ),
    "delete_queue": Doc(
        "Delete a queue and every task in it.",
        "The name stays reserved for a while: creating a queue of the same name "
        "soon after fails with ``FailedPrecondition``.",
        {"name": f"The queue's name: {QUEUE_NAME}."},
        "",
        (("NotFound", "the queue does not exist."), BAD, DENIED),
    ),
    "purge_queue": Doc(
        "Delete every task of a queue that was created before this call.",
        "Tasks created after the call are kept. Deletion may take a moment to "
        "reach tasks that are being dispatched.",
        {"name": f"The queue's name: {QUEUE_NAME}."},
        "The queue, with ``purge_time`` set to the time of this purge.",
        (NO_QUEUE, BAD, DENIED),
    ),
    "pause_queue": Doc(
        "Stop dispatching a queue's tasks; its state becomes ``PAUSED``.",
        "Tasks can still be added to a paused queue; they wait until it is resumed.",
        {"name": f"The queue's name: {QUEUE_NAME}."},
        "The queue, now paused.",
        (NO_QUEUE, BAD, DENIED),
    ),
    "resume_queue": Doc(
        "Dispatch a paused or disabled queue's tasks again; its state becomes ``RUNNING``.",
        "",
        {"name": f"The queue's name: {QUEUE_NAME}."},
        "The queue, now running.",
        (NO_QUEUE, BAD, DENIED),
    ),
    "upload_queue_yaml": Doc(
        "Replace an App Engine app's queues with those a ``queue.yaml`` file describes.",
        "Kept for old releases of gcloud; there is no REST binding, so it works "
        "over gRPC only. New code creates and updates queues with ``create_queue`` "
        "and ``update_queue``.",
        {},
        "",
        (BAD, DENIED),
    ),
    "get_iam_policy": Doc(
        "Get the IAM policy of a queue.",
        "",
        {"resource": f"The queue's name: {QUEUE_NAME}."},
        "The policy; empty (no bindings) when none was set.",
        (NO_QUEUE, DENIED),
        section="IAM",
    ),
    "set_iam_policy": Doc(
        "Replace the IAM policy of a queue.",
        "The new policy travels in the request's ``policy`` field; pass its "
        "``etag`` from ``get_iam_policy`` to avoid overwriting a concurrent change.",
        {"resource": f"The queue's name: {QUEUE_NAME}."},
        "The policy as stored.",
        (NO_QUEUE, DENIED),
    ),
    "test_iam_permissions": Doc(
        "Find out which of some permissions the caller holds on a queue.",
        "",
        {
            "resource": f"The queue's name: {QUEUE_NAME}.",
            "permissions": "The permissions to test, such as ``cloudtasks.tasks.create``.",
        },
        "The subset of ``permissions`` the caller holds.",
        (NO_QUEUE,),
    ),
    "list_tasks": Doc(
        "List the tasks of a queue.",
        "The order is not specified. Set ``response_view`` to ``FULL`` on the "
        "request to get each task's body and headers; the default ``BASIC`` "
        "view leaves them out.",
        {"parent": f"The queue whose tasks to list: {QUEUE_NAME}."},
        "A pager over the tasks. Iterating it yields every ``Task``, fetching "
        "further pages as it goes; its ``pages`` yield whole responses.",
        (NO_QUEUE, BAD, DENIED),
        section="tasks",
    ),
    "get_task": Doc(
        "Get a task, with its attempt counts and the outcome of its last attempt.",
        "",
        {"name": f"The task's name: {TASK_NAME}."},
        "The task (``BASIC`` view unless the request asks for ``FULL``).",
        (NO_TASK, BAD, DENIED),
    ),
    "create_task": Doc(
        "Add a task to a queue.",
        "The task is dispatched at its ``schedule_time`` (now when unset, at "
        "most 30 days ahead). Leave ``task.name`` empty to let the service name "
        "it; a name you choose deduplicates: it stays reserved for a while after "
        "the task completes or is deleted.",
        {
            "parent": f"The queue to add the task to: {QUEUE_NAME}.",
            "task": "The task: its target request, and optionally its name and schedule.",
        },
        "The task as created, with its name and schedule time.",
        (
            NO_QUEUE,
            ("AlreadyExists", "a task of that name exists, or existed recently."),
            BAD,
            DENIED,
        ),
    ),
    "batch_create_tasks": Doc(
        "Add up to several tasks to one queue in one call.",
        "Each request is a ``CreateTaskRequest`` whose ``parent`` is the queue.",
        {
            "parent": f"The queue to add the tasks to: {QUEUE_NAME}.",
            "requests": "One ``CreateTaskRequest`` per task.",
        },
        "A long-running operation; its result is a ``BatchCreateTasksResponse`` "
        "listing the tasks created.",
        (NO_QUEUE, BAD, DENIED),
    ),
    "delete_task": Doc(
        "Delete a task that has not completed yet.",
        "Its name stays reserved for a while, like a completed task's.",
        {"name": f"The task's name: {TASK_NAME}."},
        "",
        (NO_TASK, BAD, DENIED),
    ),
    "batch_delete_tasks": Doc(
        "Delete several tasks of one queue in one call.",
        "",
        {
            "parent": f"The queue the tasks belong to: {QUEUE_NAME}.",
            "names": "The full names of the tasks to delete.",
        },
        "A long-running operation; its metadata reports how many tasks were "
        "deleted and which could not be.",
        (NO_QUEUE, BAD, DENIED),
    ),
    "lease_tasks": Doc(
        "Lease due tasks of a pull queue, so that only the caller works on them.",
        "Each leased task's ``schedule_time`` becomes the lease's expiry; quote "
        "it to ``acknowledge_task``, ``renew_lease`` or ``cancel_lease``. A task "
        "whose lease expires can be leased again. ``max_tasks`` (at most 1000) and "
        '``filter`` (``tag="x"`` or ``tag_function=oldest_tag()``) are set on the '
        "request.",
        {
            "parent": f"The pull queue: {QUEUE_NAME}.",
            "lease_duration": "How long the caller holds the tasks (at most a week).",
        },
        "The leased tasks, possibly none.",
        (
            NO_QUEUE,
            ("FailedPrecondition", "the queue is paused, disabled or not a pull queue."),
            BAD,
            DENIED,
        ),
        section="pull queues",
    ),
    "acknowledge_task": Doc(
        "Mark a leased task done: it is deleted.",
        "",
        {
            "name": f"The task's name: {TASK_NAME}.",
            "schedule_time": "The ``schedule_time`` the task had when it was leased "
            "(or renewed): proof that the caller holds the lease.",
        },
        "",
        (NO_TASK, LOST, BAD),
    ),
    "renew_lease": Doc(
        "Extend the lease on a task.",
        "",
        {
            "name": f"The task's name: {TASK_NAME}.",
            "schedule_time": "The task's current ``schedule_time`` (its lease expiry).",
            "lease_duration": "The new lease, counted from now.",
        },
        "The task, its ``schedule_time`` moved to the new expiry.",
        (NO_TASK, LOST, BAD),
    ),
    "cancel_lease": Doc(
        "Give back the lease on a task, so that it can be leased again at once.",
        "",
        {
            "name": f"The task's name: {TASK_NAME}.",
            "schedule_time": "The task's current ``schedule_time`` (its lease expiry).",
        },
        "The task, its ``schedule_time`` reset to now.",
        (NO_TASK, LOST, BAD),
    ),
    "run_task": Doc(
        "Dispatch a task now, whatever its schedule, its queue's rate limits or a paused queue.",
        "If that attempt fails, the task is retried by its queue's retry policy.",
        {"name": f"The task's name: {TASK_NAME}."},
        "The task as it was when dispatched.",
        (NO_TASK, BAD, DENIED),
    ),
    "update_cmek_config": Doc(
        "Set the location's customer-managed encryption key, or clear it.",
        "An empty ``kms_key`` clears the key.",
        {
            "cmek_config": "The configuration; its ``name`` is "
            "``projects/PROJECT_ID/locations/LOCATION_ID/cmekConfig``.",
            "update_mask": "The fields of ``cmek_config`` to change.",
        },
        "The configuration as stored.",
        (BAD, DENIED),
        section="CMEK",
    ),
    "get_cmek_config": Doc(
        "Get the location's customer-managed encryption key configuration.",
        "",
        {"name": "``projects/PROJECT_ID/locations/LOCATION_ID/cmekConfig``."},
        "The configuration; ``kms_key`` is empty when none is set.",
        (BAD, DENIED),
    ),
    "get_operation": Doc(
        "Get the current state of a long-running operation (``request.name``).",
        "Operations returned by the batch methods poll this themselves.",
        {},
        "The operation: done or not, with its metadata and, when done, its result or error.",
        (("NotFound", "there is no such operation."),),
        section="mixins",
    ),
    "get_location": Doc(
        f"Get one location where Cloud Tasks runs (``request.name``: {LOCATION_NAME}).",
        "",
        {},
        "The location.",
        (("NotFound", "there is no such location."),),
    ),
    "list_locations": Doc(
        "List the locations where Cloud Tasks runs for a project (``request.name``: "
        "``projects/PROJECT_ID``).",
        "",
        {},
        "One page of locations.",
        (DENIED,),
    ),
}

#: the Python type of each flattened argument, the same in every version: a message also
#: comes as a dict of its fields, as in ``request``; a well-known
#: protobuf type also takes what proto-plus converts to it (as the request's field does)
ARG_TYPES = {
    "parent": "str",
    "name": "str",
    "resource": "str",
    "queue": "queue.Queue | Mapping[str, Any]",
    "task": "task.Task | Mapping[str, Any]",
    "update_mask": "field_mask_pb2.FieldMask | str",
    "permissions": "Sequence[str]",
    "requests": "Sequence[cloudtasks.CreateTaskRequest | Mapping[str, Any]]",
    "names": "Sequence[str]",
    "cmek_config": "cmek_config.CmekConfig | Mapping[str, Any]",
    "lease_duration": "duration_pb2.Duration | datetime.timedelta | str",
    "schedule_time": "timestamp_pb2.Timestamp | datetime.datetime | str",
}

#: where each module an annotation names comes from (``{types}`` is the version's types package)
MODULES = {
    "cloudtasks": "{types}",
    "cmek_config": "{types}",
    "queue": "{types}",
    "task": "{types}",
    "locations_pb2": "google.cloud.location",
    "iam_policy_pb2": "google.iam.v1",
    "policy_pb2": "google.iam.v1",
    "operations_pb2": "google.longrunning",
    "duration_pb2": "google.protobuf",
    "field_mask_pb2": "google.protobuf",
    "timestamp_pb2": "google.protobuf",
}

# -- the derived part -------------------------------------------------------------------------


@dataclass(frozen=True)
class Flavor:
    """What differs between the blocking and the asyncio facade."""

    asynchronous: bool

    @property
    def cls(self) -> str:
        return "CloudTasksAsyncClient" if self.asynchronous else "CloudTasksClient"

    @property
    def module(self) -> str:
        return "async_client" if self.asynchronous else "client"

    @property
    def base(self) -> str:
        return "BaseAsyncClient" if self.asynchronous else "BaseClient"


def _qualified(cls: Any) -> str:
    """``task.Task`` or ``policy_pb2.Policy``: a class as the facades' annotations name it."""
    return f"{cls.__module__.rsplit('.', 1)[1]}.{cls.__name__}"


def _wrap(text: str, indent: int, hanging: int | None = None) -> list[str]:
    first = " " * indent
    rest = " " * (indent if hanging is None else hanging)
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=rest) or [""]


def _retry_text(method: Any, flavor: Flavor) -> str:
    policy = method.retry
    kind = "AsyncRetry" if flavor.asynchronous else "Retry"
    if policy is None:
        return (
            "How to retry a failed call. By default it is not retried (repeating "
            f"it is not always harmless); pass a ``google.api_core.retry.{kind}`` to retry."
        )
    errors = " and ".join(f"``{name}``" for name in policy.retry_on)
    return (
        f"How to retry a failed call. By default it is retried on {errors}, "
        f"waiting {policy.initial:g} s at first and at most {policy.maximum:g} s "
        f"between attempts, for up to {policy.deadline:g} s in all; ``None`` means one attempt."
    )


def _timeout_text(method: Any) -> str:
    if method.timeout is None:
        return "Seconds to wait for the answer; by default there is no deadline."
    return f"Seconds to wait for the answer; {method.timeout:g} by default."


def _returns(method: Any, flavor: Flavor) -> tuple[str, str]:
    """The return annotation and, for the docstring, what a caller does with it."""
    doc = DOCS[method.name].returns
    if method.items:
        suffix = "AsyncPager" if flavor.asynchronous else "Pager"
        if flavor.asynchronous:
            doc = doc.replace("Iterating it", "``async for`` over it")
        return f"pagers.{method.rpc}{suffix}", doc
    if method.lro:
        if flavor.asynchronous:
            return "operation_async.AsyncOperation", doc + " ``await op.result()`` waits for it."
        return "operation.Operation", doc + " ``op.result()`` waits for it."
    if method.response is None:
        return "None", ""
    return _qualified(method.response), doc


def _docstring(method: Any, flavor: Flavor) -> list[str]:
    doc = DOCS[method.name]
    pad = 8
    lines = _wrap('"""' + doc.summary, pad)
    if doc.body:
        lines += [""] + _wrap(doc.body, pad)
    request = method.request.__name__
    if method.flattened:
        request_text = (
            f"The whole request: a ``{request}`` or a dict of its fields. Give "
            "either this or the keyword arguments below, not both."
        )
    else:
        request_text = f"The request: a ``{request}`` or a dict of its fields."
    args = [("request", request_text)]
    args += [
        (name, doc.args[name] + (" A dict of its fields works too." if "Mapping" in kind else ""))
        for name in method.flattened
        for kind in [ARG_TYPES[name]]
    ]
    args += [
        ("retry", _retry_text(method, flavor)),
        ("timeout", _timeout_text(method)),
        (
            "metadata",
            "Extra ``(key, value)`` pairs sent with the call: gRPC metadata, or "
            "HTTP headers over REST.",
        ),
    ]
    lines += ["", " " * pad + "Args:"]
    for name, text in args:
        lines += _wrap(f"{name}: {text}", pad + 4, pad + 8)
    _, returns = _returns(method, flavor)
    if returns:
        lines += ["", " " * pad + "Returns:"] + _wrap(returns, pad + 4)
    raises = list(doc.raises)
    if method.flattened:
        raises.append(("ValueError", "``request`` was given together with keyword arguments."))
    lines += ["", " " * pad + "Raises:"]
    for error, when in raises:
        qualified = error if error == "ValueError" else f"google.api_core.exceptions.{error}"
        lines += _wrap(f"{qualified}: {when}", pad + 4, pad + 8)
    lines += _wrap(
        "google.api_core.exceptions.GoogleAPICallError: any other error the "
        "service or the connection reports.",
        pad + 4,
        pad + 8,
    )
    lines.append(" " * pad + '"""')
    return lines


def _call(method: Any, flavor: Flavor) -> list[str]:
    """The body: one call into the shared core, laid out as ``ruff format`` would."""
    head = " " * 8 + ("" if method.response is None and not method.lro else "return ")
    if flavor.asynchronous:
        head += "await "
    names = ", ".join(method.flattened)
    values = f"({names},)" if len(method.flattened) == 1 else f"({names})"
    args = [f'"{method.name}"', "request", values, "retry", "timeout", "metadata"]
    one_line = f"{head}self._call({', '.join(args)})"
    if len(one_line) <= WIDTH:
        return [one_line]
    inner = " " * 12 + ", ".join(args)
    if len(inner) <= WIDTH:
        return [f"{head}self._call(", inner, " " * 8 + ")"]
    return [f"{head}self._call("] + [" " * 12 + a + "," for a in args] + [" " * 8 + ")"]


_NO_MD = "not metadata"


def _fast_eligible(method: Any) -> bool:
    """Whether ``method`` gets a fast path: a proto-plus request routed by one flattened
    string, every flattened argument a string or one of the version's messages."""
    if method.raw or method.lro or method.mixin or len(method.routing) != 1:
        return False
    if method.routing[0] not in method.flattened or ARG_TYPES[method.routing[0]] != "str":
        return False
    return all(ARG_TYPES[name] == "str" or _message_arg(method, name) for name in method.flattened)


def _message_arg(method: Any, name: str) -> Any:
    """The proto-plus class of flattened field ``name``, or None when it is not a message."""
    field_ = method.request.meta.fields[name]
    target = field_.message
    if field_.repeated or not isinstance(target, type) or not hasattr(target, "meta"):
        return None
    return target


def _alias(cls: Any) -> str:
    """The module-level name a fast path checks a message argument's class against."""
    return "_" + cls.__name__


def _fast(method: Any, flavor: Flavor) -> list[str]:
    """The fast path (see ``google/cloud/tasks/_core/fast.py``) that precedes the general call.

    It is taken for flattened arguments of exactly the expected types, with no ``request``,
    the default ``retry`` and ``timeout`` and no extra ``metadata``; it sends what the general
    path would send, with the metadata of each routing value made once.
    """
    if not _fast_eligible(method):
        return []
    wait = "await " if flavor.asynchronous else ""
    routing = method.routing[0]
    checks = ["fast"]
    fields = []
    copies = []  # a message argument is copied into the request, as proto-plus copies it
    for name in method.flattened:
        cls = _message_arg(method, name)
        checks.append(f"type({name}) is {_alias(cls) if cls else 'str'}")
        if cls:
            copies.append(f"sent.{name}.CopyFrom({name}._pb)")
        else:
            fields.append(f"{name}={name}")
    i12, i16, i20 = " " * 12, " " * 16, " " * 20
    lines = [
        " " * 8 + f"if request is None and retry is DEFAULT and timeout is DEFAULT and {_NO_MD}:",
        i12 + f'fast = self._fast.get("{method.name}")',
        i12 + "if fast is None:",
        i16 + f'fast = self._fast_for("{method.name}")',
    ]
    condition = i12 + "if " + " and ".join(checks) + ":"
    if len(condition) <= WIDTH:
        lines.append(condition)
    else:
        lines += [i12 + "if ("] + [i16 + ("and " if i else "") + c for i, c in enumerate(checks)]
        lines.append(i12 + "):")
    lines.append(i16 + f"md = fast.routed.get({routing}) or fast.route({routing})")
    lines.append(i16 + f"sent = fast.pb({', '.join(fields)})")
    lines += [i16 + copy for copy in copies]
    if method.retry:
        lines.append(i16 + "started = monotonic()")
    call = f"{wait}fast.stub(sent, timeout={method.timeout!r}, metadata=md)"
    failed = f"{wait}fast.failed(exc, sent, md, {'started' if method.retry else 'None'})"
    if method.items:
        suffix = "AsyncPager" if flavor.asynchronous else "Pager"
        pager = f"pagers.{method.rpc}{suffix}"
        lines += [
            i16 + "try:",
            i20 + f"response = {call}",
            i16 + "except RpcError as exc:",
            i20 + f"response = {failed}",
            i16 + "paged = wrap(fast.request, sent)",
            i16 + f"return {pager}(fast.invoker, paged, response, metadata=md)",
        ]
    elif method.response is None:
        lines += [
            i16 + "try:",
            i20 + call,
            i16 + "except RpcError as exc:",
            i20 + failed,
            i16 + "return None",
        ]
    else:
        lines += [
            i16 + "try:",
            i20 + f"return {call}",
            i16 + "except RpcError as exc:",
            i20 + f"return {failed}",
        ]
    return lines


def _method(method: Any, flavor: Flavor) -> list[str]:
    annotation, _ = _returns(method, flavor)
    request = _qualified(method.request)
    lines = [
        f"    {'async ' if flavor.asynchronous else ''}def {method.name}(",
        "        self,",
        f"        request: {request} | dict | None = None,",
        "        *,",
    ]
    lines += [f"        {name}: {ARG_TYPES[name]} | None = None," for name in method.flattened]
    lines += [
        "        retry: OptionalRetry = DEFAULT,",
        "        timeout: TimeoutT = DEFAULT,",
        "        metadata: Metadata = (),",
        f"    ) -> {annotation}:",
    ]
    return lines + _docstring(method, flavor) + _fast(method, flavor) + _call(method, flavor)


def _from_import(module: str, names: set[str] | list[str]) -> list[str]:
    """One ``from module import ...`` in isort's order, wrapped as ``ruff format`` wraps it."""

    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    ordered = sorted(names, key=kind)
    line = f"from {module} import {', '.join(ordered)}"
    if len(line) <= WIDTH:
        return [line]
    return [f"from {module} import ("] + [f"    {name}," for name in ordered] + [")"]


def _imports(
    version: str, names: set[str], flavor: Flavor, cmek: bool, fast: set[str]
) -> tuple[list[str], list[str]]:
    types = f"google.cloud.tasks_{version}.types"
    by_package: dict[str, set[str]] = {}
    for name in names:
        by_package.setdefault(MODULES[name].format(types=types), set()).add(name)
    third_party = [
        line
        for package in sorted(by_package)
        if package != types
        for line in _from_import(package, by_package[package])
    ]
    core = {flavor.base, "DEFAULT", "Metadata", "OptionalRetry"}
    if cmek:
        core.add("CmekPathsMixin")
    first_party = [
        *_from_import("google.cloud.tasks._core.client", core),
        "from google.cloud.tasks._core.client import Timeout as TimeoutT",
        *_from_import("google.cloud.tasks._core.fast", fast),
        f"from google.cloud.tasks_{version}._spec import SERVICE",
        *_from_import(types, by_package.get(types, set())),
    ]
    return third_party, first_party


def render(version: str, asynchronous: bool) -> str:
    """The source of one facade module."""
    service = importlib.import_module(f"google.cloud.tasks_{version}._spec").SERVICE
    flavor = Flavor(asynchronous)
    order = [name for name in DOCS if name in service.methods]
    missing = sorted(set(service.methods) - set(order))
    if missing:
        raise SystemExit(f"no documentation in {__file__} for {version} methods {missing}")
    cmek = "cmek_config_path" in service.paths
    body: list[str] = []
    names: set[str] = set()
    fast: set[str] = set()
    aliases: dict[str, str] = {}
    lro = False
    for name in order:
        method = service.methods[name]
        if _fast_eligible(method):
            fast |= {"RpcError"} | ({"monotonic"} if method.retry else set())
            fast |= {"wrap"} if method.items else set()
            for arg in method.flattened:
                cls = _message_arg(method, arg)
                if cls is not None:
                    aliases[_alias(cls)] = _qualified(cls)
        section = DOCS[name].section
        if section:
            body += ["", f"    # -- {section} ".ljust(WIDTH - 8, "-")]
        lines = _method(method, flavor)
        text = "\n".join(lines)
        for module in MODULES:
            if f"{module}." in text:
                names.add(module)
        lro |= bool(method.lro)
        body += [""] + lines
    third_party, first_party = _imports(version, names, flavor, cmek, fast)
    op_module = "operation_async" if asynchronous else "operation"
    kind = "asyncio" if asynchronous else "blocking"
    mixins = "CmekPathsMixin, " if cmek else ""
    if version == "v2beta2":
        what = f"Push and pull queues of Cloud Tasks {version} and their tasks"
    else:
        what = f"Manages queues and tasks of Cloud Tasks {version}"
    if asynchronous:
        class_doc = [
            f'    """{what}; every method is a coroutine.',
            "",
            "    Uses the ``grpc_asyncio`` transport unless told otherwise.",
            '    """',
        ]
        enter = [
            f"    async def __aenter__(self) -> {flavor.cls}:",
            "        return self",
        ]
    else:
        class_doc = [f'    """{what} (blocking calls)."""']
        enter = [f"    def __enter__(self) -> {flavor.cls}:", "        return self"]
    out = [
        f'"""``{flavor.cls}``: the {kind} client of Cloud Tasks {version}.',
        "",
        "Generated by ``scripts/gen_clients.py`` from its method descriptions and",
        "this version's method table: edit that script and run it, not this file.",
        "",
        "Every method takes either a ``request`` (message or dict) or the keyword",
        "arguments named after its fields, never both (``ValueError``).  ``retry``,",
        "``timeout`` and ``metadata`` apply to that call; left alone, the method's",
        "defaults apply.  Failures raise ``google.api_core.exceptions`` carrying the",
        "service's message.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    stdlib = ["from typing import TYPE_CHECKING, Any, ClassVar, cast"]
    abcs = [name for name in ("Mapping", "Sequence") if any(f"{name}[" in line for line in body)]
    if abcs:
        stdlib.insert(0, f"from collections.abc import {', '.join(abcs)}")
    if any("datetime." in line for line in body):
        stdlib.insert(0, "import datetime")
    out += stdlib + [""] + third_party + [""] + first_party + ["", "from . import pagers", ""]
    out += ["if TYPE_CHECKING:"]
    if lro:
        out += [f"    from google.api_core import {op_module}", ""]
    out += ["    from .transports.base import CloudTasksTransport", ""]
    out += [f'__all__ = ("{flavor.cls}",)', ""]
    if aliases:
        out += ["#: the message classes the fast paths take (a subclass takes the general path)"]
        out += [f"{alias} = {aliases[alias]}" for alias in sorted(aliases)] + [""]
    out += [""]
    out += [f"class {flavor.cls}({mixins}{flavor.base}):"] + class_doc
    out += [
        "",
        "    _service = SERVICE",
        "    _pagers: ClassVar[Any] = pagers",
        "",
        "    @property",
        "    def transport(self) -> CloudTasksTransport:",
        '        """The transport every call of this client goes through."""',
        '        return cast("CloudTasksTransport", self._transport)',
        "",
    ]
    out += enter + body
    return "\n".join(out) + "\n"


def targets() -> dict[Path, str]:
    """Every facade's path and the source this script writes there."""
    found = {}
    for version in VERSIONS:
        folder = ROOT / "google" / "cloud" / f"tasks_{version}" / "services" / "cloud_tasks"
        for asynchronous in (False, True):
            name = "async_client.py" if asynchronous else "client.py"
            found[folder / name] = render(version, asynchronous)
    return found


def stale() -> list[Path]:
    """The files under ``ROOT`` that are not what this script writes."""
    return _generated.stale(ROOT, targets)


def main(argv: list[str] | None = None) -> int:
    return _generated.main(argv, ROOT, targets, "gen_clients.py", "the client facades")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
