"""create_app_engine_task: App Engine tasks reach an emulator whose App Engine host is a
local handler, with their routing in the Host header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import ModuleType

import pytest
from dispatch.handler import Handler, serving

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator, Settings

Snippet = Callable[[str], ModuleType]


@pytest.fixture(scope="module")
def app_engine() -> Iterator[Handler]:
    with serving() as h:
        yield h


@pytest.fixture(scope="module")
def app_emulator(app_engine: Handler) -> Iterator[Emulator]:
    with Emulator(settings=Settings(app_engine_host=app_engine.host)) as e:
        yield e


@pytest.fixture
def app_queue(
    app_emulator: Emulator, app_engine: Handler, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Handler]:
    app_emulator.reset()
    app_engine.received.clear()
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", app_emulator.host)
    client = tasks.CloudTasksClient()
    client.create_queue(
        parent="projects/my-project/locations/us-central1",
        queue={"name": "projects/my-project/locations/us-central1/queues/my-queue"},
    )
    client.transport.close()
    yield app_engine


def test_basic_app_engine_task(snippet: Snippet, app_queue: Handler, capsys) -> None:
    snippet("create_app_engine_task").main(payload="basic")

    (got,) = app_queue.wait_for(1)
    assert (got.method, got.path, got.body) == ("POST", "/tasks/process", b"basic")
    assert got.header("Host") == app_queue.host  # no routing: the App Engine host itself
    assert got.header("X-AppEngine-QueueName") == "my-queue"
    assert "created projects/my-project/locations/us-central1/queues/my-queue/tasks/" in (
        capsys.readouterr().out
    )


def test_routed_app_engine_task_with_headers(snippet: Snippet, app_queue: Handler, capsys) -> None:
    snippet("create_app_engine_task").main(
        relative_uri="/reports?day=1",
        service="worker",
        version="v2",
        headers={"X-Report": "daily"},
    )

    (got,) = app_queue.wait_for(1)
    assert got.path == "/reports?day=1"
    assert got.header("Host") == f"v2.worker.{app_queue.host}"
    assert got.header("X-Report") == "daily"
    assert f"routed to host v2.worker.{app_queue.host}" in capsys.readouterr().out
