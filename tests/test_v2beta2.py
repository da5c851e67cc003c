"""``google.cloud.tasks_v2beta2``: every client method, sync and async, against the emulator.

Besides the queue and task methods every version has, v2beta2 has pull
queues (lease, renew, cancel, acknowledge) and ``upload_queue_yaml``, and
lacks batches, CMEK and operations.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from conftest import DRIVERS, SyncDriver, driving
from fake_wire import Wire
from google.api import httpbody_pb2
from google.api_core import exceptions
from google.cloud.location import locations_pb2
from google.iam.v1 import policy_pb2
from google.protobuf import duration_pb2, empty_pb2, field_mask_pb2

from google.cloud import tasks_v2beta2 as tasks

PARENT = "projects/proj/locations/us-central1"
PULL = f"{PARENT}/queues/pull"
PUSH = f"{PARENT}/queues/push"
MINUTE = duration_pb2.Duration(seconds=60)


@pytest.fixture(params=sorted(DRIVERS))
def client(request: Any, wire: Wire, monkeypatch: Any) -> Iterator[SyncDriver]:
    with driving(request, tasks, request.param, monkeypatch) as driver:
        yield driver


@pytest.fixture
def pull_queue(client: SyncDriver) -> tasks.Queue:
    return client("create_queue", parent=PARENT, queue={"name": PULL, "pull_target": {}})


@pytest.fixture
def push_queue(client: SyncDriver) -> tasks.Queue:
    target = tasks.AppEngineHttpTarget(
        app_engine_routing_override=tasks.AppEngineRouting(service="worker", version="v7")
    )
    return client(
        "create_queue", parent=PARENT, queue=tasks.Queue(name=PUSH, app_engine_http_target=target)
    )


def pull_task(client: SyncDriver, task_id: str, tag: str = "", payload: bytes = b"p") -> tasks.Task:
    """Add a pull task to the pull queue."""
    task = tasks.Task(name=f"{PULL}/tasks/{task_id}", pull_message={"payload": payload, "tag": tag})
    return client("create_task", parent=PULL, task=task)


def routing(wire: Wire, method: str) -> str:
    """The routing header sent on the latest call of ``method``."""
    return str(wire.calls_of(method)[-1][2]["x-goog-request-params"])


def near(moment: datetime, expected: datetime) -> bool:
    return abs(moment - expected) < timedelta(seconds=5)


# -- the package ---------------------------------------------------------------------------


def test_exports_are_lazy_and_complete() -> None:
    code = (
        "import sys; from google.cloud import tasks_v2beta2 as t;"
        "heavy = ('google.cloud.tasks_v2beta2.types', 'google.cloud.tasks_v2beta2.services',"
        " 'grpc');"
        "assert not [m for m in sys.modules if m.startswith(heavy)], sorted(sys.modules);"
        "print(t.__version__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "2.26.0"
    facts = json.loads((Path(__file__).parent / "data" / "cloudtasks_v2beta2.json").read_text())
    assert sorted(tasks.__all__) == sorted(facts["exports"])
    for name in tasks.__all__:
        assert getattr(tasks, name) is not None
    assert tasks.LeaseTasksRequest.__module__ == "google.cloud.tasks_v2beta2.types.cloudtasks"


def test_no_batch_cmek_or_operations() -> None:
    for cls in (tasks.CloudTasksClient, tasks.CloudTasksAsyncClient):
        for missing in (
            "batch_create_tasks",
            "batch_delete_tasks",
            "get_cmek_config",
            "update_cmek_config",
            "get_operation",
            "cmek_config_path",
            "crypto_key_path",
        ):
            assert not hasattr(cls, missing), missing
        assert callable(cls.get_location) and callable(cls.list_locations)
    assert tasks.CloudTasksClient.parse_queue_path(PULL) == {
        "project": "proj",
        "location": "us-central1",
        "queue": "pull",
    }


def test_public_modules_exist() -> None:
    from google.cloud.tasks_v2beta2.services.cloud_tasks import pagers, transports

    assert tasks.CloudTasksClient.get_transport_class("grpc") is transports.CloudTasksGrpcTransport
    assert issubclass(transports.CloudTasksGrpcAsyncIOTransport, transports.CloudTasksTransport)
    assert pagers.ListQueuesPager._items == "queues"
    if "rest" in DRIVERS:
        from google.cloud.tasks_v2beta2.services.cloud_tasks.transports import rest

        assert tasks.CloudTasksClient.get_transport_class("rest") is rest.CloudTasksRestTransport
        assert transports.CloudTasksRestInterceptor is rest.CloudTasksRestInterceptor
    if "rest_asyncio" in DRIVERS:
        from google.cloud.tasks_v2beta2.services.cloud_tasks.transports import rest_asyncio

        assert tasks.CloudTasksAsyncClient.get_transport_class("rest_asyncio") is (
            rest_asyncio.AsyncCloudTasksRestTransport
        )
        assert transports.AsyncCloudTasksRestTransport is rest_asyncio.AsyncCloudTasksRestTransport
        assert "pre_lease_tasks" in vars(rest.CloudTasksRestInterceptor)


# -- queues --------------------------------------------------------------------------------


def test_queue_calls(client: SyncDriver, wire: Wire, push_queue: tasks.Queue) -> None:
    assert routing(wire, "create_queue") == f"parent={PARENT}"
    got = client("get_queue", name=PUSH)
    assert got.app_engine_http_target.app_engine_routing_override.version == "v7"
    assert got.rate_limits.max_tasks_dispatched_per_second == 500
    changed = client(
        "update_queue",
        queue={"name": PUSH, "retry_config": {"unlimited_attempts": True}},
        update_mask=field_mask_pb2.FieldMask(paths=["retry_config"]),
    )
    assert changed.retry_config.unlimited_attempts is True
    assert "max_attempts" not in changed.retry_config
    assert routing(wire, "update_queue") == f"queue.name={PUSH}"
    assert client("pause_queue", name=PUSH).state == tasks.Queue.State.PAUSED
    assert client("resume_queue", name=PUSH).state == tasks.Queue.State.RUNNING
    assert client("purge_queue", name=PUSH).purge_time
    listed = client.items(client("list_queues", parent=PARENT))
    assert [q.name for q in listed] == [PUSH]
    assert client("delete_queue", name=PUSH) is None
    with pytest.raises(client.error(exceptions.NotFound)):
        client("get_queue", name=PUSH)


def test_retry_config_round_trips(client: SyncDriver) -> None:
    queue = tasks.Queue(
        name=PUSH,
        app_engine_http_target={},
        retry_config=tasks.RetryConfig(
            unlimited_attempts=True,
            min_backoff=duration_pb2.Duration(seconds=2),
            max_doublings=3,
        ),
        rate_limits=tasks.RateLimits(max_tasks_dispatched_per_second=5, max_concurrent_tasks=3),
    )
    client("create_queue", parent=PARENT, queue=queue)
    got = client("get_queue", name=PUSH)
    assert got.retry_config.unlimited_attempts
    assert got.retry_config.min_backoff.total_seconds() == 2
    assert got.retry_config.max_doublings == 3
    assert got.rate_limits.max_tasks_dispatched_per_second == 5
    assert got.rate_limits.max_concurrent_tasks == 3


def test_upload_queue_yaml_is_grpc_only(client: SyncDriver, wire: Wire) -> None:
    body = httpbody_pb2.HttpBody(content_type="application/x-yaml", data=b"queue:\n- name: q\n")
    if client.transport.startswith("rest"):
        with pytest.raises(NotImplementedError, match="UploadQueueYaml.*gRPC"):
            client("upload_queue_yaml", request={"app_id": "app", "http_body": body})
        assert wire.calls_of("upload_queue_yaml") == []
        return
    # the wire answers this one as the service would
    wire.reply_next("upload_queue_yaml", empty_pb2.Empty())
    assert client("upload_queue_yaml", request={"app_id": "app", "http_body": body}) is None
    ((_, sent, headers),) = wire.calls_of("upload_queue_yaml")
    assert (sent.app_id, sent.http_body.content_type, sent.http_body.data) == (
        "app",
        "application/x-yaml",
        b"queue:\n- name: q\n",
    )
    assert "x-goog-request-params" not in headers
    # the emulator's own answer: an upload names its app
    with pytest.raises(client.error(exceptions.InvalidArgument), match="appId is required"):
        client("upload_queue_yaml")


def test_iam(client: SyncDriver, push_queue: tasks.Queue) -> None:
    policy = client("get_iam_policy", resource=PUSH)
    assert isinstance(policy, policy_pb2.Policy)
    policy.bindings.add(role="roles/viewer", members=["user:b@example.com"])
    stored = client("set_iam_policy", request={"resource": PUSH, "policy": policy})
    assert stored.bindings[0].role == "roles/viewer"
    allowed = client("test_iam_permissions", resource=PUSH, permissions=["cloudtasks.queues.get"])
    assert list(allowed.permissions) == ["cloudtasks.queues.get"]


# -- push tasks ----------------------------------------------------------------------------


def test_app_engine_task_round_trips(client: SyncDriver, push_queue: tasks.Queue) -> None:
    request = tasks.AppEngineHttpRequest(
        http_method=tasks.HttpMethod.PUT,
        relative_url="/work?x=1",
        headers={"X-Trace": "abc"},
        payload=b"payload bytes",
        app_engine_routing={"service": "s", "instance": "i"},
    )
    created = client(
        "create_task",
        parent=PUSH,
        task={"name": f"{PUSH}/tasks/ae", "app_engine_http_request": request},
    )
    assert created.app_engine_http_request.payload == b""  # BASIC view
    full = client("get_task", request={"name": created.name, "response_view": "FULL"})
    got = full.app_engine_http_request
    assert got.payload == b"payload bytes"
    assert got.http_method == tasks.HttpMethod.PUT
    assert got.relative_url == "/work?x=1"
    assert got.headers["X-Trace"] == "abc"
    assert got.app_engine_routing.instance == "i"
    ran = client("run_task", name=created.name)
    assert ran.name == created.name
    # an emulator that does not dispatch makes the task due now, and sends nothing
    assert ran.status.attempt_dispatch_count == 0
    assert ran.schedule_time >= created.schedule_time
    assert [t.name for t in client.items(client("list_tasks", parent=PUSH))] == [created.name]
    assert client("delete_task", name=created.name) is None
    with pytest.raises(client.error(exceptions.NotFound)):
        client("get_task", name=created.name)


# -- pull queues ---------------------------------------------------------------------------


def test_lease_sets_schedule_time_to_the_lease_expiry(
    client: SyncDriver, wire: Wire, pull_queue: tasks.Queue
) -> None:
    pull_task(client, "a", payload=b"data")
    leased = client("lease_tasks", parent=PULL, lease_duration=MINUTE)
    assert isinstance(leased, tasks.LeaseTasksResponse)
    assert routing(wire, "lease_tasks") == f"parent={PULL}"
    (task,) = leased.tasks
    assert near(task.schedule_time, datetime.now(timezone.utc) + timedelta(minutes=1))
    assert task.pull_message.payload == b""  # BASIC view
    again = client("lease_tasks", parent=PULL, lease_duration=MINUTE)
    assert list(again.tasks) == []  # held by the first lease


def test_lease_renew_acknowledge(client: SyncDriver, wire: Wire, pull_queue: tasks.Queue) -> None:
    pull_task(client, "a")
    leased = client(
        "lease_tasks",
        request={
            "parent": PULL,
            "lease_duration": MINUTE,
            "max_tasks": 10,
            "response_view": tasks.Task.View.FULL,
        },
    ).tasks[0]
    assert leased.pull_message.payload == b"p"
    renewed = client(
        "renew_lease",
        name=leased.name,
        schedule_time=leased.schedule_time,
        lease_duration=duration_pb2.Duration(seconds=600),
    )
    assert isinstance(renewed, tasks.Task)
    assert routing(wire, "renew_lease") == f"name={leased.name}"
    assert near(renewed.schedule_time, datetime.now(timezone.utc) + timedelta(minutes=10))
    with pytest.raises(
        client.error(exceptions.FailedPrecondition)
    ):  # the old lease no longer holds
        client("acknowledge_task", name=leased.name, schedule_time=leased.schedule_time)
    assert (
        client("acknowledge_task", name=renewed.name, schedule_time=renewed.schedule_time) is None
    )
    assert routing(wire, "acknowledge_task") == f"name={leased.name}"
    with pytest.raises(client.error(exceptions.NotFound)):
        client("get_task", name=leased.name)


def test_lease_cancel_lease_again(client: SyncDriver, wire: Wire, pull_queue: tasks.Queue) -> None:
    pull_task(client, "a")
    first = client("lease_tasks", parent=PULL, lease_duration=MINUTE).tasks[0]
    cancelled = client("cancel_lease", name=first.name, schedule_time=first.schedule_time)
    assert isinstance(cancelled, tasks.Task)
    assert routing(wire, "cancel_lease") == f"name={first.name}"
    assert cancelled.schedule_time < first.schedule_time
    second = client("lease_tasks", parent=PULL, lease_duration=MINUTE).tasks
    assert [t.name for t in second] == [first.name]
    with pytest.raises(client.error(exceptions.FailedPrecondition)):
        client("cancel_lease", name=first.name, schedule_time=first.schedule_time)


def test_lease_filters_by_tag(client: SyncDriver, pull_queue: tasks.Queue) -> None:
    pull_task(client, "old", tag="red")
    pull_task(client, "blue1", tag="blue")
    pull_task(client, "blue2", tag="blue")
    blue = client(
        "lease_tasks",
        request={"parent": PULL, "lease_duration": MINUTE, "filter": 'tag="blue"', "max_tasks": 10},
    )
    assert sorted(t.name.rsplit("/", 1)[1] for t in blue.tasks) == ["blue1", "blue2"]
    oldest = client(
        "lease_tasks",
        request={"parent": PULL, "lease_duration": MINUTE, "filter": "tag_function=oldest_tag()"},
    )
    assert [t.pull_message.tag for t in oldest.tasks] == ["red"]


def test_lease_refuses_push_and_paused_queues(
    client: SyncDriver, pull_queue: tasks.Queue, push_queue: tasks.Queue
) -> None:
    with pytest.raises(client.error(exceptions.FailedPrecondition), match="pull queue"):
        client("lease_tasks", parent=PUSH, lease_duration=MINUTE)
    client("pause_queue", name=PULL)
    with pytest.raises(client.error(exceptions.FailedPrecondition)):
        client("lease_tasks", parent=PULL, lease_duration=MINUTE)


# -- locations -----------------------------------------------------------------------------


def test_locations(client: SyncDriver, wire: Wire) -> None:
    location = client("get_location", request={"name": PARENT})
    assert isinstance(location, locations_pb2.Location)
    assert routing(wire, "get_location") == f"name={PARENT}"
    listed = client("list_locations", request={"name": "projects/proj"})
    assert len(listed.locations) > 1
    assert routing(wire, "list_locations") == "name=projects/proj"
