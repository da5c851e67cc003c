"""Our emulator side by side with the PyPI emulator ``gcloud-tasks-emulator``.

    python benchmarks/bench_emulator.py [--tasks N] [--rss-tasks N] [--no-peer]

Both servers run as separate processes (pinned to one CPU when there are
two) and are driven by the same client, ours, from this process: 64 calls in
flight, with threads (sync client) and with asyncio (async client).  Server
CPU comes from ``/proc/<pid>/stat`` of the server process alone.  The peer is
installed on first use in a virtualenv outside the repository
(``~/.cache/cloud-tasks-bench/peer``, or ``$BENCH_PEER_VENV``).

Queues are paused before tasks are added, and ours runs with
``--no-dispatch``, so that neither emulator spends time dispatching: the
figures are the API's cost (``bench_dispatch.py`` measures delivery).  Every
task points at 127.0.0.1 all the same.  Rows go in the
``reference`` column for the peer; :func:`emulator_rows` returns them for
``run.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Context, Row, Settings, Target, pin_to, render, section  # noqa: E402

PEER_REQUIREMENT = "gcloud-tasks-emulator"
DEFAULT_PEER_VENV = Path.home() / ".cache" / "cloud-tasks-bench" / "peer"
PARENT = "projects/bench/locations/us-central1"
IN_FLIGHT = 64
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
#: where the tasks point: loopback (the discard port, nothing listens), never off this machine;
#: queues are paused and tasks scheduled a day ahead, so neither emulator sends them anyway
TASK_URL = "http://127.0.0.1:9/work"


# -- the servers ------------------------------------------------------------------------


def peer_python(venv: Path, log: Callable[[str], None]) -> Path | None:
    """The peer's virtualenv (created and filled on first use), or None if it cannot be."""
    script = venv / "bin" / "gcloud-tasks-emulator"
    if script.exists():
        return script
    log(f"installing {PEER_REQUIREMENT} into {venv} ...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run([*pip, PEER_REQUIREMENT], check=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        log(f"could not install the peer: {exc}")
        return None
    return script if script.exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    host: str

    def cpu(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def rss_mib(self) -> float:
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


@contextmanager
def serve(name: str, command: list[str], port: int, cpus: set[int] | None) -> Iterator[Server]:
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=pin_to(cpus),
    )
    server = Server(name, proc, f"127.0.0.1:{port}")
    try:
        wait_for_port(proc, port, f"{name} ({command})")
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for_port(proc: subprocess.Popen[Any], port: int, what: str) -> None:
    """Return once 127.0.0.1:``port`` accepts; RuntimeError if ``proc`` dies or 60 s pass."""
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.1)


def split_cpus() -> tuple[list[int], Callable[[str], set[int] | None]]:
    """This process's CPUs, and a chooser: the last one for ``"server"``, the first for others.

    The chooser gives None (no pinning) on a machine with fewer than two CPUs.
    """
    available = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []

    def cpus(role: str) -> set[int] | None:
        if len(available) < 2:
            return None
        return {available[-1] if role == "server" else available[0]}

    return available, cpus


def ours_command(port: int, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "google.cloud.tasks.emulator",
        "start",
        "--port",
        str(port),
        "--log-level",
        "WARNING",
        "--no-dispatch",  # the API's cost alone: each create would wake the dispatcher
        *extra,
    ]


def peer_command(script: Path, port: int) -> list[str]:
    return [str(script), "start", "-p", str(port), "-q"]


# -- the driver ---------------------------------------------------------------------------


def _clients(host: str) -> tuple[Any, Any]:
    os.environ["CLOUD_TASKS_EMULATOR_HOST"] = host
    from google.cloud import tasks_v2

    return tasks_v2, tasks_v2.CloudTasksClient()


def _task(tasks_v2: Any) -> Any:
    later = time.time() + 24 * 3600
    return tasks_v2.Task(
        http_request={"url": TASK_URL, "body": b"x" * 100},
        schedule_time={"seconds": int(later)},
    )


def paused_queue(client: Any, queue_id: str) -> str:
    name = f"{PARENT}/queues/{queue_id}"
    client.create_queue(parent=PARENT, queue={"name": name})
    client.pause_queue(name=name)
    return name


def create_sync(client: Any, queue: str, task: Any, count: int) -> float:
    """Wall seconds to create ``count`` tasks from IN_FLIGHT threads."""
    share, extra = divmod(count, IN_FLIGHT)
    start_line = threading.Barrier(IN_FLIGHT + 1)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        start_line.wait()
        try:
            for _ in range(n):
                client.create_task(parent=queue, task=task)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(share + (i < extra),)) for i in range(IN_FLIGHT)]
    for thread in threads:
        thread.start()
    start_line.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return time.perf_counter() - started


