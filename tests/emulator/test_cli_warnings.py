"""The command line prints its own lines only: no library warning under a start or error line.

google-api-core warns (``FutureWarning``) on import when the Python version is near or
past Google's support window (3.10 today) or when grpcio or protobuf is older than it
would like.  The CLI silences that notice for its own imports; a library user still sees it.

Each test runs in two environments: the packages as installed, and the same with grpcio
reported at the lowest version pyproject.toml allows (a ``grpcio-1.59.0.dist-info`` on
PYTHONPATH, which api_core reads through ``importlib.metadata``), so api_core's warning
fires on every Python version, not only on the old ones.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import cli_process  # tests/, on the path as the root conftest's folder
import pytest

LOWEST_GRPCIO = "1.59.0"  # pyproject.toml: grpcio>=1.59


def _old_grpcio(folder: Path) -> dict[str, str]:
    """Environment variables under which grpcio's metadata says LOWEST_GRPCIO."""
    info = folder / f"grpcio-{LOWEST_GRPCIO}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: grpcio\nVersion: {LOWEST_GRPCIO}\n", encoding="utf-8"
    )
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {"PYTHONPATH": path}


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.fixture(params=["as installed", "lowest grpcio"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment for the CLI; in the second, api_core is known to warn on import."""
    if request.param == "as installed":
        return {}
    env = _old_grpcio(tmp_path)
    imported = _python("import google.api_core", env)
    if "FutureWarning" not in imported.stderr:  # an api_core that no longer checks grpcio
        pytest.skip("google-api-core does not warn about grpcio " + LOWEST_GRPCIO)
    return env


def test_a_mistake_is_one_line(env: dict[str, str]) -> None:
    done = subprocess.run(
        [*cli_process.CLI, "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert done.returncode == 2
    assert done.stderr == "cloud-tasks-emulator: --port 70000: a port is a number from 0 to 65535\n"
    assert done.stdout == ""


def test_start_and_stop_print_only_the_emulators_lines(env: dict[str, str]) -> None:
    with cli_process.running("--port", "0", "--no-dispatch", "--no-ui", env=env) as (
        process,
        host,
        ready,
    ):
        assert ready.startswith("Cloud Tasks emulator listening on ")
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        assert process.stdout is not None and process.stderr is not None
        rest = process.stdout.read().splitlines()
        stderr = process.stderr.read()
    # after the ready and export lines: where tokens verify, then the stop line
    assert [line.split(" ", 1)[0] for line in rest] == ["OIDC", "Cloud"]
    assert rest[-1] == "Cloud Tasks emulator stopped"
    assert "Warning" not in stderr
    assert stderr == ""


def test_a_library_user_still_sees_api_cores_warning(tmp_path: Path) -> None:
    """The filter covers the CLI's imports only: importing the CLI leaves none behind."""
    env = _old_grpcio(tmp_path)
    if "FutureWarning" not in _python("import google.api_core", env).stderr:
        pytest.skip("google-api-core does not warn about grpcio " + LOWEST_GRPCIO)
    code = (
        "import warnings\n"
        "before = list(warnings.filters)\n"
        "import google.cloud.tasks.emulator.cli\n"
        "assert warnings.filters == before, warnings.filters\n"
        "warnings.warn_explicit('later', FutureWarning, 'f.py', 1, module='google.api_core.x')\n"
    )
    done = _python(code, env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "f.py:1: FutureWarning: later\n"
