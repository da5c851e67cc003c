"""``cloud-tasks-emulator start ...``: run the emulator until SIGINT or SIGTERM.

Every flag can also come from an environment variable (listed in ``--help``);
a flag on the command line wins.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .embed import Emulator
from .model import DEFAULT_LOCATIONS, Settings
from .store import StoreError

ENV = "CLOUD_TASKS_EMULATOR_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV + name, default)


def _list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parser() -> argparse.ArgumentParser:
    """The command line parser (defaults read from the environment)."""
    top = argparse.ArgumentParser(
        prog="cloud-tasks-emulator",
        description="A local Cloud Tasks emulator (v2, v2beta3 and v2beta2 over gRPC).",
    )
    commands = top.add_subparsers(dest="command", required=True)
    start = commands.add_parser(
        "start",
        help="serve until interrupted",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serve the Cloud Tasks API until SIGINT or SIGTERM.",
        epilog=(
            "environment variables (a flag given on the command line wins):\n"
            f"  {ENV}BIND          --host\n"
            f"  {ENV}PORT          --port\n"
            f"  {ENV}DATA          --data\n"
            f"  {ENV}PROJECT       --project\n"
            f"  {ENV}LOCATION      --location\n"
            f"  {ENV}QUEUES        --queue, comma-separated\n"
            f"  {ENV}LOCATIONS     --locations\n"
            f"  {ENV}QUEUE_TOMBSTONE_SECONDS  --queue-tombstone-seconds\n"
            f"  {ENV}TASK_TOMBSTONE_SECONDS   --task-tombstone-seconds\n"
            f"  {ENV}LOG_LEVEL     --log-level\n"
            f"  {ENV}ENGINE        --engine\n"
            "\nClients find the emulator through CLOUD_TASKS_EMULATOR_HOST=host:port."
        ),
    )
    start.add_argument(
        "--host", default=_env("BIND", "127.0.0.1"), help="address to listen on (127.0.0.1)"
    )
    start.add_argument("--port", type=int, default=_env("PORT", "8123"), help="port (8123; 0: any)")
    start.add_argument(
        "--data",
        default=_env("DATA"),
        help="SQLite file to keep state in across restarts (default: in memory)",
    )
    start.add_argument("--project", default=_env("PROJECT", "my-project"), help="for --queue ids")
    start.add_argument("--location", default=_env("LOCATION", "us-central1"), help="for --queue")
    start.add_argument(
        "--queue",
        action="append",
        default=None,
        metavar="QUEUE",
        help="queue to create at start: an id (in --project/--location) or a full name; repeatable",
    )
    start.add_argument(
        "--locations",
        default=_env("LOCATIONS", ",".join(DEFAULT_LOCATIONS)),
        help="comma-separated location ids ListLocations reports",
    )
    start.add_argument(
        "--queue-tombstone-seconds",
        type=float,
        default=_env("QUEUE_TOMBSTONE_SECONDS", "60"),
        help="how long a deleted queue's name stays unusable (60)",
    )
    start.add_argument(
        "--task-tombstone-seconds",
        type=float,
        default=_env("TASK_TOMBSTONE_SECONDS", "3600"),
        help="how long a deleted task's name stays reserved (3600)",
    )
    start.add_argument(
        "--log-level",
        default=_env("LOG_LEVEL", "INFO"),
        help="logging level: DEBUG, INFO (default: every refused request), WARNING",
    )
    start.add_argument(
        "--engine",
        choices=("auto", "fast", "grpc"),
        default=_env("ENGINE", "auto"),
        help="gRPC engine: fast (one thread on gRPC's core; the default when available)"
        " or grpc (grpc.server with a thread pool)",
    )
    return top


def queue_names(args: argparse.Namespace) -> list[str]:
    """Full names of the queues to pre-create, from --queue and the environment."""
    given = args.queue if args.queue is not None else _list(_env("QUEUES"))
    out = []
    for queue in given:
        if "/" not in queue:
            queue = f"projects/{args.project}/locations/{args.location}/queues/{queue}"
        out.append(queue)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cloud-tasks-emulator`` and ``python -m google.cloud.tasks.emulator``."""
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=str(args.log_level).upper(), format="%(asctime)s %(levelname)s %(message)s"
    )
    settings = Settings(
        queue_tombstone_seconds=args.queue_tombstone_seconds,
        task_tombstone_seconds=args.task_tombstone_seconds,
        locations=tuple(_list(args.locations)),
    )
    emulator = Emulator(
        host=args.host,
        port=args.port,
        data=args.data,
        settings=settings,
        queues=queue_names(args),
        engine=args.engine,
    )
    try:
        emulator.start()
    except (OSError, RuntimeError, StoreError, ValueError, sqlite3.Error) as exc:
        print(f"cloud-tasks-emulator: {exc}", file=sys.stderr)
        return 1
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    where = f" (data: {args.data})" if args.data else " (in memory)"
    print(f"Cloud Tasks emulator listening on {emulator.host}{where}", flush=True)
    print(f"export CLOUD_TASKS_EMULATOR_HOST={emulator.host}", flush=True)
    while not stopping.wait(0.5):
        pass
    emulator.stop(grace=1.0)
    print("Cloud Tasks emulator stopped", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
