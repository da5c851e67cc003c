"""The REST transports on the wire: transcoding, construction, interceptors.

A recording proxy (``fake_rest``) in front of the emulator's REST side notes
every request it passes on, so the tests check the URL, query string, body
and headers a call produces, and that the emulator's answer comes back as the
method's message.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any
from unittest import mock

import pytest
from conftest import PARENT, QUEUE, TASK, call, emulated
from fake_rest import RestProxy as RestServer
from fake_wire import Wire
from google.api_core import exceptions
from google.auth.credentials import AnonymousCredentials
from google.protobuf import field_mask_pb2

from google.cloud import tasks_v2, tasks_v2beta2
from google.cloud.tasks_v2._spec import SERVICE
from google.cloud.tasks_v2.gapic_version import __version__
from google.cloud.tasks_v2.services.cloud_tasks import transports
from google.cloud.tasks_v2.services.cloud_tasks.transports.rest import (
    CloudTasksRestInterceptor,
    CloudTasksRestTransport,
)
from google.cloud.tasks_v2.services.cloud_tasks.transports.rest_asyncio import (
    AsyncCloudTasksRestInterceptor,
    AsyncCloudTasksRestTransport,
)

ALT = ("$alt", "json;enum-encoding=int")


def last(server: RestServer) -> Any:
    return server.received[-1]


def body_of(server: RestServer) -> Any:
    return json.loads(last(server).body)


# -- transcoding ---------------------------------------------------------------------------


async def test_a_path_only_method_sends_no_body(
    any_rest_client: Any, rest_server: RestServer, queue: Any
) -> None:
    got = await call(any_rest_client, "get_queue", name=QUEUE)
    assert got == queue
    seen = last(rest_server)
    assert (seen.verb, seen.path, seen.query, seen.body) == ("GET", f"/v2/{QUEUE}", [ALT], b"")


async def test_other_fields_travel_as_query_parameters_in_json_names(
    any_rest_client: Any, rest_server: RestServer, task: Any
) -> None:
    request = {"parent": QUEUE, "page_size": 5, "page_token": "", "response_view": "FULL"}
    pager = await call(any_rest_client, "list_tasks", request)
    assert [t.name for t in pager.tasks] == [TASK]
    seen = last(rest_server)
    assert (seen.verb, seen.path) == ("GET", f"/v2/{QUEUE}/tasks")
    # in field-number order, enums as numbers, the empty page token left out
    assert seen.query == [("responseView", "2"), ("pageSize", "5"), ALT]


async def test_a_body_field_goes_in_the_body_and_the_rest_in_the_query(
    any_rest_client: Any, rest_server: RestServer, queue: Any
) -> None:
    paths = ["rate_limits.max_dispatches_per_second", "stackdriver_logging_config"]
    mask = field_mask_pb2.FieldMask(paths=paths)
    wanted = {"name": QUEUE, "rate_limits": {"max_dispatches_per_second": 7}}
    got = await call(any_rest_client, "update_queue", queue=wanted, update_mask=mask)
    assert got.rate_limits.max_dispatches_per_second == 7
    seen = last(rest_server)
    assert (seen.verb, seen.path) == ("PATCH", f"/v2/{QUEUE}")
    assert seen.query == [
        ("updateMask", "rateLimits.maxDispatchesPerSecond,stackdriverLoggingConfig"),
        ALT,
    ]
    # the queue's name travels in the path, not again in the body
    assert body_of(rest_server) == {"rateLimits": {"maxDispatchesPerSecond": 7.0}}


async def test_a_star_body_carries_every_field_not_in_the_path(
    any_rest_client: Any, rest_server: RestServer, queue: Any
) -> None:
    task = {
        "name": TASK,
        "http_request": {"url": "https://x/", "http_method": "PUT", "body": b"hi"},
    }
    made = await call(
        any_rest_client, "create_task", {"parent": QUEUE, "task": task, "response_view": "FULL"}
    )
    assert made.http_request.body == b"hi"
    seen = last(rest_server)
    assert (seen.verb, seen.path, seen.query) == ("POST", f"/v2/{QUEUE}/tasks", [ALT])
    assert body_of(rest_server) == {
        "task": {
            "name": TASK,
            "httpRequest": {"url": "https://x/", "httpMethod": 4, "body": "aGk="},
        },
        "responseView": 2,
    }


async def test_a_named_body_field_is_the_whole_body(
    any_rest_client: Any, rest_server: RestServer
) -> None:
    await call(any_rest_client, "create_queue", parent=PARENT, queue={"name": QUEUE})
    seen = last(rest_server)
    assert (seen.verb, seen.path, seen.query) == ("POST", f"/v2/{PARENT}/queues", [ALT])
    assert body_of(rest_server) == {"name": QUEUE}


async def test_iam_requests_are_posted_with_their_fields(
    any_rest_client: Any, rest_server: RestServer, queue: Any
) -> None:
    got = await call(
        any_rest_client,
        "test_iam_permissions",
        resource=QUEUE,
        permissions=["cloudtasks.tasks.create", "cloudtasks.queues.get"],
    )
    assert list(got.permissions)
    seen = last(rest_server)
    assert (seen.verb, seen.path) == ("POST", f"/v2/{QUEUE}:testIamPermissions")
    assert body_of(rest_server) == {
        "permissions": ["cloudtasks.tasks.create", "cloudtasks.queues.get"]
    }


async def test_path_parameters_are_percent_encoded(
    any_rest_client: Any, rest_server: RestServer
) -> None:
    with pytest.raises(exceptions.BadRequest):  # the emulator rejects the odd name
        await call(any_rest_client, "get_queue", name=f"{PARENT}/queues/a b", retry=None)
    assert last(rest_server).path == f"/v2/{PARENT}/queues/a%20b"


async def test_a_request_that_fits_no_binding_raises_value_error_and_sends_nothing(
    any_rest_client: Any, rest_server: RestServer
) -> None:
    with pytest.raises(ValueError, match="Invalid request"):
        await call(any_rest_client, "get_queue", name="not-a-queue-name")
    assert rest_server.received == []


async def test_headers_carry_the_client_routing_and_caller_metadata(
    any_rest_client: Any, rest_server: RestServer, wire: Wire, queue: Any
) -> None:
    await call(any_rest_client, "get_queue", name=QUEUE, metadata=[("x-trace", "abc")])
    headers = last(rest_server).headers
    assert headers["x-goog-request-params"] == f"name={QUEUE}"
    assert headers["x-trace"] == "abc"
    assert headers["content-type"] == "application/json"
    api_client = headers["x-goog-api-client"].split()
    assert f"gapic/{__version__}" in api_client
    assert any(part.startswith("rest/") or part.startswith("gax/") for part in api_client)
    assert wire.calls[-1][2]["x-goog-request-params"] == f"name={QUEUE}"


async def test_unknown_fields_in_an_answer_are_ignored(
    any_rest_client: Any, rest_server: RestServer
) -> None:
    rest_server.answer_next(200, json.dumps({"name": QUEUE, "futureField": {"a": 1}, "state": 2}))
    got = await call(any_rest_client, "get_queue", name=QUEUE)
    assert got == tasks_v2.Queue(name=QUEUE, state=tasks_v2.Queue.State.PAUSED)


async def test_a_long_running_operation_is_polled_over_rest(
    any_rest_client: Any, rest_server: RestServer, wire: Wire, queue: Any
) -> None:
    wire.hold_next("batch_create_tasks")  # the emulator would answer it finished
    operation = await call(
        any_rest_client,
        "batch_create_tasks",
        parent=QUEUE,
        requests=[{"parent": QUEUE, "task": {"name": TASK, "http_request": {"url": "https://x"}}}],
    )
    result = operation.result(timeout=10)
    if not isinstance(result, tasks_v2.BatchCreateTasksResponse):
        result = await result
    assert [t.name for t in result.tasks] == [TASK]
    polled = [r for r in rest_server.received if r.method == "get_operation"]
    assert polled and polled[0].path == f"/v2/{operation.operation.name}"


async def test_pages_are_fetched_over_rest(
    any_rest_client: Any, rest_server: RestServer, wire: Wire
) -> None:
    names = [f"{PARENT}/queues/q{i}" for i in range(5)]
    for name in names:
        await call(any_rest_client, "create_queue", parent=PARENT, queue={"name": name})
    pager = await call(any_rest_client, "list_queues", {"parent": PARENT, "page_size": 2})
    if hasattr(pager, "__aiter__"):
        got = [q.name async for q in pager]
    else:
        got = [q.name for q in pager]
    assert got == names
    tokens = [dict(r.query).get("pageToken") for r in rest_server.received[-3:]]
    assert tokens[0] is None and all(tokens[1:])


# -- construction --------------------------------------------------------------------------


def test_the_transport_classes_are_registered() -> None:
    assert tasks_v2.CloudTasksClient.get_transport_class("rest") is CloudTasksRestTransport
    assert (
        tasks_v2.CloudTasksAsyncClient.get_transport_class("rest_asyncio")
        is AsyncCloudTasksRestTransport
    )
    assert transports.CloudTasksRestTransport is CloudTasksRestTransport
    assert transports.CloudTasksRestInterceptor is CloudTasksRestInterceptor
    assert transports.AsyncCloudTasksRestInterceptor is AsyncCloudTasksRestInterceptor


def test_by_name_the_transport_talks_https_to_the_default_host() -> None:
    client = tasks_v2.CloudTasksClient(transport="rest", credentials=AnonymousCredentials())
    assert isinstance(client.transport, CloudTasksRestTransport)
    assert client.transport.kind == "rest"
    assert client.transport.host == "https://cloudtasks.googleapis.com"


def test_a_transport_class_is_built_with_the_client_options(rest_server: RestServer) -> None:
    client = tasks_v2.CloudTasksClient(
        transport=CloudTasksRestTransport,
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": f"http://{rest_server.address}"},
    )
    assert client.transport.host == f"http://{rest_server.address}"
    with pytest.raises(exceptions.NotFound):
        client.get_queue(name=QUEUE)


def test_a_transport_instance_is_used_as_given(
    rest_server: RestServer, wire: Wire, queue: Any
) -> None:
    transport = CloudTasksRestTransport(
        host=rest_server.address, url_scheme="http", credentials=AnonymousCredentials()
    )
    client = tasks_v2.CloudTasksClient(transport=transport)
    assert client.transport is transport
    assert client.get_queue(name=QUEUE) == queue
    client.transport.close()


def test_the_emulator_variable_selects_plain_http_and_no_credentials(
    rest_server: RestServer, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import google.auth

    def no_default_credentials(*_: Any, **__: Any) -> Any:
        raise AssertionError("the emulator needs no credentials")

    monkeypatch.setattr(google.auth, "default", no_default_credentials)
    client = emulated(tasks_v2.CloudTasksClient, rest_server.address, monkeypatch, transport="rest")
    assert client.transport.host == f"http://{rest_server.address}"
    assert isinstance(client.transport._credentials, AnonymousCredentials)
    assert client.get_queue(name=QUEUE) == queue
    assert "authorization" not in last(rest_server).headers


async def test_the_emulator_variable_works_for_async_rest_too(
    rest_server: RestServer, queue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = emulated(
        tasks_v2.CloudTasksAsyncClient, rest_server.address, monkeypatch, transport="rest_asyncio"
    )
    async with client:
        assert client.transport.host == f"http://{rest_server.address}"
        assert await client.get_queue(name=QUEUE) == queue


def test_a_stub_can_be_patched_like_the_grpc_ones(rest_client: Any) -> None:
    stub = rest_client.transport.get_queue
    assert stub is rest_client.transport.get_queue  # made once
    with mock.patch.object(type(stub), "__call__") as patched:
        patched.return_value = tasks_v2.Queue(name="patched")
        assert rest_client.get_queue(name=QUEUE).name == "patched"
    request = patched.call_args.args[0]
    assert request == tasks_v2.GetQueueRequest(name=QUEUE)
    assert ("x-goog-request-params", f"name={QUEUE}") in patched.call_args.kwargs["metadata"]


def test_the_operations_client_polls_over_rest(
    rest_client: Any, rest_server: RestServer, queue: Any
) -> None:
    operation = rest_client.batch_delete_tasks(parent=QUEUE, names=[f"{QUEUE}/tasks/none"])
    got = rest_client.transport.operations_client.get_operation(operation.operation.name)
    assert got.name == operation.operation.name and got.done


def test_importing_the_package_does_not_import_rest() -> None:
    # (``requests`` itself comes with google.api_core, whatever the transport)
    code = (
        "import sys\n"
        "from google.cloud import tasks, tasks_v2\n"
        "tasks_v2.CloudTasksClient, tasks_v2.CloudTasksAsyncClient\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'aiohttp'"
        " or m.endswith(('.rest', '.rest_asyncio'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_aiohttp_async_rest_names_the_extra_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['aiohttp'] = None\n"
        "from google.cloud import tasks_v2\n"
        "try:\n"
        "    tasks_v2.CloudTasksAsyncClient.get_transport_class('rest_asyncio')\n"
        "except ValueError as exc:\n"
        "    assert 'google-cloud-tasks[async_rest]' in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('no error')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_method_without_http_binding_says_so() -> None:
    client = tasks_v2beta2.CloudTasksClient(
        transport="rest",
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": "http://127.0.0.1:9"},
    )
    with pytest.raises(
        NotImplementedError, match="Method UploadQueueYaml is not available over REST transport"
    ):
        client.transport.upload_queue_yaml(tasks_v2beta2.UploadQueueYamlRequest())


def test_async_rest_refuses_client_certificates() -> None:
    with pytest.raises(NotImplementedError, match="client certificates"):
        AsyncCloudTasksRestTransport(
            credentials=AnonymousCredentials(),
            client_cert_source_for_mtls=lambda: (b"cert", b"key"),
        )


# -- interceptors --------------------------------------------------------------------------


def test_every_method_has_hooks_and_methods_without_answer_only_a_pre_hook() -> None:
    for interceptor in (CloudTasksRestInterceptor, AsyncCloudTasksRestInterceptor):
        for name, method in SERVICE.methods.items():
            assert callable(getattr(interceptor, f"pre_{name}"))
            has_post = hasattr(interceptor, f"post_{name}")
            assert has_post == (method.response is not None), name
            assert hasattr(interceptor, f"post_{name}_with_metadata") == has_post


class Recording(CloudTasksRestInterceptor):
    """Changes get_queue's request and answer; leaves every other hook alone."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def pre_get_queue(self, request: Any, metadata: Any) -> Any:
        self.seen.append("pre")
        request.name = QUEUE  # the caller asked for another queue
        return request, [*metadata, ("x-intercepted", "yes")]

    def post_get_queue(self, response: Any) -> Any:
        self.seen.append("post")
        response.state = tasks_v2.Queue.State.DISABLED
        return response

    def post_get_queue_with_metadata(self, response: Any, metadata: Any) -> Any:
        self.seen.append("post_with_metadata")
        assert ("Content-Type", "application/json; charset=utf-8") in metadata
        response, metadata = super().post_get_queue_with_metadata(response, metadata)
        return response, metadata


