"""One client process of the ``create_task`` benchmark.

``python _worker.py IMPL MODE TARGET`` builds one client (``ours``, ``reference``
or one of the ``bare`` kinds; ``sync`` or ``async``) talking to the benchmark
server at TARGET, checks one answer, warms up, then prints one JSON line
describing itself.  Each line it then reads from stdin is a number of calls
to make; it answers with one JSON line ``{"cpu": s, "wall": s}`` measured
around exactly those calls, with ``time.process_time()`` (every thread of
this process) and ``time.perf_counter()``.

It imports whichever ``google.cloud.tasks_v2`` its interpreter finds, so
the parent chooses the library by choosing the interpreter.  The bare
clients send pre-encoded bytes through ``channel.unary_unary(path)``:
``bare`` with nothing else, ``bare-headers`` with the two headers a Cloud
Tasks client sends and its 20 s deadline, and ``bare-floor`` additionally
builds the caller's proto-plus ``Task`` and decodes the answer into one,
which is the work no proto-plus client can avoid.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

import _wire
import grpc

IMPLS = ("ours", "reference", "bare", "bare-headers", "bare-floor")
MODES = ("sync", "async")

SyncCall = Callable[[], Any]
AsyncCall = Callable[[], Awaitable[Any]]
Check = Callable[[Any], bool]

#: what a Cloud Tasks client sends besides the request (``bare-headers`` only)
_HEADERS = (
    ("x-goog-request-params", "parent=" + _wire.PARENT),
    ("x-goog-api-client", "gl-python/3.11.7 grpc/1.85.1 gax/2.44.0 gapic/2.26.0"),
)
_DEADLINE = 20.0


def _library() -> Any:
    from google.cloud import tasks_v2

    return tasks_v2


def _proto_plus_work() -> tuple[Callable[[], Any], Callable[[bytes], Any]]:
    """What no proto-plus client can skip: building the caller's Task, decoding the answer."""
    tasks_v2 = _library()

    def build() -> Any:
        return tasks_v2.Task(http_request=tasks_v2.HttpRequest(url=_wire.URL, body=_wire.BODY))

    return build, tasks_v2.Task.deserialize


def _task_named(answer: Any) -> bool:
    return bool(answer.name == _wire.TASK_NAME)


def _raw_task(answer: Any) -> bool:
    return bool(answer == _wire.task())


def sync_client(impl: str, target: str) -> tuple[SyncCall, Check]:
    """The call to time and the check of its answer, for a blocking client."""
    if impl.startswith("bare"):
        stub = grpc.insecure_channel(target).unary_unary(_wire.CREATE_TASK)
        payload = _wire.create_task_request()
        if impl == "bare":
            return (lambda: stub(payload)), _raw_task
        if impl == "bare-headers":
            return (lambda: stub(payload, timeout=_DEADLINE, metadata=_HEADERS)), _raw_task
        build, decode = _proto_plus_work()

        def floor() -> Any:
            build()
            return decode(stub(payload, timeout=_DEADLINE, metadata=_HEADERS))

        return floor, _task_named
    tasks_v2 = _library()
    if impl == "ours":  # finds the server through CLOUD_TASKS_EMULATOR_HOST
        client = tasks_v2.CloudTasksClient()
    else:
        from google.auth.credentials import AnonymousCredentials

        from google.cloud.tasks_v2.services.cloud_tasks.transports import (
            CloudTasksGrpcTransport,
        )

        transport = CloudTasksGrpcTransport(
            credentials=AnonymousCredentials(), channel=grpc.insecure_channel(target)
        )
        client = tasks_v2.CloudTasksClient(transport=transport)

    def call() -> Any:
        task = tasks_v2.Task(http_request=tasks_v2.HttpRequest(url=_wire.URL, body=_wire.BODY))
        return client.create_task(parent=_wire.PARENT, task=task)

    return call, _task_named


async def async_client(impl: str, target: str) -> tuple[AsyncCall, Check]:
    """The same as :func:`sync_client` for asyncio (built inside the running loop)."""
    if impl.startswith("bare"):
        stub = grpc.aio.insecure_channel(target).unary_unary(_wire.CREATE_TASK)
        payload = _wire.create_task_request()
        if impl == "bare":
            return (lambda: stub(payload)), _raw_task
        if impl == "bare-headers":
            return (lambda: stub(payload, timeout=_DEADLINE, metadata=_HEADERS)), _raw_task
        build, decode = _proto_plus_work()

        async def floor() -> Any:
            build()
            return decode(await stub(payload, timeout=_DEADLINE, metadata=_HEADERS))

        return floor, _task_named
    tasks_v2 = _library()
    if impl == "ours":
        client = tasks_v2.CloudTasksAsyncClient()
    else:
        from google.auth.credentials import AnonymousCredentials

        from google.cloud.tasks_v2.services.cloud_tasks.transports import (
            CloudTasksGrpcAsyncIOTransport,
        )

        transport = CloudTasksGrpcAsyncIOTransport(
            credentials=AnonymousCredentials(), channel=grpc.aio.insecure_channel(target)
        )
        client = tasks_v2.CloudTasksAsyncClient(transport=transport)

    async def call() -> Any:
        task = tasks_v2.Task(http_request=tasks_v2.HttpRequest(url=_wire.URL, body=_wire.BODY))
        return await client.create_task(parent=_wire.PARENT, task=task)

    return call, _task_named


def _describe(impl: str) -> dict[str, Any]:
    info: dict[str, Any] = {"ready": True, "grpc": grpc.__version__, "module": None}
    if impl in ("ours", "reference"):
        from importlib import metadata

        info["module"] = _library().__file__
        info["version"] = metadata.version("google-cloud-tasks")
    return info


def _reply(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def _commands() -> Any:
    for line in sys.stdin:
        if line.strip():
            yield int(line)


def run_sync(impl: str, target: str, warmup: int) -> None:
    call, check = sync_client(impl, target)
    if not check(call()):
        raise RuntimeError("the server's answer did not decode to the expected task")
    for _ in range(warmup):
        call()
    _reply(_describe(impl))
    for n in _commands():
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            call()
        _reply({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall})


async def _timed(call: AsyncCall, n: int) -> dict[str, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        await call()
    return {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}


async def _prepare(impl: str, target: str, warmup: int) -> AsyncCall:
    call, check = await async_client(impl, target)
    if not check(await call()):
        raise RuntimeError("the server's answer did not decode to the expected task")
    for _ in range(warmup):
        await call()
    return call


def run_async(impl: str, target: str, warmup: int) -> None:
    # one loop for the whole process; stdin is read while the loop is idle
    loop = asyncio.new_event_loop()
    call = loop.run_until_complete(_prepare(impl, target, warmup))
    _reply(_describe(impl))
    for n in _commands():
        _reply(loop.run_until_complete(_timed(call, n)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("impl", choices=IMPLS)
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("target", help="host:port of the benchmark server")
    parser.add_argument("--warmup", type=int, default=500, help="untimed calls first")
    args = parser.parse_args(argv)
    try:
        run = run_sync if args.mode == "sync" else run_async
        run(args.impl, args.target, args.warmup)
    except Exception:
        _reply({"error": traceback.format_exc()})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
