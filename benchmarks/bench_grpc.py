"""Client CPU per ``create_task`` over gRPC: ours, a bare multicallable, the reference.

Every client runs in its own process against the same constant-answer server
(another process), so a client's ``time.process_time()`` counts only its own
work: building the ``Task``, the library's layers, gRPC's C core and
decoding the answer (the bare clients skip decoding: they keep the bytes).
Rounds interleave the clients so that drift in the machine hits all alike;
each figure is the median over rounds.
"""

from __future__ import annotations

import statistics

from _harness import HERE, Context, Impl, Row, Target, Worker, section

WORKER = str(HERE / "_worker.py")

#: the issue's goal: our client costs at most 1.3 times a bare gRPC call
CPU_TARGET = Target("bare", 1.3)


def _clients(ctx: Context) -> list[tuple[str, Impl]]:
    """(worker kind, interpreter) pairs to measure; every bare kind runs in ours' interpreter."""
    clients: list[tuple[str, Impl]] = [
        ("ours", "ours"),
        ("bare", "bare"),
        ("bare-headers", "bare"),
        ("bare-floor", "bare"),
    ]
    if ctx.reference is not None:
        clients.append(("reference", "reference"))
    return clients


def _measure(ctx: Context, mode: str) -> dict[str, dict[str, float]]:
    """Median CPU and wall microseconds per call for each client in ``mode``."""
    target = ctx.server()
    settings = ctx.settings
    workers: dict[str, Worker] = {}
    try:
        for kind, impl in _clients(ctx):
            command = ctx.command(
                impl, WORKER, kind, mode, target, "--warmup", str(settings.warmup)
            )
            workers[kind] = Worker(command, ctx.env(impl, emulator=target), ctx.cpus("client"))
        for kind, worker in workers.items():
            info = worker.ready()
            if kind in ("ours", "reference"):
                ctx.log(
                    f"  {mode} {kind}: google-cloud-tasks {info['version']} from {info['module']}"
                )
        samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in workers}
        kinds = list(workers)
        for round_ in range(settings.rounds):
            shift = round_ % len(kinds)
            for kind in kinds[shift:] + kinds[:shift]:
                samples[kind].append(workers[kind].run(settings.calls))
    finally:
        for worker in workers.values():
            worker.close()
    per_call = 1e6 / settings.calls
    return {
        kind: {
            measure: statistics.median(s[measure] for s in runs) * per_call
            for measure in ("cpu", "wall")
        }
        for kind, runs in samples.items()
    }


#: (label, unit, measure, baseline kind, target) of the rows each mode reports
ROWS: tuple[tuple[str, str, str, str, Target | None], ...] = (
    ("create_task {mode}", "us CPU/call", "cpu", "bare", CPU_TARGET),
    ("  bare = + headers, deadline", "us CPU/call", "cpu", "bare-headers", None),
    ("  bare = + Task(), decode", "us CPU/call", "cpu", "bare-floor", None),
    ("create_task {mode} latency", "us wall/call", "wall", "bare", None),
)


@section("grpc", "create_task over gRPC, client process only")
def create_task(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    for mode in ("sync", "async"):
        ctx.log(f"create_task {mode}: {ctx.settings.rounds} rounds of {ctx.settings.calls} calls")
        got = _measure(ctx, mode)
        ref = got.get("reference", {})
        for label, unit, measure, bare, target in ROWS:
            rows.append(
                Row(
                    label.format(mode=mode),
                    unit,
                    got["ours"][measure],
                    got[bare][measure],
                    ref.get(measure),
                    target,
                )
            )
    ctx.notes.append(
        "grpc: 'bare' is channel.unary_unary(path) sending pre-encoded bytes and keeping the"
        " answer's bytes. The indented rows compare with stronger baselines: '+ headers,"
        " deadline' also sends the two headers a Cloud Tasks client sends with a 20 s deadline;"
        " '+ Task(), decode' also builds the caller's Task and decodes the answer (proto-plus),"
        " the floor for any client with this API"
    )
    return rows
