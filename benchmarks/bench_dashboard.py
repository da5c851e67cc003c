"""The dashboard's answer times with 100,000 tasks and 10,000 finished ones.

    python benchmarks/run.py --only dashboard
    python benchmarks/bench_dashboard.py          # the table alone

An in-process emulator (dispatch off) holds one paused queue of 100,000 HTTP
tasks, and another queue with 10,000 finished tasks (delivered, given up and
deleted, each with a recorded attempt) and 15 minutes of activity and depth
samples behind its charts.  Each page and chart is fetched over HTTP from
this process, a few times, and the median wall time is reported; the target
is 50 ms each.  There is no peer column: no other Cloud Tasks emulator has a
dashboard.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import requests
from _harness import Context, Row, Settings, Target, section

TASKS = 100_000
FINISHED = 10_000
PARENT = "projects/bench/locations/us-central1"
QUEUE = f"{PARENT}/queues/dashboard"
DONE = f"{PARENT}/queues/finished"
#: milliseconds each page and chart should answer in
TARGET_MS = 50.0


def _median_ms(url: str, params: dict[str, str], runs: int) -> tuple[float, int]:
    times, size = [], 0
    with requests.Session() as session:
        for _ in range(runs):
            start = time.perf_counter()
            answer = session.get(url, params=params, timeout=30, allow_redirects=False)
            times.append((time.perf_counter() - start) * 1000)
            if answer.status_code >= 400:
                answer.raise_for_status()
            size = len(answer.content)
    return statistics.median(times), size


def _finish(emu: Any, finished: int) -> list[str]:
    """``finished`` tasks of :data:`DONE` that finished, each with one recorded attempt,
    and 15 minutes of its activity and depth."""
    from google.cloud.tasks.emulator.delivery.journal import Delivery
    from google.cloud.tasks.emulator.service import model as m

    service, journal = emu.service, emu._journal()
    names = []
    for n in range(finished):
        task = m.Task()
        task.http_request.url = "https://worker.example/jobs"
        task.http_request.body = b'{"job": %d}' % n
        names.append(service.create_task(DONE, task).name)
    now = service.clock.now_us()
    outcomes = ("delivered", "delivered", "delivered", "gave up", "deleted")
    store = service.store
    with store.write():
        for n, name in enumerate(names):
            outcome = outcomes[n % len(outcomes)]
            status = {"delivered": 200, "gave up": 503}.get(outcome)
            store.finish_task(name, now - (finished - n) * 1000, outcome, status, "")
    for n, name in enumerate(names[-2_000:]):  # the journal writes one transaction each
        status = 200 if n % 5 else 503
        journal.record(
            Delivery(DONE, name, 1, status, "", 0.02, "delivered", "POST", "u", (), b"{}", b"ok"),
            journal.generation,
        )
    second = now // 1_000_000
    for back in range(900):  # 15 minutes of activity and depth samples
        for k in range(5):
            journal.activity.add(DONE, second - back, 200 if k else 500, 0.001 * (k + back % 7))
        emu._host.dashboard.depths.add(second - back, {DONE: (back, back % 10, 3)})
    return names


def dashboard_rows(
    tasks: int = TASKS, finished: int = FINISHED, runs: int = 9, log: Any = print
) -> list[Row]:
    from google.cloud.tasks.emulator import Emulator
    from google.cloud.tasks.emulator.service import model as m

    rows = []
    with Emulator(dispatch=False) as emu:
        assert emu.service is not None
        client = emu.client()
        for name in (QUEUE, DONE):
            client.create_queue(parent=PARENT, queue={"name": name})
            client.pause_queue(name=name)
        log(f"dashboard: creating {tasks:,} tasks and {finished:,} finished ones ...")
        names = []
        for _ in range(tasks):
            task = m.Task()
            task.http_request.url = "http://127.0.0.1:9/work"
            task.http_request.body = b'{"n": 1}'
            names.append(emu.service.create_task(QUEUE, task).name)
        done = _finish(emu, finished)
        wanted = names[tasks // 2].rsplit("/", 1)[1]
        where = f"{tasks:,} tasks, {finished:,} finished"
        pages = [
            ("queues page", "/", {}),
            ("queue page 1 (50 tasks, soonest first)", "/ui/queue", {"name": QUEUE}),
            (
                "queue page 100 (newest first)",
                "/ui/queue",
                {"name": QUEUE, "order": "newest", "page": "99"},
            ),
            ("queue page, waiting only", "/ui/queue", {"name": QUEUE, "state": "waiting"}),
            ("queue page, succeeded", "/ui/queue", {"name": DONE, "state": "succeeded"}),
            ("queue page, failed", "/ui/queue", {"name": DONE, "state": "failed"}),
            ("task page (waiting)", "/ui/task", {"name": names[tasks // 2]}),
            ("task page (finished)", "/ui/task", {"name": done[-1]}),
            ("search by task id", "/ui/search", {"q": wanted}),
            ("settings page", "/ui/settings", {}),
            ("chart: sparkline", "/ui/chart", {"name": DONE, "kind": "sparkline"}),
            ("chart: attempts by outcome", "/ui/chart", {"name": DONE, "kind": "outcome"}),
            ("chart: queue depth", "/ui/chart", {"name": DONE, "kind": "depth"}),
            ("chart: latency p50/p95", "/ui/chart", {"name": DONE, "kind": "latency"}),
        ]
        for label, path, params in pages:
            ms, size = _median_ms(emu.http_url + path, params, runs)
            goal = Target(None, TARGET_MS)
            rows.append(Row(f"dashboard, {where}: {label}", "ms", ms, None, None, goal))
            rows.append(Row(f"dashboard, {where}: {label} size", "KiB", size / 1024))
        client.transport.close()
    return rows


@section("dashboard", "dashboard: pages and charts, 100,000 tasks and 10,000 finished")
def dashboard_section(ctx: Context) -> list[Row]:
    quick = ctx.settings.calls < Settings().calls  # --quick (or fewer calls than the default)
    if quick:
        return dashboard_rows(tasks=10_000, finished=2_000, runs=3, log=ctx.log)
    return dashboard_rows(log=ctx.log)


if __name__ == "__main__":  # pragma: no cover
    for row in dashboard_rows():
        print(f"{row.measurement:<80} {row.ours:10.1f} {row.unit}")
