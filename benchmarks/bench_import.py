"""What ``from google.cloud import tasks`` costs a fresh interpreter: wall time and memory.

Each figure is the median over fresh processes (``python -I -c ...``),
ours with this interpreter, the reference with its own virtual environment
(the same Python, so both start equally fast).  The second pair of rows
goes one step further, the same code for both libraries: import, build a
``CloudTasksClient`` on an insecure channel and one ``Task``.
"""

from __future__ import annotations

import statistics

from _harness import PEAK_RSS_PROBE, ChildCost, Context, Impl, Row, Target, run_child, section

IMPORT = "from google.cloud import tasks"
FIRST_USE = """\
import grpc
from google.cloud import tasks
from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport
channel = grpc.insecure_channel("127.0.0.1:9")
client = tasks.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
task = tasks.Task(http_request=tasks.HttpRequest(url="https://example.com/", body=b"{}"))
"""
#: what the same steps cost with no Cloud Tasks library at all
BARE = {IMPORT: "pass", FIRST_USE: 'import grpc\ngrpc.insecure_channel("127.0.0.1:9")'}

TIME_TARGET = Target("reference", 0.6)
MEMORY_TARGET = Target("reference", 1.0)


def _median(costs: list[ChildCost], what: str) -> float:
    return float(statistics.median(getattr(c, what) for c in costs))


@section("import", "import cost in a fresh interpreter")
def import_cost(ctx: Context) -> list[Row]:
    impls: list[Impl] = ["ours", "bare"] + (["reference"] if ctx.reference else [])
    jobs = [(code, impl) for code in (IMPORT, FIRST_USE) for impl in impls]
    costs: dict[tuple[str, Impl], list[ChildCost]] = {job: [] for job in jobs}

    def once(code: str, impl: Impl) -> ChildCost:
        source = (BARE[code] if impl == "bare" else code) + PEAK_RSS_PROBE
        command = ctx.command(impl, "-c", source, isolated=True)
        return run_child(command, ctx.env(impl), ctx.cpus("client"))

    ctx.log(f"import: {ctx.settings.import_runs} fresh interpreters per figure")
    for job in jobs:  # fills the bytecode cache and the OS file cache
        once(*job)
    for _ in range(ctx.settings.import_runs):
        for job in jobs:
            costs[job].append(once(*job))

    def row(code: str, label: str, what: str, unit: str, target: Target | None) -> Row:
        got = {impl: _median(costs[code, impl], what) for impl in impls}
        scale = 1000.0 if what == "wall" else 1.0
        return Row(
            label,
            unit,
            got["ours"] * scale,
            got["bare"] * scale,
            got["reference"] * scale if "reference" in got else None,
            target,
        )

    ctx.notes.append(
        "import: 'bare' is the same interpreter running `pass` (import rows) or importing grpc"
        " and opening a channel (first-use rows): the floor no library can go below"
    )
    return [
        row(IMPORT, "import google.cloud.tasks", "wall", "ms wall", TIME_TARGET),
        row(IMPORT, "import google.cloud.tasks", "rss", "MiB peak RSS", MEMORY_TARGET),
        row(FIRST_USE, "import + client + Task", "wall", "ms wall", None),
        row(FIRST_USE, "import + client + Task", "rss", "MiB peak RSS", None),
    ]
