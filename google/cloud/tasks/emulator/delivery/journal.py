"""What the dispatcher did: each delivery attempt, for tests, the dashboard and the log.

The dispatcher writes one :class:`Delivery` per attempt.  Tests wait on the
journal (``wait_for_deliveries``) and read the attempts it keeps in memory
(``deliveries``); the dashboard reads a task's attempts (``history``) and a
queue's recent counts (``recent``) from the store's ``attempts`` table, so
with a data file they survive a restart.  The journal exists whether or not
tasks are delivered, so readers never need to ask.

What the table keeps of an attempt: its queue, task, number, time, status or
error, latency, outcome, method and URL, the request's headers (an
``Authorization`` value without its secret part: a bearer JWT keeps its
header and claims but not its signature, anything else only its scheme),
the first :data:`REQUEST_BYTES` of the request's body, and the handler's
answer headers and first :data:`ANSWER_BYTES`.  The table is bounded: the
last :data:`KEEP_ATTEMPTS` attempts of a task, and :data:`KEEP_ROWS`
attempts in all (the oldest go first).
"""

from __future__ import annotations

import collections
import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass

from ..service.store import Store, StoredAttempt

log = logging.getLogger("google.cloud.tasks.emulator")

#: recent deliveries kept in memory for :meth:`Journal.deliveries`
KEEP_DELIVERIES = 10_000
#: attempts kept per task for :meth:`Journal.history`
KEEP_ATTEMPTS = 10
#: attempts kept in the store in all (the oldest are trimmed every :data:`TRIM_EVERY`)
KEEP_ROWS = 20_000
TRIM_EVERY = 500
#: bytes of the request's body and of the handler's answer kept in the store per attempt
REQUEST_BYTES = 4096
ANSWER_BYTES = 4096

Headers = tuple[tuple[str, str], ...]


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
    #: the request as sent, headers in order (the Authorization value is whole in
    #: :meth:`Journal.deliveries`, without its secret part in :meth:`Journal.history`)
    method: str
    url: str
    headers: Headers
    body: bytes
    #: the first bytes of the handler's answer
    answer: bytes
    #: the answer's headers (empty without an answer)
    answer_headers: Headers = ()
    #: when the attempt was sent, seconds since the epoch
    at: float = 0.0


def _without_secret(value: str) -> str:
    """An Authorization value as the store keeps it, without its secret part.

    A bearer JWT keeps its header and claims (what the dashboard shows) and drops its
    signature, so the stored text is no longer a token anything accepts; any other
    value keeps only its scheme.
    """
    scheme, _, credentials = value.partition(" ")
    parts = credentials.split(".")
    if scheme.lower() == "bearer" and len(parts) == 3:
        return f"{scheme} {parts[0]}.{parts[1]}."
    return f"{scheme} (not kept)" if credentials else "(not kept)"


def _kept_headers(headers: Headers) -> Headers:
    """``headers`` with each Authorization value cut down by :func:`_without_secret`."""
    return tuple(
        (k, _without_secret(v)) if k.lower() == "authorization" else (k, v) for k, v in headers
    )


#: one encoder for every record (``json.dumps`` with options makes a new one per call)
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


def _facts(done: Delivery) -> str:
    """The JSON the store keeps for what its columns do not hold."""
    return _ENCODE(
        {
            "status": done.status,
            "error": done.error,
            "latency": done.latency,
            "outcome": done.outcome,
            "method": done.method,
            "url": done.url,
            "headers": _kept_headers(done.headers),
            "answer_headers": done.answer_headers,
        }
    )


def _delivery(row: StoredAttempt) -> Delivery:
    queue, task, attempt, at, facts, request, answer = row
    f = json.loads(facts)
    return Delivery(
        queue,
        task,
        attempt,
        f["status"],
        f["error"],
        f["latency"],
        f["outcome"],
        f["method"],
        f["url"],
        tuple((str(k), str(v)) for k, v in f["headers"]),
        bytes(request),
        bytes(answer),
        tuple((str(k), str(v)) for k, v in f["answer_headers"]),
        at / 1_000_000,
    )


class Journal:
    """The recorded attempts of ``store``'s tasks; safe to use from any thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._done = threading.Condition()
        self._deliveries: collections.deque[Delivery] = collections.deque(maxlen=KEEP_DELIVERIES)
        self._attempts: collections.Counter[str] = collections.Counter()
        #: bumped by :meth:`forget`: attempts begun before it are not recorded
        self.generation = 0

    def record(self, done: Delivery, generation: int) -> bool:
        """Keep one attempt begun in ``generation``; False when a reset came since."""
        with self._done:
            if generation != self.generation:
                return False
            self._deliveries.append(done)
            self._keep(done)
            self._attempts[done.queue] += 1
            self._attempts[""] += 1
            self._done.notify_all()
        return True

    def _keep(self, done: Delivery) -> None:
        """Write ``done`` to the store: one short transaction, usually one INSERT.

        A write that fails (a full disk, say) is logged: the history is for people
        to read, and delivery goes on without it.
        """
        try:
            self._write(done)
        except sqlite3.Error as exc:
            log.warning("cannot keep attempt %d of %s: %s", done.attempt, done.task, exc)

    def _write(self, done: Delivery) -> None:
        store = self.store
        with store.write():
            row = store.add_attempt(
                done.queue,
                done.task,
                done.attempt,
                int(done.at * 1_000_000),
                done.outcome != "delivered",
                _facts(done),
                done.body[:REQUEST_BYTES],
                done.answer[:ANSWER_BYTES],
            )
            if done.attempt > KEEP_ATTEMPTS:
                store.forget_attempts_of(done.task, done.attempt - KEEP_ATTEMPTS)
            if row % TRIM_EVERY == 0 and row > KEEP_ROWS:
                store.forget_attempts_before(row - KEEP_ROWS + 1)

    def deliveries(self, queue: str | None = None) -> list[Delivery]:
        """The most recent delivery attempts, oldest first (of one queue, or all)."""
        with self._done:
            return [d for d in self._deliveries if queue is None or d.queue == queue]

    def history(self, task: str) -> list[Delivery]:
        """The last attempts at ``task`` (up to :data:`KEEP_ATTEMPTS`), oldest first.

        Read from the store (so, with a data file, also attempts made before a
        restart); the bodies are cut to :data:`REQUEST_BYTES` and :data:`ANSWER_BYTES`
        and an Authorization value has lost its secret part (see the module's notes).
        """
        with self.store.read():
            rows = self.store.attempts_of(task, KEEP_ATTEMPTS)
        return [_delivery(row) for row in rows]

    def recent(self, queue: str, seconds: float) -> tuple[int, int]:
        """``(attempts, failed attempts)`` at ``queue``'s tasks in the last ``seconds``.

        Counts the attempts the store keeps (at most :data:`KEEP_ROWS` in all).
        """
        since = int((time.time() - seconds) * 1_000_000)
        with self.store.read():
            return self.store.attempt_counts(queue, since)

    def forget(self) -> None:
        """Forget the recorded deliveries, counts and kept attempts (with a reset of the store)."""
        with self._done:
            self.generation += 1
            self._deliveries.clear()
            self._attempts.clear()
            with self.store.write():
                self.store.forget_attempts()

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
