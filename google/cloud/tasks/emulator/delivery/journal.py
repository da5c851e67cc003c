"""What the dispatcher did: each delivery attempt, for tests, the dashboard and the log.

The dispatcher writes one :class:`Delivery` per attempt; tests wait on the
journal (``wait_for_deliveries``), and the dashboard reads a task's attempts
and a queue's recent counts from it.  The journal exists whether or not
tasks are delivered, so readers never need to ask.
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass

from ..service.store import Store

#: recent deliveries kept for :meth:`Journal.deliveries`
KEEP_DELIVERIES = 10_000
#: attempts kept per task, and tasks whose attempts are kept, for :meth:`Journal.history`
KEEP_ATTEMPTS = 10
KEEP_HISTORIES = 10_000


@dataclass(frozen=True)
class Delivery:
    """One attempt at delivering a task, as the dispatcher saw it."""

    queue: str
    task: str
    #: 1 for the first attempt
    attempt: int
    #: the handler's HTTP status, None when it gave no answer
    status: int | None
    #: why there was no answer ("" when there was one)
    error: str
    #: seconds from sending to the answer (or the failure)
    latency: float
    #: ``"delivered"``, ``"retry"``, ``"gave up"`` or ``"gone"`` (deleted meanwhile)
    outcome: str
    #: the request as sent, headers in order (the Authorization value is kept)
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: the first bytes of the handler's answer
    answer: bytes
    #: the answer's headers (empty without an answer)
    answer_headers: tuple[tuple[str, str], ...] = ()
    #: when the attempt was sent, seconds since the epoch
    at: float = 0.0


class Journal:
    """The recorded attempts of ``store``'s tasks; safe to use from any thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._done = threading.Condition()
        self._deliveries: collections.deque[Delivery] = collections.deque(maxlen=KEEP_DELIVERIES)
        self._attempts: collections.Counter[str] = collections.Counter()
        #: the last attempts of recently attempted tasks, by task name
        self._history: dict[str, collections.deque[Delivery]] = {}
        #: bumped by :meth:`forget`: attempts begun before it are not recorded
        self.generation = 0

    def record(self, done: Delivery, generation: int) -> bool:
        """Keep one attempt begun in ``generation``; False when a reset came since."""
        with self._done:
            if generation != self.generation:
                return False
            self._deliveries.append(done)
            history = self._history.pop(done.task, None) or collections.deque(maxlen=KEEP_ATTEMPTS)
            history.append(done)
            self._history[done.task] = history  # most recently attempted last
            if len(self._history) > KEEP_HISTORIES:
                del self._history[next(iter(self._history))]
            self._attempts[done.queue] += 1
            self._attempts[""] += 1
            self._done.notify_all()
        return True

    def deliveries(self, queue: str | None = None) -> list[Delivery]:
        """The most recent delivery attempts, oldest first (of one queue, or all)."""
        with self._done:
            return [d for d in self._deliveries if queue is None or d.queue == queue]

    def history(self, task: str) -> list[Delivery]:
        """The last attempts at ``task`` (up to :data:`KEEP_ATTEMPTS`), oldest first."""
        with self._done:
            return list(self._history.get(task, ()))

    def recent(self, queue: str, seconds: float) -> tuple[int, int]:
        """``(attempts, failed attempts)`` at ``queue``'s tasks in the last ``seconds``."""
        since = time.time() - seconds
        with self._done:
            done = [d for d in self._deliveries if d.queue == queue and d.at >= since]
        return len(done), sum(d.outcome != "delivered" for d in done)

    def forget(self) -> None:
        """Forget the recorded deliveries and counts (with a reset of the store)."""
        with self._done:
            self.generation += 1
            self._deliveries.clear()
            self._attempts.clear()
            self._history.clear()

    def wait_for_deliveries(
        self, count: int, queue: str | None = None, timeout: float = 10.0
    ) -> list[Delivery]:
        """Block until ``count`` attempts were made (in ``queue``, or anywhere).

        Counts from the start or the last reset; returns the recorded attempts.
        Raises ``TimeoutError`` saying how many there were.
        """
        key = queue or ""
        with self._done:
            if not self._done.wait_for(lambda: self._attempts[key] >= count, timeout):
                where = f" in {queue}" if queue else ""
                raise TimeoutError(
                    f"{self._attempts[key]} of {count} deliveries{where} after {timeout:g} s"
                )
        return self.deliveries(queue)

    def wait_until_drained(self, queue: str | None = None, timeout: float = 10.0) -> None:
        """Block until ``queue`` (or every queue) holds no task; ``TimeoutError`` otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            with self.store.read():
                left = self.store.queue_task_count(queue)
            if left == 0:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                where = queue or "the emulator"
                raise TimeoutError(f"{left} task(s) still in {where} after {timeout:g} s")
            with self._done:
                self._done.wait(min(remaining, 0.05))
