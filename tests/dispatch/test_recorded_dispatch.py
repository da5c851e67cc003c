"""Recorded dispatch sequences of the real service, against real local handlers.

- A handler answering 503, 404, 429, 500, 302, then 200: an HTTP task's
  ``X-CloudTasks-TaskExecutionCount`` does not count the 503 and 429 answers,
  its retry reason is empty and the previous response is the previous status;
  an App Engine task counts every attempt and gives ``App Error``.
- After an attempt that timed out (no answer within the dispatch deadline), an
  HTTP task's retry carries ``X-CloudTasks-TaskPreviousResponse: 504``; an App
  Engine task's ``X-AppEngine-TaskPreviousResponse: 0``,
  ``X-AppEngine-TaskRetryReason: Instance Unavailable`` and
  ``X-AppEngine-TaskExecutionCount: 0`` (a timeout is not an execution).
- What follows a refused connection is not recorded: the emulator keeps what it
  did before (no previous response; App Engine counts the attempt).

One test here is slow: the shortest dispatch deadline is 15 s, so it waits for one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from google.cloud.tasks.emulator import Emulator, Settings
from google.cloud.tasks.emulator.delivery import decisions as d
from google.cloud.tasks.emulator.service import model as m

from .conftest import PARENT, QUEUE, fast_retries, handler_target
from .handler import Handler, Received, serving

SEQUENCE = [503, 404, 429, 500, 302, 200]
HTTP_AGENT = "Google-Cloud-Tasks"
APP_ENGINE_AGENT = "AppEngine-Google; (+http://code.google.com/appengine)"
AE_QUEUE = f"{PARENT}/queues/ae"


def _counters(prefix: str, received: list[Received]) -> list[tuple[str | None, ...]]:
    """(RetryCount, ExecutionCount, PreviousResponse, RetryReason) of each request."""
    names = ("TaskRetryCount", "TaskExecutionCount", "TaskPreviousResponse", "TaskRetryReason")
    return [tuple(r.header(f"{prefix}-{n}") for n in names) for r in received]


@pytest.fixture
def app_engine() -> Iterator[tuple[Handler, Emulator, Any]]:
    """A handler, an emulator whose App Engine app is that handler, and a client."""
    with serving() as handler, Emulator(settings=Settings(app_engine_host=handler.host)) as emu:
        with emu.client() as client:
            yield handler, emu, client


def test_http_task_across_503_404_429_500_302_200(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": fast_retries()})
    handler.answers["/work"] = SEQUENCE
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    received = handler.wait_for(6, timeout=20)
    emu.wait_until_drained(QUEUE, timeout=5)
    assert _counters("X-CloudTasks", received) == [
        ("0", "0", None, None),
        ("1", "0", "503", ""),
        ("2", "1", "404", ""),
        ("3", "1", "429", ""),
        ("4", "2", "500", ""),
        ("5", "3", "302", ""),
    ]
    assert [a.status for a in emu.deliveries(QUEUE)] == SEQUENCE


def test_app_engine_task_across_503_404_429_500_302_200(
    app_engine: tuple[Handler, Emulator, Any],
) -> None:
    handler, emu, client = app_engine
    client.create_queue(parent=PARENT, queue={"name": AE_QUEUE, "retry_config": fast_retries()})
    handler.answers["/ae"] = SEQUENCE
    client.create_task(parent=AE_QUEUE, task={"app_engine_http_request": {"relative_uri": "/ae"}})
    received = handler.wait_for(6, "/ae", timeout=20)
    emu.wait_until_drained(AE_QUEUE, timeout=5)
    assert _counters("X-AppEngine", received) == [
        ("0", "0", None, None),
        ("1", "1", "503", "App Error"),
        ("2", "2", "404", "App Error"),
        ("3", "3", "429", "App Error"),
        ("4", "4", "500", "App Error"),
        ("5", "5", "302", "App Error"),
    ]


def test_retries_after_a_timeout_slow(app_engine: tuple[Handler, Emulator, Any]) -> None:
    """Slow (about 16 s): each first attempt outlasts the shortest dispatch deadline, 15 s."""
    handler, emu, client = app_engine
    retries = fast_retries()
    client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": retries})
    client.create_queue(parent=PARENT, queue={"name": AE_QUEUE, "retry_config": retries})
    for path in ("/late-http", "/late-ae"):
        handler.delay[path] = 17.0  # the first attempt: no answer within 15 s
        handler.answers[path] = [200, 500, 200]  # then a 500, then done
    deadline = {"dispatch_deadline": "15s"}
    http = {"http_request": {"url": handler.url("/late-http")}, **deadline}
    client.create_task(parent=QUEUE, task=http)
    client.create_task(
        parent=AE_QUEUE, task={"app_engine_http_request": {"relative_uri": "/late-ae"}, **deadline}
    )
    handler.wait_for(1, "/late-http")
    handler.wait_for(1, "/late-ae")
    handler.delay.clear()  # the retries are answered at once

    received = handler.wait_for(3, "/late-http", timeout=30)
    assert _counters("X-CloudTasks", received) == [
        ("0", "0", None, None),
        ("1", "0", "504", ""),  # the timeout: 504, and not an execution
        ("2", "1", "500", ""),
    ]
    received = handler.wait_for(3, "/late-ae", timeout=30)
    assert _counters("X-AppEngine", received) == [
        ("0", "0", None, None),
        ("1", "0", "0", "Instance Unavailable"),
        ("2", "1", "500", "App Error"),  # the 500 was answered: it counts
    ]
    emu.wait_until_drained(QUEUE, timeout=5)
    emu.wait_until_drained(AE_QUEUE, timeout=5)
    first = emu.deliveries(QUEUE)[0]
    assert first.status is None and "dispatch deadline" in first.error


def test_after_a_refused_connection_there_is_no_previous_response(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    # Not recorded on the real service: the emulator keeps what it has always done.
    client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": fast_retries()})
    with serving() as closed:
        unreachable = closed.url("/gone")
    client.pause_queue(name=QUEUE)
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": unreachable}})
    client.run_task(name=task.name)
    (refused,) = emu.wait_for_deliveries(1, QUEUE, timeout=10)
    assert refused.status is None and "dispatch deadline" not in refused.error
    # The retry goes to the handler instead.
    client.update_queue(
        queue={"name": QUEUE, "http_target": handler_target(handler, "/work")},
        update_mask={"paths": ["http_target"]},
    )
    client.resume_queue(name=QUEUE)
    (got,) = handler.wait_for(1)
    assert _counters("X-CloudTasks", [got]) == [("1", "0", None, "")]


def test_delivery_sends_one_user_agent_the_one_stored(
    app_engine: tuple[Handler, Emulator, Any],
) -> None:
    handler, emu, client = app_engine
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    own = {"user-agent": "my-app/1.0", "X-Own": "kept"}
    http = client.create_task(
        parent=QUEUE, task={"http_request": {"url": handler.url("/h"), "headers": own}}
    )
    ae = client.create_task(
        parent=QUEUE, task={"app_engine_http_request": {"relative_uri": "/a", "headers": own}}
    )
    assert http.http_request.headers["User-Agent"] == HTTP_AGENT
    assert ae.app_engine_http_request.headers["User-Agent"] == APP_ENGINE_AGENT
    for path, agent in (("/h", HTTP_AGENT), ("/a", APP_ENGINE_AGENT)):
        (got,) = handler.wait_for(1, path)
        assert [v for k, v in got.headers if k.lower() == "user-agent"] == [agent]
        assert got.header("X-Own") == "kept"


# -- the rules themselves ----------------------------------------------------------------


def _app_engine_task() -> m.Task:
    task = m.Task(name=f"{AE_QUEUE}/tasks/t")
    task.app_engine_http_request.relative_uri = "/"
    return task


def _retry_headers(task: m.Task, previous: int | None, executions: int) -> dict[str, str]:
    attempt = d.Attempt(retries=1, executions=executions, previous_status=previous, eta_us=0)
    request = d.request_for(task, m.Queue(name=QUEUE), attempt, "127.0.0.1:9", lambda *a: "")
    return dict(request.headers)


def test_a_timeout_is_504_for_http_tasks_and_0_instance_unavailable_for_app_engine() -> None:
    http = m.Task(name=f"{QUEUE}/tasks/t")
    http.http_request.url = "http://127.0.0.1:9/"
    got = _retry_headers(http, d.TIMED_OUT, 0)
    assert got["X-CloudTasks-TaskPreviousResponse"] == "504"
    assert got["X-CloudTasks-TaskRetryReason"] == ""
    got = _retry_headers(_app_engine_task(), d.TIMED_OUT, 0)
    assert got["X-AppEngine-TaskPreviousResponse"] == "0"
    assert got["X-AppEngine-TaskRetryReason"] == "Instance Unavailable"
    assert got["X-AppEngine-TaskExecutionCount"] == "0"


def test_after_a_refused_connection_app_engine_shows_no_previous_response() -> None:
    got = _retry_headers(_app_engine_task(), None, 1)
    assert "X-AppEngine-TaskPreviousResponse" not in got
    assert got["X-AppEngine-TaskRetryReason"] == "App Error"


@pytest.mark.parametrize(
    ("outcome", "http", "app_engine"),
    [(200, True, True), (404, True, True), (500, True, True), (302, True, True)]
    + [(429, False, True), (503, False, True)]
    + [(d.TIMED_OUT, False, False), (None, False, True)],
)
def test_what_counts_as_an_execution(outcome: int | None, http: bool, app_engine: bool) -> None:
    assert d.counts_as_execution(outcome) is http
    assert d.counts_as_execution(outcome, app_engine=True) is app_engine
