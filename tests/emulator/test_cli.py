"""The command line: ready line, flags from the environment, signals, persistence."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
from google.api_core import exceptions

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import cli

from .helpers import PARENT, QUEUE, http_task


@contextmanager
def running(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[Any, str]]:
    """The emulator CLI, not delivering tasks; yields (process, host) once it is ready."""
    with cli_process.running("--no-dispatch", *args, env=env) as (process, host, _):
        yield process, host


def client_for(host: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", host)
    return tasks_v2.CloudTasksClient()


def test_start_precreates_queues_and_stops_cleanly_on_sigterm(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with running("--port", "0", "--project", "proj", "--queue", "q", "--queue", QUEUE + "2") as (
        process,
        host,
    ):
        client = client_for(host, monkeypatch)
        names = [q.name for q in client.list_queues(parent=PARENT)]
        assert names == [QUEUE, QUEUE + "2"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0
        assert "stopped" in process.stdout.read()


def test_flags_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "CLOUD_TASKS_EMULATOR_PORT": "0",
        "CLOUD_TASKS_EMULATOR_PROJECT": "proj",
        "CLOUD_TASKS_EMULATOR_QUEUES": "a,b",
        "CLOUD_TASKS_EMULATOR_LOCATIONS": "here,there",
        "CLOUD_TASKS_EMULATOR_LOG_LEVEL": "INFO",
        "CLOUD_TASKS_EMULATOR_ENGINE": "grpc",
    }
    with running(env=env) as (process, host):
        client = client_for(host, monkeypatch)
        assert [q.name.rsplit("/", 1)[1] for q in client.list_queues(parent=PARENT)] == ["a", "b"]
        locations = client.list_locations(request={"name": "projects/proj"}).locations
        # the queues' location (the default --location) is one the emulator serves too
        assert [loc.location_id for loc in locations] == ["here", "there", "us-central1"]
        with pytest.raises(exceptions.InvalidArgument):
            client.get_queue(name="nope")
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0
        assert "INVALID_ARGUMENT" in process.stderr.read()  # refusals are logged


def test_persistence_survives_kill_9(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = str(tmp_path / "tasks.db")
    with running("--port", "0", "--data", data) as (process, host):
        client = client_for(host, monkeypatch)
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        client.pause_queue(name=QUEUE)
        made = [client.create_task(parent=QUEUE, task=http_task(body=b"kept")) for _ in range(20)]
        client.delete_task(name=made[0].name)
        policy = client.set_iam_policy(
            request={
                "resource": QUEUE,
                "policy": {"bindings": [{"role": "roles/viewer", "members": ["user:a@b.c"]}]},
            }
        )
        op = client.batch_create_tasks(parent=QUEUE, requests=[{"task": http_task()}])
        op.result(timeout=5)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    with running("--port", "0", "--data", data) as (process, host):
        client = client_for(host, monkeypatch)
        assert client.get_queue(name=QUEUE).state == tasks_v2.Queue.State.PAUSED
        kept = {t.name for t in client.list_tasks(parent=QUEUE)}
        assert {t.name for t in made[1:]} <= kept and len(kept) == 20
        full = client.get_task(request={"name": made[1].name, "response_view": 2})
        assert full.http_request.body == b"kept"
        with pytest.raises(exceptions.NotFound) as info:
            client.get_task(name=made[0].name)
        assert info.value.message.startswith("The task no longer exists")
        assert client.get_iam_policy(resource=QUEUE) == policy
        assert client.get_operation(request={"name": op.operation.name}).done


def test_busy_port_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    with running("--port", "0") as (_, host):
        port = host.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-m", "google.cloud.tasks.emulator", "start", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2
        assert result.stderr.startswith(f"cloud-tasks-emulator: --port {port}: cannot listen")
        assert len(result.stderr.strip().splitlines()) == 1


def test_help_lists_the_environment_variables(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["start", "--help"])
    text = capsys.readouterr().out
    for name in ("PORT", "DATA", "BIND", "QUEUES", "PROJECT", "LOCATION", "ENGINE"):
        assert f"CLOUD_TASKS_EMULATOR_{name}" in text


@pytest.mark.skipif(not shutil.which("cloud-tasks-emulator"), reason="console script not installed")
def test_console_script() -> None:
    result = subprocess.run(
        ["cloud-tasks-emulator", "start", "--help"], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0 and "CLOUD_TASKS_EMULATOR_PORT" in result.stdout


def test_unusable_data_file_is_reported(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "google.cloud.tasks.emulator",
            "start",
            "--port",
            "0",
            "--data",
            str(tmp_path / "missing" / "dir" / "tasks.db"),
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("cloud-tasks-emulator: --data ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("flag", ["--queue-tombstone-seconds", "--task-tombstone-seconds"])
@pytest.mark.parametrize("value", ["-5", "nan", "inf"])
def test_tombstone_seconds_must_be_a_number_from_zero_up(
    flag: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:  # the parser refuses it: nothing starts
        cli.parser().parse_args(["start", flag, value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"cloud-tasks-emulator: argument {flag}: '{value}': use a number from 0")
    assert len(err.strip().splitlines()) == 1


def test_a_negative_tombstone_from_the_environment_is_refused_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_QUEUE_TOMBSTONE_SECONDS", "-1")
    with pytest.raises(SystemExit):
        cli.parser().parse_args(["start"])
    assert "CLOUD_TASKS_EMULATOR_QUEUE_TOMBSTONE_SECONDS" in capsys.readouterr().err


def test_help_and_the_docs_tell_the_name_reuse_windows_alike() -> None:
    """``--help`` and docs/emulator.rst's table say the same of both tombstone flags."""
    docs = (Path(__file__).resolve().parents[2] / "docs" / "emulator.rst").read_text()
    start = cli.parser()._subparsers._group_actions[0].choices["start"]  # type: ignore[union-attr]
    helps = {a.option_strings[0]: a.help for a in start._actions if a.option_strings}
    for flag in ("--queue-tombstone-seconds", "--task-tombstone-seconds"):
        row = docs.split(f"``{flag} N``", 1)[1].split("* -", 1)[0]
        _, variable, meaning = re.split(r"\n\s+- ", row)
        assert variable.strip() == f"``CLOUD_TASKS_EMULATOR_{flag[2:].replace('-', '_').upper()}``"
        assert " ".join(meaning.replace("``", "").split()) == helps[flag], flag
