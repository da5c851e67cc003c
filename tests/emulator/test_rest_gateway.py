"""The emulator's REST side: our REST transports against it, and raw HTTP."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
import requests
from google.api_core import exceptions

from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE, http_task

V2 = "/v2/"


@pytest.mark.parametrize("version", ["v2", "v2beta3", "v2beta2"])
def test_rest_client_scenario_for_each_version(emu: Emulator, version: str) -> None:
    client = emu.client(version, transport="rest")
    queue = client.create_queue(parent=PARENT, queue={"name": QUEUE})
    assert queue.rate_limits.max_burst_size == 100
    paused = client.pause_queue(name=QUEUE)
    assert paused.state == type(paused).State.PAUSED
    if version == "v2beta2":
        task = {"app_engine_http_request": {"relative_url": "/w", "payload": b"body"}}
    else:
        task = http_task(body=b"body")
    made = [client.create_task(parent=QUEUE, task=task) for _ in range(3)]
    listed = client.list_tasks(request={"parent": QUEUE, "page_size": 2, "response_view": 2})
    pages = list(listed.pages)
    assert [len(p.tasks) for p in pages] == [2, 1]
    assert {t.name for p in pages for t in p.tasks} == {t.name for t in made}
    with pytest.raises(exceptions.NotFound) as info:
        client.get_task(name=f"{QUEUE}/tasks/missing")
    assert info.value.message.endswith("Requested entity was not found.")
    client.delete_task(name=made[0].name)
    with pytest.raises(exceptions.NotFound) as info:
        client.get_task(name=made[0].name)
    assert "The task no longer exists" in info.value.message
    with pytest.raises(exceptions.Conflict) as conflict:  # 409, as api_core maps it
        client.create_queue(parent=PARENT, queue={"name": QUEUE})
    assert conflict.value.message.endswith("Queue already exists")
    if hasattr(client, "batch_create_tasks"):  # v2beta3: a long-running operation
        op = client.batch_create_tasks(parent=QUEUE, requests=[{"task": task}])
        assert len(op.result(timeout=5).tasks) == 1
    assert client.get_location(request={"name": PARENT}).location_id == "us-central1"
    client.delete_queue(name=QUEUE)
    client.transport.close()


async def test_async_rest_client(emu: Emulator) -> None:
    client = emu.async_client(transport="rest_asyncio")
    await client.create_queue(parent=PARENT, queue={"name": QUEUE})
    task = await client.create_task(parent=QUEUE, task=http_task())
    got = await client.get_task(name=task.name)
    assert got.name == task.name
    with pytest.raises(exceptions.NotFound):
        await client.get_queue(name=QUEUE + "x")
    await client.transport.close()


def test_grpc_and_rest_see_one_state(emu: Emulator, client: Any) -> None:
    rest = emu.client(transport="rest")
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    rest.pause_queue(name=QUEUE)
    assert client.get_queue(name=QUEUE).state.name == "PAUSED"
    task = rest.create_task(parent=QUEUE, task=http_task())
    assert client.get_task(name=task.name).name == task.name
    rest.transport.close()


def test_json_shapes_query_parameters_and_enum_encoding(emu: Emulator) -> None:
    base = emu.http_url + V2
    made = requests.post(
        base + f"{PARENT}/queues",
        json={"name": QUEUE, "rate_limits": {"maxDispatchesPerSecond": 10}},
        timeout=5,
    )
    assert made.status_code == 200
    assert made.json()["rateLimits"] == {
        "maxDispatchesPerSecond": 10.0,
        "maxBurstSize": 2,
        "maxConcurrentDispatches": 1000,
    }
    assert made.json()["state"] == "RUNNING"
    standard = {"fields": "name", "quotaUser": "me", "prettyPrint": "false"}  # Google's own
    assert requests.get(base + QUEUE, params=standard, timeout=5).json()["name"] == QUEUE
    as_int = requests.get(base + QUEUE, params={"$alt": "json;enum-encoding=int"}, timeout=5)
    assert as_int.json()["state"] == 1
    beta = emu.http_url + "/v2beta3/" + QUEUE
    masked = requests.get(beta, params={"readMask": "name,state"}, timeout=5).json()
    assert masked == {"name": QUEUE, "state": "RUNNING"}
    unknown = requests.get(base + QUEUE, params={"readMask": "name"}, timeout=5)
    assert unknown.status_code == 400 and "readMask" in unknown.json()["error"]["message"]
    for _ in range(3):
        requests.post(
            base + f"{QUEUE}/tasks",
            json={"task": {"httpRequest": {"url": "http://127.0.0.1:9/", "body": "aGk="}}},
            timeout=5,
        )
    page = requests.get(
        base + f"{QUEUE}/tasks", params={"pageSize": 2, "responseView": "FULL"}, timeout=5
    ).json()
    assert len(page["tasks"]) == 2 and page["tasks"][0]["httpRequest"]["body"] == "aGk="
    rest = requests.get(
        base + f"{QUEUE}/tasks", params={"pageToken": page["nextPageToken"]}, timeout=5
    ).json()
    assert len(rest["tasks"]) == 1 and "body" not in rest["tasks"][0]["httpRequest"]
    listed = requests.get(base + f"{PARENT}/queues", params={"filter": "state: PAUSED"}, timeout=5)
    assert listed.json() == {}


@pytest.mark.parametrize(
    ("verb", "path", "body", "status", "text"),
    [
        ("GET", f"{QUEUE}x/nothing/here", None, 404, "was not found"),
        ("DELETE", f"{PARENT}/queues", None, 404, "was not found"),  # a verb the path lacks
        ("POST", f"{PARENT}/queues", b"{not json", 400, "Invalid JSON payload"),
        ("POST", f"{QUEUE}/tasks", b'{"task": {"httpRequest": {"url": 5}}}', 400, "url"),
        ("POST", f"{QUEUE}/tasks", b'{"task": {"nme": "x"}}', 400, "nme"),
        ("GET", QUEUE, None, 404, "Queue does not exist."),
        ("GET", f"{QUEUE}/tasks/bad%0Aid", None, 400, 'Task ID "bad\\nid"'),
        ("POST", f"{PARENT}/queues", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, 400, "JSON"),
    ],
)
def test_errors_in_google_json_format(
    emu: Emulator, verb: str, path: str, body: bytes | None, status: int, text: str
) -> None:
    json_type = {"Content-Type": "application/json"}
    answer = requests.request(
        verb, emu.http_url + V2 + path, data=body, headers=json_type, timeout=5
    )
    assert answer.status_code == status
    error = answer.json()["error"]
    assert error["code"] == status and text in error["message"]
    assert "\n" not in error["message"]


async def test_garbage_and_oversize_bodies_leave_the_server_serving(emu: Emulator) -> None:
    async with aiohttp.ClientSession() as session:
        big = b'{"name": "' + b"a" * (33 << 20) + b'"}'
        json_type = {"Content-Type": "application/json"}
        url = emu.http_url + V2 + f"{PARENT}/queues"
        async with session.post(url, data=big, headers=json_type) as answer:
            assert answer.status == 400
            error = (await answer.json())["error"]
            assert error["status"] == "INVALID_ARGUMENT" and "size exceeds" in error["message"]
        async with session.get(emu.http_url + V2 + f"{PARENT}/queues") as answer:
            assert answer.status == 200
