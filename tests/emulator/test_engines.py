"""Both gRPC engines answer alike, and the pytest plugin is registered."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.api_core import exceptions

from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE, http_task


@pytest.mark.parametrize("engine", ["fast", "grpc"])
def test_engine_serves_the_api(engine: str) -> None:
    with Emulator(dispatch=False, engine=engine) as emu:
        client = emu.client()
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        task = client.create_task(parent=QUEUE, task=http_task(body=b"b"))
        assert client.get_task(request={"name": task.name, "response_view": 2}).http_request.body
        with pytest.raises(exceptions.AlreadyExists) as info:
            client.create_queue(parent=PARENT, queue={"name": QUEUE})
        assert info.value.message == "Queue already exists"
        with grpc.insecure_channel(emu.host) as channel:
            garbage = channel.unary_unary("/google.cloud.tasks.v2.CloudTasks/GetQueue")
            with pytest.raises(grpc.RpcError) as raw:
                garbage(b"\x0a\x02\xff\xfe", timeout=5)
            assert raw.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            unknown = channel.unary_unary("/google.cloud.tasks.v2.CloudTasks/NoSuchMethod")
            with pytest.raises(grpc.RpcError) as raw:
                unknown(b"", timeout=5)
            assert raw.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError):
        Emulator(dispatch=False, engine="steam").start()


def _plugin_installed() -> bool:
    points = importlib.metadata.entry_points(group="pytest11")
    return any(p.value == "google.cloud.tasks.emulator.pytest_plugin" for p in points)


@pytest.mark.skipif(not _plugin_installed(), reason="package entry points not installed")
def test_pytest_plugin_fixture(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        "import os\n"
        "from google.cloud import tasks_v2\n"
        "P = 'projects/p/locations/us-central1'\n"
        "def test_one(cloud_tasks_emulator):\n"
        "    assert os.environ['CLOUD_TASKS_EMULATOR_HOST'] == cloud_tasks_emulator.host\n"
        "    tasks_v2.CloudTasksClient().create_queue(parent=P, queue={'name': P + '/queues/q'})\n"
        "def test_two_starts_empty(cloud_tasks_emulator):\n"
        "    assert list(cloud_tasks_emulator.client().list_queues(parent=P)) == []\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
