"""The Cloud Tasks rules, independent of API version.

:class:`CloudTasksService` takes and returns model messages (see
:mod:`.model`), runs each call in one store transaction and raises
:class:`~.errors.ServiceError` with the code and message the real service
uses.  A refused call changes nothing.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeVar

from google.longrunning import operations_pb2
from google.protobuf import field_mask_pb2, timestamp_pb2

from . import model as m
from . import names, rules, targets
from .base import ServiceBase
from .declared import DeclaredQueueRules
from .errors import (
    ENTITY_EXISTS,
    ENTITY_MISSING,
    QUEUE_EXISTS,
    QUEUE_TOO_RECENT,
    Code,
    ServiceError,
    invalid,
    not_found,
    precondition,
    shown,
)
from .leases import LeaseRules
from .resources import ResourceRules
from .store import DELETE_BATCH

T = TypeVar("T")
#: Builds the Operation answering a batch: (operation name, per-item results, start, end).
Packer = Callable[[str, list[T | ServiceError], int, int], operations_pb2.Operation]

OUTPUT_ONLY = {"state", "purge_time", "stats", "rate_limits.max_burst_size"}
MAX_BATCH = 1000
MAX_LIST_QUEUES = 9800
MAX_LIST_TASKS = 1000
#: the User-Agent the service keeps in an HTTP task's headers, and sends with it
HTTP_USER_AGENT = "Google-Cloud-Tasks"
#: the User-Agent the service keeps in an App Engine task's headers, and sends with it
APP_ENGINE_USER_AGENT = "AppEngine-Google; (+http://code.google.com/appengine)"


class CloudTasksService(DeclaredQueueRules, LeaseRules, ResourceRules, ServiceBase):
    """Queues, tasks, IAM policies, CMEK configs, operations and locations over one store."""

    # -- queues -------------------------------------------------------------------------

    def list_queues(
        self, parent: str, filter: str, size: int, token: str
    ) -> tuple[list[m.Queue], str]:
        names.known_location(names.location(parent), self.settings.locations)
        state = rules.state_filter(filter)
        limit = rules.page_size(size, MAX_LIST_QUEUES, "ListQueuesRequest")
        start = rules.after(token, parent + "/queues/")
        with self.store.read():
            rows = self.store.queues(parent, start, limit + 1, state)
        queues = [m.Queue.FromString(body) for body in rows[:limit]]
        more = len(rows) > limit
        return queues, rules.page_token(queues[-1].name) if more else ""

    def get_queue(self, name: str) -> m.Queue:
        names.queue(name)
        with self.store.read():
            return self._queue(name)

    def queue_stats(self, name: str) -> tuple[int, int | None]:
        """``(tasks in the queue, earliest schedule time in µs)``."""
        with self.store.read():
            return self.store.queue_stats(name)

    def create_queue(self, parent: str, queue: m.Queue) -> m.Queue:
        names.known_location(names.location(parent), self.settings.locations)
        names.queue(queue.name)
        if names.queue_parent(queue.name) != parent:
            raise invalid(
                f'Queue name "{shown(queue.name)}" is not under the parent "{shown(parent)}".'
            )
        q = self._fresh_queue(queue)
        now = self.clock.now_us()
        with self.store.write():
            if self.store.queue(q.name) is not None:
                raise ServiceError(Code.ALREADY_EXISTS, QUEUE_EXISTS)
            if self.store.tombstoned(q.name, now):
                raise precondition(QUEUE_TOO_RECENT)
            return self._save_queue(q)

    @staticmethod
    def _fresh_queue(queue: m.Queue) -> m.Queue:
        q = m.Queue()
        q.CopyFrom(queue)
        for name in ("purge_time", "stats"):
            q.ClearField(name)
        q.state = m.RUNNING
        rules.complete_queue(q)
        return q

    def update_queue(self, queue: m.Queue, mask: Sequence[str] | None) -> m.Queue:
        names.queue(queue.name)
        paths = list(mask or ())
        refused = [p for p in paths if p in OUTPUT_ONLY or p.split(".")[0] in OUTPUT_ONLY]
        if refused:
            mask = "UpdateQueueRequest.updateMask"
            raise invalid(f'{mask} names an output-only field: "{shown(refused[0])}".')
        now = self.clock.now_us()
        with self.store.write():
            body = self.store.queue(queue.name)
            if body is None:
                names.known_location(names.queue_parent(queue.name), self.settings.locations)
                if self.store.tombstoned(queue.name, now):
                    raise precondition(QUEUE_TOO_RECENT)
                return self._save_queue(self._fresh_queue(queue))
            old = m.Queue.FromString(body)
            new = m.Queue()
            if paths:
                new.CopyFrom(old)
                field_mask_pb2.FieldMask(paths=paths).MergeMessage(
                    queue, new, replace_message_field=True, replace_repeated_field=True
                )
            else:
                new.CopyFrom(queue)
                new.state = old.state
                new.ClearField("purge_time")
                if old.HasField("purge_time"):
                    new.purge_time.CopyFrom(old.purge_time)
            if queue.type_ and queue.type_ != old.type_ and (not paths or "type_" in paths):
                raise invalid("A queue's type cannot be changed.")
            new.type_ = old.type_
            new.ClearField("stats")
            rules.complete_queue(new)
            self._save_queue(new)
        self._poke()
        return new

    def delete_queue(self, name: str) -> None:
        names.queue(name)
        now = self.clock.now_us()
        while True:  # most tasks in batches, so no transaction grows large
            with self.store.write():
                if self.store.queue(name) is None:
                    break
                if self.store.delete_tasks(name) < DELETE_BATCH:
                    break
        with self.store.write():
            if self.store.queue(name) is None:
                raise not_found(ENTITY_MISSING)
            self._queue_cache.pop(name, None)
            self.queues_version += 1
            self.store.delete_queue(name)
            until = now + int(self.settings.queue_tombstone_seconds * 1_000_000)
            self.store.tombstone(name, until)
        self.store.settle()

    def _set_state(self, name: str, state: int) -> m.Queue:
        names.queue(name)
        with self.store.write():
            q = self._queue(name)
            q.state = state
            self._save_queue(q)
        self._poke()
        return q

    def pause_queue(self, name: str) -> m.Queue:
        return self._set_state(name, m.PAUSED)

    def resume_queue(self, name: str) -> m.Queue:
        return self._set_state(name, m.RUNNING)

    def purge_queue(self, name: str) -> m.Queue:
        names.queue(name)
        now = self.clock.now_us()
        with self.store.write():
            q = self._queue(name)
            m.set_us(q.purge_time, now)
            self._save_queue(q)
        until = self._task_until(now)
        while True:  # in batches, so no transaction grows large
            with self.store.write():
                if self.store.purge(name, now, until) < DELETE_BATCH:
                    break
        self.store.settle()
        return q

    # -- tasks --------------------------------------------------------------------------

    def list_tasks(self, parent: str, size: int, token: str) -> tuple[list[m.Task], str]:
        names.queue(parent)
        limit = rules.page_size(size, MAX_LIST_TASKS, "ListTasksRequest")
        start = rules.after(token, parent + "/tasks/")
        with self.store.read():
            self._queue(parent)
            rows = self.store.tasks(parent, start, limit + 1)
        tasks = [m.Task.FromString(body) for body in rows[:limit]]
        more = len(rows) > limit
        return tasks, rules.page_token(tasks[-1].name) if more else ""

    def get_task(self, name: str) -> m.Task:
        names.task(name)
        with self.store.read():
            return self._task(name, self.clock.now_us())

    def create_task(self, parent: str, task: m.Task) -> m.Task:
        """Create ``task`` (which the service completes and keeps: pass a message you own)."""
        names.queue(parent)
        if task.name:
            names.task_in_queue(parent, task.name)
        now = self.clock.now_us()
        with self.store.single():  # the INSERT is the only write
            queue = self._shared_queue(parent)  # only read
            created = self._create_task(parent, queue, task, now)
        self._poke(parent)
        return created

    def _create_task(self, parent: str, queue: m.Queue, t: m.Task, now: int) -> m.Task:
        """Check, complete and store ``t`` (which becomes the stored task).

        Push tasks are measured once complete, before a name is generated for
        them (see :func:`stored_size`), and refused over ``max_task_bytes``.
        """
        settings = self.settings
        own_schedule = t.HasField("schedule_time")
        schedule = rules.check_task(t, queue, now, settings.max_pull_task_bytes)
        if t.HasField("app_engine_http_request"):
            route = t.app_engine_http_request.app_engine_routing
            route.host = targets.app_engine_host(
                targets.routing(t, queue), settings.app_engine_host
            )
        if not t.HasField("pull_message"):
            add_service_headers(t)
            size = stored_size(t, own_schedule)
            if size > settings.max_task_bytes:
                raise rules.task_too_large(size, settings.max_task_bytes)
        if t.name and (self.store.task_exists(t.name) or self.store.tombstoned(t.name, now)):
            raise ServiceError(Code.ALREADY_EXISTS, ENTITY_EXISTS)
        tag = t.pull_message.tag if t.HasField("pull_message") else None
        if t.name:
            self.store.insert_task(t.name, parent, now, schedule, tag, t.SerializeToString())
        else:
            while True:  # a generated id repeats with odds of one in 10**18
                t.name = f"{parent}/tasks/{names.new_task_id()}"
                try:
                    body = t.SerializeToString()
                    self.store.insert_task(t.name, parent, now, schedule, tag, body)
                    break
                except sqlite3.IntegrityError:  # pragma: no cover
                    continue
        return t

    def delete_task(self, name: str) -> None:
        names.task(name)
        now = self.clock.now_us()
        with self.store.write():
            if not self.store.delete_task(name):
                raise not_found(ENTITY_MISSING)
            self.store.tombstone(name, self._task_until(now))
            self._tidy(now)

    def run_task(self, name: str) -> m.Task:
        """Dispatch a task now, whatever its queue's state and rate.

        Returns the task as dispatched (its attempt counted, its answer not yet
        in).  Without a dispatcher the task only becomes due now.
        """
        names.task(name)
        now = self.clock.now_us()
        dispatch = self.dispatch
        with self.store.write():
            t = self._task(name)
            if t.HasField("pull_message"):
                raise precondition("RunTask cannot be called on a pull task.")
            m.set_us(t.schedule_time, now)
            record = t.SerializeToString()
            self.store.update_task(name, now, record)
            if dispatch is None:
                return t
            claimed = self.store.claim(name, lambda body: targets.dispatched_record(body, now))
            if claimed is None:  # a delivery is already in flight: nothing more to start
                return m.Task.FromString(self.store.task(name) or record)
        dispatch.run_now(claimed)
        return m.Task.FromString(claimed[1])

    def batch_create_tasks(
        self,
        parent: str,
        items: Sequence[tuple[str, m.Task]],
        request_id: str,
        pack: Packer[m.Task],
    ) -> operations_pb2.Operation:
        """Create each ``(item parent, task)``; failures are reported per item, not raised."""
        names.queue(parent)
        if len(items) > MAX_BATCH:
            raise invalid(f"A batch holds at most {MAX_BATCH} requests.")

        def create(queue: m.Queue, now: int, item: tuple[str, m.Task]) -> m.Task:
            item_parent, task = item
            if item_parent and item_parent != parent:
                raise invalid(f"Every request must be for the queue {parent}.")
            if task.name:
                names.task_in_queue(parent, task.name)
            return self._create_task(parent, queue, task, now)

        done = self._batch(parent, "create", request_id, items, create, pack)
        self._poke(parent)
        return done

    def batch_delete_tasks(
        self, parent: str, task_names: Sequence[str], request_id: str, pack: Packer[str]
    ) -> operations_pb2.Operation:
        """Delete each named task; failures are reported per item, not raised."""
        names.queue(parent)
        if len(task_names) > MAX_BATCH:
            raise invalid(f"A batch holds at most {MAX_BATCH} requests.")

        def delete(queue: m.Queue, now: int, name: str) -> str:
            head, _ = names.task(name)
            if head != parent:
                raise invalid(f"Every task must be in the queue {parent}.")
            if not self.store.delete_task(name):
                raise not_found(ENTITY_MISSING)
            self.store.tombstone(name, self._task_until(now))
            return name

        return self._batch(parent, "delete", request_id, task_names, delete, pack)

    def _batch(
        self,
        parent: str,
        kind: str,
        request_id: str,
        items: Sequence[T],
        work: Callable[[m.Queue, int, T], T],
        pack: Packer[T],
    ) -> operations_pb2.Operation:
        key = f"{parent}:{kind}:{request_id}" if request_id else None
        now = self.clock.now_us()
        with self.store.write():
            if key:
                done = self.store.operation_for(key)
                if done is not None:
                    return operations_pb2.Operation.FromString(done)
            queue = self._queue(parent)
            results: list[T | ServiceError] = []
            for item in items:
                try:
                    results.append(work(queue, now, item))
                except ServiceError as error:
                    results.append(error)
            name = f"{names.queue_parent(parent)}/operations/{secrets.token_hex(12)}"
            op = pack(name, results, now, self.clock.now_us())
            self.store.put_operation(name, key, op.SerializeToString())
            return op

    # -- embedding ----------------------------------------------------------------------

    def ensure_queue(self, name: str) -> None:
        """Create a RUNNING queue with the defaults unless it exists (for pre-created queues)."""
        try:
            self.create_queue(names.queue_parent(names.queue(name)), m.Queue(name=name))
        except ServiceError as error:
            if error.code is not Code.ALREADY_EXISTS:
                raise


# -- what the service adds to a new task ------------------------------------------------


def add_service_headers(t: m.Task) -> None:
    """Store the ``User-Agent`` the service sends with a push task among its headers.

    ``User-Agent: Google-Cloud-Tasks`` for an HTTP task, ``User-Agent:
    AppEngine-Google; (+http://code.google.com/appengine)`` for an App Engine
    one, so a created, read or listed task shows it in every version and view.
    A User-Agent of the task's own (in any case) is replaced: delivery never
    sends it (see :mod:`..delivery.decisions`), so the stored headers say what
    is sent, with one User-Agent.
    """
    kind = t.WhichOneof("payload_type")
    if kind == "http_request":
        headers, agent = t.http_request.headers, HTTP_USER_AGENT
    elif kind == "app_engine_http_request":
        headers, agent = t.app_engine_http_request.headers, APP_ENGINE_USER_AGENT
    else:
        return
    for key in [key for key in headers if key.lower() == "user-agent"]:
        del headers[key]
    headers["User-Agent"] = agent


def stored_size(t: m.Task, own_schedule: bool) -> int:
    """The bytes of a completed push task as the service measures it against its limit.

    The real service (v2) serializes the task as it stores it, with its
    defaults (create time, dispatch deadline, method, App Engine relative URI
    and routing host, the stored headers of :func:`add_service_headers` and,
    for App Engine bodies, Content-Type and Content-Length), and compares that
    with 1,048,569 bytes.  Its recorded boundaries fix what is left out: the
    tasks there were accepted with 49 bytes (HTTP) and 185 bytes (App Engine)
    of defaults on top of what was sent, which is exactly a create time in
    whole seconds (8 bytes), a ten-minute deadline (5), the method (2) and the
    User-Agent entry (34; for App Engine 69, with Content-Type 42,
    Content-Length 27, relative URI 3 and the app's routing host).  No room is
    left for a generated name or a default schedule time (each 14 bytes or
    more), so those are assigned after measuring, and ``view`` (an answer's
    field) is not stored.  So here: the task as completed, without the
    schedule time unless the caller gave one (``own_schedule``), with
    ``create_time`` counted in whole seconds, without ``view``, and measured
    before a name is generated (a name the caller gave counts).

    Measured on the model (v2beta3): every Task field, and every field of
    HttpRequest, AppEngineHttpRequest and AppEngineRouting, has a number below
    16 in both versions (one tag byte) and the same encoding, so a push task
    has the same size in v2 as here.
    """
    size = t.ByteSize()
    if not own_schedule and t.HasField("schedule_time"):
        size -= _field_size(t.schedule_time.ByteSize())
    if t.create_time.nanos:
        whole = timestamp_pb2.Timestamp(seconds=t.create_time.seconds).ByteSize()
        size += _field_size(whole) - _field_size(t.create_time.ByteSize())
    if t.view:
        size -= 1 + _varint_size(t.view)
    return size


def _field_size(length: int) -> int:
    """Bytes of a message field of ``length`` bytes: one tag byte, its length, the message."""
    return 1 + _varint_size(length) + length


def _varint_size(value: int) -> int:
    return max(1, (value.bit_length() + 6) // 7)
