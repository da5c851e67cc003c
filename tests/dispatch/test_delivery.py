"""Tasks reach real handlers: headers, counters, outcomes, retries and the retry schedule."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from google.api_core import exceptions

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator, Settings

from .conftest import PARENT, QUEUE, fast_retries
from .handler import Handler, serving

FULL = tasks_v2.Task.View.FULL


def make_queue(client: Any, **fields: Any) -> Any:
    return client.create_queue(parent=PARENT, queue={"name": QUEUE, **fields})


def test_http_task_is_delivered_with_its_request_and_then_completed(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    make_queue(client)
    task = client.create_task(
        parent=QUEUE,
        task={
            "name": f"{QUEUE}/tasks/first-task",
            "http_request": {
                "url": handler.url("/work?x=1"),
                "http_method": "PUT",
                "headers": {"Content-Type": "application/json", "X-Mixed-Case": "v"},
                "body": b'{"a": 1}',
            },
        },
    )
    (got,) = handler.wait_for(1)
    assert (got.method, got.path, got.body) == ("PUT", "/work?x=1", b'{"a": 1}')
    names = [k for k, _ in got.headers]
    assert "X-Mixed-Case" in names and got.header("Content-Type") == "application/json"
    assert got.header("User-Agent") == "Google-Cloud-Tasks"
    assert got.header("X-CloudTasks-QueueName") == "q"
    assert got.header("X-CloudTasks-TaskName") == "first-task"
    assert got.header("X-CloudTasks-TaskRetryCount") == "0"
    assert got.header("X-CloudTasks-TaskExecutionCount") == "0"
    eta = float(got.header("X-CloudTasks-TaskETA") or 0)
    assert abs(eta - task.schedule_time.timestamp()) < 1e-3
    assert got.header("X-CloudTasks-TaskPreviousResponse") is None
    emu.wait_until_drained(QUEUE, timeout=5)
    with pytest.raises(exceptions.NotFound) as info:
        client.get_task(name=task.name)
    assert info.value.message.startswith("The task no longer exists")
    with pytest.raises(exceptions.AlreadyExists):
        client.create_task(
            parent=QUEUE, task={"name": task.name, "http_request": {"url": "http://127.0.0.1:9/"}}
        )


def test_no_default_content_type_for_http_targets(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    make_queue(client)
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url(), "body": b"raw"}})
    (got,) = handler.wait_for(1)
    assert got.header("Content-Type") is None and got.body == b"raw"


def test_headers_and_counters_across_503_404_200(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    make_queue(client, retry_config=fast_retries(min_backoff="0.3s", max_backoff="3s"))
    handler.answers["/work"] = [503, 404, 200]
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})

    emu.wait_for_deliveries(2, QUEUE)
    between = client.get_task(name=task.name)
    assert (between.dispatch_count, between.response_count) == (2, 2)
    assert between.last_attempt.response_status.code == 5  # NOT_FOUND, from the 404
    assert between.first_attempt.dispatch_time is not None
    assert between.last_attempt.dispatch_time >= between.first_attempt.dispatch_time
    assert between.last_attempt.response_time >= between.last_attempt.dispatch_time

    first, second, third = handler.wait_for(3)
    counts = [
        (
            r.header("X-CloudTasks-TaskRetryCount"),
            r.header("X-CloudTasks-TaskExecutionCount"),
            r.header("X-CloudTasks-TaskPreviousResponse"),
            r.header("X-CloudTasks-TaskRetryReason"),
        )
        for r in (first, second, third)
    ]
    # A 503 is not an execution; the 404 is.
    assert counts == [("0", "0", None, None), ("1", "0", "503", ""), ("2", "1", "404", "")]
    emu.wait_until_drained(QUEUE, timeout=5)
    assert [d.status for d in emu.deliveries(QUEUE)] == [503, 404, 200]
    assert [d.outcome for d in emu.deliveries(QUEUE)] == ["retry", "retry", "delivered"]


def test_app_engine_headers_and_counters_across_503_404_200() -> None:
    with serving() as handler, Emulator(settings=Settings(app_engine_host=handler.host)) as emu:
        client = emu.client()
        make_queue(client, retry_config=fast_retries())
        handler.answers["/ae"] = [503, 404, 200]
        task = client.create_task(
            parent=QUEUE,
            task={
                "name": f"{QUEUE}/tasks/ae-1",
                "app_engine_http_request": {
                    "relative_uri": "/ae",
                    "app_engine_routing": {"service": "worker", "version": "v1"},
                    "body": b"payload",
                    "headers": {"X-Own": "kept"},
                },
            },
        )
        assert task.app_engine_http_request.app_engine_routing.host == f"v1.worker.{handler.host}"
        received = handler.wait_for(3, "/ae")
        emu.wait_until_drained(QUEUE, timeout=5)
        for got in received:
            assert got.method == "POST" and got.body == b"payload"
            assert got.header("Host") == f"v1.worker.{handler.host}"
            assert got.header("X-Own") == "kept"
            assert got.header("Content-Type") == "application/octet-stream"
            assert (
                got.header("User-Agent") == "AppEngine-Google; (+http://code.google.com/appengine)"
            )
            assert got.header("X-AppEngine-QueueName") == "q"
            assert got.header("X-AppEngine-TaskName") == "ae-1"
            assert got.header("X-CloudTasks-TaskName") is None
        counts = [
            (
                r.header("X-AppEngine-TaskRetryCount"),
                r.header("X-AppEngine-TaskExecutionCount"),
                r.header("X-AppEngine-TaskPreviousResponse"),
                r.header("X-AppEngine-TaskRetryReason"),
            )
            for r in received
        ]
        # For App Engine every attempt counts as an execution.
        assert counts == [
            ("0", "0", None, None),
            ("1", "1", "503", "App Error"),
            ("2", "2", "404", "App Error"),
        ]
        client.transport.close()


def test_backoff_schedule_then_max_attempts_deletes_the_task(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    make_queue(client, retry_config=fast_retries(max_attempts=6))
    handler.answers["/work"] = [500]
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    received = handler.wait_for(6, timeout=15)
    emu.wait_until_drained(QUEUE, timeout=5)
    gaps = [b.at - a.at for a, b in zip(received, received[1:], strict=False)]
    # min 0.1 s, max 1 s, 2 doublings: 0.1, 0.2, 0.4, then +0.4 a retry, capped at 1 s.
    for gap, want in zip(gaps, [0.1, 0.2, 0.4, 0.8, 1.0], strict=True):
        assert want - 0.01 <= gap <= want + 0.15, gaps
    assert emu.deliveries(QUEUE)[-1].outcome == "gave up"
    time.sleep(0.3)
    assert len(handler.received) == 6
    with pytest.raises(exceptions.NotFound) as info:
        client.get_task(name=task.name)
    assert info.value.message.startswith("The task no longer exists")


def test_max_retry_duration_keeps_retrying_past_max_attempts(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    policy = fast_retries(
        max_attempts=2, min_backoff="0.2s", max_backoff="0.2s", max_retry_duration="1.2s"
    )
    make_queue(client, retry_config=policy)
    handler.answers["/work"] = [500]
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    emu.wait_until_drained(QUEUE, timeout=10)
    received = list(handler.received)
    # Two attempts are not enough while 1.2 s have not passed since the first.
    assert len(received) >= 5
    assert received[-1].at - received[0].at >= 1.2 - 0.01
    assert received[-2].at - received[0].at < 1.2


def test_refused_connection_is_a_failed_attempt_with_unavailable(
    emu: Emulator, client: Any
) -> None:
    make_queue(client, retry_config=fast_retries(min_backoff="5s", max_backoff="5s"))
    with serving() as gone:
        url = gone.url()
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": url}})
    (attempt,) = emu.wait_for_deliveries(1, QUEUE)
    assert attempt.status is None and "cannot connect" in attempt.error
    after = client.get_task(name=task.name)
    assert (after.dispatch_count, after.response_count) == (1, 0)
    assert after.last_attempt.response_status.code == 14  # UNAVAILABLE
    assert after.schedule_time.timestamp() > time.time() + 3  # retried in 5 s


def test_each_attempt_logs_one_line(
    emu: Emulator, client: Any, handler: Handler, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="google.cloud.tasks.emulator.dispatch")
    make_queue(client, retry_config=fast_retries())
    handler.answers["/work"] = [503, 200]
    client.create_task(
        parent=QUEUE,
        task={
            "name": f"{QUEUE}/tasks/logged",
            "http_request": {
                "url": handler.url(),
                "oidc_token": {"service_account_email": "sa@p.iam.gserviceaccount.com"},
            },
        },
    )
    emu.wait_for_deliveries(2, QUEUE)
    lines = [r.getMessage() for r in caplog.records if r.name.endswith(".dispatch")]
    assert len(lines) == 2
    assert lines[0].startswith("deliver q/logged attempt 1: 503 in ")
    assert lines[0].endswith("(retry in 0.1 s)")
    assert lines[1].startswith("deliver q/logged attempt 2: 200 in ")
    assert all("Bearer" not in line and "ey" not in line.split()[-1] for line in lines)


def test_one_slow_handler_never_delays_another_queue(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    slow = f"{PARENT}/queues/slow"
    client.create_queue(parent=PARENT, queue={"name": slow})
    make_queue(client)
    handler.delay["/slow"] = 2.0
    for _ in range(5):
        client.create_task(parent=slow, task={"http_request": {"url": handler.url("/slow")}})
    handler.wait_for(5, "/slow")
    started = time.monotonic()
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url("/fast")}})
    (fast,) = handler.wait_for(1, "/fast")
    assert fast.at - started < 0.5
    emu.wait_until_drained(timeout=10)


def test_an_attempt_in_flight_is_counted_before_its_answer(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    make_queue(client)
    handler.delay["/work"] = 1.0
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    handler.wait_for(1)
    in_flight = client.get_task(name=task.name)
    assert (in_flight.dispatch_count, in_flight.response_count) == (1, 0)
    assert in_flight.first_attempt.dispatch_time == in_flight.last_attempt.dispatch_time
    emu.wait_until_drained(QUEUE, timeout=5)


def test_wait_helpers_refuse_names_that_are_not_queues(emu: Emulator, client: Any) -> None:
    make_queue(client)
    with pytest.raises(ValueError, match="full queue name"):
        emu.wait_until_drained("q")
    with pytest.raises(ValueError, match="no queue"):
        emu.wait_until_drained(QUEUE + "-missing", timeout=1)
    with pytest.raises(ValueError, match="full queue name"):
        emu.wait_for_deliveries(1, "q")
    with pytest.raises(ValueError, match="full queue name"):
        emu.deliveries("q")
