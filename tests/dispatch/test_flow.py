"""Flow control: rate, concurrency, pause, resume, purge, RunTask and the dispatch deadline."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator

from .conftest import PARENT, QUEUE, fast_retries
from .handler import Handler


def paused_queue_with(client: Any, handler: Handler, count: int, **fields: Any) -> list[Any]:
    """A paused queue holding ``count`` tasks for ``handler``."""
    client.create_queue(parent=PARENT, queue={"name": QUEUE, **fields})
    client.pause_queue(name=QUEUE)
    return [
        client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
        for _ in range(count)
    ]


def test_ten_per_second_queue_delivers_at_ten_per_second(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    queue = client.create_queue(
        parent=PARENT, queue={"name": QUEUE, "rate_limits": {"max_dispatches_per_second": 10}}
    )
    assert queue.rate_limits.max_burst_size == 2
    client.pause_queue(name=QUEUE)
    for _ in range(100):
        client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    client.resume_queue(name=QUEUE)
    received = handler.wait_for(100, timeout=20)
    # After the first burst (the bucket starts full), the bucket refills at 10 a second.
    steady = received[queue.rate_limits.max_burst_size :]
    rate = (len(steady) - 1) / (steady[-1].at - steady[0].at)
    assert 9.0 <= rate <= 11.0, rate


def test_concurrency_never_exceeds_max_concurrent_dispatches(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    handler.delay["/work"] = 0.2
    paused_queue_with(client, handler, 12, rate_limits={"max_concurrent_dispatches": 3})
    client.resume_queue(name=QUEUE)
    handler.wait_for(12, timeout=10)
    emu.wait_until_drained(QUEUE, timeout=5)
    assert handler.most_in_flight == 3


def test_pause_stops_dispatch_and_resume_restarts_it(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    paused_queue_with(client, handler, 3)
    time.sleep(0.5)
    assert handler.received == []
    assert len(list(client.list_tasks(parent=QUEUE))) == 3
    client.resume_queue(name=QUEUE)
    handler.wait_for(3)
    emu.wait_until_drained(QUEUE, timeout=5)


def test_purged_tasks_are_never_delivered(emu: Emulator, client: Any, handler: Handler) -> None:
    paused_queue_with(client, handler, 5)
    client.purge_queue(name=QUEUE)
    client.resume_queue(name=QUEUE)
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url("/after")}})
    handler.wait_for(1, "/after")
    time.sleep(0.3)
    assert [r.path for r in handler.received] == ["/after"]


def test_run_task_dispatches_at_once_in_a_paused_queue(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    later = tasks_v2.Task(
        http_request=tasks_v2.HttpRequest(url=handler.url("/run")),
        schedule_time={"seconds": int(time.time()) + 3600},
    )
    paused_queue_with(client, handler, 0)
    task = client.create_task(parent=QUEUE, task=later)
    ran = client.run_task(name=task.name)
    # The answer is the task as dispatched: its attempt counted, the answer not yet in.
    assert ran.dispatch_count == 1 and ran.response_count == 0
    assert ran.last_attempt.dispatch_time is not None
    (got,) = handler.wait_for(1, "/run")
    assert got.header("X-CloudTasks-TaskRetryCount") == "0"
    emu.wait_until_drained(QUEUE, timeout=5)


def test_run_task_failure_reschedules_by_the_retry_policy(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    handler.answers["/work"] = [500, 200]
    (task,) = paused_queue_with(
        client, handler, 1, retry_config=fast_retries(min_backoff="2s", max_backoff="2s")
    )
    client.run_task(name=task.name)
    emu.wait_for_deliveries(1, QUEUE)
    after = client.get_task(name=task.name)
    assert after.dispatch_count == 1 and after.response_count == 1
    wait = after.schedule_time.timestamp() - after.last_attempt.dispatch_time.timestamp()
    assert 1.9 <= wait <= 2.3
    # Still paused: the retry waits for RunTask or ResumeQueue.
    time.sleep(2.3)
    assert len(handler.received) == 1
    client.resume_queue(name=QUEUE)
    handler.wait_for(2)
    emu.wait_until_drained(QUEUE, timeout=5)


def test_handler_slower_than_the_dispatch_deadline_is_a_failed_attempt(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    handler.delay["/slow"] = 17.0
    client.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "retry_config": fast_retries(min_backoff="30s", max_backoff="30s")},
    )
    task = client.create_task(
        parent=QUEUE,
        task={"http_request": {"url": handler.url("/slow")}, "dispatch_deadline": "15s"},
    )
    (attempt,) = emu.wait_for_deliveries(1, QUEUE, timeout=25)
    assert attempt.status is None and "dispatch deadline" in attempt.error
    assert 14.9 <= attempt.latency < 16.5
    after = client.get_task(name=task.name)
    assert (after.dispatch_count, after.response_count) == (1, 0)
    assert after.last_attempt.response_status.code == 4  # DEADLINE_EXCEEDED


def test_pull_tasks_are_never_delivered_but_leased(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    beta = emu.client("v2beta2")
    beta.create_queue(parent=PARENT, queue={"name": QUEUE, "pull_target": {}})
    beta.create_task(parent=QUEUE, task={"pull_message": {"payload": b"p", "tag": "t"}})
    time.sleep(0.3)
    assert emu.deliveries() == []
    leased = beta.lease_tasks(
        request={
            "parent": QUEUE,
            "lease_duration": {"seconds": 60},
            "max_tasks": 10,
            "response_view": "FULL",
        }
    )
    assert [t.pull_message.payload for t in leased.tasks] == [b"p"]
    beta.transport.close()


def test_each_rpc_logs_one_debug_line(
    emu: Emulator, client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="google.cloud.tasks.emulator")
    client.list_queues(parent=PARENT)
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert lines == ["/google.cloud.tasks.v2.CloudTasks/ListQueues -> OK"]