class AsyncRecording(AsyncCloudTasksRestInterceptor):
    def __init__(self) -> None:
        self.seen: list[str] = []

    async def pre_get_queue(self, request: Any, metadata: Any) -> Any:
        self.seen.append("pre")
        request.name = QUEUE
        return request, [*metadata, ("x-intercepted", "yes")]

    async def post_get_queue(self, response: Any) -> Any:
        self.seen.append("post")
        response.state = tasks_v2.Queue.State.DISABLED
        return response

    async def post_get_queue_with_metadata(self, response: Any, metadata: Any) -> Any:
        self.seen.append("post_with_metadata")
        assert ("Content-Type", "application/json; charset=utf-8") in metadata
        return await super().post_get_queue_with_metadata(response, metadata)


@pytest.fixture(params=["rest", "rest_asyncio"])
def intercepted(request: pytest.FixtureRequest, rest_server: RestServer) -> Any:
    """(client, interceptor) for the sync and the asyncio REST transport."""
    if request.param == "rest":
        interceptor: Any = Recording()
        transport: Any = CloudTasksRestTransport(
            host=rest_server.address,
            url_scheme="http",
            credentials=AnonymousCredentials(),
            interceptor=interceptor,
        )
        return tasks_v2.CloudTasksClient(transport=transport), interceptor
    interceptor = AsyncRecording()
    transport = AsyncCloudTasksRestTransport(
        host=rest_server.address,
        url_scheme="http",
        credentials=AnonymousCredentials(),
        interceptor=interceptor,
    )
    return tasks_v2.CloudTasksAsyncClient(transport=transport), interceptor


