"""Tasks as the service stores them: its default headers, and the task-size law.

Recorded answers of the real service (v2):

- HTTP tasks store ``User-Agent: Google-Cloud-Tasks`` and no Content-Type
  default; App Engine tasks with a body store ``User-Agent: AppEngine-Google;
  (+http://code.google.com/appengine)``, ``Content-Type:
  application/octet-stream`` (when none was sent) and ``Content-Length``.
  CreateTask, GetTask (BASIC and FULL) and ListTasks show them.
- A task is measured as the service stores it in the FULL view, after its
  defaults, and refused when that is over 1,048,569 bytes, for both target
  kinds.  The recorded boundary accepted 49 bytes (HTTP) and 185 bytes (App
  Engine, whose app host there had 25 characters) of defaults on top of an
  unnamed task as sent: the limit the emulator had before, 1,048,576 bytes of
  the task as sent, let through 56 and 192 bytes too many.  The emulator
  measures a generated name and a default schedule time as not there yet, and
  the create time in whole seconds (see ``cloud_tasks.stored_size``).

Stored tasks are never delivered here (the session's emulator does not
dispatch), so no request leaves this machine.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from google.api_core import exceptions

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator, Settings

from .helpers import PARENT, QUEUE

FULL = tasks_v2.Task.View.FULL
BASIC = tasks_v2.Task.View.BASIC
HTTP_AGENT = "Google-Cloud-Tasks"
APP_ENGINE_AGENT = "AppEngine-Google; (+http://code.google.com/appengine)"
#: the real service's limit on a stored task, in bytes
LIMIT = 1_048_569
#: a body near the limit: its length takes 3 bytes to encode and 7 digits to write
NEAR = 1_040_000
URL = "http://127.0.0.1:9/work"


@pytest.fixture(params=["grpc", "rest"])
def any_client(request: pytest.FixtureRequest, emu: Emulator) -> Iterator[Any]:
    """A v2 client over gRPC, then over REST."""
    with emu.client(transport=request.param) as client:
        yield client


def _views(client: Any, name: str) -> list[Any]:
    """The task as GetTask (BASIC, FULL) and ListTasks (BASIC, FULL) answer."""
    got = [client.get_task(request={"name": name, "response_view": v}) for v in (BASIC, FULL)]
    for view in (BASIC, FULL):
        listed = client.list_tasks(request={"parent": QUEUE, "response_view": view})
        got += [t for t in listed if t.name == name]
    assert len(got) == 4
    return got


# -- stored default headers ------------------------------------------------------------------


def test_http_task_stores_the_service_user_agent_in_every_answer(any_client: Any) -> None:
    any_client.create_queue(parent=PARENT, queue={"name": QUEUE})
    sent = {"X-Mixed-Case": "v", "content-type": "text/plain"}
    task = {"http_request": {"url": URL, "headers": sent, "body": b"data"}}
    created = any_client.create_task(parent=QUEUE, task=task)
    stored = {**sent, "User-Agent": HTTP_AGENT}  # and no Content-Type of the service's
    assert dict(created.http_request.headers) == stored
    for answer in _views(any_client, created.name):
        assert dict(answer.http_request.headers) == stored
        assert answer.http_request.body == (b"data" if answer.view == FULL else b"")


def test_app_engine_task_stores_user_agent_type_and_length_in_every_answer(
    any_client: Any,
) -> None:
    any_client.create_queue(parent=PARENT, queue={"name": QUEUE})
    task = {"app_engine_http_request": {"headers": {"X-Own": "kept"}, "body": b"12345"}}
    created = any_client.create_task(parent=QUEUE, task=task)
    stored = {
        "X-Own": "kept",
        "Content-Type": "application/octet-stream",
        "Content-Length": "5",
        "User-Agent": APP_ENGINE_AGENT,
    }
    assert dict(created.app_engine_http_request.headers) == stored
    for answer in _views(any_client, created.name):
        assert dict(answer.app_engine_http_request.headers) == stored


def test_app_engine_task_without_a_body_stores_only_the_user_agent(client: Any, queue: Any) -> None:
    created = client.create_task(
        parent=QUEUE, task={"app_engine_http_request": {"http_method": "GET"}}
    )
    assert dict(created.app_engine_http_request.headers) == {"User-Agent": APP_ENGINE_AGENT}


@pytest.mark.parametrize("key", ["User-Agent", "user-agent", "USER-AGENT"])
def test_a_tasks_own_user_agent_is_replaced_by_the_services(
    client: Any, queue: Any, key: str
) -> None:
    # Delivery never sends a task's own User-Agent: what is stored is what is sent.
    own = {key: "my-app/1.0", "X-Other": "kept"}
    http = client.create_task(parent=QUEUE, task={"http_request": {"url": URL, "headers": own}})
    assert dict(http.http_request.headers) == {"X-Other": "kept", "User-Agent": HTTP_AGENT}
    ae = client.create_task(parent=QUEUE, task={"app_engine_http_request": {"headers": own}})
    assert dict(ae.app_engine_http_request.headers) == {
        "X-Other": "kept",
        "User-Agent": APP_ENGINE_AGENT,
    }


def test_every_version_shows_the_stored_user_agent(emu: Emulator, client: Any, queue: Any) -> None:
    http = client.create_task(parent=QUEUE, task={"http_request": {"url": URL}})
    ae = client.create_task(parent=QUEUE, task={"app_engine_http_request": {"body": b"x"}})
    for version in ("v2beta3", "v2beta2"):
        with emu.client(version) as other:
            got = other.get_task(request={"name": http.name, "response_view": FULL})
            assert dict(got.http_request.headers) == {"User-Agent": HTTP_AGENT}
            got = other.get_task(request={"name": ae.name, "response_view": FULL})
            assert got.app_engine_http_request.headers["User-Agent"] == APP_ENGINE_AGENT


def test_raw_rest_answers_show_the_stored_user_agent(emu: Emulator, queue: Any) -> None:
    base = f"{emu.http_url}/v2/{QUEUE}/tasks"
    made = requests.post(
        base,
        json={"task": {"httpRequest": {"url": URL, "headers": {"X-A": "1"}}}},
        headers={"User-Agent": "curl/8.0"},  # the call's own, not the task's
        timeout=10,
    )
    assert made.status_code == 200, made.text
    stored = {"X-A": "1", "User-Agent": HTTP_AGENT}
    assert made.json()["httpRequest"]["headers"] == stored
    name = made.json()["name"]
    for view in ("BASIC", "FULL"):
        got = requests.get(f"{emu.http_url}/v2/{name}", params={"responseView": view}, timeout=10)
        assert got.json()["httpRequest"]["headers"] == stored
    listed = requests.get(base, timeout=10).json()["tasks"]
    assert [t["httpRequest"]["headers"] for t in listed] == [stored]


def test_a_buffered_task_stores_the_service_user_agent_not_the_callers(
    emu: Emulator, client: Any
) -> None:
    override = {"scheme": "HTTP", "host": "127.0.0.1", "port": 9}
    client.create_queue(
        parent=PARENT, queue={"name": QUEUE, "http_target": {"uri_override": override}}
    )
    answer = requests.post(
        f"{emu.http_url}/v2/{QUEUE}/tasks:buffer",
        data=b"raw",
        headers={"User-Agent": "curl/8.0", "X-Custom": "kept"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    headers = answer.json()["task"]["httpRequest"]["headers"]
    assert headers["User-Agent"] == HTTP_AGENT and headers["X-Custom"] == "kept"


# -- the task-size law ---------------------------------------------------------------------


def measured(task: Any, *, own_name: bool = False, own_schedule: bool = False) -> int:
    """The size the service holds against its limit, of a task read back in the FULL view.

    The v2 Task as stored, in bytes, without what the service assigns after
    measuring (a generated name, a default schedule time), without ``view``
    (a field of answers), and with the create time in whole seconds.
    """
    pb = type(task).pb(task)
    copy = type(pb)()
    copy.CopyFrom(pb)
    if not own_name:
        copy.ClearField("name")
    if not own_schedule:
        copy.ClearField("schedule_time")
    copy.ClearField("view")
    copy.create_time.nanos = 0
    return int(copy.ByteSize())


def _task(kind: str, body_length: int, extra: dict[str, Any]) -> dict[str, Any]:
    body = b"b" * body_length
    if kind == "http":
        return {"http_request": {"url": URL, "body": body}, **extra}
    return {"app_engine_http_request": {"relative_uri": "/w", "body": body}, **extra}


def _create(client: Any, kind: str, body_length: int, extra: dict[str, Any]) -> Any:
    request = {"parent": QUEUE, "task": _task(kind, body_length, extra), "response_view": FULL}
    return client.create_task(request=request)


def _invalid_argument(error: exceptions.BadRequest) -> str:
    """The message of an INVALID_ARGUMENT (a gRPC client's InvalidArgument; REST says 400)."""
    if "grpc" in type(error.response).__module__:
        assert isinstance(error, exceptions.InvalidArgument)
    return re.sub(r"^POST \S+: ", "", str(error.message))  # REST names the call first


@pytest.mark.parametrize("kind", ["http", "app_engine"])
def test_a_task_of_exactly_the_limit_is_accepted_and_one_byte_more_is_refused(
    any_client: Any, kind: str
) -> None:
    any_client.create_queue(parent=PARENT, queue={"name": QUEUE})
    any_client.pause_queue(name=QUEUE)
    probe = _create(any_client, kind, NEAR, {})
    # Within this size class one more body byte is one more stored byte (the body's
    # length prefix, and an App Engine task's Content-Length, keep their widths).
    body_length = NEAR + LIMIT - measured(probe)
    assert body_length < 1 << 21 and len(str(body_length + 1)) == len(str(NEAR))

    at_limit = _create(any_client, kind, body_length, {})
    assert measured(at_limit) == LIMIT
    got = any_client.get_task(request={"name": at_limit.name, "response_view": FULL})
    assert measured(got) == LIMIT

    with pytest.raises(exceptions.BadRequest) as info:  # InvalidArgument over gRPC
        _create(any_client, kind, body_length + 1, {})
    assert _invalid_argument(info.value) == (
        f"Task size is too large: {LIMIT + 1} bytes; the limit is {LIMIT} bytes."
    )
    assert len(list(any_client.list_tasks(parent=QUEUE))) == 2


def test_a_name_and_schedule_time_the_caller_gives_count(client: Any, queue: Any) -> None:
    client.pause_queue(name=QUEUE)
    extra = {"name": f"{QUEUE}/tasks/probe-0", "schedule_time": {"seconds": 1_700_000_000}}
    probe = _create(client, "http", NEAR, extra)
    body_length = NEAR + LIMIT - measured(probe, own_name=True, own_schedule=True)
    # A name of the same length: the same boundary.
    at_limit = _create(client, "http", body_length, {**extra, "name": f"{QUEUE}/tasks/probe-1"})
    assert measured(at_limit, own_name=True, own_schedule=True) == LIMIT
    # One character more of name is one byte too many.
    with pytest.raises(exceptions.InvalidArgument) as info:
        _create(client, "http", body_length, {**extra, "name": f"{QUEUE}/tasks/probe-22"})
    assert info.value.message.startswith(f"Task size is too large: {LIMIT + 1} bytes;")


def _sent_size(task: dict[str, Any]) -> int:
    """Bytes of a v2 task as the client sends it."""
    return int(tasks_v2.Task.pb(tasks_v2.Task(task)).ByteSize())


def test_the_defaults_add_what_the_recorded_boundary_shows(client: Any, queue: Any) -> None:
    client.pause_queue(name=QUEUE)
    task = _task("http", 1_000_000, {})
    made = client.create_task(request={"parent": QUEUE, "task": task, "response_view": FULL})
    assert measured(made) - _sent_size(task) == 49


def test_app_engine_defaults_add_what_the_recorded_boundary_shows() -> None:
    app_host = "boundary-app.example.test"  # as long as the recorded app's host; never reached
    assert len(app_host) == 25
    settings = Settings(app_engine_host=app_host)
    with Emulator(dispatch=False, settings=settings) as emu, emu.client() as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        task = {"app_engine_http_request": {"body": b"b" * 1_000_000}}
        made = client.create_task(request={"parent": QUEUE, "task": task, "response_view": FULL})
        assert made.app_engine_http_request.app_engine_routing.host == app_host
        assert measured(made) - _sent_size(task) == 185


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_a_task_over_the_limit_as_sent_but_not_once_completed_is_accepted(
    emu: Emulator, transport: str
) -> None:
    # The service replaces the task's own User-Agent before measuring: the early
    # refusal (from the size as sent) leaves a task this near the limit to the measure.
    with emu.client(transport=transport) as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        client.pause_queue(name=QUEUE)
        own = {"User-Agent": "a" * 2000}
        body_length = LIMIT - 200 - _sent_size({"http_request": {"url": URL}})
        task = {"http_request": {"url": URL, "headers": own, "body": b"b" * body_length}}
        assert _sent_size(task) > LIMIT + 1000
        made = client.create_task(request={"parent": QUEUE, "task": task, "response_view": FULL})
        assert measured(made) <= LIMIT
        assert dict(made.http_request.headers) == {"User-Agent": HTTP_AGENT}


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_a_task_far_over_the_limit_is_refused(emu: Emulator, transport: str) -> None:
    with emu.client(transport=transport) as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
        task = _task("http", 2 << 20, {})
        with pytest.raises(exceptions.BadRequest) as info:
            client.create_task(parent=QUEUE, task=task)
        message = _invalid_argument(info.value)
        assert message.startswith("Task size is too large: ")
        assert message.endswith(f" bytes; the limit is {LIMIT} bytes.")


def test_raw_rest_refuses_a_task_over_the_limit_as_invalid_argument(
    emu: Emulator, queue: Any
) -> None:
    body = base64.b64encode(b"a" * LIMIT).decode()
    answer = requests.post(
        f"{emu.http_url}/v2/{QUEUE}/tasks",
        json={"task": {"httpRequest": {"url": URL, "body": body}}},
        timeout=10,
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"].startswith("Task size is too large: ")
