"""Validation messages in the real service's words, and locations that agree with ListLocations.

Each refusal is checked three ways: our client over gRPC, our client over
REST, and raw HTTP JSON to the emulator's address; code and message exactly.
The messages marked "recorded" are the real Cloud Tasks service's answers
(v2); the others follow the same conventions (``MessageType.camelCaseField``,
"cannot be negative.", "must be less than or equal to N.", "is required.").
A v2beta2 request hears its own version's name where that version names a
field otherwise (``RateLimits.maxTasksDispatchedPerSecond``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import grpc
import pytest
import requests
from google.api_core import exceptions
from google.protobuf import json_format

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.service import rules
from google.cloud.tasks.emulator.service.model import Settings

from .helpers import PARENT, QUEUE

VERSIONS = ["v2", "v2beta3", "v2beta2"]
PULL_QUEUE = f"{PARENT}/queues/pull"
URL = "https://example.com/work"
Request = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """One refused call: the RPC, its request in each version, and the message."""

    id: str
    rpc: str
    request: Request
    message: str
    versions: tuple[str, ...] = tuple(VERSIONS)


def queue(rate: dict[str, Any] | None = None, retry: dict[str, Any] | None = None) -> Request:
    """A CreateQueue request with v2 field names, renamed for v2beta2."""

    def build(version: str) -> dict[str, Any]:
        q: dict[str, Any] = {"name": QUEUE}
        if rate:
            names = {
                "max_dispatches_per_second": "max_tasks_dispatched_per_second",
                "max_concurrent_dispatches": "max_concurrent_tasks",
            }
            q["rate_limits"] = {
                (names.get(k, k) if version == "v2beta2" else k): v for k, v in rate.items()
            }
        if retry:
            q["retry_config"] = retry
        return {"parent": PARENT, "queue": q}

    return build


def task(**fields: Any) -> Request:
    """A CreateTask request into ``QUEUE`` (App Engine fields renamed for v2beta2)."""

    def build(version: str) -> dict[str, Any]:
        t = dict(fields)
        app = t.get("app_engine_http_request")
        if version == "v2beta2" and app is not None:
            t["app_engine_http_request"] = {
                ("relative_url" if k == "relative_uri" else k): v for k, v in app.items()
            }
        return {"parent": QUEUE, "task": t}

    return build


def lease(**fields: Any) -> Request:
    return lambda version: {"parent": PULL_QUEUE, **fields}


NOT_V2BETA2 = ("v2", "v2beta3")  # v2beta2 tasks have no dispatch deadline

CASES = [
    # recorded
    Case(
        "rate-negative",
        "CreateQueue",
        queue(rate={"max_dispatches_per_second": -1}),
        "RateLimits.maxDispatchesPerSecond cannot be negative.",
    ),
    Case(
        "rate-too-large",
        "CreateQueue",
        queue(rate={"max_dispatches_per_second": 501}),
        "RateLimits.maxDispatchesPerSecond must be less than or equal to 500.",
    ),
    Case(
        "attempts-below-unlimited",
        "CreateQueue",
        queue(retry={"max_attempts": -2}),
        "RetryConfig.maxAttempts must be greater or equal to -1.",
    ),
    Case(
        "min-backoff-above-max",
        "CreateQueue",
        queue(retry={"min_backoff": "10s", "max_backoff": "5s"}),
        "RetryConfig.minBackoff must be less than or equal to RetryConfig.maxBackoff.",
    ),
    Case(
        "url-empty",
        "CreateTask",
        task(http_request={"url": ""}),
        "HttpRequest.url is required.",
    ),
    Case(
        "url-without-scheme",
        "CreateTask",
        task(http_request={"url": "example.com/work"}),
        "HttpTarget.url must start with 'http://' or 'https://'.",
    ),
    Case(
        "url-of-another-scheme",
        "CreateTask",
        task(http_request={"url": "ftp://example.com/work"}),
        "HttpTarget.url must start with 'http://' or 'https://'.",
    ),
    Case(
        "http-deadline-too-short",
        "CreateTask",
        task(http_request={"url": URL}, dispatch_deadline="14s"),
        "Task.dispatchDeadline must be between [15s, 30m].",
        NOT_V2BETA2,
    ),
    Case(
        "http-deadline-too-long",
        "CreateTask",
        task(http_request={"url": URL}, dispatch_deadline="1801s"),
        "Task.dispatchDeadline must be between [15s, 30m].",
        NOT_V2BETA2,
    ),
    Case(
        "app-engine-deadline-too-long",
        "CreateTask",
        task(app_engine_http_request={"relative_uri": "/w"}, dispatch_deadline="87216s"),
        "Task.dispatchDeadline must be between [15s, 24h15s].",
        NOT_V2BETA2,
    ),
    Case(
        "schedule-too-far-ahead",
        "CreateTask",
        task(http_request={"url": URL}, schedule_time="2100-01-01T00:00:00Z"),
        "The Task.scheduleTime, 2099-12-31T16:00:00-08:00, is too far in the future."
        " Schedule time must be no more than 720h in the future.",
    ),
    # the same conventions
    Case(
        "concurrency-negative",
        "CreateQueue",
        queue(rate={"max_concurrent_dispatches": -1}),
        "RateLimits.maxConcurrentDispatches cannot be negative.",
    ),
    Case(
        "concurrency-too-large",
        "CreateQueue",
        queue(rate={"max_concurrent_dispatches": 5001}),
        "RateLimits.maxConcurrentDispatches must be less than or equal to 5000.",
    ),
    Case(
        "doublings-negative",
        "CreateQueue",
        queue(retry={"max_doublings": -1}),
        "RetryConfig.maxDoublings cannot be negative.",
    ),
    Case(
        "min-backoff-negative",
        "CreateQueue",
        queue(retry={"min_backoff": "-1s"}),
        "RetryConfig.minBackoff cannot be negative.",
    ),
    Case(
        "retry-duration-negative",
        "CreateQueue",
        queue(retry={"max_retry_duration": "-5s"}),
        "RetryConfig.maxRetryDuration cannot be negative.",
    ),
    Case(
        "oidc-without-email",
        "CreateTask",
        task(http_request={"url": URL, "oidc_token": {"audience": "x"}}),
        "OidcToken.serviceAccountEmail is required.",
    ),
    Case(
        "oauth-without-email",
        "CreateTask",
        task(http_request={"url": URL, "oauth_token": {"scope": "x"}}),
        "OAuthToken.serviceAccountEmail is required.",
    ),
    Case(
        "relative-uri-without-slash",
        "CreateTask",
        task(app_engine_http_request={"relative_uri": "work"}),
        "AppEngineHttpRequest.relativeUri must start with '/'.",
    ),
    Case(
        "body-with-get",
        "CreateTask",
        task(http_request={"url": URL, "http_method": "GET", "body": b"x"}),
        "HttpRequest.body can be set only if HttpRequest.httpMethod is POST, PUT or PATCH.",
    ),
    Case(
        "no-payload",
        "CreateTask",
        task(),
        "Task.payload_type is not set.",
    ),
    Case(
        "page-size-negative",
        "ListQueues",
        lambda version: {"parent": PARENT, "page_size": -1},
        "ListQueuesRequest.pageSize cannot be negative.",
    ),
    Case(
        "max-tasks-negative",
        "LeaseTasks",
        lease(max_tasks=-1, lease_duration="60s"),
        "LeaseTasksRequest.maxTasks cannot be negative.",
        ("v2beta2",),
    ),
    Case(
        "max-tasks-too-many",
        "LeaseTasks",
        lease(max_tasks=1001, lease_duration="60s"),
        "LeaseTasksRequest.maxTasks must be less than or equal to 1000.",
        ("v2beta2",),
    ),
    Case(
        "lease-missing",
        "LeaseTasks",
        lease(max_tasks=1),
        "LeaseTasksRequest.leaseDuration is required.",
        ("v2beta2",),
    ),
    Case(
        "lease-too-long",
        "LeaseTasks",
        lease(max_tasks=1, lease_duration=f"{7 * 86400 + 1}s"),
        "LeaseTasksRequest.leaseDuration must be less than or equal to 168h.",
        ("v2beta2",),
    ),
    Case(
        "lease-negative",
        "LeaseTasks",
        lease(max_tasks=1, lease_duration="-1s"),
        "LeaseTasksRequest.leaseDuration cannot be negative.",
        ("v2beta2",),
    ),
]
#: what v2beta2 calls the fields v2 and v2beta3 name otherwise, as its messages say them
V2BETA2_NAMES = {
    "RateLimits.maxDispatchesPerSecond": "RateLimits.maxTasksDispatchedPerSecond",
    "RateLimits.maxConcurrentDispatches": "RateLimits.maxConcurrentTasks",
    "AppEngineHttpRequest.relativeUri": "AppEngineHttpRequest.relativeUrl",
}


def in_version(message: str, version: str) -> str:
    """``message`` as ``version`` words it."""
    if version == "v2beta2":
        for name, own in V2BETA2_NAMES.items():
            message = message.replace(name, own)
    return message


RUNS = [pytest.param(case, v, id=f"{case.id}-{v}") for case in CASES for v in case.versions]


def method(rpc: str) -> str:
    """``CreateQueue`` -> ``create_queue``."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in rpc).lstrip("_")


