"""``google.cloud.tasks_v2beta3``: every client method, sync and async, against the emulator.

Each test runs once per transport (blocking gRPC, asyncio gRPC, and REST when
this checkout has it) with the client finding the emulator (through the
recording proxy, ``wire``) through ``CLOUD_TASKS_EMULATOR_HOST``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import DRIVERS, SyncDriver, driving
from fake_wire import Wire
from google.api_core import exceptions, operation, operation_async
from google.cloud.location import locations_pb2
from google.iam.v1 import iam_policy_pb2, policy_pb2
from google.longrunning import operations_pb2
from google.protobuf import field_mask_pb2
from grpc import StatusCode

from google.cloud import tasks_v2beta3 as tasks

PROJECT, LOCATION = "proj", "us-central1"
PARENT = f"projects/{PROJECT}/locations/{LOCATION}"
QUEUE = f"{PARENT}/queues/beta3"


@pytest.fixture(params=sorted(DRIVERS))
def client(request: Any, wire: Wire, monkeypatch: Any) -> Iterator[SyncDriver]:
    with driving(request, tasks, request.param, monkeypatch) as driver:
        yield driver


@pytest.fixture
def queue(client: SyncDriver) -> tasks.Queue:
    return client("create_queue", parent=PARENT, queue=tasks.Queue(name=QUEUE))


def routing(wire: Wire, method: str) -> str:
    """The routing header sent on the latest call of ``method``."""
    return str(wire.calls_of(method)[-1][2]["x-goog-request-params"])


# -- the package ---------------------------------------------------------------------------


def test_exports_are_lazy_and_complete() -> None:
    code = (
        "import sys; from google.cloud import tasks_v2beta3 as t;"
        "heavy = ('google.cloud.tasks_v2beta3.types', 'google.cloud.tasks_v2beta3.services',"
        " 'grpc');"
        "assert not [m for m in sys.modules if m.startswith(heavy)], sorted(sys.modules);"
        "print(t.__version__, len(t.__all__))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == "2.26.0"
    facts = json.loads((Path(__file__).parent / "data" / "cloudtasks_v2beta3.json").read_text())
    assert sorted(tasks.__all__) == sorted(facts["exports"])
    for name in tasks.__all__:
        assert getattr(tasks, name) is not None
    assert tasks.Queue.__module__ == "google.cloud.tasks_v2beta3.types.queue"
    assert tasks.CloudTasksClient.__module__ == (
        "google.cloud.tasks_v2beta3.services.cloud_tasks.client"
    )


def test_public_modules_exist() -> None:
    from google.cloud.tasks_v2beta3.services.cloud_tasks import (
        CloudTasksAsyncClient,
        CloudTasksClient,
        pagers,
        transports,
    )

    assert CloudTasksClient is tasks.CloudTasksClient
    assert CloudTasksAsyncClient is tasks.CloudTasksAsyncClient
    assert issubclass(transports.CloudTasksGrpcTransport, transports.CloudTasksTransport)
    assert issubclass(transports.CloudTasksGrpcAsyncIOTransport, transports.CloudTasksTransport)
    assert pagers.ListTasksAsyncPager.__name__ == "ListTasksAsyncPager"
    assert CloudTasksClient.get_transport_class() is transports.CloudTasksGrpcTransport
    assert CloudTasksClient.get_transport_class("grpc_asyncio") is (
        transports.CloudTasksGrpcAsyncIOTransport
    )
    if "rest" in DRIVERS:
        from google.cloud.tasks_v2beta3.services.cloud_tasks.transports import rest

        assert tasks.CloudTasksClient.get_transport_class("rest") is rest.CloudTasksRestTransport
        assert transports.CloudTasksRestInterceptor is rest.CloudTasksRestInterceptor
    if "rest_asyncio" in DRIVERS:
        from google.cloud.tasks_v2beta3.services.cloud_tasks.transports import rest_asyncio

        assert tasks.CloudTasksAsyncClient.get_transport_class("rest_asyncio") is (
            rest_asyncio.AsyncCloudTasksRestTransport
        )
        assert transports.AsyncCloudTasksRestTransport is rest_asyncio.AsyncCloudTasksRestTransport
        assert "pre_get_cmek_config" in vars(rest.CloudTasksRestInterceptor)


def test_a_transport_of_another_version_is_refused() -> None:
    from google.auth.credentials import AnonymousCredentials

    from google.cloud import tasks_v2

    other = tasks_v2.CloudTasksClient.get_transport_class()(credentials=AnonymousCredentials())
    with pytest.raises(ValueError, match="v2beta3"):
        tasks.CloudTasksClient(transport=other)
    other.close()


def test_path_helpers_include_cmek() -> None:
    client = tasks.CloudTasksClient
    assert client.cmek_config_path("p", "l") == "projects/p/locations/l/cmekConfig"
    assert client.parse_crypto_key_path(client.crypto_key_path("p", "l", "r", "k")) == {
        "project": "p",
        "location": "l",
        "key_ring": "r",
        "crypto_key": "k",
    }
    assert client.parse_task_path(client.task_path("p", "l", "q", "t"))["task"] == "t"


# -- queues --------------------------------------------------------------------------------


def test_create_and_get_queue(client: SyncDriver, wire: Wire) -> None:
    created = client("create_queue", parent=PARENT, queue=tasks.Queue(name=QUEUE))
    assert isinstance(created, tasks.Queue)
    assert created.state == tasks.Queue.State.RUNNING
    assert routing(wire, "create_queue") == f"parent={PARENT}"
    got = client("get_queue", name=QUEUE)
    assert got == created
    assert routing(wire, "get_queue") == f"name={QUEUE}"
    with pytest.raises(client.error(exceptions.AlreadyExists), match="Queue already exists"):
        client("create_queue", parent=PARENT, queue={"name": QUEUE})


def test_queue_type_and_http_target_round_trip(client: SyncDriver) -> None:
    wanted = tasks.Queue(
        name=QUEUE,
        type_=tasks.Queue.Type.PULL,
        http_target=tasks.HttpTarget(
            uri_override=tasks.UriOverride(host="example.com", path_override={"path": "/x"}),
            http_method=tasks.HttpMethod.PUT,
            header_overrides=[{"header": {"key": "X-A", "value": "1"}}],
        ),
        stackdriver_logging_config={"sampling_ratio": 0.5},
    )
    client("create_queue", parent=PARENT, queue=wanted)
    got = client("get_queue", name=QUEUE)
    assert got.type_ == tasks.Queue.Type.PULL
    assert got.http_target.uri_override.host == "example.com"
    assert got.http_target.uri_override.path_override.path == "/x"
    assert got.http_target.http_method == tasks.HttpMethod.PUT
    assert got.http_target.header_overrides[0].header.key == "X-A"
    assert got.stackdriver_logging_config.sampling_ratio == 0.5


def test_list_queues_pages(client: SyncDriver, wire: Wire) -> None:
    for i in range(5):
        client("create_queue", parent=PARENT, queue={"name": f"{PARENT}/queues/q{i}"})
    pager = client("list_queues", request={"parent": PARENT, "page_size": 2})
    assert [q.name.rsplit("/", 1)[1] for q in client.items(pager)] == [f"q{i}" for i in range(5)]
    assert len(wire.calls_of("list_queues")) == 3
    pages = client.pages(client("list_queues", parent=PARENT))
    assert [type(p) for p in pages] == [tasks.ListQueuesResponse]


def test_update_queue_with_mask(client: SyncDriver, queue: tasks.Queue) -> None:
    changed = tasks.Queue(name=QUEUE, rate_limits={"max_dispatches_per_second": 7})
    mask = field_mask_pb2.FieldMask(paths=["rate_limits.max_dispatches_per_second"])
    got = client("update_queue", queue=changed, update_mask=mask)
    assert got.rate_limits.max_dispatches_per_second == 7
    assert got.retry_config.max_attempts == queue.retry_config.max_attempts


def test_pause_resume_purge_delete_queue(client: SyncDriver, queue: tasks.Queue) -> None:
    assert client("pause_queue", name=QUEUE).state == tasks.Queue.State.PAUSED
    assert client("resume_queue", name=QUEUE).state == tasks.Queue.State.RUNNING
    client("create_task", parent=QUEUE, task={"http_request": {"url": "https://x.test/"}})
    purged = client("purge_queue", name=QUEUE)
    assert purged.purge_time
    assert client.items(client("list_tasks", parent=QUEUE)) == []
    assert client("delete_queue", name=QUEUE) is None
    with pytest.raises(client.error(exceptions.NotFound), match="Queue does not exist"):
        client("get_queue", name=QUEUE)


# -- IAM -----------------------------------------------------------------------------------


def test_iam(client: SyncDriver, queue: tasks.Queue, wire: Wire) -> None:
    policy = client("get_iam_policy", resource=QUEUE)
    assert isinstance(policy, policy_pb2.Policy)
    assert routing(wire, "get_iam_policy") == f"resource={QUEUE}"
    policy.bindings.add(role="roles/cloudtasks.enqueuer", members=["user:a@example.com"])
    request = iam_policy_pb2.SetIamPolicyRequest(resource=QUEUE, policy=policy)
    stored = client("set_iam_policy", request=request)
    assert stored.bindings[0].members == ["user:a@example.com"]
    allowed = client(
        "test_iam_permissions", resource=QUEUE, permissions=["cloudtasks.tasks.create", "x.y"]
    )
    assert list(allowed.permissions) == ["cloudtasks.tasks.create"]


# -- tasks ---------------------------------------------------------------------------------


def test_tasks_lifecycle(client: SyncDriver, queue: tasks.Queue, wire: Wire) -> None:
    name = f"{QUEUE}/tasks/t1"
    created = client(
        "create_task",
        parent=QUEUE,
        task=tasks.Task(
            name=name, http_request=tasks.HttpRequest(url="https://x.test/", body=b"hi")
        ),
    )
    assert created.name == name
    assert created.http_request.body == b""  # BASIC view
    full = client("get_task", request={"name": name, "response_view": tasks.Task.View.FULL})
    assert full.http_request.body == b"hi"
    assert routing(wire, "get_task") == f"name={name}"
    run = client("run_task", name=name)
    assert run.name == name
    # an emulator that does not dispatch makes the task due now, and sends nothing
    assert run.dispatch_count == 0
    assert run.schedule_time >= created.schedule_time
    assert [t.name for t in client.items(client("list_tasks", parent=QUEUE))] == [name]
    assert client("delete_task", name=name) is None
    with pytest.raises(client.error(exceptions.NotFound), match="existed recently"):
        client("get_task", name=name)


def test_pull_message_and_app_engine_tasks_round_trip(
    client: SyncDriver, queue: tasks.Queue
) -> None:
    pull_queue = f"{PARENT}/queues/beta3-pull"  # pull tasks only go to pull queues
    client("create_queue", parent=PARENT, queue={"name": pull_queue, "type_": "PULL"})
    pull = client(
        "create_task",
        request=tasks.CreateTaskRequest(
            parent=pull_queue,
            task=tasks.Task(pull_message=tasks.PullMessage(payload=b"\x00\x01", tag="blue")),
            response_view=tasks.Task.View.FULL,
        ),
    )
    assert pull.pull_message.payload == b"\x00\x01"
    assert pull.pull_message.tag == "blue"
    engine = client(
        "create_task",
        parent=QUEUE,
        task={
            "app_engine_http_request": {
                "relative_uri": "/work",
                "app_engine_routing": {"service": "worker", "version": "v1"},
                "headers": {"X-K": "v"},
            },
            "dispatch_deadline": {"seconds": 30},
        },
    )
    got = client("get_task", name=engine.name)
    assert got.app_engine_http_request.app_engine_routing.service == "worker"
    assert got.app_engine_http_request.headers["X-K"] == "v"
    assert got.dispatch_deadline.total_seconds() == 30


def test_batch_create_and_delete_tasks(client: SyncDriver, queue: tasks.Queue) -> None:
    requests = [
        tasks.CreateTaskRequest(
            parent=QUEUE,
            task=tasks.Task(name=f"{QUEUE}/tasks/b{i}", http_request={"url": "https://x.test/"}),
        )
        for i in range(3)
    ]
    op = client("batch_create_tasks", parent=QUEUE, requests=requests)
    assert isinstance(
        op, operation_async.AsyncOperation if client.is_async else operation.Operation
    )
    result = client.result(op)
    assert isinstance(result, tasks.BatchCreateTasksResponse)
    assert sorted(t.name for t in result.tasks) == [r.task.name for r in requests]
    assert isinstance(op.metadata, tasks.BatchCreateTasksMetadata)
    assert op.metadata.state == tasks.BatchCreateTasksMetadata.State.SUCCEEDED
    op = client("batch_delete_tasks", parent=QUEUE, names=[r.task.name for r in requests[:2]])
    client.result(op)
    assert isinstance(op.metadata, tasks.BatchDeleteTasksMetadata)
    assert [t.name for t in client.items(client("list_tasks", parent=QUEUE))] == [
        requests[2].task.name
    ]


def test_get_operation(client: SyncDriver, queue: tasks.Queue, wire: Wire) -> None:
    op = client("batch_delete_tasks", parent=QUEUE, names=[f"{QUEUE}/tasks/none"])
    got = client("get_operation", request={"name": op.operation.name})
    assert isinstance(got, operations_pb2.Operation)
    assert got.done
    assert routing(wire, "get_operation") == f"name={op.operation.name}"


# -- CMEK ----------------------------------------------------------------------------------


def test_cmek_config(client: SyncDriver, wire: Wire) -> None:
    name = tasks.CloudTasksClient.cmek_config_path(PROJECT, LOCATION)
    key = tasks.CloudTasksClient.crypto_key_path(PROJECT, LOCATION, "ring", "key")
    updated = client(
        "update_cmek_config",
        cmek_config=tasks.CmekConfig(name=name, kms_key=key),
        update_mask=field_mask_pb2.FieldMask(paths=["kms_key"]),
    )
    assert updated.kms_key == key
    assert routing(wire, "update_cmek_config") == f"cmek_config.name={name}"
    assert client("get_cmek_config", name=name).kms_key == key


def test_cmek_calls_retry_by_default_in_v2beta3(client: SyncDriver, wire: Wire) -> None:
    name = tasks.CloudTasksClient.cmek_config_path(PROJECT, LOCATION)
    wire.fail_next("get_cmek_config", StatusCode.UNAVAILABLE)
    wire.fail_next("update_cmek_config", StatusCode.UNAVAILABLE)
    assert client("get_cmek_config", name=name).name == name
    client("update_cmek_config", cmek_config={"name": name})
    assert len(wire.calls_of("get_cmek_config")) == 2
    assert len(wire.calls_of("update_cmek_config")) == 2


def test_writes_are_not_retried(client: SyncDriver, wire: Wire) -> None:
    wire.fail_next("create_queue", StatusCode.UNAVAILABLE, message="try later")
    with pytest.raises(client.error(exceptions.ServiceUnavailable), match="try later"):
        client("create_queue", parent=PARENT, queue={"name": QUEUE})
    assert len(wire.calls_of("create_queue")) == 1


# -- locations and argument checks --------------------------------------------------------


def test_locations(client: SyncDriver, wire: Wire) -> None:
    location = client("get_location", request={"name": PARENT})
    assert isinstance(location, locations_pb2.Location)
    assert location.location_id == LOCATION
    assert routing(wire, "get_location") == f"name={PARENT}"
    listed = client("list_locations", request=locations_pb2.ListLocationsRequest(name="projects/p"))
    assert isinstance(listed, locations_pb2.ListLocationsResponse)
    assert LOCATION in [loc.location_id for loc in listed.locations]


def test_request_and_flattened_arguments_are_exclusive(client: SyncDriver) -> None:
    with pytest.raises(ValueError):
        client("get_queue", request={"name": QUEUE}, name=QUEUE)
