"""``google.rpc`` error details, as the real service attaches them, on every way in.

An invalid queue name carries a ``google.rpc.Help`` link to the queue's
reference, an invalid task id one to the task's, and PERMISSION_DENIED for a
parent the service cannot parse carries ``ErrorInfo`` (``CONSUMER_INVALID``),
``LocalizedMessage`` and ``Help``.  Each is checked through the sync client on
gRPC and REST, the async client on both, raw HTTP JSON (``error.details``) and
a raw gRPC call (``grpc-status-details-bin``), in every API version and on both
gRPC engines.  The details below are the recorded facts, written out here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import grpc
import pytest
import requests
from google.api_core import exceptions
from google.protobuf import json_format
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.service.errors import QUEUE_NAME_FORMAT, TASK_ID_FORMAT

from .helpers import PARENT, QUEUE

VERSIONS = ["v2", "v2beta3", "v2beta2"]
REFERENCE = "https://cloud.google.com/tasks/docs/reference/rest/v2/"
HELP = "type.googleapis.com/google.rpc.Help"

QUEUE_HELP = {
    "@type": HELP,
    "links": [
        {
            "description": "Definition of queue name",
            "url": REFERENCE + "projects.locations.queues#Queue.FIELDS.name",
        }
    ],
}
TASK_HELP = {
    "@type": HELP,
    "links": [
        {
            "description": "Definition of task ID",
            "url": REFERENCE + "projects.locations.queues.tasks#Task.FIELDS.name",
        }
    ],
}


def denied(project: str) -> tuple[str, list[dict[str, Any]]]:
    """The message and details of PERMISSION_DENIED on ``project``."""
    message = f"Permission denied on resource project {project}."
    details: list[dict[str, Any]] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "CONSUMER_INVALID",
            "domain": "googleapis.com",
            "metadata": {
                "consumer": f"projects/{project}",
                "containerInfo": project,
                "service": "cloudtasks.googleapis.com",
            },
        },
        {
            "@type": "type.googleapis.com/google.rpc.LocalizedMessage",
            "locale": "en-US",
            "message": message,
        },
        {
            "@type": HELP,
            "links": [
                {
                    "description": "Google developers console",
                    "url": "https://console.developers.google.com",
                }
            ],
        },
    ]
    return message, details


@dataclass(frozen=True)
class Case:
    """One refused call: how to make it, and the status and details it must get."""

    id: str
    method: str  # the client method, also the gRPC method in CamelCase
    request: dict[str, Any]
    code: grpc.StatusCode
    message: str
    details: list[dict[str, Any]]
    #: the REST call (verb, path after ``/{version}/``, body), when one can be made: a REST
    #: client refuses names its URI templates do not match before sending anything
    http: tuple[str, str, dict[str, Any] | None] | None

    @property
    def rpc(self) -> str:
        return "".join(part.title() for part in self.method.split("_"))

    @property
    def http_status(self) -> int:
        return {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}[self.code.name]


BAD_QUEUE = f"{PARENT}/queues/bad_queue"
BAD_TASK = f"{QUEUE}/tasks/a.b"
RECORDED = "not-a-valid-parent"
# A parent that fits the REST templates (projects/*/locations/*) yet is no project name.
SPACED = "not a project"
SPACED_PARENT = f"projects/{SPACED}/locations/l"

CASES = [
    Case(
        "queue-name",
        "get_queue",
        {"name": BAD_QUEUE},
        grpc.StatusCode.INVALID_ARGUMENT,
        QUEUE_NAME_FORMAT,
        [QUEUE_HELP],
        ("GET", BAD_QUEUE, None),
    ),
    Case(
        "task-id",
        "get_task",
        {"name": BAD_TASK},
        grpc.StatusCode.INVALID_ARGUMENT,
        TASK_ID_FORMAT.format(id="a.b"),
        [TASK_HELP],
        ("GET", BAD_TASK, None),
    ),
    Case(
        "create-queue-bad-parent",
        "create_queue",
        {"parent": RECORDED, "queue": {"name": f"{PARENT}/queues/q"}},
        grpc.StatusCode.PERMISSION_DENIED,
        *denied(RECORDED),
        None,
    ),
    Case(
        "list-queues-bad-parent",
        "list_queues",
        {"parent": RECORDED},
        grpc.StatusCode.PERMISSION_DENIED,
        *denied(RECORDED),
        None,
    ),
    Case(
        "create-queue-spaced-parent",
        "create_queue",
        {"parent": SPACED_PARENT, "queue": {"name": f"{SPACED_PARENT}/queues/q"}},
        grpc.StatusCode.PERMISSION_DENIED,
        *denied(SPACED),
        ("POST", f"{quote(SPACED_PARENT)}/queues", {"name": f"{SPACED_PARENT}/queues/q"}),
    ),
    Case(
        "list-queues-spaced-parent",
        "list_queues",
        {"parent": SPACED_PARENT},
        grpc.StatusCode.PERMISSION_DENIED,
        *denied(SPACED),
        ("GET", f"{quote(SPACED_PARENT)}/queues", None),
    ),
]
REST_CASES = [case for case in CASES if case.http is not None]


def as_json(detail: Message) -> dict[str, Any]:
    """A detail message as REST JSON shows it (its fields and ``@type``)."""
    out = json_format.MessageToDict(detail)
    return {"@type": f"type.googleapis.com/{detail.DESCRIPTOR.full_name}", **out}


def check_grpc_error(error: exceptions.GoogleAPICallError, case: Case) -> None:
    """What api_core raised for a gRPC call: status, message, details as messages."""
    assert error.grpc_status_code == case.code
    assert error.message == case.message
    for detail in error.details:  # unpacked, not left as Any
        assert isinstance(
            detail,
            (
                error_details_pb2.Help,
                error_details_pb2.ErrorInfo,
                error_details_pb2.LocalizedMessage,
            ),
        )
    assert [as_json(d) for d in error.details] == case.details
    check_error_info(error, case)


def check_rest_error(error: exceptions.GoogleAPICallError, case: Case) -> None:
    """What api_core raised for a REST call: status, message, details as JSON objects."""
    assert error.code == case.http_status
    assert error.message.endswith(": " + case.message)
    assert list(error.details) == case.details
    check_error_info(error, case)


def check_error_info(error: exceptions.GoogleAPICallError, case: Case) -> None:
    info = next((d for d in case.details if d["@type"].endswith("ErrorInfo")), None)
    if info is None:
        assert error.reason is None
    else:
        assert (error.reason, error.domain) == ("CONSUMER_INVALID", "googleapis.com")
        assert error.metadata == info["metadata"]


@pytest.fixture(scope="module", params=["fast", "grpc"])
def emu(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """An emulator on each gRPC engine (these tests keep nothing but one queue)."""
    with Emulator(dispatch=False, engine=request.param) as emulator:
        yield emulator


def _serialized(version: str, rpc: str, fields: dict[str, Any]) -> bytes:
    """The ``{rpc}Request`` of ``version`` holding ``fields``, as bytes on the wire."""
    module = importlib.import_module(f"google.cloud.tasks_{version}")
    kind = getattr(module, f"{rpc}Request")
    return kind.serialize(kind(fields))  # type: ignore[no-any-return]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_sync_client_over_grpc(emu: Emulator, version: str, case: Case) -> None:
    with emu.client(version) as client:
        with pytest.raises(exceptions.GoogleAPICallError) as info:
            getattr(client, case.method)(request=case.request)
    check_grpc_error(info.value, case)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", REST_CASES, ids=lambda c: c.id)
def test_sync_client_over_rest(emu: Emulator, version: str, case: Case) -> None:
    with emu.client(version, transport="rest") as client:
        with pytest.raises(exceptions.GoogleAPICallError) as info:
            getattr(client, case.method)(request=case.request)
    check_rest_error(info.value, case)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
async def test_async_client_over_grpc(emu: Emulator, version: str, case: Case) -> None:
    client = emu.async_client(version)
    try:
        with pytest.raises(exceptions.GoogleAPICallError) as info:
            await getattr(client, case.method)(request=case.request)
    finally:
        await client.transport.close()
    check_grpc_error(info.value, case)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", REST_CASES, ids=lambda c: c.id)
async def test_async_client_over_rest(emu: Emulator, version: str, case: Case) -> None:
    client = emu.async_client(version, transport="rest_asyncio")
    try:
        with pytest.raises(exceptions.GoogleAPICallError) as info:
            await getattr(client, case.method)(request=case.request)
    finally:
        await client.transport.close()
    check_rest_error(info.value, case)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", REST_CASES, ids=lambda c: c.id)
def test_raw_http_json(emu: Emulator, version: str, case: Case) -> None:
    assert case.http is not None
    verb, path, body = case.http
    answer = requests.request(verb, f"{emu.http_url}/{version}/{path}", json=body, timeout=10)
    assert answer.status_code == case.http_status
    assert answer.json() == {
        "error": {
            "code": answer.status_code,
            "message": case.message,
            "status": case.code.name,
            "details": case.details,
        }
    }


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_raw_grpc_status_details(emu: Emulator, version: str, case: Case) -> None:
    path = f"/google.cloud.tasks.{version}.CloudTasks/{case.rpc}"
    with grpc.insecure_channel(emu.host) as channel:
        call = channel.unary_unary(path)
        with pytest.raises(grpc.RpcError) as info:
            call(_serialized(version, case.rpc, case.request), timeout=10)
    error: Any = info.value
    assert error.code() == case.code
    assert error.details() == case.message
    trailers = [v for k, v in error.trailing_metadata() if k == "grpc-status-details-bin"]
    assert len(trailers) == 1
    status = status_pb2.Status.FromString(trailers[0])
    assert (status.code, status.message) == (case.code.value[0], case.message)
    assert [json_format.MessageToDict(d) for d in status.details] == case.details


def test_an_error_without_details_sends_none(emu: Emulator) -> None:
    """Only errors that carry details get the trailer and the JSON list."""
    missing = f"{PARENT}/queues/missing"
    with grpc.insecure_channel(emu.host) as channel:
        call = channel.unary_unary("/google.cloud.tasks.v2.CloudTasks/GetQueue")
        with pytest.raises(grpc.RpcError) as info:
            call(_serialized("v2", "GetQueue", {"name": missing}), timeout=10)
    error: Any = info.value
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert all(k != "grpc-status-details-bin" for k, _ in error.trailing_metadata() or ())
    body = requests.get(f"{emu.http_url}/v2/{missing}", timeout=10).json()
    assert body["error"]["status"] == "NOT_FOUND" and "details" not in body["error"]


@pytest.mark.parametrize("version", ["v2", "v2beta3"])
def test_batch_failures_carry_details(emu: Emulator, version: str) -> None:
    """A request of BatchCreateTasks that fails records its details in the metadata."""
    queue = f"{PARENT}/queues/batch-details-{version}"
    target = {"http_request": {"url": "https://example.com/"}}
    batch = [
        {"parent": queue, "task": {"name": f"{queue}/tasks/fine", **target}},
        {"parent": queue, "task": {"name": f"{queue}/tasks/a.b", **target}},
    ]
    client: Any
    with emu.client(version) as client:
        client.create_queue(parent=PARENT, queue={"name": queue})
        op = client.batch_create_tasks(parent=queue, requests=batch)
        op.result(timeout=10)
        client.delete_queue(name=queue)
    failed = op.metadata.failed_requests
    assert list(failed) == [1]
    assert failed[1].code == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    assert failed[1].message == TASK_ID_FORMAT.format(id="a.b")
    assert [json_format.MessageToDict(d) for d in failed[1].details] == [TASK_HELP]