def raw_http(emu: Emulator, version: str, rpc: str, request: dict[str, Any]) -> Any:
    """Send ``request`` as the REST binding of ``rpc`` would, with a JSON body; the answer."""
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    kind = getattr(module, f"{rpc}Request")
    data = json_format.MessageToDict(kind.pb(kind(request)))
    base = f"{emu.http_url}/{version}"
    if rpc == "CreateQueue":
        return requests.post(f"{base}/{data['parent']}/queues", json=data["queue"], timeout=10)
    if rpc == "UpdateQueue":
        name = data["queue"]["name"]
        return requests.patch(f"{base}/{name}", json=data["queue"], timeout=10)
    if rpc == "ListQueues":
        return requests.get(f"{base}/{data.pop('parent')}/queues", params=data, timeout=10)
    parent = data.pop("parent")
    suffix = {"CreateTask": "/tasks", "LeaseTasks": "/tasks:lease"}[rpc]
    return requests.post(f"{base}/{parent}{suffix}", json=data, timeout=10)


def check_refused(
    emu: Emulator, version: str, rpc: str, request: dict[str, Any], message: str
) -> None:
    """INVALID_ARGUMENT with exactly ``message`` over gRPC, the REST client and raw HTTP."""
    for transport in ("grpc", "rest"):
        with emu.client(version, transport=transport) as client:
            # over REST api_core raises by HTTP status: BadRequest, InvalidArgument's parent
            with pytest.raises(exceptions.BadRequest) as info:
                getattr(client, method(rpc))(request=request)
        error = info.value
        if transport == "grpc":
            assert isinstance(error, exceptions.InvalidArgument)
            assert error.grpc_status_code == grpc.StatusCode.INVALID_ARGUMENT
            assert error.message == message
        else:  # api_core puts "VERB URL: " before the service's message
            assert error.code == 400
            assert error.message.partition(": ")[2] == message
    answer = raw_http(emu, version, rpc, request)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}
    }


