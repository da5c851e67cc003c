"""Every method of the v2 table, through both clients, against a real gRPC server.

Each method is called three ways (a request message, a dict, flattened
keyword arguments) with the sync and the asyncio client, against the emulator; the test checks the
answer, the service's state afterwards, and that exactly the request the
caller meant went over the wire.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from conftest import PARENT, PROJECT, QUEUE, TASK, URL, call, collect
from fake_wire import Wire
from google.api_core import exceptions
from google.cloud.location import locations_pb2
from google.iam.v1 import policy_pb2
from google.longrunning import operations_pb2
from google.protobuf import empty_pb2, field_mask_pb2

from google.cloud.tasks_v2 import (
    BatchCreateTasksMetadata,
    BatchCreateTasksResponse,
    CmekConfig,
    GetQueueRequest,
    GetTaskRequest,
    Queue,
    Task,
)
from google.cloud.tasks_v2._spec import SERVICE
from google.cloud.tasks_v2.gapic_version import __version__
from google.cloud.tasks_v2.services.cloud_tasks import pagers

STYLES = ["message", "dict", "flattened"]
#: the mixin methods take no flattened arguments
REQUEST_STYLES = ["message", "dict"]
CMEK = f"{PARENT}/cmekConfig"
KMS_KEY = f"{PARENT}/keyRings/ring/cryptoKeys/key"


async def invoke(
    client: Any,
    wire: Wire,
    name: str,
    style: str,
    fields: dict[str, Any],
    flat: tuple[str, ...] | None = None,
) -> Any:
    """Call ``name`` in ``style``; check the wire carried the request those fields describe.

    ``flat`` names the fields passed as keyword arguments in the flattened
    style (all of ``fields`` by default); the others are then left unset.
    """
    method = SERVICE.methods[name]
    if style == "flattened":
        fields = {key: value for key, value in fields.items() if key in (flat or fields)}
        assert set(fields) <= set(method.flattened)
        result = await call(client, name, **fields)
    elif style == "dict":
        result = await call(client, name, dict(fields))
    else:
        result = await call(client, name, method.request(**fields))
    got = wire.calls_of(name)
    assert len(got) == 1
    assert got[0][1] == method.request(**fields)
    return result


async def resolved(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def stored_queue(service: Any, name: str = QUEUE) -> Any:
    """The queue as the emulator holds it."""
    return service.get_queue(name=name)


# -- queues --------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
async def test_list_queues(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    other = f"projects/{PROJECT}/locations/europe-west1/queues/elsewhere"
    service.create_queue(parent=other.rsplit("/queues/", 1)[0], queue={"name": other})
    pager = await invoke(any_client, wire, "list_queues", style, {"parent": PARENT})
    assert isinstance(pager, (pagers.ListQueuesPager, pagers.ListQueuesAsyncPager))
    assert [q.name for q in await collect(pager)] == [QUEUE]


@pytest.mark.parametrize("style", STYLES)
async def test_get_queue(any_client: Any, wire: Wire, queue: Any, style: str) -> None:
    got = await invoke(any_client, wire, "get_queue", style, {"name": QUEUE})
    assert isinstance(got, Queue)
    assert got.name == QUEUE
    assert got.state == Queue.State.RUNNING
    assert got.rate_limits.max_dispatches_per_second == 500


@pytest.mark.parametrize("style", STYLES)
async def test_create_queue(any_client: Any, wire: Wire, service: Any, style: str) -> None:
    fields = {"parent": PARENT, "queue": Queue(name=QUEUE, rate_limits={"max_burst_size": 5})}
    made = await invoke(any_client, wire, "create_queue", style, fields)
    assert isinstance(made, Queue)
    assert made.name == QUEUE
    # max_burst_size is output only: the service derives it from the rate (500/s -> 100)
    assert made.rate_limits.max_burst_size == 100
    assert made.retry_config.max_attempts == 100
    assert stored_queue(service) == made


@pytest.mark.parametrize("style", STYLES)
async def test_update_queue(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    fields = {
        "queue": Queue(name=QUEUE, rate_limits={"max_dispatches_per_second": 7}),
        "update_mask": field_mask_pb2.FieldMask(paths=["rate_limits.max_dispatches_per_second"]),
    }
    updated = await invoke(any_client, wire, "update_queue", style, fields)
    assert updated.rate_limits.max_dispatches_per_second == 7
    assert updated.rate_limits.max_concurrent_dispatches == 1000  # outside the mask: kept
    assert stored_queue(service).rate_limits.max_dispatches_per_second == 7


@pytest.mark.parametrize("style", STYLES)
async def test_delete_queue(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    assert await invoke(any_client, wire, "delete_queue", style, {"name": QUEUE}) is None
    with pytest.raises(exceptions.NotFound, match="Queue does not exist"):
        stored_queue(service)


@pytest.mark.parametrize("style", STYLES)
async def test_purge_queue(
    any_client: Any, wire: Wire, service: Any, task: Any, style: str
) -> None:
    purged = await invoke(any_client, wire, "purge_queue", style, {"name": QUEUE})
    assert isinstance(purged, Queue)
    assert purged.purge_time.timestamp() > 0
    assert list(service.list_tasks(parent=QUEUE)) == []


@pytest.mark.parametrize("style", STYLES)
async def test_pause_queue(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    paused = await invoke(any_client, wire, "pause_queue", style, {"name": QUEUE})
    assert paused.state == Queue.State.PAUSED
    assert stored_queue(service).state == Queue.State.PAUSED


@pytest.mark.parametrize("style", STYLES)
async def test_resume_queue(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    service.pause_queue(name=QUEUE)
    resumed = await invoke(any_client, wire, "resume_queue", style, {"name": QUEUE})
    assert resumed.state == Queue.State.RUNNING
    assert stored_queue(service).state == Queue.State.RUNNING


# -- IAM -----------------------------------------------------------------------------------

#: the etag of a queue that never had a policy set (JSON: "ACAB")
EMPTY_POLICY_ETAG = b"\x00\x20\x01"


@pytest.mark.parametrize("style", STYLES)
async def test_get_iam_policy(any_client: Any, wire: Wire, queue: Any, style: str) -> None:
    policy = await invoke(any_client, wire, "get_iam_policy", style, {"resource": QUEUE})
    assert isinstance(policy, policy_pb2.Policy)
    assert policy.etag == EMPTY_POLICY_ETAG
    assert list(policy.bindings) == []


@pytest.mark.parametrize("style", STYLES)
async def test_set_iam_policy(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    binding = {"role": "roles/cloudtasks.enqueuer", "members": ["user:ada@example.com"]}
    fields = {"resource": QUEUE, "policy": policy_pb2.Policy(bindings=[binding])}
    policy = await invoke(any_client, wire, "set_iam_policy", style, fields, flat=("resource",))
    assert isinstance(policy, policy_pb2.Policy)
    assert policy.etag not in (b"", EMPTY_POLICY_ETAG)
    expected = [] if style == "flattened" else [policy_pb2.Binding(**binding)]
    assert list(policy.bindings) == expected
    assert service.get_iam_policy({"resource": QUEUE}) == policy


@pytest.mark.parametrize("style", STYLES)
async def test_test_iam_permissions(any_client: Any, wire: Wire, queue: Any, style: str) -> None:
    fields = {"resource": QUEUE, "permissions": ["cloudtasks.tasks.create", "storage.objects.get"]}
    answer = await invoke(any_client, wire, "test_iam_permissions", style, fields)
    assert list(answer.permissions) == ["cloudtasks.tasks.create"]


# -- tasks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
async def test_list_tasks(any_client: Any, wire: Wire, task: Any, style: str) -> None:
    pager = await invoke(any_client, wire, "list_tasks", style, {"parent": QUEUE})
    assert isinstance(pager, (pagers.ListTasksPager, pagers.ListTasksAsyncPager))
    (listed,) = await collect(pager)
    assert isinstance(listed, Task)
    assert listed.name == TASK
    assert listed.view == Task.View.BASIC
    assert listed.http_request.body == b""  # BASIC leaves the body out


@pytest.mark.parametrize("style", STYLES)
async def test_get_task(any_client: Any, wire: Wire, task: Any, style: str) -> None:
    got = await invoke(any_client, wire, "get_task", style, {"name": TASK})
    assert isinstance(got, Task)
    assert got.name == TASK
    assert got.http_request.url == URL


async def test_get_task_full_view_includes_the_body(any_client: Any, task: Any) -> None:
    got = await call(any_client, "get_task", {"name": TASK, "response_view": Task.View.FULL})
    assert got.view == Task.View.FULL
    assert got.http_request.body == b"hi"


@pytest.mark.parametrize("style", STYLES)
async def test_create_task(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    fields = {
        "parent": QUEUE,
        "task": Task(name=f"{QUEUE}/tasks/fresh", http_request={"url": "https://example.com/"}),
    }
    made = await invoke(any_client, wire, "create_task", style, fields)
    assert isinstance(made, Task)
    assert made.name == f"{QUEUE}/tasks/fresh"
    assert made.create_time.timestamp() > 0
    assert service.get_task(name=made.name).name == made.name


async def test_create_task_without_a_name_gets_one(any_client: Any, queue: Any) -> None:
    made = await call(any_client, "create_task", parent=QUEUE, task={"http_request": {"url": URL}})
    assert made.name.startswith(f"{QUEUE}/tasks/")
    assert len(made.name) > len(f"{QUEUE}/tasks/")


@pytest.mark.parametrize("style", STYLES)
async def test_batch_create_tasks(any_client: Any, wire: Wire, queue: Any, style: str) -> None:
    fields = {
        "parent": QUEUE,
        "requests": [
            {"task": {"name": f"{QUEUE}/tasks/a", "http_request": {"url": URL}}},
            {"task": {"name": f"{QUEUE}/tasks/b", "http_request": {"url": URL}}},
        ],
    }
    operation = await invoke(any_client, wire, "batch_create_tasks", style, fields)
    result = await resolved(operation.result())
    assert isinstance(result, BatchCreateTasksResponse)
    assert [t.name for t in result.tasks] == [f"{QUEUE}/tasks/a", f"{QUEUE}/tasks/b"]
    assert isinstance(operation.metadata, BatchCreateTasksMetadata)
    assert operation.metadata.state == BatchCreateTasksMetadata.State.SUCCEEDED


@pytest.mark.parametrize("style", STYLES)
async def test_delete_task(
    any_client: Any, wire: Wire, service: Any, task: Any, style: str
) -> None:
    assert await invoke(any_client, wire, "delete_task", style, {"name": TASK}) is None
    with pytest.raises(exceptions.NotFound, match="existed recently"):
        service.get_task(name=TASK)


@pytest.mark.parametrize("style", STYLES)
async def test_batch_delete_tasks(
    any_client: Any, wire: Wire, service: Any, task: Any, style: str
) -> None:
    fields = {"parent": QUEUE, "names": [TASK]}
    operation = await invoke(any_client, wire, "batch_delete_tasks", style, fields)
    assert await resolved(operation.result()) == empty_pb2.Empty()
    with pytest.raises(exceptions.NotFound, match="existed recently"):
        service.get_task(name=TASK)


@pytest.mark.parametrize("style", STYLES)
async def test_run_task(any_client: Any, wire: Wire, service: Any, task: Any, style: str) -> None:
    ran = await invoke(any_client, wire, "run_task", style, {"name": TASK})
    assert isinstance(ran, Task)
    assert ran.name == TASK
    # an emulator that does not dispatch makes the task due now, and sends nothing
    assert ran.dispatch_count == 0
    assert ran.schedule_time >= task.schedule_time
    assert service.get_task(name=TASK).schedule_time == ran.schedule_time


# -- CMEK ----------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
async def test_update_cmek_config(any_client: Any, wire: Wire, service: Any, style: str) -> None:
    fields = {
        "cmek_config": CmekConfig(name=CMEK, kms_key=KMS_KEY),
        "update_mask": field_mask_pb2.FieldMask(paths=["kms_key"]),
    }
    config = await invoke(any_client, wire, "update_cmek_config", style, fields)
    assert isinstance(config, CmekConfig)
    assert (config.name, config.kms_key) == (CMEK, KMS_KEY)
    assert service.get_cmek_config(name=CMEK).kms_key == KMS_KEY


@pytest.mark.parametrize("style", STYLES)
async def test_get_cmek_config(any_client: Any, wire: Wire, service: Any, style: str) -> None:
    service.update_cmek_config(cmek_config={"name": CMEK, "kms_key": KMS_KEY})
    config = await invoke(any_client, wire, "get_cmek_config", style, {"name": CMEK})
    assert isinstance(config, CmekConfig)
    assert config.kms_key == KMS_KEY


# -- mixins --------------------------------------------------------------------------------


@pytest.mark.parametrize("style", REQUEST_STYLES)
async def test_get_operation(
    any_client: Any, wire: Wire, service: Any, queue: Any, style: str
) -> None:
    requests = [{"task": {"http_request": {"url": URL}}}]
    started = service.batch_create_tasks(parent=QUEUE, requests=requests).operation
    assert started.done  # the emulator finishes a batch before it answers
    fields = {"name": started.name}
    polled = await invoke(any_client, wire, "get_operation", style, fields)
    assert isinstance(polled, operations_pb2.Operation)
    assert polled.name == started.name
    assert polled.done
    assert polled.response.Is(BatchCreateTasksResponse.pb().DESCRIPTOR)


@pytest.mark.parametrize("style", REQUEST_STYLES)
async def test_get_location(any_client: Any, wire: Wire, style: str) -> None:
    location = await invoke(any_client, wire, "get_location", style, {"name": PARENT})
    assert isinstance(location, locations_pb2.Location)
    assert (location.name, location.location_id) == (PARENT, "us-central1")


@pytest.mark.parametrize("style", REQUEST_STYLES)
async def test_list_locations(any_client: Any, wire: Wire, style: str) -> None:
    fields = {"name": f"projects/{PROJECT}"}
    answer = await invoke(any_client, wire, "list_locations", style, fields)
    assert isinstance(answer, locations_pb2.ListLocationsResponse)
    ids = [location.location_id for location in answer.locations]
    assert "us-central1" in ids and "europe-west1" in ids


def test_every_method_of_the_table_has_a_test_above() -> None:
    assert [name for name in SERVICE.methods if f"test_{name}" not in globals()] == []


# -- argument checks -----------------------------------------------------------------------

FLATTENED = sorted(name for name, method in SERVICE.methods.items() if method.flattened)


@pytest.mark.parametrize("name", FLATTENED)
async def test_request_and_flattened_arguments_together_raise_value_error(
    any_client: Any, wire: Wire, name: str
) -> None:
    first = SERVICE.methods[name].flattened[0]
    with pytest.raises(ValueError, match="individual field arguments"):
        await call(any_client, name, {}, **{first: "projects/p"})
    assert wire.calls == []


@pytest.mark.parametrize(
    "name, request_",
    [
        ("get_queue", GetTaskRequest(name=TASK)),
        ("get_queue", 42),
        ("create_task", "projects/p/locations/l/queues/q"),
        ("list_tasks", GetQueueRequest(name=QUEUE)),
        ("get_iam_policy", GetQueueRequest(name=QUEUE)),
        ("get_location", operations_pb2.GetOperationRequest(name="x")),
    ],
)
async def test_request_of_another_type_raises_type_error(
    any_client: Any, wire: Wire, name: str, request_: Any
) -> None:
    with pytest.raises(TypeError):
        await call(any_client, name, request_)
    assert wire.calls == []


async def test_raw_protobuf_request_is_accepted_for_a_proto_plus_method(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    got = await call(any_client, "get_queue", GetQueueRequest.pb()(name=QUEUE))
    assert got.name == QUEUE
    assert wire.calls[-1][1] == GetQueueRequest(name=QUEUE)


async def test_no_arguments_sends_an_empty_request(any_client: Any, wire: Wire) -> None:
    with pytest.raises(exceptions.InvalidArgument):
        await call(any_client, "get_queue")
    assert wire.calls[-1][1] == GetQueueRequest()


# -- headers -------------------------------------------------------------------------------

ROUTED = sorted(name for name, method in SERVICE.methods.items() if method.routing)
ODD = "projects/p q/locations/l+1/queues/a@b&c=d~e_f.g-h%"
ODD_ENCODED = "projects/p+q/locations/l%2B1/queues/a%40b%26c%3Dd~e_f.g-h%25"


def _routed_request(name: str, value: str) -> dict[str, Any]:
    """A request (as a dict) whose routing field holds ``value``."""
    (dotted,) = SERVICE.methods[name].routing
    *parents, leaf = dotted.split(".")
    request: dict[str, Any] = {leaf: value}
    for parent in reversed(parents):
        request = {parent: request}
    return request


async def _headers_of(client: Any, wire: Wire, name: str, request: Any) -> dict[str, Any]:
    try:
        await call(client, name, request, retry=None)
    except exceptions.GoogleAPICallError:
        pass  # the emulator may reject the odd names; the headers were already seen
    return wire.calls_of(name)[-1][2]


def test_the_routing_fields_are_those_of_the_api() -> None:
    assert {name: SERVICE.methods[name].routing for name in ROUTED} == {
        **{name: ("parent",) for name in ("list_queues", "create_queue", "list_tasks")},
        **{name: ("parent",) for name in ("create_task", "batch_create_tasks")},
        "batch_delete_tasks": ("parent",),
        "update_queue": ("queue.name",),
        "update_cmek_config": ("cmek_config.name",),
        **{name: ("resource",) for name in ("get_iam_policy", "set_iam_policy")},
        "test_iam_permissions": ("resource",),
        **{
            name: ("name",)
            for name in (
                "get_queue",
                "delete_queue",
                "purge_queue",
                "pause_queue",
                "resume_queue",
                "get_task",
                "delete_task",
                "run_task",
                "get_cmek_config",
                "get_operation",
                "get_location",
                "list_locations",
            )
        },
    }


@pytest.mark.parametrize("name", ROUTED)
async def test_routing_header_names_the_resource(any_client: Any, wire: Wire, name: str) -> None:
    (dotted,) = SERVICE.methods[name].routing
    headers = await _headers_of(any_client, wire, name, _routed_request(name, QUEUE))
    assert headers["x-goog-request-params"] == f"{dotted}={QUEUE}"


@pytest.mark.parametrize("name", ROUTED)
async def test_routing_header_is_url_encoded(any_client: Any, wire: Wire, name: str) -> None:
    (dotted,) = SERVICE.methods[name].routing
    headers = await _headers_of(any_client, wire, name, _routed_request(name, ODD))
    assert headers["x-goog-request-params"] == f"{dotted}={ODD_ENCODED}"


async def test_routing_header_of_update_queue_comes_from_the_flattened_queue(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    await call(any_client, "update_queue", queue=Queue(name=QUEUE))
    assert wire.calls[-1][2]["x-goog-request-params"] == f"queue.name={QUEUE}"


@pytest.mark.parametrize("name", sorted(SERVICE.methods))
async def test_every_call_identifies_the_library(any_client: Any, wire: Wire, name: str) -> None:
    headers = await _headers_of(any_client, wire, name, {})
    api_client = headers["x-goog-api-client"].split()
    assert f"gapic/{__version__}" in api_client
    assert any(part.startswith("gax/") for part in api_client)
    assert any(part.startswith("gl-python/") for part in api_client)


async def test_caller_metadata_reaches_the_server(any_client: Any, wire: Wire, queue: Any) -> None:
    await call(any_client, "get_queue", name=QUEUE, metadata=[("x-trace", "abc"), ("k-bin", b"\0")])
    headers = wire.calls[-1][2]
    assert headers["x-trace"] == "abc"
    assert headers["k-bin"] == b"\0"
    assert headers["x-goog-request-params"] == f"name={QUEUE}"
