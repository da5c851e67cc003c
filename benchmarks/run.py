"""Benchmarks of the Cloud Tasks client core, side by side with bare gRPC and the reference.

    python benchmarks/run.py [--quick] [--rounds N] [--only SECTION ...]

Prints one plain-text table of medians and ratios.  Nothing here asserts a
timing: the ``ok?`` column only says whether a ratio meets its target.
See ``benchmarks/README.md`` for what each row measures.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import sys
import time
from pathlib import Path

import bench_dashboard  # noqa: F401
import bench_dispatch  # noqa: F401
import bench_emulator  # noqa: F401
import bench_grpc  # noqa: F401  (registers its section)
import bench_import  # noqa: F401
import bench_instructions  # noqa: F401
import bench_rest  # noqa: F401
import grpc
from _harness import (
    DEFAULT_REFERENCE_VENV,
    SECTIONS,
    Context,
    Row,
    Settings,
    find_reference,
    render,
)

QUICK = Settings(calls=1000, warmup=200, rounds=3, import_runs=5)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls, rounds and runs")
    parser.add_argument("--rounds", type=int, help="interleaved rounds per client (default 9)")
    parser.add_argument("--calls", type=int, help="calls per client per round (default 2000)")
    parser.add_argument("--import-runs", type=int, help="fresh interpreters per import figure")
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(SECTIONS),
        help="run only these sections; opt-in ones run only when named: "
        + ", ".join(name for name, found in SECTIONS.items() if not found.default),
    )
    parser.add_argument(
        "--reference-venv",
        type=Path,
        default=Path(os.environ.get("BENCH_REFERENCE_VENV") or DEFAULT_REFERENCE_VENV),
        help="virtualenv holding google-cloud-tasks 2.26, created if missing"
        " (default: $BENCH_REFERENCE_VENV or %(default)s)",
    )
    parser.add_argument(
        "--no-pin", action="store_true", help="let the OS move clients and server between CPUs"
    )
    parser.add_argument("--no-reference", action="store_true", help="skip the reference library")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    settings = dataclasses.replace(QUICK) if args.quick else Settings()
    for name in ("rounds", "calls", "import_runs"):
        value = getattr(args, name)
        if value is not None:
            if value < 1:
                raise SystemExit(f"--{name.replace('_', '-')} must be at least 1")
            setattr(settings, name, value)
    settings.pin = not args.no_pin
    return settings


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    settings = settings_from(args)
    notes: list[str] = []
    reference = None
    if args.no_reference:
        notes.append("reference skipped (--no-reference)")
    else:
        reference = find_reference(args.reference_venv.expanduser(), notes, _log)
    ctx = Context(settings, reference, _log, notes)
    started = time.perf_counter()
    lines: list[Row | str] = []
    try:
        chosen = args.only or [name for name, found in SECTIONS.items() if found.default]
        for name in chosen:
            found = SECTIONS[name]
            lines.append(found.title)
            lines += found.run(ctx)
    finally:
        ctx.close()
    elapsed = time.perf_counter() - started

    print(
        f"Python {platform.python_version()} on {platform.machine()} {platform.system()},"
        f" {os.cpu_count()} CPUs, grpcio {grpc.__version__}"
    )
    if reference:
        deps = ", ".join(f"{k} {v}" for k, v in reference.deps.items())
        print(f"reference: google-cloud-tasks {reference.version} in {reference.venv} ({deps})")
    print(
        f"{settings.rounds} rounds x {settings.calls} calls per client;"
        f" {settings.import_runs} fresh interpreters per import figure; medians;"
        f" {elapsed:.0f} s in all"
    )
    print()
    print(render(lines))
    if ctx.notes:
        print()
        for note in ctx.notes:
            print(f"* {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
