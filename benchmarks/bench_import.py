"""What a fresh interpreter pays to start using the library: wall time and memory.

Each figure is the median over fresh processes (``python -I -c ...``),
ours with this interpreter, the reference with its own virtual environment
(the same Python, so both start equally fast).  Three programs, each the
same code for both libraries:

- ``from google.cloud import tasks``;
- that, a ``CloudTasksClient`` on an insecure channel and one ``Task``;
- the cold start of a serverless app that enqueues one task: import, a
  client on an insecure channel, one ``create_task`` answered by the
  benchmark server.  Its ``bare`` column is the floor: a process importing
  only ``grpc``, protobuf, ``google.api_core.exceptions`` and proto-plus and
  making the same call with the request already encoded.
"""

from __future__ import annotations

import statistics

from _harness import PEAK_RSS_PROBE, ChildCost, Context, Impl, Row, Target, run_child, section
from _wire import BODY, CREATE_TASK, PARENT, URL, create_task_request

IMPORT = "from google.cloud import tasks"
FIRST_USE = """\
import grpc
from google.cloud import tasks
from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport
channel = grpc.insecure_channel("127.0.0.1:9")
client = tasks.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
task = tasks.Task(http_request=tasks.HttpRequest(url="https://example.com/", body=b"{}"))
"""
COLD_START = f"""\
import grpc
from google.cloud import tasks
from google.cloud.tasks_v2.services.cloud_tasks.transports import CloudTasksGrpcTransport
channel = grpc.insecure_channel(ADDRESS)
client = tasks.CloudTasksClient(transport=CloudTasksGrpcTransport(channel=channel))
task = tasks.Task(http_request=tasks.HttpRequest(url={URL!r}, body={BODY!r}))
client.create_task(parent={PARENT!r}, task=task)
"""
#: the cold start's floor: what no client of this API can avoid importing, and the call
FLOOR = f"""\
import grpc
import proto
from google.protobuf import message
from google.api_core import exceptions
channel = grpc.insecure_channel(ADDRESS)
channel.unary_unary({CREATE_TASK!r})({create_task_request()!r}, timeout=20.0)
"""
#: what the same steps cost with no Cloud Tasks library at all
BARE = {
    IMPORT: "pass",
    FIRST_USE: 'import grpc\ngrpc.insecure_channel("127.0.0.1:9")',
    COLD_START: FLOOR,
}

TIME_TARGET = Target("reference", 0.6)
MEMORY_TARGET = Target("reference", 1.0)
COLD_TIME_TARGETS = (Target("reference", 0.4), Target("bare", 1.25))
COLD_MEMORY_TARGETS = (Target("reference", 0.6), Target("bare", 1.25))


def _median(costs: list[ChildCost], what: str) -> float:
    return float(statistics.median(getattr(c, what) for c in costs))


@section("import", "import cost in a fresh interpreter")
def import_cost(ctx: Context) -> list[Row]:
    impls: list[Impl] = ["ours", "bare"] + (["reference"] if ctx.reference else [])
    jobs = [(code, impl) for code in (IMPORT, FIRST_USE, COLD_START) for impl in impls]
    costs: dict[tuple[str, Impl], list[ChildCost]] = {job: [] for job in jobs}
    address = ctx.server()

    def once(code: str, impl: Impl) -> ChildCost:
        source = (BARE[code] if impl == "bare" else code).replace("ADDRESS", repr(address))
        command = ctx.command(impl, "-c", source + PEAK_RSS_PROBE, isolated=True)
        return run_child(command, ctx.env(impl), ctx.cpus("client"))

    ctx.log(f"import: {ctx.settings.import_runs} fresh interpreters per figure")
    for job in jobs:  # fills the bytecode cache and the OS file cache
        once(*job)
    for _ in range(ctx.settings.import_runs):
        for job in jobs:
            costs[job].append(once(*job))

    def row(
        code: str, label: str, what: str, unit: str, target: Target | tuple[Target, ...] | None
    ) -> Row:
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
        "import: 'bare' is the same interpreter running `pass` (import rows), importing grpc"
        " and opening a channel (first-use rows), or the cold start's floor: grpc, protobuf,"
        " api_core.exceptions and proto-plus imported and the same create_task sent as"
        " pre-encoded bytes (cold-start rows)"
    )
    cold = "cold start: import, client, create_task"
    return [
        row(IMPORT, "import google.cloud.tasks", "wall", "ms wall", TIME_TARGET),
        row(IMPORT, "import google.cloud.tasks", "rss", "MiB peak RSS", MEMORY_TARGET),
        row(FIRST_USE, "import + client + Task", "wall", "ms wall", None),
        row(FIRST_USE, "import + client + Task", "rss", "MiB peak RSS", None),
        row(COLD_START, cold, "wall", "ms wall", COLD_TIME_TARGETS),
        row(COLD_START, cold, "rss", "MiB peak RSS", COLD_MEMORY_TARGETS),
    ]
