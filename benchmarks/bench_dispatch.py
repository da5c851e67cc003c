"""Task delivery: our emulator side by side with the PyPI emulator ``gcloud-tasks-emulator``.

    python benchmarks/bench_dispatch.py [--quick] [--no-peer]

Each emulator runs as its own process (ours as the CLI, ``start --port 0
--quiet``; the peer as ``gcloud-tasks-emulator start -q``) and delivers HTTP
tasks to a real handler on 127.0.0.1 (``_handler.py``, a raw asyncio HTTP/1.1
server in a third process that answers 200 and records when each request
arrived).  Emulator CPU comes from ``/proc/<pid>/stat`` of the emulator
process alone, never the handler's.  With two CPUs or more the emulator runs
on one and the handler and this driver on another.

1. **one queue at 500/s** (``max_dispatches_per_second=500``, the most the
   API allows): tasks are created in the paused queue, the queue is resumed,
   and the delivered rate is taken from the arrival times at the handler,
   leaving out the first second (the bucket's initial burst) and the last 1%
   of arrivals.  The ``bare`` column holds the configured rate, so
   ``ours/bare`` is delivered/configured (target: at least 0.95).
2. **20 queues at 500/s** (10,000/s between them, more than a 2-CPU machine
   delivers): as fast as the emulator can go.  Rate and emulator CPU per
   delivered task from just before the first resume until the last arrival
   (arrivals may come in bursts, so no window is picked), and the TCP
   connections the handler accepted.  The ``bare`` column holds the 10,000/s
   cap.
3. **create-to-delivery latency** on an idle, running queue: one
   ``create_task`` at a time, the next only once the handler has the last;
   from just before ``create_task`` is called until the handler has read the
   request (p50 target: 10 ms).
4. **a hanging handler** (ours only, in a fresh emulator): a queue on default
   limits holds 300 due tasks whose handler (a server in this driver process)
   accepts each request and never answers, with a ten-minute dispatch
   deadline; once it holds every delivery it may, a queue at 10/s delivers
   to the fast handler.  Its delivered rate (arrivals after the first burst
   of 2) against the configured 10/s (target: at least 0.9), and the
   emulator's peak open file descriptors (``/proc/<pid>/fd``) and RSS
   meanwhile.

The peer ignores a queue's rate limits and delivers each queue's tasks one at
a time from a thread that polls every 100 ms, so its figures go in the
reference column for comparison, not as a rate it was asked to hold.  Every
task's URL is the handler on 127.0.0.1, and the children run without proxy
variables: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
# the tests' hanging handler (tests/dispatch/handler.py), the same one the fairness test uses
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _harness import HERE, Context, Row, Settings, Target, _stop, pin_to, render, section  # noqa: E402
from bench_emulator import (  # noqa: E402
    DEFAULT_PEER_VENV,
    Server,
    free_port,
    peer_command,
    peer_python,
    pinned,
    split_cpus,
    wait_for_port,
)
from dispatch.handler import Hanging  # noqa: E402

PARENT = "projects/bench/locations/us-central1"
#: the most ``max_dispatches_per_second`` the API accepts for one queue
RATE = 500.0
SPREAD_QUEUES = 20
IN_FLIGHT = 64
BODY = b"x" * 100
#: arrivals in the first second of the one-queue run are left out (the bucket starts full)
SKIP_SECONDS = 1.0
#: tasks delivered before the latency is measured (connections, the peer's queue thread)
LATENCY_WARMUP = 10
#: seconds after the last arrival before the emulator's CPU is read (outcomes get recorded)
SETTLE = 0.2
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "grpc_proxy")
#: due tasks in the queue whose handler hangs, and their dispatch deadline
HANG_TASKS = 300
HANG_DEADLINE = "600s"
#: deliveries a queue may hold in flight alone (the emulator's shared slots)
HANG_HELD = 256
#: the configured rate of the queue delivering while the other one hangs
STEADY_RATE = 10.0
#: seconds between samples of the emulator's open files and RSS
SAMPLE_EVERY = 0.1


@dataclass(frozen=True)
class Sizes:
    sustained: int = 5000
    per_queue: int = 500
    latency: int = 200
    #: tasks the 10/s queue delivers while the other queue's handler hangs
    steady: int = 100


QUICK_SIZES = Sizes(sustained=2000, per_queue=200, latency=50, steady=50)


# -- processes ----------------------------------------------------------------------------


def loopback_env(**extra: str) -> dict[str, str]:
    """This environment without proxy variables (so loopback stays loopback), plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k.lower() not in _PROXY_VARIABLES and k != "CLOUD_TASKS_EMULATOR_HOST"
    }
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