def make_queues(emu: Emulator, rpc: str) -> None:
    """The queue a task case creates into (a push queue) or leases from (a pull queue)."""
    if rpc == "CreateTask":
        with emu.client() as client:
            client.create_queue(parent=PARENT, queue={"name": QUEUE})
    elif rpc == "LeaseTasks":
        with emu.client("v2beta2") as pull:
            pull.create_queue(parent=PARENT, queue={"name": PULL_QUEUE, "pull_target": {}})


@pytest.mark.parametrize(("case", "version"), RUNS)
def test_refusals_use_the_services_words(emu: Emulator, case: Case, version: str) -> None:
    make_queues(emu, case.rpc)
    check_refused(emu, version, case.rpc, case.request(version), in_version(case.message, version))
    with emu.client() as client:  # nothing was made by any of the three
        assert [q.name for q in client.list_queues(parent=PARENT)] in (
            [],
            [QUEUE],
            [PULL_QUEUE],
        )
        if case.rpc == "CreateTask":
            assert list(client.list_tasks(parent=QUEUE)) == []


# -- what the service accepts ------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_a_negative_burst_size_is_accepted_and_replaced(emu: Emulator, version: str) -> None:
    """Recorded: ``max_burst_size`` is output only; a negative one does not refuse the queue."""
    rate = {"max_burst_size": -5}
    for transport in ("grpc", "rest"):
        with emu.client(version, transport=transport) as client:
            made = client.create_queue(parent=PARENT, queue={"name": QUEUE, "rate_limits": rate})
            assert made.rate_limits.max_burst_size == 100
            client.delete_queue(name=QUEUE)
        emu.reset()
    answer = requests.post(
        f"{emu.http_url}/{version}/{PARENT}/queues",
        json={"name": QUEUE, "rateLimits": {"maxBurstSize": -5}},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["rateLimits"]["maxBurstSize"] == 100


@pytest.mark.parametrize("version", VERSIONS)
def test_urls_with_bad_percent_escapes_are_accepted(emu: Emulator, version: str) -> None:
    """Recorded: ``http://host/%zz`` is taken as it is."""
    with emu.client(version) as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        made = client.create_task(parent=QUEUE, task={"http_request": {"url": "http://h/%zz"}})
    assert made.http_request.url == "http://h/%zz"


@pytest.mark.parametrize("version", NOT_V2BETA2)
@pytest.mark.parametrize(
    ("target", "deadline"),
    [
        ({"http_request": {"url": URL}}, 15),
        ({"http_request": {"url": URL}}, 1800),
        ({"app_engine_http_request": {"relative_uri": "/w"}}, 15),
        ({"app_engine_http_request": {"relative_uri": "/w"}}, 3600),  # recorded
        ({"app_engine_http_request": {"relative_uri": "/w"}}, 24 * 3600 + 15),
    ],
)
def test_deadlines_at_the_bounds_are_accepted(
    emu: Emulator, version: str, target: dict[str, Any], deadline: int
) -> None:
    client: Any
    with emu.client(version) as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        made = client.create_task(
            parent=QUEUE, task={**target, "dispatch_deadline": f"{deadline}s"}
        )
    assert made.dispatch_deadline.total_seconds() == deadline


# -- how the service writes times --------------------------------------------------------


def test_pacific_times_without_a_time_zone_database_agree_with_one() -> None:
    """The fallback rules give the offsets the tz database gives, across DST changes."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo("America/Los_Angeles")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone database to compare with")
    for year in (2007, 2024, 2026, 2037, 2099):
        for month, day in ((3, 1), (11, 1)):
            first = datetime(year, month, day, tzinfo=timezone.utc)
            for hour in range(0, 24 * 15):
                utc = first + timedelta(hours=hour)
                assert rules.us_pacific_offset(utc) == utc.astimezone(zone).utcoffset(), utc
    assert rules.pacific_time(4102444800) == "2099-12-31T16:00:00-08:00"
    assert rules.pacific_time(1782900000) == "2026-07-01T03:00:00-07:00"


# -- locations -----------------------------------------------------------------------------

MARS = "projects/proj/locations/mars"
NO_MARS = "Location 'mars' is not a valid location. Use ListLocations to list valid locations."


@pytest.mark.parametrize("version", VERSIONS)
def test_queues_are_refused_in_a_location_that_is_not_listed(emu: Emulator, version: str) -> None:
    listed = emu.client().list_locations(request={"name": "projects/proj"}).locations
    assert "mars" not in [loc.location_id for loc in listed]
    create = {"parent": MARS, "queue": {"name": f"{MARS}/queues/q"}}
    check_refused(emu, version, "CreateQueue", create, NO_MARS)
    check_refused(emu, version, "ListQueues", {"parent": MARS}, NO_MARS)
    check_refused(emu, version, "UpdateQueue", {"queue": {"name": f"{MARS}/queues/q"}}, NO_MARS)
    with emu.client(version) as client:
        with pytest.raises(exceptions.NotFound):
            client.get_queue(name=f"{MARS}/queues/q")


def test_firebase_tasks_are_refused_in_a_location_that_is_not_listed(emu: Emulator) -> None:
    """The firebase-admin dialect makes a missing queue, but not where no queue may be."""
    answer = requests.post(f"{emu.http_url}/{MARS}/queues/q/tasks", json={"task": {}}, timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == NO_MARS


def test_every_listed_location_takes_queues(emu: Emulator) -> None:
    with emu.client() as client:
        listed = client.list_locations(request={"name": "projects/proj"}).locations
        for location in listed:
            parent = f"projects/proj/locations/{location.location_id}"
            client.create_queue(parent=parent, queue={"name": f"{parent}/queues/q"})
            assert [q.name for q in client.list_queues(parent=parent)] == [f"{parent}/queues/q"]
            client.update_queue(queue={"name": f"{parent}/queues/made-by-update"})


def test_configured_locations_and_the_queues_made_at_start_are_listed() -> None:
    here = "projects/p/locations/here"
    start = ["projects/p/locations/there/queues/q", "projects/p/locations/here/queues/q"]
    settings = Settings(locations=("here",))
    with Emulator(dispatch=False, settings=settings, queues=start) as emu:
        client = emu.client()
        listed = client.list_locations(request={"name": "projects/p"}).locations
        ids = [loc.location_id for loc in listed]
        assert ids == ["here", "there"]
        assert [q.name for q in client.list_queues(parent="projects/p/locations/there")] == [
            start[0]
        ]
        client.create_queue(parent=here, queue={"name": f"{here}/queues/more"})
        with pytest.raises(exceptions.InvalidArgument) as info:
            client.create_queue(
                parent="projects/p/locations/us-central1",
                queue={"name": "projects/p/locations/us-central1/queues/q"},
            )
        assert info.value.message == NO_MARS.replace("mars", "us-central1")


def test_the_cli_serves_its_location_and_its_queues_locations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    args = ("--port", "0", "--no-dispatch", "--locations", "us-central1")
    more = ("--location", "europe-west1", "--queue", "q")
    full = "projects/my-project/locations/asia-south1/queues/far"
    with cli_process.running(*args, *more, "--queue", full) as (_, host, _ready):
        monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", host)
        client = tasks_v2.CloudTasksClient()
        listed = client.list_locations(request={"name": "projects/my-project"}).locations
        ids = [loc.location_id for loc in listed]
        assert ids == ["us-central1", "europe-west1", "asia-south1"]
        made = "projects/my-project/locations/europe-west1/queues/q"
        assert client.get_queue(name=made).name == made
        assert client.get_queue(name=full).name == full
        with pytest.raises(exceptions.InvalidArgument):
            client.create_queue(parent=MARS, queue={"name": f"{MARS}/queues/q"})