def create_async(host: str, queue: str, task: Any, count: int) -> float:
    """Wall seconds to create ``count`` tasks with IN_FLIGHT coroutines."""
    from google.cloud import tasks_v2

    async def main() -> float:
        client = tasks_v2.CloudTasksAsyncClient()
        remaining = [count]

        async def worker() -> None:
            while remaining[0] > 0:
                remaining[0] -= 1
                await client.create_task(parent=queue, task=task)

        await client.list_queues(parent=PARENT)  # connect first
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
        elapsed = time.perf_counter() - started
        await client.transport.close()
        return elapsed

    return asyncio.run(main())


def list_pages(client: Any, queue: str) -> tuple[float, int, int]:
    """(wall seconds, pages, tasks) to read a whole queue page by page."""
    started = time.perf_counter()
    pager = client.list_tasks(request={"parent": queue, "page_size": 1000})
    pages = tasks = 0
    for page in pager.pages:
        pages += 1
        tasks += len(page.tasks)
    return time.perf_counter() - started, pages, tasks


@dataclass
class Figures:
    """Medians over rounds for one server."""

    sync_rate: float
    sync_cpu_us: float
    async_rate: float
    async_cpu_us: float
    list_seconds: float
    list_pages: int
    rss_mib: float | None = None
    rss_tasks: int = 0


@dataclass
class Samples:
    sync_rate: list[float] = field(default_factory=list)
    sync_cpu_us: list[float] = field(default_factory=list)
    async_rate: list[float] = field(default_factory=list)
    async_cpu_us: list[float] = field(default_factory=list)
    list_seconds: list[float] = field(default_factory=list)
    list_pages: int = 0

    def figures(self) -> Figures:
        m = statistics.median
        return Figures(
            m(self.sync_rate),
            m(self.sync_cpu_us),
            m(self.async_rate),
            m(self.async_cpu_us),
            m(self.list_seconds),
            self.list_pages,
        )


