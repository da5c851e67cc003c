"""Queues are isolated: a queue whose handler hangs never stops the others.

The hanging handler is a real server on 127.0.0.1 that reads each request
and never answers, so every delivery to it stays in flight until its
dispatch deadline; the other queue's handler answers at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.delivery import dispatcher

from .conftest import PARENT
from .handler import Handler, Hanging

HANGS = f"{PARENT}/queues/hangs"
STEADY = f"{PARENT}/queues/steady"


@pytest.fixture
def hanging() -> Iterator[Hanging]:
    server = Hanging()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def own_emulator() -> Iterator[Emulator]:
    """An emulator of the test's own: its hanging deliveries end with it, not after the test."""
    with Emulator() as emu:
        yield emu


def fill(client: Any, queue: str, url: str, count: int, **fields: Any) -> None:
    """A paused ``queue`` holding ``count`` tasks for ``url`` (a ten-minute deadline)."""
    client.create_queue(parent=PARENT, queue={"name": queue, **fields})
    client.pause_queue(name=queue)
    task = {"http_request": {"url": url}, "dispatch_deadline": "600s"}
    for _ in range(count):
        client.create_task(parent=queue, task=task)


def test_a_hanging_handler_leaves_another_queue_its_rate(
    own_emulator: Emulator, hanging: Hanging, handler: Handler
) -> None:
    client = own_emulator.client()
    fill(client, HANGS, hanging.url(), 300)  # default limits: 1,000 concurrent
    fill(client, STEADY, handler.url(), 20, rate_limits={"max_dispatches_per_second": 10})
    client.resume_queue(name=HANGS)
    # The hanging queue takes every slot it may: all it can take alone.
    hanging.wait_open(dispatcher.SHARED_IN_FLIGHT, timeout=15)
    client.resume_queue(name=STEADY)
    started = time.monotonic()
    # At 10/s (a burst of 2 first) the 20 tasks take about 2 s; starved, they take minutes.
    received = handler.wait_for(20, timeout=10)
    assert len(received) == 20
    assert received[-1].at - started < 6.0
    own_emulator.wait_until_drained(STEADY, timeout=5)
    assert hanging.most_open == dispatcher.SHARED_IN_FLIGHT
    assert hanging.open == dispatcher.SHARED_IN_FLIGHT
    client.transport.close()


def test_a_hanging_queue_holds_exactly_its_max_concurrent_dispatches(
    own_emulator: Emulator, hanging: Hanging, handler: Handler
) -> None:
    client = own_emulator.client()
    limits = {"max_concurrent_dispatches": 40}
    fill(client, HANGS, hanging.url(), 100, rate_limits=limits)
    fill(client, STEADY, handler.url(), 30, rate_limits={"max_concurrent_dispatches": 2})
    handler.delay["/work"] = 0.05
    client.resume_queue(name=HANGS)
    client.resume_queue(name=STEADY)
    hanging.wait_open(40, timeout=10)
    handler.wait_for(30, timeout=10)
    own_emulator.wait_until_drained(STEADY, timeout=5)
    time.sleep(0.3)  # any delivery past the limit would have reached the handler by now
    assert hanging.most_open == 40
    assert handler.most_in_flight == 2
    client.transport.close()