class HandlerProcess:
    """The task handler (``_handler.py``) in its own process, and its command pipe."""

    def __init__(self, cpus: set[int] | None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "_handler.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=loopback_env(),
            cwd=tempfile.gettempdir(),
            preexec_fn=pin_to(cpus),
        )
        line = self._stdout().readline()
        if not line:
            raise RuntimeError("the task handler did not start")
        self.port = int(json.loads(line)["port"])
        self.url = f"http://127.0.0.1:{self.port}/task"

    def _stdout(self) -> IO[str]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def ask(self, command: str) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self._stdout().readline()
        if not line:
            raise RuntimeError(f"the task handler exited ({self.proc.wait()})")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer

    def reset(self) -> None:
        self.ask("reset")

    def wait(self, count: int, timeout: float) -> tuple[int, float | None]:
        """``(requests so far, arrival time of the count-th or None)`` once it came or timed out."""
        answer = self.ask(f"wait {count} {timeout}")
        return int(answer["count"]), answer["at"]

    def dump(self) -> tuple[list[float], int, int]:
        """Since the reset: arrival times, distinct task names they carried, connections."""
        answer = self.ask("dump")
        return sorted(answer["times"]), int(answer["names"]), int(answer["connections"])

    def close(self) -> None:
        _stop(self.proc)


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def ours(cpus: set[int] | None, log_file: Path) -> Iterator[Server]:
    """Our emulator as the CLI, delivering, quiet; any port."""
    command = [sys.executable, "-m", "google.cloud.tasks.emulator", "start", "--port", "0"]
    command += ["--quiet", "--log-level", "WARNING"]
    with open(log_file, "wb") as errors:
        proc = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=loopback_env(),
            cwd=tempfile.gettempdir(),
            preexec_fn=pin_to(cpus),
        )
    try:
        assert proc.stdout is not None
        host = None
        for _ in range(5):  # "export CLOUD_TASKS_EMULATOR_HOST=..." is the second line
            line = proc.stdout.readline().decode()
            if not line:
                break
            if line.startswith("export CLOUD_TASKS_EMULATOR_HOST="):
                host = line.split("=", 1)[1].strip()
                break
        if host is None:
            why = log_file.read_text(errors="replace").strip().splitlines()[-1:]
            raise RuntimeError(f"our emulator did not start ({command}): {why}")
        yield Server("ours", proc, host)
    finally:
        _terminate(proc)


@contextmanager
def peer(script: Path, cpus: set[int] | None) -> Iterator[Server]:
    """``gcloud-tasks-emulator start -q`` on a free port, once it accepts connections."""

    port = free_port()
    command = peer_command(script, port)
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=loopback_env(),
        cwd=tempfile.gettempdir(),
        preexec_fn=pin_to(cpus),
    )
    try:
        wait_for_port(proc, port, f"the peer ({command})")
        yield Server("peer", proc, f"127.0.0.1:{port}")
    finally:
        _terminate(proc)


