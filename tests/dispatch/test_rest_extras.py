"""BufferTask, the control endpoints and firebase-admin's task queues, on the one address."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from google.cloud.tasks.emulator import Emulator, Settings

from .conftest import PARENT, QUEUE, fast_retries, handler_target
from .handler import Handler, serving


def http_target_queue(client: Any, handler: Handler) -> None:
    client.create_queue(
        parent=PARENT,
        queue={
            "name": QUEUE,
            "http_target": {**handler_target(handler, "/buffered"), "http_method": "PUT"},
        },
    )


def test_buffer_task_makes_a_task_of_the_raw_body_and_delivers_it(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    http_target_queue(client, handler)
    answer = requests.post(
        f"{emu.http_url}/v2/{QUEUE}/tasks:buffer",
        data=b"raw \x00 bytes",
        headers={
            "Content-Type": "application/x-thing",
            "X-Custom": "kept",
            "Authorization": "Bearer the-callers-own",
        },
        timeout=5,
    )
    assert answer.status_code == 200, answer.text
    task = answer.json()["task"]
    assert task["name"].startswith(QUEUE + "/tasks/")
    assert task["httpRequest"]["url"] == handler.url("/buffered")
    named = requests.post(
        f"{emu.http_url}/v2beta3/{QUEUE}/tasks/my-id:buffer", data=b"second", timeout=5
    )
    assert named.json()["task"]["name"] == f"{QUEUE}/tasks/my-id"
    first, second = sorted(handler.wait_for(2, "/buffered"), key=lambda r: r.body)
    assert first.method == "PUT" and first.body == b"raw \x00 bytes"
    assert first.header("Content-Type") == "application/x-thing"
    assert first.header("X-Custom") == "kept" and first.header("Authorization") is None
    assert second.header("X-CloudTasks-TaskName") == "my-id"


def test_buffer_task_needs_a_queue_level_uri_override(emu: Emulator, client: Any) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    answer = requests.post(f"{emu.http_url}/v2/{QUEUE}/tasks:buffer", data=b"x", timeout=5)
    assert answer.status_code == 400
    assert answer.json()["error"]["status"] == "FAILED_PRECONDITION"
    missing = requests.post(f"{emu.http_url}/v2/{QUEUE}x/tasks:buffer", data=b"x", timeout=5)
    assert missing.status_code == 404


def test_control_endpoints_show_queues_and_attempts_and_reset(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    control = f"{emu.http_url}/_emulator"
    assert requests.get(f"{control}/health", timeout=5).json() == {"status": "ok"}
    client.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "retry_config": fast_retries(min_backoff="30s", max_backoff="30s")},
    )
    other = "projects/other/locations/europe-west1/queues/kept"
    client.create_queue(parent="projects/other/locations/europe-west1", queue={"name": other})
    handler.answers["/work"] = [503]
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    emu.wait_for_deliveries(1, QUEUE)
    queues = requests.get(f"{control}/queues", timeout=5).json()["queues"]
    assert [(q["name"], q["tasks"]) for q in queues] == [(other, 0), (QUEUE, 1)]  # by name
    (task,) = requests.get(f"{control}/queues/{QUEUE}/tasks", timeout=5).json()["tasks"]
    assert task["dispatchCount"] == 1 and task["responseCount"] == 1
    assert task["lastAttempt"]["responseStatus"]["code"] == 14
    reset = requests.post(f"{control}/reset", json={"project": "proj"}, timeout=5)
    assert reset.json() == {"reset": "proj"}
    kept = client.list_queues(parent="projects/other/locations/europe-west1")
    assert [q.name for q in kept] == [other]
    assert list(client.list_queues(parent=PARENT)) == []
    requests.post(f"{control}/reset", timeout=5)
    assert requests.get(f"{control}/queues", timeout=5).json() == {"queues": []}
    assert emu.deliveries() == []
    unknown = requests.get(f"{control}/nothing", timeout=5)
    assert unknown.status_code == 404 and unknown.json()["error"]["status"] == "NOT_FOUND"


@pytest.fixture
def firebase_app(emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    firebase_admin = pytest.importorskip("firebase_admin")
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", emu.host)
    app = firebase_admin.initialize_app(options={"projectId": "proj"}, name="tasks-test")
    try:
        yield app
    finally:
        firebase_admin.delete_app(app)


def test_firebase_admin_enqueues_and_deletes_through_the_emulator(
    emu: Emulator, client: Any, handler: Handler, firebase_app: Any
) -> None:
    from firebase_admin import functions

    queue = functions.task_queue("q", app=firebase_app)  # us-central1, as PARENT
    options = functions.TaskOptions(uri=handler.url("/fn"), headers={"X-From": "firebase"})
    task_id = queue.enqueue({"order": 42}, options)
    (got,) = handler.wait_for(1, "/fn")
    assert json.loads(got.body) == {"order": 42}
    assert got.header("X-From") == "firebase"
    assert got.header("X-CloudTasks-TaskName") == task_id
    later = functions.TaskOptions(uri=handler.url("/never"), schedule_delay_seconds=3600)
    doomed = queue.enqueue({"order": 0}, later)
    assert client.get_task(name=f"{QUEUE}/tasks/{doomed}").name.endswith(doomed)
    queue.delete(doomed)
    assert list(client.list_tasks(parent=QUEUE)) == []


def test_firebase_tasks_without_a_url_go_to_the_functions_emulator() -> None:
    with (
        serving() as functions_emulator,
        Emulator(settings=Settings(functions_host=functions_emulator.host)) as emu,
    ):
        answer = requests.post(
            f"{emu.http_url}/{QUEUE}/tasks",
            json={"task": {"httpRequest": {"url": "", "body": "e30="}}},
            timeout=5,
        )
        assert answer.json()["task"]["name"].startswith(f"/{QUEUE}/tasks/")
        (got,) = functions_emulator.wait_for(1, "/proj/us-central1/q")
        assert got.body == b"{}"
