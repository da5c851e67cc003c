"""User-space instructions per ``create_task`` under callgrind: a count that no machine skews.

CPU time per call depends on how dear the machine's system calls and thread
wake-ups are, which shifts every ratio of the ``grpc`` section from one
machine to the next.  This section runs the same worker processes under
``valgrind --tool=callgrind`` twice, once making no timed calls and once
making N, and reports the difference divided by N: the instructions one call
executes in user space, in every thread of the client, kernel excluded.
Runs are repeatable to within about half a percent.

Opt-in (``--only instructions``): it needs valgrind and takes several minutes.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from _harness import HERE, Context, Impl, Row, section

WORKER = str(HERE / "_worker.py")
#: timed calls in the counted run; the difference from a run of none is divided by this
CALLS = 500
WARMUP = 50
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def _run(
    ctx: Context, kind: str, impl: Impl, mode: str, calls: int, under: list[str]
) -> subprocess.CompletedProcess[str]:
    """One whole worker run (start-up, warm-up, ``calls`` calls), inside ``under`` if given."""
    target = ctx.server()
    worker = ctx.command(impl, WORKER, kind, mode, target, "--warmup", str(WARMUP))
    proc = subprocess.run(
        [*under, *worker],
        input=f"{calls}\n" if calls else "",
        env=ctx.env(impl, emulator=target),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"worker {kind} {mode} failed:\n{proc.stderr[-2000:]}")
    return proc


def _instructions(ctx: Context, kind: str, impl: Impl, mode: str, calls: int) -> int:
    """Instructions callgrind counts for one whole worker run."""
    out = ctx.scratch / f"callgrind.{kind}.{mode}.{calls}"
    proc = _run(
        ctx,
        kind,
        impl,
        mode,
        calls,
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"],
    )
    found = _COLLECTED.search(proc.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no count for {kind} {mode}")
    return int(found.group(1))


def _per_call(ctx: Context, kind: str, impl: Impl, mode: str) -> float:
    ctx.log(f"  callgrind: {mode} {kind}")
    # an uncounted run first: writing the bytecode cache would land in the first counted one
    _run(ctx, kind, impl, mode, 0, [])
    base = _instructions(ctx, kind, impl, mode, 0)
    return (_instructions(ctx, kind, impl, mode, CALLS) - base) / CALLS / 1000


@section(
    "instructions", "create_task over gRPC, user-space instructions (callgrind)", default=False
)
def instructions(ctx: Context) -> list[Row]:
    if shutil.which("valgrind") is None:
        ctx.notes.append("instructions: valgrind is not installed; section skipped")
        return []
    rows: list[Row] = []
    for mode in ("sync", "async"):
        ours = _per_call(ctx, "ours", "ours", mode)
        bare = _per_call(ctx, "bare", "bare", mode)
        floor = _per_call(ctx, "bare-floor", "bare", mode)
        reference = _per_call(ctx, "reference", "reference", mode) if ctx.reference else None
        unit = "k instr/call"
        rows.append(Row(f"create_task {mode}", unit, ours, bare, reference))
        rows.append(Row("  bare = + Task(), decode", unit, ours, floor, reference))
    ctx.notes.append(
        f"instructions: callgrind's count for a worker making {CALLS} calls minus one making"
        " none, divided by the calls; every thread of the client, kernel excluded"
    )
    return rows
