"""The command line with delivery: ready line, at-least-once across kill -9, one-line mistakes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
from google.api_core import exceptions

from google.cloud import tasks_v2

from .conftest import PARENT, QUEUE
from .handler import Handler

CLI = cli_process.CLI


def emulator(*args: str) -> AbstractContextManager[tuple[subprocess.Popen[str], str, str]]:
    """The CLI on any free port; yields (process, host, ready line)."""
    return cli_process.running("--port", "0", *args)


def client_for(host: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", host)
    return tasks_v2.CloudTasksClient()


def test_ready_line_says_the_dispatcher_is_on() -> None:
    with emulator() as (_, _, ready):
        assert "delivering tasks" in ready
    with emulator("--no-dispatch") as (_, _, ready):
        assert "not delivering tasks" in ready


def test_kill_9_during_a_delivery_then_restart_delivers_again(
    tmp_path: Path, handler: Handler, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "tasks.db")
    handler.delay["/work"] = 30.0  # the first delivery hangs until the emulator dies
    with emulator("--data", data) as (process, host, _):
        client = client_for(host, monkeypatch)
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        later = {"seconds": int(time.time()) + 3600}
        kept = client.create_task(
            parent=QUEUE,
            task={"http_request": {"url": handler.url("/kept")}, "schedule_time": later},
        )
        client.create_task(
            parent=QUEUE,
            task={"name": f"{QUEUE}/tasks/in-flight", "http_request": {"url": handler.url()}},
        )
        handler.wait_for(1, "/work")
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        client.transport.close()
    handler.delay.clear()
    with emulator("--data", data) as (process, host, _):
        client = client_for(host, monkeypatch)
        (again,) = handler.wait_for(2, "/work")[1:]
        assert again.header("X-CloudTasks-TaskName") == "in-flight"
        # Nothing acknowledged is lost: the task scheduled for later is still there.
        assert client.get_task(name=kept.name).name == kept.name
        client.run_task(name=kept.name)
        handler.wait_for(1, "/kept")
        client.transport.close()


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["--queue", "bad/name"], "cloud-tasks-emulator: --queue 'bad/name': Queue name must"),
        (["--queue", "no_underscores"], "cloud-tasks-emulator: --queue 'no_underscores':"),
        (["--log-level", "LOUD"], "cloud-tasks-emulator: --log-level 'LOUD': use DEBUG"),
        (["--data", "/nonexistent/dir/x.db"], "cloud-tasks-emulator: --data '/nonexistent/"),
        (["--signing-key", "/nonexistent.pem"], "cloud-tasks-emulator: --signing-key "),
        (["--port", "70000"], "cloud-tasks-emulator: --port 70000: a port is a number"),
        (["--engine", "steam"], "cloud-tasks-emulator: argument --engine: invalid choice"),
        (["--project", "a b", "--queue", "q"], "cloud-tasks-emulator: --project 'a b': an id"),
        (["--app-engine-host", "h:abc"], "cloud-tasks-emulator: --app-engine-host 'h:abc':"),
        (["--functions-host", "nohost"], "cloud-tasks-emulator: --functions-host 'nohost':"),
    ],
)
def test_cli_mistakes_get_one_line_and_exit_2(args: list[str], start: str) -> None:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith(start), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "start"),
    [
        ("PORT", "xyz", "cloud-tasks-emulator: argument --port: 'xyz' is not a whole number"),
        ("HTTP_PORT", "1.5", "cloud-tasks-emulator: argument --http-port: '1.5' is not a whole"),
        ("TASK_TOMBSTONE_SECONDS", "soon", "cloud-tasks-emulator: argument --task-tombstone"),
    ],
)
def test_a_bad_number_in_the_environment_names_the_variable(
    variable: str, value: str, start: str
) -> None:
    env = {**os.environ, f"CLOUD_TASKS_EMULATOR_{variable}": value}
    result = subprocess.run(CLI, capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 2
    assert result.stderr.startswith(start), result.stderr
    assert f"CLOUD_TASKS_EMULATOR_{variable}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_port_in_use_gets_one_line_and_exit_2() -> None:
    with emulator() as (_, host, _):
        port = host.rsplit(":", 1)[1]
        result = subprocess.run([*CLI, "--port", port], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.startswith(f"cloud-tasks-emulator: --port {port}: cannot listen")
    assert len(result.stderr.strip().splitlines()) == 1


def test_quiet_silences_delivery_lines(handler: Handler, monkeypatch: pytest.MonkeyPatch) -> None:
    for quiet in (False, True):
        args = ["--quiet"] if quiet else []
        with emulator(*args) as (process, host, _):
            client = client_for(host, monkeypatch)
            client.create_queue(parent=PARENT, queue={"name": QUEUE})
            client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
            handler.wait_for(1 + quiet)
            deadline = time.monotonic() + 10  # the outcome is recorded (and logged) after
            while list(client.list_tasks(parent=QUEUE)) and time.monotonic() < deadline:
                time.sleep(0.05)
            client.transport.close()
            process.send_signal(signal.SIGTERM)
            assert process.wait(10) == 0
            assert process.stderr is not None
            log = process.stderr.read()
        assert ("deliver q/" in log) is not quiet, log


def test_a_task_gone_mid_delivery_is_not_resurrected(
    handler: Handler, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler.delay["/work"] = 0.5
    handler.answers["/work"] = [500]
    with emulator() as (_, host, _):
        client = client_for(host, monkeypatch)
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        task = client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
        handler.wait_for(1)
        client.delete_task(name=task.name)
        with pytest.raises(exceptions.NotFound):
            client.get_task(name=task.name)
        time.sleep(1.0)
        with pytest.raises(exceptions.NotFound):
            client.get_task(name=task.name)
        assert len(handler.received) == 1
        client.transport.close()
