"""What the beta APIs add to the in-memory fake: pull-queue rules and ``queue.yaml`` uploads.

:class:`FakeBetaCloudTasks` serves any version like :class:`FakeCloudTasks`
and adds what only v2beta2 (and, for queue types, v2beta3) users see:

- ``LeaseTasks`` only on pull queues (a v2beta2 queue with a ``pull_target``),
  else FAILED_PRECONDITION; the ``tag_function=oldest_tag()`` filter leases
  only tasks sharing the tag of the oldest due task;
- ``UploadQueueYaml`` is accepted over gRPC and recorded in ``uploads``.

Leasing itself (``schedule_time`` becomes the lease expiry, which
acknowledge, renew and cancel must quote) is the base fake's.

:func:`running` puts a fake behind a local server and returns a driver that
calls a client of any transport from a plain test (``driver("get_queue",
name=...)``), so one test covers the sync and the asyncio client.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import importlib.util
import re
from collections.abc import Iterator
from datetime import timezone
from typing import Any

from fake_grpc import serve
from fake_service import Code, FakeCloudTasks, FakeError, _has, _now, _State
from google.api_core import exceptions

from google.cloud.tasks._core.spec import Method, Service

_OLDEST_TAG = re.compile(r"^\s*tag_function\s*=\s*oldest_tag\(\)\s*$")


class FakeBetaCloudTasks(FakeCloudTasks):
    """The fake Cloud Tasks service with the beta APIs' pull-queue and queue.yaml rules."""

    def __init__(self, service: Service) -> None:
        super().__init__(service)
        #: (app_id, content type, bytes) of every accepted ``upload_queue_yaml``
        self.uploads: list[tuple[str, str, bytes]] = []

    def _upload_queue_yaml(self, method: Method, state: _State, req: Any) -> Any:
        if not req.app_id:
            raise FakeError(Code.INVALID_ARGUMENT, "app_id must be set.")
        self.uploads.append((req.app_id, req.http_body.content_type, req.http_body.data))
        return None

    def _lease_tasks(self, method: Method, state: _State, req: Any) -> Any:
        queue = self._queue(state, req.parent)
        if _has(queue, "pull_target") and not queue.HasField("pull_target"):
            raise FakeError(Code.FAILED_PRECONDITION, "Tasks can only be leased from a pull queue.")
        if _OLDEST_TAG.match(req.filter):
            req = copy.deepcopy(req)
            req.filter = f'tag="{self._oldest_tag(state, req.parent)}"'
        return super()._lease_tasks(method, state, req)

    @staticmethod
    def _oldest_tag(state: _State, queue: str) -> str:
        """The tag of the pull task that has been due longest ("" if there is none)."""
        now = _now()
        due = [
            task
            for task in state.tasks[queue].values()
            if task.HasField("pull_message") and task.schedule_time.ToDatetime(timezone.utc) <= now
        ]
        if not due:
            return ""
        oldest = min(due, key=lambda t: t.schedule_time.ToDatetime(timezone.utc))
        return str(oldest.pull_message.tag)


# -- driving a client of either kind from a plain test ---------------------------------


class SyncDriver:
    """Calls a blocking client: ``driver("get_queue", name=...)`` returns the response."""

    is_async = False

    def __init__(self, client_cls: Any, transport: str) -> None:
        self.transport = transport
        self.client = client_cls(transport=transport)

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.client, method)(*args, **kwargs)

    def error(self, grpc_error: type[Exception]) -> type[Exception]:
        """The exception this transport raises for a status gRPC reports as ``grpc_error``.

        Over REST the class follows the HTTP status alone (ALREADY_EXISTS is a
        409 ``Conflict``, FAILED_PRECONDITION a 400 ``BadRequest``), as in the
        established client.
        """
        if self.transport.startswith("grpc"):
            return grpc_error
        return type(exceptions.from_http_status(grpc_error.code, ""))  # type: ignore[attr-defined]

    def items(self, pager: Any) -> list[Any]:
        """Every item of a pager, across pages."""
        return list(pager)

    def pages(self, pager: Any) -> list[Any]:
        """Every page (response) of a pager."""
        return list(pager.pages)

    def result(self, operation: Any) -> Any:
        """The result of a long-running operation, once done."""
        return operation.result(timeout=10)

    def close(self) -> None:
        self.client.transport.close()


class AsyncDriver(SyncDriver):
    """Calls an asyncio client on a loop of its own, so one test serves both kinds."""

    is_async = True

    def __init__(self, client_cls: Any, transport: str) -> None:
        self.transport = transport
        self.loop = asyncio.new_event_loop()

        async def make() -> Any:
            return client_cls(transport=transport)

        self.client = self.loop.run_until_complete(make())

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return self.loop.run_until_complete(getattr(self.client, method)(*args, **kwargs))

    def items(self, pager: Any) -> list[Any]:
        async def collect() -> list[Any]:
            return [item async for item in pager]

        return self.loop.run_until_complete(collect())

    def pages(self, pager: Any) -> list[Any]:
        async def collect() -> list[Any]:
            return [page async for page in pager.pages]

        return self.loop.run_until_complete(collect())

    def result(self, operation: Any) -> Any:
        return self.loop.run_until_complete(operation.result(timeout=10))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.transport.close())
        self.loop.close()


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


#: transport name -> driver class, for the transports this checkout has
DRIVERS: dict[str, type[SyncDriver]] = {"grpc": SyncDriver, "grpc_asyncio": AsyncDriver}
if _available("google.cloud.tasks._core.rest"):
    DRIVERS["rest"] = SyncDriver
if _available("google.cloud.tasks._core.rest_asyncio"):
    DRIVERS["rest_asyncio"] = AsyncDriver


@contextlib.contextmanager
def running(
    fake: FakeCloudTasks, client_cls: Any, transport: str, monkeypatch: Any
) -> Iterator[SyncDriver]:
    """A driver of ``client_cls`` over ``transport``, talking to ``fake`` on a local server.

    The client finds the server through ``CLOUD_TASKS_EMULATOR_HOST``, as a
    user's code would find an emulator.
    """
    if transport.startswith("rest"):
        import fake_rest

        rest_server = fake_rest.serve(fake)
        address, stop = rest_server.address, rest_server.stop
    else:
        grpc_server, port = serve(fake)
        address, stop = f"127.0.0.1:{port}", lambda: grpc_server.stop(None)
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", address)
    driver = DRIVERS[transport](client_cls, transport)
    try:
        yield driver
    finally:
        driver.close()
        stop()
