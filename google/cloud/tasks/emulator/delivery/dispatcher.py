"""Delivering tasks: a pooled HTTP client on the host's event loop, the store as the truth.

The dispatcher, run by :class:`~..host.Host` on its event loop,

- finds every RUNNING push queue and claims its due tasks in one short
  transaction, as many as the queue's token bucket and free concurrency allow;
- sends each claimed task as an HTTP request (:mod:`.decisions` decides what
  it looks like), never holding the store while it waits on the network;
- records each outcome in another short transaction: a 2xx deletes the task,
  anything else is an attempt that reschedules it by the retry policy or,
  once the policy is spent, deletes it.

A claimed task whose outcome is never recorded (the process died) is due
again when a store is next opened by a dispatcher: at least once, never lost.
The service wakes the loop when tasks are created, run or resumed, so an idle
queue delivers a new task at once.

Queues are isolated from each other's handlers.  A queue never has more than
its ``max_concurrent_dispatches`` deliveries in flight.  Beyond that, the
deliveries in flight across all queues share :data:`SHARED_IN_FLIGHT` (256)
slots: a queue with due work may start another delivery while fewer than that
are in flight in all, or while it has fewer in flight than its fair share,
:data:`SHARED_IN_FLIGHT` divided by the number of queues with due work or
deliveries in flight (at least 1).  Nothing ever passes :data:`MAX_IN_FLIGHT`
(512, RunTask's deliveries included), which is also the most connections the
dispatcher opens.  So a queue whose handler hangs holds at most 256
deliveries, and every other queue still finds the slots it needs to keep its
rate; when a limit held work back, a finishing delivery, or a queue whose
share grew, starts another pass at once.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import aiohttp
from google.rpc import status_pb2

from ..service import model as m
from ..service.cloud_tasks import CloudTasksService
from ..service.store import Claimed
from ..service.targets import dispatched_record
from . import decisions as delivery
from .journal import Delivery, Journal
from .routes import Routes
from .tokens import Signer

log = logging.getLogger("google.cloud.tasks.emulator.dispatch")

#: tasks one queue claims in one transaction at most
CLAIM_BATCH = 100
#: deliveries in flight across all queues that any one queue may fill; past this, a queue
#: starts a delivery only while it has fewer in flight than its fair share of these
SHARED_IN_FLIGHT = 256
#: deliveries in flight at most, all queues and RunTask together (and connections to
#: handlers): past this, claiming would only outrun sending and use up file descriptors
MAX_IN_FLIGHT = 2 * SHARED_IN_FLIGHT
#: longest sleep between passes: a bound on anything the loop is not woken for
IDLE_WAKE = 1.0
#: shortest wait for tokens: a fast queue is served in small batches, not token by token
MIN_TOKEN_WAIT = 0.01
#: bytes of a handler's answer that are read (and kept for the record)
ANSWER_BYTES = 4096
Headers = tuple[tuple[str, str], ...]
#: how the error of an attempt that got no answer within its dispatch deadline begins
LATE = "no answer within the dispatch deadline"
_SKIP_AUTO = frozenset(("Accept", "Accept-Encoding", "Content-Type"))


@dataclass
class _Runner:
    """A push queue's dispatch state: its settings, bucket and deliveries in flight."""

    queue: m.Queue
    record: bytes
    bucket: delivery.TokenBucket
    in_flight: int = 0
    #: earliest schedule time (µs) of its unclaimed tasks as last read; 0: read again
    next_due: float = 0
    #: the last pass left due tasks unclaimed because of its max_concurrent_dispatches
    held: bool = False