async def test_interceptor_hooks_run_in_order_and_change_request_and_answer(
    intercepted: Any, rest_server: RestServer, wire: Wire, queue: Any
) -> None:
    client, interceptor = intercepted
    got = await call(client, "get_queue", name=f"{PARENT}/queues/other")
    assert interceptor.seen == ["pre", "post", "post_with_metadata"]
    assert last(rest_server).path == f"/v2/{QUEUE}"
    assert last(rest_server).headers["x-intercepted"] == "yes"
    assert wire.calls[-1][1].name == QUEUE
    assert got.name == QUEUE and got.state == tasks_v2.Queue.State.DISABLED


async def test_hooks_not_overridden_change_nothing(
    intercepted: Any, queue: Any, rest_server: RestServer
) -> None:
    client, interceptor = intercepted
    await call(client, "delete_queue", name=QUEUE)
    got = await call(client, "get_location", {"name": f"{PARENT}"})
    assert got.location_id == "us-central1"
    assert interceptor.seen == []
    assert last(rest_server).headers.get("x-intercepted") is None


def test_patching_the_interceptor_class_reaches_the_call(rest_client: Any, queue: Any) -> None:
    with (
        mock.patch.object(CloudTasksRestInterceptor, "pre_get_queue") as pre,
        mock.patch.object(CloudTasksRestInterceptor, "post_get_queue") as post,
    ):
        pre.side_effect = lambda request, metadata: (request, metadata)
        post.side_effect = lambda response: response
        assert rest_client.get_queue(name=QUEUE) == queue
    assert pre.call_count == 1 and post.call_count == 1
    assert pre.call_args.args[0] == tasks_v2.GetQueueRequest(name=QUEUE)
