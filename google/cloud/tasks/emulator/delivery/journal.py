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

Besides, the journal counts each queue's attempts per second of the
emulator's clock for the last :data:`ACTIVITY_SECONDS` (see :class:`Activity`),
in memory: the dashboard's charts read them.
"""

from __future__ import annotations

import collections
import json
import logging
import math
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..service import model as m
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
#: seconds of each queue's activity kept for the charts
ACTIVITY_SECONDS = 900
#: latency buckets per doubling (a percentile read from them is within 10% of the truth)
_STEPS = 8
#: the shortest latency told apart, in seconds
_FLOOR = 0.0001

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


#: what an attempt ended with, as the charts group attempts
KINDS = ("2xx", "4xx", "5xx", "no answer")


def kind_of(status: int | None) -> int:
    """The index in :data:`KINDS` of an attempt that ended with ``status`` (None: no answer).

    Besides 4xx, the second kind holds the other statuses that are not 2xx or 5xx.
    """
    if status is None:
        return 3
    if 200 <= status < 300:
        return 0
    return 2 if status >= 500 else 1


@dataclass
class Second:
    """What one queue's attempts did in one second."""

    #: attempts by :data:`KINDS`
    kinds: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    #: latency bucket (see :func:`latency_bucket`) -> attempts
    latencies: dict[int, int] = field(default_factory=dict)


def latency_bucket(seconds: float) -> int:
    """The bucket of a latency: :data:`_STEPS` a doubling from :data:`_FLOOR`."""
    return max(0, int(math.log2(max(seconds, _FLOOR) / _FLOOR) * _STEPS))


def bucket_latency(bucket: int) -> float:
    """The middle of a latency bucket, in seconds."""
    return _FLOOR * 2 ** ((bucket + 0.5) / _STEPS)


def percentile(latencies: dict[int, int], share: float) -> float | None:
    """The latency below which ``share`` (0..1) of the counted attempts fall; None if none."""
    total = sum(latencies.values())
    if not total:
        return None
    seen = 0
    for bucket in sorted(latencies):
        seen += latencies[bucket]
        if seen >= share * total:
            return bucket_latency(bucket)
    return bucket_latency(max(latencies))  # pragma: no cover - share above 1


class Activity:
    """Each queue's attempts per second of the emulator's clock, for the last
    :data:`ACTIVITY_SECONDS`; safe to use from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, dict[int, Second]] = {}

    def add(self, queue: str, second: int, status: int | None, latency: float) -> None:
        """Count one attempt at ``queue`` made in ``second`` (seconds since the epoch)."""
        with self._lock:
            seconds = self._queues.setdefault(queue, {})
            one = seconds.get(second)
            if one is None:
                for old in [s for s in seconds if s <= second - ACTIVITY_SECONDS]:
                    del seconds[old]
                one = seconds[second] = Second()
            one.kinds[kind_of(status)] += 1
            bucket = latency_bucket(latency)
            one.latencies[bucket] = one.latencies.get(bucket, 0) + 1

    def seconds(self, queue: str, first: int, last: int) -> dict[int, Second]:
        """``queue``'s seconds from ``first`` to ``last`` (both included) that saw attempts."""
        with self._lock:
            kept = self._queues.get(queue, {})
            return {s: one for s, one in kept.items() if first <= s <= last}

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()


class Journal:
    """The recorded attempts of ``store``'s tasks; safe to use from any thread.

    ``clock`` gives the emulator's time in microseconds (the machine's by default),
    which :meth:`recent` looks back from; :attr:`activity` counts each attempt in the
    second it was sent (:attr:`Delivery.at`, on that clock), and starts with the
    attempts the store kept from the last :data:`ACTIVITY_SECONDS`.
    """

    def __init__(self, store: Store, clock: Callable[[], int] = m.now_us) -> None:
        self.store = store
        self.clock = clock
        #: each queue's attempts per second, for the dashboard's charts
        self.activity = Activity()
        self._replay()
        self._done = threading.Condition()
        self._deliveries: collections.deque[Delivery] = collections.deque(maxlen=KEEP_DELIVERIES)
        self._attempts: collections.Counter[str] = collections.Counter()
        #: bumped by :meth:`forget`: attempts begun before it are not recorded
        self.generation = 0

    def _replay(self) -> None:
        """Count the kept attempts of the last :data:`ACTIVITY_SECONDS` (after a restart)."""
        since = self.clock() - ACTIVITY_SECONDS * 1_000_000
        try:
            with self.store.read():
                rows = self.store.attempts_since(since)
        except sqlite3.Error as exc:  # pragma: no cover - the charts start empty
            log.warning("cannot read the kept attempts: %s", exc)
            return
        for queue, at, facts in rows:
            try:
                f = json.loads(facts)
                self.activity.add(queue, at // 1_000_000, f["status"], float(f["latency"]))
            except (ValueError, KeyError, TypeError):
                continue

    def record(self, done: Delivery, generation: int) -> bool:
        """Keep one attempt begun in ``generation``; False when a reset came since."""
        with self._done:
            if generation != self.generation:
                return False
            self._deliveries.append(done)
            self._keep(done)
            self.activity.add(done.queue, int(done.at), done.status, done.latency)
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
        since = self.clock() - int(seconds * 1_000_000)
        with self.store.read():
            return self.store.attempt_counts(queue, since)

    def forget(self) -> None:
        """Forget the recorded deliveries, counts and kept attempts (with a reset of the store)."""
        with self._done:
            self.generation += 1
            self._deliveries.clear()
            self._attempts.clear()
            self.activity.clear()
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
