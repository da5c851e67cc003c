"""The emulator's command line in a subprocess, for the tests that drive it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

CLI = [sys.executable, "-m", "google.cloud.tasks.emulator", "start"]


@contextmanager
def running(
    *args: str, env: dict[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """``cloud-tasks-emulator start ARGS``; yields (process, host, ready line) once it serves.

    The process is killed on the way out if it is still running.
    """
    process = subprocess.Popen(
        [*CLI, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert "listening on" in ready, ready + (process.stderr.read() if process.stderr else "")
        export = process.stdout.readline().strip()
        assert export.startswith("export CLOUD_TASKS_EMULATOR_HOST=")
        yield process, export.split("=", 1)[1], ready
    finally:
        end(process)


def end(process: subprocess.Popen[str]) -> None:
    """Kill ``process`` if it still runs, reap it and close its pipes."""
    if process.poll() is None:
        process.kill()
    process.wait(10)
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()