@contextmanager
def driving_env(host: str) -> Iterator[None]:
    """This process talks to ``host`` (our client reads CLOUD_TASKS_EMULATOR_HOST), no proxies."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(loopback_env(CLOUD_TASKS_EMULATOR_HOST=host))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


# -- the driver ---------------------------------------------------------------------------


class Driver:
    """Our client, driving one emulator whose tasks all go to the handler."""

    def __init__(self, server: Server, handler: HandlerProcess) -> None:
        from google.cloud import tasks_v2

        if not handler.url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"refusing a task URL off this machine: {handler.url}")
        self.server = server
        self.handler = handler
        self.tasks_v2 = tasks_v2
        self.client = tasks_v2.CloudTasksClient()
        self.task = tasks_v2.Task(http_request={"url": handler.url, "body": BODY})

    def queue(self, queue_id: str, paused: bool) -> str:
        name = f"{PARENT}/queues/{queue_id}"
        queue = self.tasks_v2.Queue(name=name, rate_limits={"max_dispatches_per_second": RATE})
        self.client.create_queue(parent=PARENT, queue=queue)
        if paused:
            self.client.pause_queue(name=name)
        return name

    def fill(self, queues: list[str], per_queue: int) -> None:
        """Create ``per_queue`` tasks in each of ``queues``, IN_FLIGHT calls at a time."""
        jobs = [queue for _ in range(per_queue) for queue in queues]
        task = self.task
        tasks_v2 = self.tasks_v2

        async def main() -> None:
            client = tasks_v2.CloudTasksAsyncClient()

            async def worker() -> None:
                while jobs:
                    await client.create_task(parent=jobs.pop(), task=task)

            await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
            await client.transport.close()

        asyncio.run(main())

    def deliver(self, queues: list[str], expected: int, timeout: float) -> Delivered:
        """Resume ``queues`` (filled and paused) and wait for ``expected`` arrivals."""
        handler = self.handler
        handler.reset()
        cpu = self.server.cpu()
        started = time.monotonic()
        for queue in queues:
            self.client.resume_queue(name=queue)
        handler.wait(expected, timeout)
        time.sleep(SETTLE)
        cpu = self.server.cpu() - cpu
        times, names, connections = handler.dump()
        return Delivered(expected, times, names, connections, cpu, started)

    def latencies(self, count: int, timeout: float = 10.0) -> list[float]:
        """Seconds from calling create_task to the handler reading the request, one at a time."""
        queue = self.queue("latency", paused=False)
        handler = self.handler
        handler.reset()
        out: list[float] = []
        for number in range(1, LATENCY_WARMUP + count + 1):
            started = time.monotonic()
            self.client.create_task(parent=queue, task=self.task)
            _, at = handler.wait(number, timeout)
            if at is None:
                raise RuntimeError(f"task {number} not delivered within {timeout:g} s")
            if number > LATENCY_WARMUP:
                out.append(at - started)
        return out

    def close(self) -> None:
        self.client.transport.close()


@dataclass
class Delivered:
    """What arrived at the handler after a resume."""

    expected: int
    times: list[float]
    names: int
    connections: int
    cpu: float
    #: just before the first resume
    started: float

    @property
    def count(self) -> int:
        return len(self.times)

    def cpu_us_per_task(self) -> float | None:
        return 1e6 * self.cpu / self.count if self.count else None

    def overall_rate(self) -> float | None:
        """Arrivals per second from just before the first resume to the last arrival."""
        return self.count / (self.times[-1] - self.started) if self.count else None

    def problems(self, who: str, distinct_names: bool) -> list[str]:
        out = []
        if self.count < self.expected:
            out.append(f"{who}: only {self.count} of {self.expected} tasks arrived")
        elif self.count > self.expected:
            out.append(f"{who}: {self.count} requests for {self.expected} tasks")
        if distinct_names and self.names != self.count:
            out.append(f"{who}: {self.count} requests carried {self.names} distinct task names")
        return out


def steady_rate(times: list[float], skip_seconds: float, tail: float = 0.01) -> float | None:
    """Arrivals per second from ``skip_seconds`` after the first until the last ``tail`` share."""
    n = len(times)
    if n < 10:
        return None
    first = bisect.bisect_right(times, times[0] + skip_seconds)
    last = min(n - 1, int(n * (1 - tail)))
    if last <= first or times[last] <= times[first]:
        return None
    return (last - first) / (times[last] - times[first])


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0..1) of ``values``, interpolated."""
    ordered = sorted(values)
    at = share * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


