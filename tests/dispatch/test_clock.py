"""The emulator's clock: everything time-derived follows it, and a test can move it.

Most tests use the plugin's ``cloud_tasks_emulator_manual_clock`` fixture: a
clock that stands still until moved, so nothing here waits in real time for a
schedule, a backoff or a lease.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
from google.api_core import exceptions
from google.auth import jwt
from google.protobuf import timestamp_pb2

from google.cloud import tasks_v2, tasks_v2beta2
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.pytest_plugin import (  # noqa: F401
    _cloud_tasks_emulator_manual_session,
    cloud_tasks_emulator_manual_clock,
)

from .conftest import PARENT, QUEUE, fast_retries
from .handler import Handler, Hanging

HOUR = 3600.0


@pytest.fixture
def manual(cloud_tasks_emulator_manual_clock: Emulator) -> Emulator:  # noqa: F811
    return cloud_tasks_emulator_manual_clock


@pytest.fixture
def mclient(manual: Emulator) -> Iterator[Any]:
    with manual.client() as c:
        yield c


def _queue(client: Any, **retry: Any) -> None:
    queue: dict[str, Any] = {"name": QUEUE}
    if retry:
        queue["retry_config"] = retry
    client.create_queue(parent=PARENT, queue=queue)


def _at(seconds_from_now: float, emu: Emulator) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(emu.clock.now() + datetime.timedelta(seconds=seconds_from_now))
    return ts


def _http(url: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _rfc3339(value: str) -> datetime.datetime:
    ts = timestamp_pb2.Timestamp()
    ts.FromJsonString(value)
    return ts.ToDatetime(tzinfo=datetime.timezone.utc)


# -- moving the clock --------------------------------------------------------------------


def test_a_manual_clock_stands_still_and_moves_only_forward(manual: Emulator) -> None:
    before = manual.clock.now()
    time.sleep(0.05)
    assert manual.clock.now() == before
    assert manual.clock.mode == "manual"
    assert manual.clock.advance(90) == before + datetime.timedelta(seconds=90)
    assert manual.clock.advance(datetime.timedelta(minutes=1)) == before + datetime.timedelta(
        seconds=150
    )
    later = before + datetime.timedelta(days=2)
    assert manual.clock.set(later) == later
    with pytest.raises(ValueError, match="only moves forward"):
        manual.clock.set(before)
    with pytest.raises(ValueError, match="only moves forward"):
        manual.clock.advance(-1)
    with pytest.raises(TypeError):
        manual.clock.advance("10")  # type: ignore[arg-type]
    assert manual.clock.now() == later


def test_a_system_clock_runs_and_advancing_adds_an_offset() -> None:
    with Emulator(dispatch=False) as emu:
        assert emu.clock.mode == "system"
        start = emu.clock.now()
        time.sleep(0.05)
        assert emu.clock.now() > start
        emu.clock.advance(hours=5)
        real = datetime.datetime.now(datetime.timezone.utc)
        ahead = (emu.clock.now() - real).total_seconds()
        assert 5 * HOUR - 5 < ahead < 5 * HOUR + 5


def test_the_http_clock_endpoints(manual: Emulator) -> None:
    base = manual.http_url + "/_emulator/clock"
    status, answer = _http(base)
    assert status == 200 and answer["mode"] == "manual"
    start = _rfc3339(answer["now"])
    assert start == manual.clock.now()

    status, answer = _http(base + ":advance", {"seconds": 600})
    assert status == 200
    assert _rfc3339(answer["now"]) == start + datetime.timedelta(seconds=600)

    target = start + datetime.timedelta(days=3)
    status, answer = _http(base + ":set", {"now": target.isoformat().replace("+00:00", "Z")})
    assert status == 200 and _rfc3339(answer["now"]) == target == manual.clock.now()

    for path, body in (
        (":set", {"now": start.isoformat().replace("+00:00", "Z")}),
        (":advance", {"seconds": -1}),
        (":advance", {"seconds": "soon"}),
        (":set", {"now": "yesterday"}),
        (":advance", {"seconds": 1e300}),  # past the year 9999
        (":set", {"now": "9999-12-31T00:00:00Z"}),
        (":advance", {"seconds": 60, "wait": "yes"}),
    ):
        status, answer = _http(base + path, body)
        assert status == 400, (path, body, answer)
        assert answer["error"]["status"] == "INVALID_ARGUMENT"
        assert answer["error"]["message"]
    assert manual.clock.now() == target  # refused moves moved nothing
    status, answer = _http(base + ":advance", {"seconds": 60, "wait": True})
    assert status == 200 and _rfc3339(answer["now"]) == target + datetime.timedelta(minutes=1)


def test_a_move_that_waits_too_long_says_the_clock_moved(manual: Emulator, mclient: Any) -> None:
    base = manual.http_url + "/_emulator/clock"
    status, answer = _http(base + ":advance", {"secs": 5})
    assert status == 400 and "'secs'" in answer["error"]["message"]
    hanging = Hanging()
    try:
        _queue(mclient)
        eta = _at(60, manual)
        task = {"http_request": {"url": hanging.url()}, "schedule_time": eta}
        mclient.create_task(parent=QUEUE, task=task)
        before = manual.clock.now()
        status, answer = _http(
            base + ":advance", {"seconds": 60, "wait": True, "timeoutSeconds": 1}
        )
        assert status == 504, answer
        assert answer["error"]["status"] == "DEADLINE_EXCEEDED"
        assert "do not repeat the move" in answer["error"]["message"]
        assert manual.clock.now() == before + datetime.timedelta(seconds=60)  # it did move
    finally:
        manual.reset()  # the held delivery is cut short with its queue
        hanging.close()


# -- delivery follows the clock ------------------------------------------------------------


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_a_task_a_day_ahead_is_delivered_when_the_clock_gets_there(
    manual: Emulator, handler: Handler, transport: str
) -> None:
    with manual.client(transport=transport) as client:
        _queue(client)
        eta = _at(24 * HOUR, manual)
        client.create_task(
            parent=QUEUE,
            task={"http_request": {"url": handler.url("/later")}, "schedule_time": eta},
        )
        time.sleep(0.3)
        assert handler.received == []
        manual.clock.advance(hours=23, wait=True)
        assert handler.received == []
        started = time.monotonic()
        manual.clock.advance(hours=1, wait=True)
        took = time.monotonic() - started
    [got] = handler.wait_for(1, "/later", timeout=3)
    # not a day later: at once (hundredths of a second; the bound allows a loaded machine)
    assert took < 3.0, f"the delivery took {took:.2f} s after the move"
    assert got.header("X-CloudTasks-TaskETA") == f"{eta.seconds}.{eta.nanos // 1000:06d}"


def test_a_retry_waits_for_its_backoff_on_the_clock(
    manual: Emulator, mclient: Any, handler: Handler
) -> None:
    _queue(mclient, min_backoff="600s", max_backoff="3600s", max_attempts=5)
    handler.answers["/flaky"] = [503, 200]
    mclient.create_task(parent=QUEUE, task={"http_request": {"url": handler.url("/flaky")}})
    # The backoff counts from the attempt's end: wait until it is recorded, then move.
    manual.wait_for_deliveries(1, QUEUE)
    manual.clock.advance(minutes=9, wait=True)
    time.sleep(0.3)
    assert len(handler.received) == 1  # 9 of the 10 minutes: not yet
    manual.clock.advance(minutes=1, wait=True)
    assert len(handler.wait_for(2, "/flaky", timeout=1)) == 2
    manual.wait_until_drained(QUEUE, timeout=5)


def test_max_retry_duration_is_measured_on_the_clock(
    manual: Emulator, mclient: Any, handler: Handler
) -> None:
    retry = {"min_backoff": "60s", "max_backoff": "60s", "max_retry_duration": "3600s"}
    _queue(mclient, max_attempts=2, **retry)  # given up once both limits are spent
    handler.answers["/down"] = [500]
    mclient.create_task(parent=QUEUE, task={"http_request": {"url": handler.url("/down")}})
    manual.wait_for_deliveries(1, QUEUE)
    manual.clock.advance(minutes=1, wait=True)
    assert len(handler.received) == 2
    assert list(mclient.list_tasks(parent=QUEUE))  # two attempts, but an hour not yet spent
    manual.clock.advance(hours=2, wait=True)  # past the retry duration: the last attempt
    assert len(handler.received) == 3
    manual.wait_until_drained(QUEUE, timeout=5)


def test_attempt_and_task_times_are_the_clocks(
    manual: Emulator, mclient: Any, handler: Handler
) -> None:
    manual.clock.advance(days=400)  # far from the machine's time
    _queue(mclient, **fast_retries(max_attempts=3))
    handler.answers["/t"] = [500, 200]
    created_at = manual.clock.now()
    task = mclient.create_task(
        request={"parent": QUEUE, "task": {"http_request": {"url": handler.url("/t")}}}
    )
    assert task.create_time == created_at and task.schedule_time == created_at
    manual.wait_for_deliveries(1, QUEUE)
    stored = mclient.get_task(request={"name": task.name, "response_view": "FULL"})
    assert stored.first_attempt.dispatch_time == created_at
    assert isinstance(stored, tasks_v2.Task)
    manual.clock.advance(seconds=5, wait=True)
    handler.wait_for(2, "/t")
    [first, second] = manual.deliveries(QUEUE)
    assert datetime.datetime.fromtimestamp(first.at, datetime.timezone.utc) == created_at
    assert abs(second.at - first.at - 5) < 1e-6  # the attempt times are the clock's


def test_tasks_made_due_by_a_move_go_in_schedule_order(
    manual: Emulator, mclient: Any, handler: Handler
) -> None:
    mclient.create_queue(
        parent=PARENT, queue={"name": QUEUE, "rate_limits": {"max_concurrent_dispatches": 1}}
    )
    for hours in (3, 1, 5, 2, 4):
        task = {"http_request": {"url": handler.url(f"/h{hours}")}}
        mclient.create_task(parent=QUEUE, task={**task, "schedule_time": _at(hours * HOUR, manual)})
    manual.clock.advance(hours=6, wait=True)  # one at a time: wait=True waits for all five
    assert [r.path for r in handler.received] == ["/h1", "/h2", "/h3", "/h4", "/h5"]


def test_waiting_for_a_drain_on_a_standing_clock_says_why(manual: Emulator, mclient: Any) -> None:
    _queue(mclient)
    task = {"http_request": {"url": "http://127.0.0.1:9/"}, "schedule_time": _at(HOUR, manual)}
    mclient.create_task(parent=QUEUE, task=task)
    with pytest.raises(TimeoutError, match=r"clock is manual.*emu\.clock\.advance"):
        manual.wait_until_drained(QUEUE, timeout=0.2)


def test_rate_limits_refill_on_the_clock(manual: Emulator, mclient: Any, handler: Handler) -> None:
    mclient.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "rate_limits": {"max_dispatches_per_second": 1}},
    )  # a bucket of one token, refilled once a second of the clock
    for n in range(4):
        mclient.create_task(parent=QUEUE, task={"http_request": {"url": handler.url(f"/r{n}")}})
    manual.clock.advance(0, wait=True)
    time.sleep(1.5)  # a second and more of real time earns nothing
    assert len(handler.received) == 1
    manual.clock.advance(seconds=1, wait=True)
    assert len(handler.wait_for(2, timeout=1)) == 2
    manual.clock.advance(seconds=2, wait=True)  # two seconds, but a bucket of one
    time.sleep(0.3)
    assert len(handler.received) == 3


# -- the rest of the service's times ------------------------------------------------------


def test_the_schedule_limit_is_720_hours_of_the_clock(manual: Emulator, mclient: Any) -> None:
    _queue(mclient)
    eta = timestamp_pb2.Timestamp()
    eta.FromDatetime(manual.clock.now() + datetime.timedelta(hours=800))
    task = {"http_request": {"url": "http://127.0.0.1:9/"}, "schedule_time": eta}
    with pytest.raises(exceptions.InvalidArgument, match="720h"):
        mclient.create_task(parent=QUEUE, task=task)
    manual.clock.advance(hours=100)
    assert mclient.create_task(parent=QUEUE, task=task).schedule_time.timestamp() == (
        eta.seconds + eta.nanos / 1e9
    )


def test_name_reuse_windows_follow_the_clock(manual: Emulator, mclient: Any) -> None:
    _queue(mclient)
    name = f"{QUEUE}/tasks/once"

    def task() -> dict[str, Any]:
        target = {"url": "http://127.0.0.1:9/"}
        return {"name": name, "http_request": target, "schedule_time": _at(HOUR, manual)}

    mclient.create_task(parent=QUEUE, task=task())
    mclient.delete_task(name=name)
    with pytest.raises(exceptions.AlreadyExists):
        mclient.create_task(parent=QUEUE, task=task())
    settings = manual.settings
    manual.clock.advance(settings.task_tombstone_seconds + 1)
    mclient.create_task(parent=QUEUE, task=task())

    mclient.delete_queue(name=QUEUE)
    with pytest.raises(exceptions.FailedPrecondition):
        _queue(mclient)
    manual.clock.advance(settings.queue_tombstone_seconds + 1)
    _queue(mclient)


def test_pull_leases_expire_on_the_clock(manual: Emulator) -> None:
    with manual.client("v2beta2") as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE, "pull_target": {}})
        client.create_task(parent=QUEUE, task={"pull_message": {"payload": b"job"}})
        lease = {"parent": QUEUE, "max_tasks": 1, "lease_duration": {"seconds": 60}}
        [leased] = client.lease_tasks(request=lease).tasks
        assert leased.schedule_time == manual.clock.now() + datetime.timedelta(seconds=60)
        time.sleep(0.2)
        assert client.lease_tasks(request=lease).tasks == []
        manual.clock.advance(seconds=61)
        [again] = client.lease_tasks(request=lease).tasks
        assert again.name == leased.name
        assert isinstance(again, tasks_v2beta2.Task)


def test_oidc_tokens_stay_on_real_time(manual: Emulator, mclient: Any, handler: Handler) -> None:
    manual.clock.advance(days=30)
    _queue(mclient)
    mclient.create_task(
        parent=QUEUE,
        task={
            "http_request": {
                "url": handler.url("/oidc"),
                "oidc_token": {"service_account_email": "sa@proj.iam.gserviceaccount.com"},
            }
        },
    )
    [got] = handler.wait_for(1, "/oidc")
    token = (got.header("Authorization") or "").removeprefix("Bearer ")
    claims = jwt.decode(token, verify=False)
    assert abs(claims["iat"] - time.time()) < 60  # the machine's time, not 30 days on
    assert claims["exp"] > time.time()


# -- the command line ------------------------------------------------------------------


def test_the_cli_starts_a_manual_clock_and_refuses_a_bad_one(tmp_path: Any) -> None:
    with cli_process.running("--port", "0", "--clock", "manual", "--no-dispatch") as (
        process,
        host,
        _,
    ):
        status, answer = _http(f"http://{host}/_emulator/clock")
        assert status == 200 and answer["mode"] == "manual"
        first = answer["now"]
        time.sleep(0.1)
        assert _http(f"http://{host}/_emulator/clock")[1]["now"] == first
        status, answer = _http(f"http://{host}/_emulator/clock:advance", {"seconds": 3600})
        assert _rfc3339(answer["now"]) - _rfc3339(first) == datetime.timedelta(hours=1)
        cli_process.end(process)
    bad = subprocess.run(
        [sys.executable, "-m", "google.cloud.tasks.emulator", "start", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "CLOUD_TASKS_EMULATOR_CLOCK": "sundial"},
    )
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "sundial" in bad.stderr and "manual" in bad.stderr
