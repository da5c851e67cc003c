"""User-space instructions per call under callgrind: a count that no machine skews.

CPU time per call depends on how dear the machine's system calls and thread
wake-ups are, which shifts every ratio of the ``grpc`` section from one
machine to the next.  This section runs the same worker processes under
``valgrind --tool=callgrind`` twice, once making no timed calls and once
making N, and reports the difference divided by N: the instructions one call
executes in user space, in every thread of the client, kernel excluded.
Runs are repeatable to within about half a percent.

Per method (``create_task``, ``get_task``, ``get_queue``, ``list_tasks``'s
first page, ``delete_task``) and per sync/async client it reports ours, the
reference (when its virtualenv is there) and bare in one row, with
``ours/bare`` held to 1.25; the row under each is the floor (bare plus the
headers, the deadline, building the caller's ``Task`` and decoding the
answer), which no proto-plus client can go below.

Opt-in (``--only instructions``): it needs valgrind and takes several minutes;
``--only grpc --only instructions`` prints the CPU-time table beside it.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from _harness import HERE, Context, Impl, Row, Target, section

WORKER = str(HERE / "_worker.py")
#: timed calls in the counted run; the difference from a run of none is divided by this
CALLS = 300
WARMUP = 50
#: the methods measured, each on its own echo answer (``_wire.ANSWERS``)
METHODS = ("create_task", "get_task", "get_queue", "list_tasks", "delete_task")
#: the issue's goal: a call costs at most 1.25 times a bare gRPC call's instructions
TARGET = Target("bare", 1.25)
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _run(
    ctx: Context, kind: str, impl: Impl, mode: str, calls: int, under: list[str], method: str
) -> subprocess.CompletedProcess[str]:
    """One whole worker run (start-up, warm-up, ``calls`` calls), inside ``under`` if given."""
    target = ctx.server()
    worker = ctx.command(
        impl, WORKER, kind, mode, target, "--warmup", str(WARMUP), "--method", method
    )
    proc = subprocess.run(
        [*under, *worker],
        input=f"{calls}\n" if calls else "",
        env=ctx.env(impl, emulator=target),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"worker {kind} {mode} {method} failed:\n{proc.stderr[-2000:]}")
    return proc


def _instructions(ctx: Context, kind: str, impl: Impl, mode: str, calls: int, method: str) -> int:
    """Instructions callgrind counts for one whole worker run."""
    out = ctx.scratch / f"callgrind.{kind}.{mode}.{method}.{calls}"
    under = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
    proc = _run(ctx, kind, impl, mode, calls, under, method)
    found = _COLLECTED.search(proc.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count for {kind} {mode} {method}")
    return int(found.group(1))


def _per_call(ctx: Context, kind: str, impl: Impl, mode: str, method: str) -> float:
    ctx.log(f"  callgrind: {method} {mode} {kind}")
    # an uncounted run first: writing the bytecode cache would land in the first counted one
    _run(ctx, kind, impl, mode, 0, [], method)
    base = _instructions(ctx, kind, impl, mode, 0, method)
    return (_instructions(ctx, kind, impl, mode, CALLS, method) - base) / CALLS / 1000


@section("instructions", "gRPC calls, user-space instructions (callgrind)", default=False)
def instructions(ctx: Context) -> list[Row]:
    if shutil.which("valgrind") is None:
        ctx.notes.append("instructions: valgrind is not installed; section skipped")
        return []
    rows: list[Row] = []
    unit = "k instr/call"
    for method in METHODS:
        for mode in ("sync", "async"):
            ours = _per_call(ctx, "ours", "ours", mode, method)
            bare = _per_call(ctx, "bare", "bare", mode, method)
            floor = _per_call(ctx, "bare-floor", "bare", mode, method)
            reference = (
                _per_call(ctx, "reference", "reference", mode, method) if ctx.reference else None
            )
            rows.append(Row(f"{method} {mode}", unit, ours, bare, reference, TARGET))
            rows.append(Row("  bare = floor (+ headers, Task(), decode)", unit, ours, floor))
    ctx.notes.append(
        f"instructions: callgrind's count for a worker making {CALLS} calls minus one making"
        " none, divided by the calls; every thread of the client, kernel excluded; the floor"
        " row's ours/bare is ours over what any proto-plus client must execute"
    )
    return rows