@dataclass
class Figures:
    """One emulator's results (None: not measured, or it failed)."""

    sustained_rate: float | None = None
    sustained_cpu_us: float | None = None
    spread_rate: float | None = None
    spread_cpu_us: float | None = None
    spread_connections: int | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    hang_rate: float | None = None
    hang_held: int | None = None
    hang_fds: int | None = None
    hang_rss_mib: float | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def measure(
    server: Server,
    handler: HandlerProcess,
    sizes: Sizes,
    log: Callable[[str], None],
    notes: list[str],
    figures: Figures,
) -> Figures:
    """The three measurements against one running emulator, into ``figures`` as they come."""
    with driving_env(server.host):
        driver = Driver(server, handler)
        try:
            _measure(driver, sizes, figures, log, notes)
        finally:
            driver.close()
    return figures


def _measure(
    driver: Driver, sizes: Sizes, figures: Figures, log: Callable[[str], None], notes: list[str]
) -> None:
    who = driver.server.name
    is_ours = who == "ours"  # the peer names tasks by the microsecond: names may repeat

    started = time.monotonic()
    log(f"dispatch ({who}): {sizes.sustained:,} tasks through one queue at {RATE:g}/s ...")
    queue = driver.queue("sustained", paused=True)
    driver.fill([queue], sizes.sustained)
    got = driver.deliver([queue], sizes.sustained, 30 + 2 * sizes.sustained / RATE)
    notes.extend(got.problems(f"{who}, one queue", is_ours))
    figures.sustained_rate = steady_rate(got.times, skip_seconds=SKIP_SECONDS)
    figures.sustained_cpu_us = got.cpu_us_per_task()
    figures.seconds["one queue"] = time.monotonic() - started

    started = time.monotonic()
    total = SPREAD_QUEUES * sizes.per_queue
    log(f"dispatch ({who}): {total:,} tasks through {SPREAD_QUEUES} queues at {RATE:g}/s ...")
    queues = [driver.queue(f"spread-{i}", paused=True) for i in range(SPREAD_QUEUES)]
    driver.fill(queues, sizes.per_queue)
    got = driver.deliver(queues, total, 30 + total / 200)
    notes.extend(got.problems(f"{who}, {SPREAD_QUEUES} queues", is_ours))
    figures.spread_rate = got.overall_rate()
    figures.spread_cpu_us = got.cpu_us_per_task()
    figures.spread_connections = got.connections
    figures.seconds[f"{SPREAD_QUEUES} queues"] = time.monotonic() - started

    started = time.monotonic()
    log(f"dispatch ({who}): create-to-delivery latency, {sizes.latency} tasks one by one ...")
    latencies = driver.latencies(sizes.latency)
    figures.p50_ms = 1e3 * statistics.median(latencies)
    figures.p99_ms = 1e3 * percentile(latencies, 0.99)
    figures.seconds["latency"] = time.monotonic() - started


# -- a hanging handler ---------------------------------------------------------------------