class Dispatcher:
    """Delivers the tasks of ``service``'s store, recording each attempt in ``journal``.

    :meth:`run` is the delivering loop, run on the host's event loop;
    :meth:`poke` and :meth:`run_now` may be called from any thread.
    """

    def __init__(
        self,
        service: CloudTasksService,
        signer: Signer,
        journal: Journal,
        routes: Routes | None = None,
    ) -> None:
        self.service = service
        self.store = service.store
        self.signer = signer
        self.journal = journal
        #: where HTTP tasks go instead of their own URL (see :mod:`.routes`)
        self.routes = routes if routes is not None else Routes()
        self._runners: dict[str, _Runner] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._poked = False
        #: queues poked since the last pass (None in it: any queue)
        self._dirty: set[str | None] = set()
        self._dirty_lock = threading.Lock()
        self._queues: list[tuple[str, bytes]] = []
        self._queues_version = -1
        self._session: aiohttp.ClientSession | None = None
        #: deliveries in flight, all queues (RunTask's included)
        self._in_flight = 0
        #: deliveries in flight, each with its launch number (see :attr:`launched`)
        self._flights: dict[asyncio.Task[None], int] = {}
        #: the last pass left due tasks unclaimed because of the shared slots
        self._held = False
        #: RunTask deliveries waiting for a slot under MAX_IN_FLIGHT
        self._waiting_runs: collections.deque[Claimed] = collections.deque()
        #: deliveries launched so far, and the futures waiting for the next pass to end
        self._launched = 0
        self._pass_waiters: list[asyncio.Future[None]] = []

    def release_claims(self) -> None:
        """Make tasks whose delivery a crash cut short due again (before :meth:`run`)."""
        with self.store.write():
            released = self.store.release_claims()
        if released:
            log.info("%d task(s) whose delivery was cut short are due again", released)

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Take ``loop`` (from its own thread) as the one :meth:`run` will run on.

        From then on :meth:`poke` and :meth:`run_now` reach the loop, even before
        :meth:`run` starts.
        """
        self._loop = loop
        self._wake = asyncio.Event()

    async def run(self, stopping: asyncio.Event) -> None:
        """Deliver until ``stopping`` is set; deliveries still in flight are then cut short."""
        if self._loop is None:
            self.attach(asyncio.get_running_loop())
        connector = aiohttp.TCPConnector(limit=MAX_IN_FLIGHT, ttl_dns_cache=60)
        self._session = aiohttp.ClientSession(
            connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
        )
        unsubscribe = self.service.clock.on_move(self.poke)  # what the move made due
        try:
            await self._schedule(stopping)
        finally:
            unsubscribe()
            self._end_pass()
            if self.service.dispatch is self:
                self.service.dispatch = None
            for flight in list(self._flights):
                flight.cancel()
            if self._flights:
                await asyncio.gather(*self._flights, return_exceptions=True)
            await self._session.close()

    # -- waking ---------------------------------------------------------------------------

    def poke(self, queue: str | None = None) -> None:
        """Tasks of ``queue`` (None: any) may be due now; from any thread, cheap when repeated."""
        with self._dirty_lock:  # never added to a set the loop has already taken
            self._dirty.add(queue)
        if self._poked:
            return
        self._poked = True
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # the loop is closing
                pass

    def run_now(self, claimed: Claimed) -> None:
        """Deliver a claimed task at once, whatever its queue's state and rate (RunTask)."""
        loop = self._loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(self._run_claimed, claimed)
        except RuntimeError:  # pragma: no cover - the loop is closing
            pass

    def _run_claimed(self, claimed: Claimed) -> None:
        """Launch a RunTask delivery now, or as soon as a slot under MAX_IN_FLIGHT frees."""
        if self._in_flight < MAX_IN_FLIGHT and not self._waiting_runs:
            self._launch(claimed, None)
        else:
            self._waiting_runs.append(claimed)

    def _nudge(self) -> None:
        """Start a pass soon (on the loop's thread): a slot freed that held work back."""
        if self._wake is not None:
            self._wake.set()

    # -- settling -------------------------------------------------------------------------

    @property
    def launched(self) -> int:
        """How many deliveries were launched so far: give it to :meth:`settle` as ``since``."""
        return self._launched

    async def settle(self, since: int) -> None:
        """Return (on the loop) once nothing more is due: every delivery launched after the
        first ``since`` has finished, and a pass after the last of them launched nothing new.

        What the rate limits, ``max_concurrent_dispatches`` or a paused queue hold back
        does not count; a retry made due at once by a finished delivery does.  Bound it
        with a timeout: a hanging handler keeps it waiting.
        """
        while True:
            launched = self._launched
            self.poke()
            waiter = asyncio.get_running_loop().create_future()
            self._pass_waiters.append(waiter)
            await waiter
            mine = [flight for flight, number in self._flights.items() if number > since]
            if mine:
                await asyncio.wait(mine)
            elif self._launched == launched:
                return

    def _end_pass(self) -> None:
        waiters, self._pass_waiters = self._pass_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # -- scheduling -----------------------------------------------------------------------

    async def _schedule(self, stopped: asyncio.Event) -> None:
        assert self._wake is not None
        stopping = asyncio.ensure_future(stopped.wait())
        try:
            while not stopped.is_set():
                self._poked = False
                self._wake.clear()
                try:
                    sleep = self._pass()
                except Exception:  # keep delivering; the store or a record was odd
                    log.exception("the dispatch pass failed")
                    sleep = IDLE_WAKE
                self._end_pass()
                if sleep > 0:
                    waking = asyncio.ensure_future(self._wake.wait())
                    await asyncio.wait(
                        (waking, stopping), timeout=sleep, return_when=asyncio.FIRST_COMPLETED
                    )
                    waking.cancel()
                else:
                    await asyncio.sleep(0)
        finally:
            stopping.cancel()

    def _runner(self, name: str, record: bytes, now: float) -> _Runner | None:
        runner = self._runners.get(name)
        if runner is not None and runner.record is record:
            return runner
        queue = m.Queue.FromString(record)
        if queue.type_ == m.PULL:
            return None
        limits = queue.rate_limits
        if runner is None:
            bucket = delivery.TokenBucket(
                limits.max_dispatches_per_second, limits.max_burst_size, now
            )
            runner = self._runners[name] = _Runner(queue, record, bucket)
        else:
            runner.queue, runner.record, runner.next_due = queue, record, 0
            runner.bucket.configure(limits.max_dispatches_per_second, limits.max_burst_size, now)
        return runner

    def _dispatchable(self) -> list[tuple[str, bytes]]:
        """``(name, record)`` of the RUNNING queues, read again only after a queue changed."""
        version = self.service.queues_version
        if version != self._queues_version:
            with self.store.read():
                self._queues = self.store.dispatchable_queues()
            self._queues_version = version
        return self._queues

    def _pass(self) -> float:
        """Claim and launch what is due; returns the seconds until the next pass.

        Two rounds: first every queue with due work up to its fair share of the
        shared slots, then, while fewer than :data:`SHARED_IN_FLIGHT` are in
        flight, the queues that wanted more, in turn.
        """
        now = self.service.clock.now_us()
        clock = now / 1e6  # rate limits are measured on the emulator's clock
        queues = self._dispatchable()
        with self._dirty_lock:
            dirty, self._dirty = self._dirty, set()
        while self._waiting_runs and self._in_flight < MAX_IN_FLIGHT:
            self._launch(self._waiting_runs.popleft(), None)
        named: list[tuple[str, _Runner]] = []
        for name, record in queues:
            runner = self._runner(name, record, clock)
            if runner is None:
                continue
            named.append((name, runner))
            if None in dirty or name in dirty:
                runner.next_due = 0
            runner.held = False
        self._held = False
        runners = [runner for _, runner in named]
        busy = _busy(runners, now)
        share = max(1, SHARED_IN_FLIGHT // max(1, busy))
        sleep = IDLE_WAKE
        wanting: list[tuple[str, _Runner]] = []
        for name, runner in named:
            if runner.next_due > now:  # nothing due before then, unless poked
                sleep = min(sleep, (runner.next_due - now) / 1e6)
                continue
            wait, more = self._claim(name, runner, now, clock, share - runner.in_flight)
            sleep = min(sleep, wait)
            if more:
                wanting.append((name, runner))
        for name, runner in wanting:
            wait, more = self._claim(name, runner, now, clock, SHARED_IN_FLIGHT - self._in_flight)
            sleep = min(sleep, wait)
            self._held = self._held or more
        if self._held and _busy(runners, now) < busy:
            sleep = 0.0  # fewer queues share the slots now: the held ones may have more
        running = {name for name, _ in named}
        for name in [n for n, r in self._runners.items() if n not in running and not r.in_flight]:
            del self._runners[name]
        return sleep

    def _claim(
        self, name: str, runner: _Runner, now: int, clock: float, room: int
    ) -> tuple[float, bool]:
        """Launch up to ``room`` of a queue's due tasks, within its own limits.

        Returns ``(seconds until it may launch again, whether room alone held it back)``.
        A queue that its own ``max_concurrent_dispatches`` holds back is marked
        :attr:`_Runner.held`: its next finishing delivery wakes the loop.
        """
        own = runner.queue.rate_limits.max_concurrent_dispatches - runner.in_flight
        shared = min(room, MAX_IN_FLIGHT - self._in_flight)
        if own <= 0:
            runner.held = True
            return IDLE_WAKE, False
        if shared <= 0:
            return IDLE_WAKE, True
        tokens = runner.bucket.available(clock)
        if tokens <= 0:
            return max(runner.bucket.wait(clock), MIN_TOKEN_WAIT), False
        want = min(own, shared, tokens, CLAIM_BATCH)
        store = self.store
        with store.write():
            claimed = store.claim_due(name, now, want, lambda body: dispatched_record(body, now))
        runner.bucket.take(len(claimed))
        for one in claimed:
            self._launch(one, runner)
        if len(claimed) < want:  # nothing more is due now
            with store.read():
                due = store.next_due(name)
            runner.next_due = due if due is not None else float("inf")
            return (IDLE_WAKE if due is None else max(0.0, (due - now) / 1e6)), False
        if want == tokens:
            return max(runner.bucket.wait(clock), MIN_TOKEN_WAIT), False
        if want == own:
            runner.held = True
            return IDLE_WAKE, False
        if want == shared:
            return IDLE_WAKE, True
        return 0.0, False  # a full batch: more may be due at once

    # -- delivering -----------------------------------------------------------------------

    def _launch(self, claimed: Claimed, runner: _Runner | None) -> None:
        self._launched += 1
        self._in_flight += 1
        if runner is not None:
            runner.in_flight += 1
        flight = asyncio.ensure_future(self._deliver(claimed, runner))
        self._flights[flight] = self._launched
        flight.add_done_callback(self._landed)

    def _landed(self, flight: asyncio.Task[None]) -> None:
        self._flights.pop(flight, None)

    def _queue_of(self, task_name: str) -> m.Queue | None:
        queue_name = task_name.rsplit("/tasks/", 1)[0]
        runner = self._runners.get(queue_name)
        if runner is not None:
            return runner.queue
        with self.store.read():
            record = self.store.queue(queue_name)
        return m.Queue.FromString(record) if record is not None else None

    async def _deliver(self, claimed: Claimed, runner: _Runner | None) -> None:
        name, record, executions, previous = claimed
        generation = self.journal.generation
        try:
            task = m.Task.FromString(record)
            queue = runner.queue if runner is not None else self._queue_of(name)
            if queue is None:  # the queue went away with its tasks
                return
            attempt = delivery.Attempt(
                task.dispatch_count - 1, executions, previous, m.us_of(task.schedule_time)
            )
            settings = self.service.settings
            try:
                request = delivery.request_for(
                    task, queue, attempt, settings.app_engine_host, self.signer.mint
                )
            except Exception as exc:  # a token could not be minted, say
                log.warning("cannot build the request of %s: %s", name, exc)
                request = delivery.Request("POST", "", (), b"", 1.0, "http")
            number = task.dispatch_count
            sent_at = self.service.clock.now_us() / 1e6  # when, on the emulator's clock
            started = time.monotonic()
            status, error, answer, answer_headers = await self._send(request)
            latency = time.monotonic() - started
            outcome, wait = self._record(name, task, queue, executions, status, error)
            if outcome == "retry":  # due again, maybe before the loop's next pass
                self.poke(queue.name)
            self._report(
                Delivery(
                    queue.name,
                    name,
                    number,
                    status,
                    error,
                    latency,
                    outcome,
                    request.method,
                    request.url,
                    request.headers,
                    request.body,
                    answer,
                    answer_headers,
                    sent_at,
                ),
                wait,
                generation,
            )
        except asyncio.CancelledError:
            raise
        except Exception:  # never lose the loop over one task
            log.exception("delivering %s failed", name)
        finally:
            self._in_flight -= 1
            if runner is not None:
                runner.in_flight -= 1
            # The loop waits for a finishing delivery only when a limit held work back.
            if self._held or self._waiting_runs or (runner is not None and runner.held):
                self._nudge()

    async def _send(self, request: delivery.Request) -> tuple[int | None, str, bytes, Headers]:
        """``(status, error, first bytes of the answer, its headers)`` of one request."""
        session = self._session
        assert session is not None
        if not request.url:
            return None, "the task's request could not be built", b"", ()
        # a route may send it elsewhere, keeping its Host, or to an app in this process
        request, app = self.routes.resolve(request)
        try:
            if app is not None:
                return await app.send(request, ANSWER_BYTES)
            async with session.request(
                request.method,
                request.url,
                headers=_multidict(request.headers),
                data=request.body or None,
                timeout=aiohttp.ClientTimeout(total=request.deadline),
                allow_redirects=False,
                skip_auto_headers=_SKIP_AUTO,
            ) as response:
                answer = await response.content.read(ANSWER_BYTES)
                return response.status, "", answer, tuple(response.headers.items())
        except asyncio.TimeoutError:
            late = f"{LATE} ({request.deadline:g} s)"
            return None, late, b"", ()
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            return None, _describe(exc), b"", ()

    def _record(
        self,
        name: str,
        task: m.Task,
        queue: m.Queue,
        executions: int,
        status: int | None,
        error: str,
    ) -> tuple[str, float]:
        """Store an attempt's outcome; ``(outcome, seconds until the retry)``.

        What the attempt ended with (its status, :data:`delivery.TIMED_OUT`, or None
        when the handler could not be reached) is kept for the next attempt's headers.
        """
        store = self.store
        service = self.service
        now = service.clock.now_us()
        with store.write():
            if not store.claimed(name):
                return "gone", 0.0
            if delivery.succeeded(status):
                store.finish_task(name, now, "delivered", status, error)
                store.tombstone(name, service._task_until(now))
                return "delivered", 0.0
            # dispatch_count, first_attempt and last_attempt's times were set at the claim
            ended = delivery.TIMED_OUT if status is None and error.startswith(LATE) else status
            app_engine = task.HasField("app_engine_http_request")
            executions += delivery.counts_as_execution(ended, app_engine)
            if status is not None:
                task.response_count += 1
            last = task.last_attempt
            if status is not None:
                m.set_us(last.response_time, now)
            last.response_status.CopyFrom(_status(status, error))
            rc = delivery.retry_config(task, queue)
            first = m.us_of(task.first_attempt.dispatch_time)
            if delivery.exhausted(rc, task.dispatch_count, first, now):
                store.finish_task(name, now, "gave up", status, error)
                store.tombstone(name, service._task_until(now))
                return "gave up", 0.0
            wait = delivery.backoff(rc, task.dispatch_count)
            schedule = now + int(wait * 1_000_000)
            m.set_us(task.schedule_time, schedule)
            store.record_attempt(name, schedule, task.SerializeToString(), executions, ended)
            return "retry", wait

    def _report(self, done: Delivery, wait: float, generation: int) -> None:
        if generation != self.journal.generation:
            return  # a reset came since the attempt began
        what = str(done.status) if done.status is not None else done.error
        if done.status in (405, 501):  # python -m http.server answers POST with 501, say
            what += f" (the handler does not accept {done.method})"
        outcome = f"retry in {wait:g} s" if done.outcome == "retry" else done.outcome
        # A task given up is gone for good: say so even when attempts are not logged.
        log.log(
            logging.WARNING if done.outcome == "gave up" else logging.INFO,
            "deliver %s/%s attempt %d: %s in %.1f ms (%s)",
            delivery.short_name(done.queue),
            delivery.short_name(done.task),
            done.attempt,
            what,
            done.latency * 1000,
            outcome,
        )
        # Recorded after the log line: a test that waits for the attempt then finds both.
        self.journal.record(done, generation)


def _busy(runners: list[_Runner], now: float) -> int:
    """How many queues share the slots: those with due work or deliveries in flight."""
    return sum(1 for r in runners if r.in_flight or r.next_due <= now)


def _multidict(headers: tuple[tuple[str, str], ...]) -> Any:
    from multidict import CIMultiDict

    return CIMultiDict(headers)


def _describe(exc: BaseException) -> str:
    """A failure to reach a handler, in one line without credentials."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"cannot connect to {exc.host}:{exc.port}: {exc.os_error.strerror or exc.os_error}"
    if isinstance(exc, aiohttp.InvalidURL):
        return "the task's URL is not valid"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


def _status(status: int | None, error: str) -> status_pb2.Status:
    if status is not None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "HTTP status"
        return status_pb2.Status(code=delivery.rpc_code(status), message=f"{status} {phrase}")
    code = 4 if error.startswith(LATE) else 14  # DEADLINE_EXCEEDED, UNAVAILABLE
    return status_pb2.Status(code=code, message=error)
