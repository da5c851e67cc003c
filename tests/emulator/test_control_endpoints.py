"""The ``/_emulator/`` control endpoints: a queue's tasks with their attempts, queue names
as people type them, and verbs an endpoint does not answer."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests
from dispatch.handler import Handler, serving

from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE

OTHER_PARENT = "projects/other/locations/europe-west1"


@pytest.fixture(scope="module")
def delivering() -> Iterator[Emulator]:
    """An emulator that delivers (the session's does not), for tasks with attempts."""
    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def emu(delivering: Emulator) -> Emulator:
    delivering.reset()
    return delivering


@pytest.fixture
def handler() -> Iterator[Handler]:
    with serving() as h:
        yield h


@pytest.fixture
def client(emu: Emulator) -> Iterator[Any]:
    with emu.client() as c:
        yield c


def tasks_of(emu: Emulator, queue: str) -> requests.Response:
    return requests.get(f"{emu.http_url}/_emulator/queues/{queue}/tasks", timeout=5)


def test_each_task_lists_its_recorded_attempts(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    retry = {"min_backoff": "0.1s", "max_backoff": "0.1s", "max_attempts": 5}
    client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": retry})
    handler.answers["/failing"] = [503]  # always
    handler.answers["/flaky"] = [503, 500, 200]
    for task_id in ("failing", "flaky"):
        client.create_task(
            parent=QUEUE,
            task={
                "name": f"{QUEUE}/tasks/{task_id}",
                "http_request": {"url": handler.url(f"/{task_id}")},
            },
        )
    handler.wait_for(3, "/flaky")
    handler.wait_for(2, "/failing")
    emu.wait_for_deliveries(5, QUEUE)

    answer = tasks_of(emu, QUEUE)
    assert answer.status_code == 200, answer.text
    (task,) = answer.json()["tasks"]  # "flaky" was delivered and left the queue
    assert task["name"] == f"{QUEUE}/tasks/failing"
    attempts = task["attempts"]
    assert len(attempts) >= 2
    assert [a["attempt"] for a in attempts] == list(range(1, len(attempts) + 1))
    first = attempts[0]
    assert first["responseStatus"] == 503 and first["outcome"] == "retry"
    assert first["httpMethod"] == "POST" and first["url"] == handler.url("/failing")
    assert first["dispatchTime"].endswith("Z") and first["latencyMs"] >= 0
    assert "error" not in first


def test_an_attempt_without_an_answer_says_why(emu: Emulator, client: Any) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.create_task(parent=QUEUE, task={"http_request": {"url": "http://127.0.0.1:9/"}})
    emu.wait_for_deliveries(1, QUEUE)

    ((attempt, *_),) = [t["attempts"] for t in tasks_of(emu, QUEUE).json()["tasks"]]
    assert attempt["responseStatus"] is None
    assert "cannot connect to 127.0.0.1:9" in attempt["error"]


def test_a_queue_is_found_by_its_full_name_encoded_or_not_and_by_its_id(
    emu: Emulator, client: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    client.create_task(parent=QUEUE, task={"http_request": {"url": "http://127.0.0.1:9/"}})

    for given in (QUEUE, quote(QUEUE, safe=""), "q"):
        answer = tasks_of(emu, given)
        assert answer.status_code == 200, (given, answer.text)
        (task,) = answer.json()["tasks"]
        assert task["name"].startswith(f"{QUEUE}/tasks/") and task["attempts"] == []


def test_an_id_of_no_queue_or_of_several_is_refused(emu: Emulator, client: Any) -> None:
    missing = tasks_of(emu, "q")
    assert missing.status_code == 404
    assert missing.json()["error"]["status"] == "NOT_FOUND"
    assert 'No queue has the id "q"' in missing.json()["error"]["message"]

    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.create_queue(parent=OTHER_PARENT, queue={"name": f"{OTHER_PARENT}/queues/q"})
    several = tasks_of(emu, "q")
    assert several.status_code == 400
    error = several.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert f"{OTHER_PARENT}/queues/q" in error["message"] and QUEUE in error["message"]


@pytest.mark.parametrize(
    "verb, path, answers",
    [
        ("GET", "reset", "POST"),
        ("POST", "health", "GET"),
        ("DELETE", "queues", "GET"),
        ("POST", f"queues/{QUEUE}/tasks", "GET"),
    ],
)
def test_a_verb_an_endpoint_does_not_answer_is_not_found_naming_the_one_it_does(
    emu: Emulator, verb: str, path: str, answers: str
) -> None:
    """As for a REST path asked with a verb it has no binding for: 404 NOT_FOUND, in
    Google's JSON error format, here with the verb to use."""
    answer = requests.request(
        verb,
        f"{emu.http_url}/_emulator/{path}",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert (error["code"], error["status"]) == (404, "NOT_FOUND")
    assert error["message"] == (
        f"/_emulator/{path} answers {answers}, not {verb}: use {answers} /_emulator/{path}."
    )


def test_a_body_over_the_limit_is_refused_and_logged(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"{emu.http_url}/v2/{QUEUE}/tasks"
    big = b"x" * (40 << 20)
    headers = {"Content-Type": "application/json"}
    with caplog.at_level(logging.INFO, logger="google.cloud.tasks.emulator"):
        sized = requests.post(url, data=big, headers=headers, timeout=60)
        halves = iter([big[: 20 << 20], big[20 << 20 :]])
        chunked = requests.post(url, data=halves, headers=headers, timeout=60)
    for answer in (sized, chunked):
        assert answer.status_code == 400
        assert answer.json()["error"]["message"] == (
            "Request payload size exceeds the limit: 33554432 bytes."
        )
    logged = [r.getMessage() for r in caplog.records if "payload size exceeds" in r.getMessage()]
    assert len(logged) == 2, logged
    assert all(f"POST /v2/{QUEUE}/tasks -> INVALID_ARGUMENT" in line for line in logged)