class Sampler:
    """Samples a process's open file descriptors and RSS on a thread; keeps the peaks."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.fds = 0
        self.rss_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        self.fds = max(self.fds, len(os.listdir(f"/proc/{self.server.proc.pid}/fd")))
        self.rss_mib = max(self.rss_mib, self.server.rss_mib())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> Sampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def measure_hanging(
    server: Server,
    handler: HandlerProcess,
    sizes: Sizes,
    figures: Figures,
    log: Callable[[str], None],
    notes: list[str],
) -> None:
    """A queue at 10/s delivering while another queue's handler hangs, into ``figures``."""
    from google.cloud import tasks_v2

    started = time.monotonic()
    log(
        f"dispatch (ours): {sizes.steady} tasks at {STEADY_RATE:g}/s while another queue's"
        f" {HANG_TASKS} tasks hang ..."
    )
    with driving_env(server.host), ExitStack() as stack:
        hang = Hanging()
        stack.callback(hang.close)
        client = tasks_v2.CloudTasksClient()
        stack.callback(client.transport.close)
        for url in (hang.url(), handler.url):
            if not url.startswith("http://127.0.0.1:"):
                raise RuntimeError(f"refusing a task URL off this machine: {url}")
        hangs, steady = f"{PARENT}/queues/hangs", f"{PARENT}/queues/steady"
        for name, rate in ((hangs, None), (steady, STEADY_RATE)):
            queue = tasks_v2.Queue(name=name)
            if rate is not None:
                queue.rate_limits.max_dispatches_per_second = rate
            client.create_queue(parent=PARENT, queue=queue)
            client.pause_queue(name=name)
        hanging = tasks_v2.Task(
            http_request={"url": hang.url(), "body": BODY}, dispatch_deadline=HANG_DEADLINE
        )
        for _ in range(HANG_TASKS):
            client.create_task(parent=hangs, task=hanging)
        fast = tasks_v2.Task(http_request={"url": handler.url, "body": BODY})
        for _ in range(sizes.steady):
            client.create_task(parent=steady, task=fast)
        client.resume_queue(name=hangs)
        try:
            hang.wait_open(HANG_HELD, timeout=30)
        except TimeoutError as exc:
            notes.append(f"dispatch, hanging handler: {exc}")
        handler.reset()
        with Sampler(server) as sampler:
            client.resume_queue(name=steady)
            resumed = time.monotonic()
            count, _ = handler.wait(sizes.steady, 30 + 3 * sizes.steady / STEADY_RATE)
            waited = time.monotonic() - resumed
        if count < sizes.steady:
            notes.append(
                f"dispatch, hanging handler: only {count} of {sizes.steady} tasks of the"
                f" {STEADY_RATE:g}/s queue arrived"
            )
        times, _, _ = handler.dump()
        # The bucket starts with a burst of 2: leave out what came in its first 50 ms.
        rate = steady_rate(times, skip_seconds=0.05)
        figures.hang_rate = rate if rate is not None else len(times) / waited  # starved
        figures.hang_held = hang.most_open
        figures.hang_fds = sampler.fds
        figures.hang_rss_mib = sampler.rss_mib
    figures.seconds["hanging handler"] = time.monotonic() - started


# -- rows -----------------------------------------------------------------------------------


