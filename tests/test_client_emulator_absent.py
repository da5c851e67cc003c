"""A client whose ``CLOUD_TASKS_EMULATOR_HOST`` names an address where nothing listens.

Every transport, sync and async, raises ``ServiceUnavailable`` saying that
nothing listens there and how to start the emulator, within about a second,
instead of retrying a refused connection for 20 s and ending in a ``RetryError``.
"""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
from conftest import PARENT, QUEUE, URL
from google.api_core import exceptions
from google.auth.credentials import AnonymousCredentials

from google.cloud import tasks_v2

SYNC = ["grpc", "rest"]
ASYNC = ["grpc_asyncio", "rest_asyncio"]
#: far more than the one second the client allows, far less than the 20 s it took before
PATIENCE = 8.0


def closed_port() -> int:
    """A loopback port nobody listens on (bound once by us, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def nowhere(monkeypatch: pytest.MonkeyPatch) -> str:
    """``CLOUD_TASKS_EMULATOR_HOST`` set to a closed loopback port; its value."""
    address = f"127.0.0.1:{closed_port()}"
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    return address


def assert_says_nothing_listens(error: BaseException, address: str, took: float) -> None:
    assert isinstance(error, exceptions.ServiceUnavailable), repr(error)
    assert error.message == (
        f"nothing is listening at CLOUD_TASKS_EMULATOR_HOST={address};"
        " is the emulator running? start it with cloud-tasks-emulator start"
    )
    assert took < PATIENCE


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("list_queues", {"parent": PARENT}),  # retries UNAVAILABLE by default
    ("get_queue", {"name": QUEUE}),  # the same
    ("create_task", {"parent": QUEUE, "task": {"http_request": {"url": URL}}}),  # no retry
]


@pytest.mark.parametrize("transport", SYNC)
@pytest.mark.parametrize("method, fields", CALLS, ids=[c[0] for c in CALLS])
def test_sync_client_says_the_emulator_is_not_running(
    nowhere: str, transport: str, method: str, fields: dict[str, Any]
) -> None:
    with tasks_v2.CloudTasksClient(transport=transport) as client:
        started = time.monotonic()
        with pytest.raises(exceptions.GoogleAPICallError) as caught:
            getattr(client, method)(**fields)
    assert_says_nothing_listens(caught.value, nowhere, time.monotonic() - started)
    assert caught.value.__cause__ is None  # one short traceback, not a retry's


@pytest.mark.parametrize("transport", ASYNC)
@pytest.mark.parametrize("method, fields", CALLS, ids=[c[0] for c in CALLS])
async def test_async_client_says_the_emulator_is_not_running(
    nowhere: str, transport: str, method: str, fields: dict[str, Any]
) -> None:
    async with tasks_v2.CloudTasksAsyncClient(transport=transport) as client:
        started = time.monotonic()
        with pytest.raises(exceptions.GoogleAPICallError) as caught:
            await getattr(client, method)(**fields)
    assert_says_nothing_listens(caught.value, nowhere, time.monotonic() - started)


def test_a_caller_retry_also_stops_at_a_refused_emulator(nowhere: str) -> None:
    from google.api_core import retry as retries

    patient = retries.Retry(
        predicate=retries.if_exception_type(exceptions.ServiceUnavailable), timeout=60
    )
    with tasks_v2.CloudTasksClient() as client:
        started = time.monotonic()
        with pytest.raises(exceptions.GoogleAPICallError) as caught:
            client.get_queue(name=QUEUE, retry=patient)
    assert_says_nothing_listens(caught.value, nowhere, time.monotonic() - started)


def test_a_named_endpoint_is_not_taken_for_the_emulator() -> None:
    """Only ``CLOUD_TASKS_EMULATOR_HOST`` gets the hint: an ``api_endpoint`` the caller
    names is an ordinary endpoint, whose refused connection is the transport's error."""
    address = f"127.0.0.1:{closed_port()}"
    client = tasks_v2.CloudTasksClient(
        credentials=AnonymousCredentials(),
        transport="rest",
        client_options={"api_endpoint": f"http://{address}"},
    )
    with client, pytest.raises(exceptions.ServiceUnavailable) as caught:
        client.get_queue(name=QUEUE, retry=None)
    assert "nothing is listening" not in caught.value.message
    assert address in caught.value.message
