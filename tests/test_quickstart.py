"""The README's first command runs the quickstart; it must work on a fresh machine."""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from google.cloud.tasks.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
QUICKSTART = ROOT / "samples" / "quickstart.py"


def run_quickstart(**env: str) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CLOUD_TASKS_EMULATOR_HOST", "GOOGLE_CLOUD_PROJECT", "TASK_HANDLER_URL")
    }
    done = subprocess.run(
        [sys.executable, str(QUICKSTART)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**base, **env},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_deliveries(out: str) -> None:
    # (task, retry count, answer) in the order the handler saw them
    seen = re.findall(r"s\s+(\w+) .* retry count (\d+), .* answered (\d+)$", out, re.M)
    assert sorted(seen[:2]) == [("flaky", "0", "503"), ("hello", "0", "200")]
    assert seen[2:] == [("flaky", "1", "200"), ("later", "0", "200")]
    assert "previous response 503 -> answered 200" in out
    assert out.rstrip().endswith("all tasks delivered (4 attempts)")


def test_quickstart_runs_against_the_embedded_emulator() -> None:
    out = run_quickstart()
    assert out.startswith("emulator listening on 127.0.0.1:")
    assert "created projects/my-project/locations/us-central1/queues/my-queue\n" in out
    assert "rate limit: 500/s" in out
    check_deliveries(out)


def test_quickstart_with_a_project_uses_the_ordinary_connection() -> None:
    """With GOOGLE_CLOUD_PROJECT set it starts no emulator of its own: here the client's
    ordinary connection (CLOUD_TASKS_EMULATOR_HOST) stands in for the real service, and the
    handler URL comes from TASK_HANDLER_URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tasks"
    with Emulator() as emu:
        out = run_quickstart(
            GOOGLE_CLOUD_PROJECT="other-project",
            TASK_HANDLER_URL=url,
            PORT=str(port),
            CLOUD_TASKS_EMULATOR_HOST=emu.host,
        )
        queues = {d.queue for d in emu.deliveries()}
    assert out.startswith(f"using project other-project; handler at {url}\n")
    assert "emulator listening" not in out
    (queue,) = queues
    assert re.fullmatch(
        r"projects/other-project/locations/us-central1/queues/quickstart-\d+", queue
    )
    assert f"created {queue}\n" in out
    check_deliveries(out)