def dispatch_rows(
    sizes: Sizes = Sizes(),
    peer_venv: Path | None = None,
    use_peer: bool = True,
    cpus: Callable[[str], set[int] | None] | None = None,
    scratch: Path | None = None,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
    notes: list[str] | None = None,
) -> list[Row]:
    """Measure ours, then the peer; the peer goes in the reference column."""
    notes = notes if notes is not None else []
    emulator_cpus = cpus("server") if cpus else None
    handler_cpus = cpus("client") if cpus else None
    script = peer_python(peer_venv or DEFAULT_PEER_VENV, log) if use_peer else None
    mine = Figures()
    theirs: Figures | None = None
    with ExitStack() as stack:
        if scratch is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tasks-bench-")))
        handler = HandlerProcess(handler_cpus)
        stack.callback(handler.close)
        with pinned(handler_cpus), ours(emulator_cpus, scratch / "ours-emulator.log") as server:
            measure(server, handler, sizes, log, notes, mine)
        with pinned(handler_cpus), ours(emulator_cpus, scratch / "ours-hanging.log") as server:
            measure_hanging(server, handler, sizes, mine, log, notes)
        if script is not None:
            theirs = Figures()
            try:
                with pinned(handler_cpus), peer(script, emulator_cpus) as server:
                    measure(server, handler, sizes, log, notes, theirs)
            except Exception as exc:  # keep what was measured; say what the peer could not do
                notes.append(f"dispatch, peer: {type(exc).__name__}: {exc}")
        else:
            notes.append("dispatch: peer emulator not measured")

    where = "emulator on one CPU, handler and driver on another; " if emulator_cpus else ""
    spent = "; ".join(
        f"{f_name} {', '.join(f'{k} {v:.0f} s' for k, v in f.seconds.items())}"
        for f_name, f in (("ours", mine), ("peer", theirs))
        if f is not None
    )
    notes.append(
        f"dispatch: one run per emulator; {where}handler = _handler.py on 127.0.0.1, its own"
        f" process; bare column = the configured rate ({spent})"
    )
    notes.append(
        f"dispatch, hanging handler: ours only, a fresh emulator (peer n/a); {HANG_TASKS} tasks"
        f" hang in a queue on default limits, the {STEADY_RATE:g}/s queue's bare column is its"
        " configured rate; fds and RSS are the emulator's peaks while the second queue delivers"
    )
    if theirs is not None:
        notes.append(
            "dispatch: the peer ignores rate_limits (each queue's thread polls every 100 ms and"
            " sends its tasks one by one, a new connection each), so its rates are not held"
            " to 500/s and its latency is mostly the polling"
        )

    def row(
        label: str,
        unit: str,
        value: Callable[[Figures], float | None],
        bare: float | None = None,
        target: Target | None = None,
    ) -> Row:
        return Row(label, unit, value(mine), bare, value(theirs) if theirs else None, target)

    return [
        row(
            f"1 queue at {RATE:g}/s: delivered rate",
            "tasks/s",
            lambda f: f.sustained_rate,
            RATE,
            Target("bare", 0.95, at_least=True),
        ),
        row(f"1 queue at {RATE:g}/s: emulator CPU/task", "us", lambda f: f.sustained_cpu_us),
        row(
            f"{SPREAD_QUEUES} queues at {RATE:g}/s: delivered rate",
            "tasks/s",
            lambda f: f.spread_rate,
            SPREAD_QUEUES * RATE,
        ),
        row(
            f"{SPREAD_QUEUES} queues at {RATE:g}/s: emulator CPU/task",
            "us",
            lambda f: f.spread_cpu_us,
        ),
        row(
            f"{SPREAD_QUEUES} queues: connections to the handler",
            "conns",
            lambda f: None if f.spread_connections is None else float(f.spread_connections),
        ),
        row(
            "create-to-delivery, idle queue: p50", "ms", lambda f: f.p50_ms, None, Target(None, 10)
        ),
        row("create-to-delivery, idle queue: p99", "ms", lambda f: f.p99_ms),
        row(
            f"handler hangs ({HANG_TASKS} due): other queue at {STEADY_RATE:g}/s delivers",
            "tasks/s",
            lambda f: f.hang_rate,
            STEADY_RATE,
            Target("bare", 0.9, at_least=True),
        ),
        row(
            "handler hangs: deliveries it holds",
            "reqs",
            lambda f: None if f.hang_held is None else float(f.hang_held),
        ),
        row(
            "handler hangs: emulator open fds (peak)",
            "fds",
            lambda f: None if f.hang_fds is None else float(f.hang_fds),
        ),
        row("handler hangs: emulator RSS (peak)", "MiB", lambda f: f.hang_rss_mib),
    ]


TITLE = (
    "dispatch: delivery to a local handler, ours vs gcloud-tasks-emulator (reference = the peer)"
)


@section("dispatch", TITLE)
def dispatch_section(ctx: Context) -> list[Row]:
    quick = ctx.settings.calls < Settings().calls  # --quick (or fewer calls than the default)
    venv = Path(os.environ.get("BENCH_PEER_VENV") or DEFAULT_PEER_VENV)
    return dispatch_rows(
        sizes=QUICK_SIZES if quick else Sizes(),
        peer_venv=venv,
        cpus=ctx.cpus,  # type: ignore[arg-type]
        scratch=ctx.scratch,
        log=ctx.log,
        notes=ctx.notes,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer tasks")
    parser.add_argument("--no-peer", action="store_true", help="measure ours only")
    parser.add_argument(
        "--peer-venv",
        type=Path,
        default=Path(os.environ.get("BENCH_PEER_VENV") or DEFAULT_PEER_VENV),
    )
    args = parser.parse_args(argv)
    _, cpus = split_cpus()

    notes: list[str] = []
    rows = dispatch_rows(
        QUICK_SIZES if args.quick else Sizes(),
        args.peer_venv,
        not args.no_peer,
        cpus,
        notes=notes,
    )
    print(render([TITLE, *rows]))
    for note in notes:
        print(f"* {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
