"""Every method of the v2 table over REST: the gRPC suite's scenarios, run on REST clients.

The per-method tests of ``test_client_methods`` (each method called with a
message, a dict and flattened arguments; the answer, the emulator's state and
the exact request that went over the wire are checked) run here again with
``any_client`` being the sync ``rest`` and the asyncio ``rest_asyncio``
client, so both transports must give the same results for the same
scenarios.
"""

from __future__ import annotations

from typing import Any

import pytest
import test_client_methods as grpc_suite
from conftest import PARENT, QUEUE, call, collect, emulated
from google.api_core import exceptions
from google.protobuf import json_format
from test_client_methods import resolved

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks_v2 import CloudTasksAsyncClient, CloudTasksClient
from google.cloud.tasks_v2._spec import SERVICE


@pytest.fixture
def any_client(any_rest_client: Any) -> Any:  # overrides the gRPC one
    return any_rest_client


for _name in SERVICE.methods:
    globals()[f"test_{_name}"] = getattr(grpc_suite, f"test_{_name}")


# -- one scenario, four transports, one outcome -------------------------------------------

TASK_IN_QUEUE = f"{QUEUE}/tasks/t1"
SCENARIO: list[tuple[str, dict[str, Any]]] = [
    ("create_queue", {"parent": PARENT, "queue": {"name": QUEUE}}),
    ("create_queue", {"parent": PARENT, "queue": {"name": QUEUE}}),  # ALREADY_EXISTS
    ("get_queue", {"name": f"{PARENT}/queues/missing"}),  # NOT_FOUND
    (
        "update_queue",
        {
            "queue": {"name": QUEUE, "retry_config": {"max_attempts": 5}},
            "update_mask": {"paths": ["retry_config.max_attempts"]},
        },
    ),
    (
        "create_task",
        {
            "parent": QUEUE,
            "task": {
                "name": TASK_IN_QUEUE,
                "http_request": {"url": "https://x/", "body": b"\x00\xff", "headers": {"A": "b"}},
            },
            "response_view": "FULL",
        },
    ),
    ("list_tasks", {"parent": QUEUE, "response_view": "FULL", "page_size": 1}),
    ("get_task", {"name": TASK_IN_QUEUE}),
    ("run_task", {"name": TASK_IN_QUEUE}),
    ("pause_queue", {"name": QUEUE}),
    ("list_queues", {"parent": PARENT, "filter": "state: PAUSED"}),
    ("resume_queue", {"name": QUEUE}),
    (
        "set_iam_policy",
        {
            "resource": QUEUE,
            "policy": {"bindings": [{"role": "roles/viewer", "members": ["user:m@example.com"]}]},
        },
    ),
    ("get_iam_policy", {"resource": QUEUE}),
    ("test_iam_permissions", {"resource": QUEUE, "permissions": ["a.b", "c.d"]}),
    ("get_cmek_config", {"name": f"{PARENT}/cmekConfig"}),
    ("get_location", {"name": PARENT}),
    ("list_locations", {"name": "projects/proj"}),
    ("delete_task", {"name": TASK_IN_QUEUE}),
    ("get_task", {"name": TASK_IN_QUEUE}),  # NOT_FOUND, recently deleted
    ("purge_queue", {"name": QUEUE}),
    ("delete_queue", {"name": QUEUE}),
]


def _stable(value: Any) -> Any:
    """A comparable form of an answer, without the times the emulator stamps.

    A policy's etag is random: only its presence is kept.
    """
    if value is None:
        return None
    message = type(value).pb(value) if hasattr(type(value), "pb") else value
    found = json_format.MessageToDict(message)

    def strip(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: ("<etag>" if k == "etag" and "bindings" in node else strip(v))
                for k, v in node.items()
                if not k.endswith("Time")
            }
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return strip(found)


async def _run_scenario(kind: str, emu: Emulator, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    emu.reset()
    sync = kind in ("grpc", "rest")
    if kind.startswith("rest"):
        address = emu.http_url.removeprefix("http://")
    else:
        address = emu.host
    cls = CloudTasksClient if sync else CloudTasksAsyncClient
    client = emulated(cls, address, monkeypatch, transport=kind)
    outcome: list[Any] = []
    try:
        for name, request in SCENARIO:
            try:
                answer = await call(client, name, request)
                if hasattr(answer, "pages"):  # a pager: every item of every page
                    outcome.append([_stable(item) for item in await collect(answer)])
                else:
                    outcome.append(_stable(answer))
            except exceptions.GoogleAPICallError as exc:
                outcome.append((exc.code, exc.message.rsplit(": ", 1)[-1]))
    finally:
        await resolved(client.transport.close())
    return outcome


async def test_the_same_calls_give_the_same_answers_over_every_transport(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcomes = {
        kind: await _run_scenario(kind, emu, monkeypatch)
        for kind in ("grpc", "rest", "grpc_asyncio", "rest_asyncio")
    }
    expected = outcomes.pop("grpc")
    assert expected[1] == (409, "Queue already exists")
    assert expected[2][0] == 404
    assert expected[4]["httpRequest"]["body"] == "AP8="
    for kind, got in outcomes.items():
        for index, (want, have) in enumerate(zip(expected, got, strict=True)):
            assert have == want, (kind, SCENARIO[index][0])
