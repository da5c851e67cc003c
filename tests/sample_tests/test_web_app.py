"""web_app: a task enqueued through the Flask app is delivered back to the app's handler."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import ModuleType

import requests
from werkzeug.serving import make_server

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

Snippet = Callable[[str], ModuleType]
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"


def test_enqueue_then_handle(
    snippet: Snippet,
    cloud_tasks_emulator: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    capsys,
) -> None:
    web_app = snippet("web_app")
    server = make_server("127.0.0.1", 0, web_app.create_app())  # app made, then its port known
    base = f"http://127.0.0.1:{server.server_port}"
    server.app = app = web_app.create_app(base_url=base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answer = requests.post(f"{base}/enqueue", json={"message": "hello"}, timeout=10)
        assert answer.status_code == 202
        name = answer.json()["task"]
        assert name.startswith(f"{QUEUE}/tasks/")

        (attempt,) = cloud_tasks_emulator.wait_for_deliveries(1, QUEUE)
        assert (attempt.status, attempt.url) == (204, f"{base}/tasks/handle")
        cloud_tasks_emulator.wait_until_drained(QUEUE)
        handled = app.config["HANDLED"]
        assert handled == [{"message": "hello", "task": name.rsplit("/", 1)[1], "retries": "0"}]
        assert f"handled task {name.rsplit('/', 1)[1]}: 'hello'" in capsys.readouterr().out
    finally:
        server.shutdown()
        time.sleep(0)
