"""What every part of the service shares: the store, the settings and record helpers."""

from __future__ import annotations

from typing import Protocol

from . import model as m
from . import names
from .clock import Clock
from .errors import ENTITY_MISSING, QUEUE_MISSING, TASK_GONE, not_found
from .store import Claimed, Store


class Dispatch(Protocol):
    """What the service tells a running dispatcher."""

    def poke(self, queue: str | None = None) -> None:
        """Tasks of ``queue`` (of any queue: None) may have become due; cheap to call."""

    def run_now(self, claimed: Claimed) -> None:
        """Deliver this claimed task at once (RunTask)."""


class ServiceBase:
    """The store and settings, and reading and writing queue and task records.

    The record helpers run inside a store transaction their caller opened.
    """

    def __init__(
        self, store: Store, settings: m.Settings | None = None, clock: Clock | None = None
    ) -> None:
        self.store = store
        self.settings = settings or m.Settings()
        #: the one clock every time the service derives is read from
        self.clock = clock or Clock()
        self._writes = 0
        #: queues as stored, read under the store's lock; dropped on every write.  Never
        #: changed in place: :meth:`_queue` hands out copies.
        self._queue_cache: dict[str, m.Queue] = {}
        #: the dispatcher delivering this store's tasks (None: tasks are only stored)
        self.dispatch: Dispatch | None = None
        #: counts changes to the set of queues or their records (so readers know to re-read)
        self.queues_version = 0

    def _poke(self, queue: str | None = None) -> None:
        dispatch = self.dispatch
        if dispatch is not None:
            dispatch.poke(queue)

    def _queue(self, name: str, missing: str = QUEUE_MISSING) -> m.Queue:
        """The queue ``name`` (a copy the caller may change); NOT_FOUND with ``missing``."""
        q = m.Queue()
        q.CopyFrom(self._shared_queue(name, missing))
        return q

    def _shared_queue(self, name: str, missing: str = QUEUE_MISSING) -> m.Queue:
        """The cached queue ``name`` itself, for callers that only read it."""
        q = self._queue_cache.get(name)
        if q is None:
            body = self.store.queue(name)
            if body is None:
                raise not_found(missing)
            q = self._queue_cache[name] = m.Queue.FromString(body)
        return q

    def _save_queue(self, q: m.Queue) -> m.Queue:
        self._queue_cache.pop(q.name, None)
        self.queues_version += 1
        self.store.put_queue(q.name, names.queue_parent(q.name), q.state, q.SerializeToString())
        return q

    def reset(self, project: str | None = None) -> None:
        """Forget everything (or everything of one project)."""
        with self.store.read():
            self._queue_cache.clear()
            self.queues_version += 1
            self.store.reset(project)

    def _task(self, name: str, now: int | None = None) -> m.Task:
        body = self.store.task(name)
        if body is None:
            if now is not None and self.store.tombstoned(name, now):
                raise not_found(TASK_GONE)
            raise not_found(ENTITY_MISSING)
        return m.Task.FromString(body)

    def _task_until(self, now: int) -> int:
        return now + int(self.settings.task_tombstone_seconds * 1_000_000)

    def _tidy(self, now: int) -> None:
        self._writes += 1
        if self._writes % 1000 == 0:
            self.store.forget_tombstones(now)
