"""The dashboard's answer times with 10,000 tasks in one queue.

    python benchmarks/run.py --only dashboard

An in-process emulator (dispatch off) holds one paused queue of 10,000 HTTP
tasks; each page is fetched over HTTP from this process, a few times, and the
median wall time is reported.  There is no peer column: no other Cloud Tasks
emulator has a dashboard.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import requests
from _harness import Context, Row, Settings, Target, section

TASKS = 10_000
QUEUE = "projects/bench/locations/us-central1/queues/dashboard"


def _median_ms(url: str, params: dict[str, str], runs: int) -> tuple[float, int]:
    times, size = [], 0
    with requests.Session() as session:
        for _ in range(runs):
            start = time.perf_counter()
            answer = session.get(url, params=params, timeout=30)
            times.append((time.perf_counter() - start) * 1000)
            answer.raise_for_status()
            size = len(answer.content)
    return statistics.median(times), size


def dashboard_rows(tasks: int = TASKS, runs: int = 9, log: Any = print) -> list[Row]:
    from google.cloud.tasks.emulator import Emulator
    from google.cloud.tasks.emulator.service import model as m

    rows = []
    with Emulator(dispatch=False) as emu:
        assert emu.service is not None
        client = emu.client()
        client.create_queue(parent=QUEUE.rsplit("/queues/", 1)[0], queue={"name": QUEUE})
        client.pause_queue(name=QUEUE)
        log(f"dashboard: creating {tasks:,} tasks ...")
        names = []
        for _ in range(tasks):
            task = m.Task()
            task.http_request.url = "http://127.0.0.1:9/work"
            task.http_request.body = b'{"n": 1}'
            names.append(emu.service.create_task(QUEUE, task).name)
        pages = [
            ("queues page", "/", {}),
            ("queue page 1 (50 tasks, soonest first)", "/ui/queue", {"name": QUEUE}),
            ("queue page 100 (newest first)", "/ui/queue", {"name": QUEUE, "order": "newest"}),
            ("queue page, waiting only", "/ui/queue", {"name": QUEUE, "state": "waiting"}),
            ("task page", "/ui/task", {"name": names[tasks // 2]}),
        ]
        pages[2][2]["page"] = "99"
        for label, path, params in pages:
            ms, size = _median_ms(emu.http_url + path, params, runs)
            rows.append(Row(f"dashboard, {tasks:,} tasks: {label}", "ms", ms, None, None, None))
            rows.append(Row(f"dashboard, {tasks:,} tasks: {label} size", "KiB", size / 1024))
        client.transport.close()
    rows[2] = Row(rows[2].measurement, "ms", rows[2].ours, None, None, Target(None, 250.0))
    return rows


@section("dashboard", "dashboard: pages with 10,000 tasks in a queue (in-process emulator)")
def dashboard_section(ctx: Context) -> list[Row]:
    quick = ctx.settings.calls < Settings().calls  # --quick (or fewer calls than the default)
    return dashboard_rows(tasks=2_000 if quick else TASKS, runs=3 if quick else 9, log=ctx.log)


if __name__ == "__main__":  # pragma: no cover
    for row in dashboard_rows():
        print(f"{row.measurement:<60} {row.ours:10.1f} {row.unit}")
