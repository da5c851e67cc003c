"""The README's first command runs the quickstart; it must work on a fresh machine."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quickstart_runs_against_the_embedded_emulator() -> None:
    env = {k: v for k, v in os.environ.items() if k != "CLOUD_TASKS_EMULATOR_HOST"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "created projects/my-project/locations/us-central1/queues/my-queue\n" in out
    assert "rate limit: 500/s" in out
    # (task, retry count, answer) in the order the handler saw them
    seen = re.findall(r"s\s+(\w+) .* retry count (\d+), .* answered (\d+)$", out, re.M)
    assert sorted(seen[:2]) == [("flaky", "0", "503"), ("hello", "0", "200")]
    assert seen[2:] == [("flaky", "1", "200"), ("later", "0", "200")]
    assert "previous response 503 -> answered 200" in out
    assert out.rstrip().endswith("all tasks delivered (4 attempts)")