class Driven:
    """One running server and the client driving it."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.tasks_v2, self.client = _clients(server.host)
        self.task = _task(self.tasks_v2)
        self.samples = Samples()
        self.rounds = 0
        create_sync(self.client, paused_queue(self.client, "warmup"), self.task, 500)
        self.big = paused_queue(self.client, "list")
        create_sync(self.client, self.big, self.task, 10_000)

    def round(self, tasks: int) -> None:
        """Create ``tasks`` tasks with each client, then list the big queue once."""
        os.environ["CLOUD_TASKS_EMULATOR_HOST"] = self.server.host
        self.rounds += 1
        s = self.samples
        queue = paused_queue(self.client, f"sync-{self.rounds}")
        cpu = self.server.cpu()
        wall = create_sync(self.client, queue, self.task, tasks)
        s.sync_cpu_us.append(1e6 * (self.server.cpu() - cpu) / tasks)
        s.sync_rate.append(tasks / wall)
        queue = paused_queue(self.client, f"async-{self.rounds}")
        cpu = self.server.cpu()
        wall = create_async(self.server.host, queue, self.task, tasks)
        s.async_cpu_us.append(1e6 * (self.server.cpu() - cpu) / tasks)
        s.async_rate.append(tasks / wall)
        seconds, s.list_pages, listed = list_pages(self.client, self.big)
        if listed != 10_000:
            raise RuntimeError(f"{self.server.name} listed {listed} of 10000 tasks")
        s.list_seconds.append(seconds)

    def fill(self, count: int) -> float:
        """Queue ``count`` more tasks (1000 per batch); the server's RSS in MiB afterwards."""
        os.environ["CLOUD_TASKS_EMULATOR_HOST"] = self.server.host
        full = paused_queue(self.client, "memory")
        batch = [{"task": self.task} for _ in range(1000)]
        for _ in range(count // 1000):
            self.client.batch_create_tasks(parent=full, requests=batch).result(timeout=60)
        return self.server.rss_mib()


# -- rows -----------------------------------------------------------------------------------


def emulator_rows(
    tasks: int = 3000,
    rounds: int = 5,
    rss_tasks: int = 100_000,
    peer_venv: Path | None = None,
    use_peer: bool = True,
    cpus: Callable[[str], set[int] | None] | None = None,
    log: Callable[[str], None] = lambda m: print(m, file=sys.stderr, flush=True),
    notes: list[str] | None = None,
) -> list[Row]:
    """Measure both emulators in interleaved rounds; the peer goes in the reference column."""
    notes = notes if notes is not None else []
    server_cpus = cpus("server") if cpus else None
    script = peer_python(peer_venv or DEFAULT_PEER_VENV, log) if use_peer else None
    if script is None:
        notes.append("peer emulator not measured")
    with ExitStack() as stack:
        port = free_port()
        ours_server = stack.enter_context(serve("ours", ours_command(port), port, server_cpus))
        drivers = [Driven(ours_server)]
        # Ours again with gRPC on a port of its own (REST elsewhere): what the shared
        # port's front door costs the gRPC create path.
        port = free_port()
        direct = serve("ours-direct", ours_command(port, "--http-port", "0"), port, server_cpus)
        drivers.append(Driven(stack.enter_context(direct)))
        if script is not None:
            port = free_port()
            peer = serve("peer", peer_command(script, port), port, server_cpus)
            drivers.append(Driven(stack.enter_context(peer)))
        for number in range(rounds):
            log(f"emulator: round {number + 1}/{rounds}, {tasks} creates per client and server")
            for driver in drivers if number % 2 == 0 else drivers[::-1]:
                driver.round(tasks)
        ours = drivers[0].samples.figures()
        grpc_only = drivers[1].samples.figures()
        theirs = drivers[2].samples.figures() if len(drivers) > 2 else None
        if rss_tasks:
            log(f"emulator: queueing {rss_tasks:,} tasks for the memory figure ...")
            ours.rss_mib = drivers[0].fill(rss_tasks)
            ours.rss_tasks = rss_tasks
    notes.append(
        f"emulator: medians of {rounds} interleaved rounds of {tasks} creates per client;"
        " servers pinned to one CPU; queues paused and ours runs with --no-dispatch,"
        " so neither emulator dispatches"
    )
    if theirs and theirs.list_pages != ours.list_pages:
        notes.append(
            f"the peer answers ListTasks in {theirs.list_pages} page(s) whatever page_size"
            f" says; ours in {ours.list_pages} pages of 1000"
        )

    def row(label: str, unit: str, value: Callable[[Figures], float], target: float | None) -> Row:
        return Row(
            label,
            unit,
            value(ours),
            None,
            value(theirs) if theirs else None,
            Target("reference", target) if target else None,
        )

    rows = [
        row("create_task, sync, 64 in flight: time/task", "us", lambda f: 1e6 / f.sync_rate, 1.0),
        row("create_task, async, 64 in flight: time/task", "us", lambda f: 1e6 / f.async_rate, 1.0),
        row("server CPU per created task, sync", "us", lambda f: f.sync_cpu_us, 0.5),
        row("server CPU per created task, async", "us", lambda f: f.async_cpu_us, 0.5),
        row("create rate, sync", "tasks/s", lambda f: f.sync_rate, None),
        row("create rate, async", "tasks/s", lambda f: f.async_rate, None),
        row("ListTasks of 10,000 tasks, all pages", "ms", lambda f: 1e3 * f.list_seconds, None),
    ]
    for mode in ("sync", "async"):
        rows.append(
            Row(
                f"server CPU/created task, {mode}: one port (bare = gRPC port alone)",
                "us",
                getattr(ours, f"{mode}_cpu_us"),
                getattr(grpc_only, f"{mode}_cpu_us"),
                None,
                Target("bare", 1.1),
            )
        )
    if ours.rss_mib is not None:
        rows.append(Row(f"server RSS with {ours.rss_tasks:,} queued tasks", "MiB", ours.rss_mib))
    return rows


@section("emulator", "emulator: ours vs gcloud-tasks-emulator (reference column = the peer)")
def emulator_section(ctx: Context) -> list[Row]:
    quick = ctx.settings.calls < Settings().calls  # --quick (or fewer calls than the default)
    venv = Path(os.environ.get("BENCH_PEER_VENV") or DEFAULT_PEER_VENV)
    with pinned(ctx.cpus("client")):  # the driving client stays off the servers' CPU
        return emulator_rows(
            tasks=2000 if quick else 3000,
            rounds=3 if quick else 5,
            rss_tasks=20_000 if quick else 100_000,
            peer_venv=venv,
            cpus=ctx.cpus,  # type: ignore[arg-type]
            log=ctx.log,
            notes=ctx.notes,
        )


@contextmanager
def pinned(cpus: set[int] | None) -> Iterator[None]:
    """Run this process on ``cpus`` for the block (no change when None)."""
    if cpus is None or not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=3000, help="creates per round (3000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (5)")
    parser.add_argument("--rss-tasks", type=int, default=100_000, help="tasks for the RSS row")
    parser.add_argument("--no-peer", action="store_true", help="measure ours only")
    parser.add_argument(
        "--peer-venv",
        type=Path,
        default=Path(os.environ.get("BENCH_PEER_VENV") or DEFAULT_PEER_VENV),
    )
    args = parser.parse_args(argv)
    available, cpus = split_cpus()

    if len(available) >= 2:
        os.sched_setaffinity(0, {available[0]})
    notes: list[str] = []
    rows = emulator_rows(
        args.tasks, args.rounds, args.rss_tasks, args.peer_venv, not args.no_peer, cpus, notes=notes
    )
    print(render(["emulator: ours vs gcloud-tasks-emulator (reference = the peer)", *rows]))
    for note in notes:
        print(f"* {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
