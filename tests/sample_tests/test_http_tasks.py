"""The HTTP task snippets, each delivered by the emulator to a real handler."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from types import ModuleType

import pytest
import requests
from dispatch.handler import Handler

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

Snippet = Callable[[str], ModuleType]
QUEUE = "projects/my-project/locations/us-central1/queues/my-queue"


@pytest.mark.parametrize("method", ["POST", "GET", "PUT", "DELETE", "PATCH"])
def test_create_http_task_sends_each_method(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, method: str, capsys
) -> None:
    snippet("create_http_task").main(url=handler.url("/work"), method=method, payload="hi")

    (got,) = handler.wait_for(1)
    assert got.method == method
    assert got.path == "/work"
    assert got.body == (b"hi" if method in ("POST", "PUT", "PATCH") else b"")
    assert got.header("X-CloudTasks-QueueName") == "my-queue"
    assert f"({method} {handler.url('/work')})" in capsys.readouterr().out


def test_create_http_task_json_sends_json_and_headers(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, capsys
) -> None:
    snippet("create_http_task_json").main(
        url=handler.url(), payload={"id": 7}, headers={"X-Request-Source": "tests"}
    )

    (got,) = handler.wait_for(1)
    assert got.method == "POST"
    assert json.loads(got.body) == {"id": 7}
    assert got.header("Content-Type") == "application/json"
    assert got.header("X-Request-Source") == "tests"
    assert 'with JSON body {"id": 7}' in capsys.readouterr().out


def test_create_scheduled_task_waits_and_keeps_its_deadline(
    snippet: Snippet,
    emu: Emulator,
    client: tasks.CloudTasksClient,
    queue: str,
    handler: Handler,
    capsys,
) -> None:
    started = time.monotonic()
    snippet("create_scheduled_task").main(url=handler.url(), in_seconds=1.5, deadline_seconds=20)

    (stored,) = client.list_tasks(parent=QUEUE)
    assert stored.dispatch_deadline.total_seconds() == 20
    assert handler.received == []  # not due yet
    (got,) = handler.wait_for(1, timeout=10)
    assert got.at - started >= 1.4
    out = capsys.readouterr().out
    assert f"created {stored.name}, due at " in out
    assert "dispatch deadline: 0:00:20" in out


def test_oidc_token_is_verified_by_the_handler_snippet(
    snippet: Snippet, emu: Emulator, queue: str, capsys
) -> None:
    verifier = snippet("verify_oidc_token_handler")
    audience = "https://worker.internal/tasks"
    server = verifier.make_server(audience, emu.certs_url, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tasks"
    try:
        create = snippet("create_http_task_with_oidc_token")
        create.main(
            url=url,
            service_account_email="worker@my-project.iam.gserviceaccount.com",
            audience=audience,
        )
        (ok,) = emu.wait_for_deliveries(1, QUEUE)
        assert ok.status == 200
        assert dict(ok.headers)["Authorization"].startswith("Bearer ")
        out = capsys.readouterr().out
        assert "accepted a task from worker@my-project.iam.gserviceaccount.com" in out

        # a token for another audience (here: the URL itself) is turned away
        create.main(url=url)
        rejected = emu.wait_for_deliveries(2, QUEUE)[1]
        assert rejected.status == 401
        assert "rejected" in capsys.readouterr().out
    finally:
        server.shutdown()
        server.server_close()
    with pytest.raises(ValueError):
        verifier.verify(None, audience, emu.certs_url)


def test_oauth_token_reaches_the_handler(
    snippet: Snippet, emu: Emulator, queue: str, handler: Handler, capsys
) -> None:
    snippet("create_http_task_with_oauth_token").main(url=handler.url("/api"))

    (got,) = handler.wait_for(1)
    assert got.method == "GET"
    assert (got.header("Authorization") or "").startswith("Bearer ")
    assert "OAuth token (https://www.googleapis.com/auth/cloud-platform)" in (
        capsys.readouterr().out
    )


def test_the_oidc_handler_finds_the_emulator_certificates_by_itself(
    snippet: Snippet, emu: Emulator, queue: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """Run as its docstring says (``CLOUD_TASKS_EMULATOR_HOST`` set), the handler verifies
    against the emulator's certificates; unset, against Google's."""
    verifier = snippet("verify_oidc_token_handler")
    certs_url = verifier.emulator_certs_url()  # what main() uses when given none
    assert certs_url == emu.certs_url
    assert requests.get(certs_url, timeout=5).status_code == 200
    server = verifier.make_server("http://localhost/tasks", certs_url, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/tasks"
    try:
        snippet("create_http_task_with_oidc_token").main(url=url, audience="http://localhost/tasks")
        (attempt,) = emu.wait_for_deliveries(1, QUEUE)
        assert attempt.status == 200
        assert "accepted a task from" in capsys.readouterr().out
    finally:
        server.shutdown()
        server.server_close()
    monkeypatch.delenv("CLOUD_TASKS_EMULATOR_HOST")
    assert verifier.emulator_certs_url() is None


def test_the_smallest_handler_completes_tasks_of_every_method(
    snippet: Snippet, emu: Emulator, queue: str, capsys
) -> None:
    """``task_handler.py``, the handler docs/getting-started.rst starts, answers 200."""
    server = snippet("task_handler").make_server(port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://localhost:{server.server_address[1]}/work"
    try:
        for method in ("POST", "PUT", "GET"):
            snippet("create_http_task").main(url=url, method=method, payload="hello")
        emu.wait_until_drained(QUEUE, timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    attempts = emu.deliveries(QUEUE)
    assert sorted((a.method, a.status, a.outcome) for a in attempts) == [
        ("GET", 200, "delivered"),
        ("POST", 200, "delivered"),
        ("PUT", 200, "delivered"),
    ]
    assert "POST /work b'hello'" in capsys.readouterr().out
