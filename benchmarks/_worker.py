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

_API_CLIENT = ("x-goog-api-client", "gl-python/3.11.7 grpc/1.85.1 gax/2.44.0 gapic/2.26.0")
#: what a Cloud Tasks client sends besides the request (``bare-headers`` only)
_HEADERS = (("x-goog-request-params", "parent=" + _wire.PARENT), _API_CLIENT)
_DEADLINE = 20.0
#: ``--method`` choices other than create_task: (wire path, routing field, value, answer type)
_OTHERS: dict[str, tuple[str, str, str, str | None]] = {
    "get_task": (_wire.GET_TASK, "name", _wire.TASK_NAME, "Task"),
    "get_queue": (_wire.GET_QUEUE, "name", _wire.PARENT, "Queue"),
    "list_tasks": (_wire.LIST_TASKS, "parent", _wire.PARENT, "ListTasksResponse"),
    "delete_task": (_wire.DELETE_TASK, "name", _wire.TASK_NAME, None),
}
METHODS = ("create_task", *_OTHERS)


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


def _bare_other(method: str, impl: str, stub: Any) -> tuple[Any, Check]:
    """A bare call of ``method`` (not create_task): ``stub`` is its raw multicallable."""
    _, field, value, answer = _OTHERS[method]
    payload = _wire.name_request(value)
    expected = _wire.ANSWERS[_OTHERS[method][0]]
    if impl == "bare":
        return (lambda: stub(payload)), lambda got: bool(got == expected)
    headers = (("x-goog-request-params", f"{field}={value}"), _API_CLIENT)
    if impl == "bare-headers":
        return (lambda: stub(payload, timeout=_DEADLINE, metadata=headers)), (
            lambda got: bool(got == expected)
        )
    decode = getattr(_library(), answer).deserialize if answer else (lambda data: None)
    return (lambda: decode(stub(payload, timeout=_DEADLINE, metadata=headers))), _any


def _any(answer: Any) -> bool:
    return True


def _library_call(method: str, client: Any) -> Callable[[], Any]:
    """``client.<method>(...)`` for a method other than create_task (a coroutine when async)."""
    _, field, value, _ = _OTHERS[method]
    bound = getattr(client, method)
    return lambda: bound(**{field: value})


def _answer_check(method: str) -> Check:
    if method in ("get_task", "get_queue"):
        return lambda got: bool(got.name == _OTHERS[method][2])
    if method == "list_tasks":
        return lambda got: len(got.tasks) == 3
    return lambda got: got is None


def sync_client(impl: str, target: str, method: str = "create_task") -> tuple[SyncCall, Check]:
    """The call to time and the check of its answer, for a blocking client."""
    if impl.startswith("bare") and method != "create_task":
        channel = grpc.insecure_channel(target)
        return _bare_other(method, impl, channel.unary_unary(_OTHERS[method][0]))
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
    if method != "create_task":
        return _library_call(method, client), _answer_check(method)

    def call() -> Any:
        task = tasks_v2.Task(http_request=tasks_v2.HttpRequest(url=_wire.URL, body=_wire.BODY))
        return client.create_task(parent=_wire.PARENT, task=task)

    return call, _task_named


async def async_client(
    impl: str, target: str, method: str = "create_task"
) -> tuple[AsyncCall, Check]:
    """The same as :func:`sync_client` for asyncio (built inside the running loop)."""
    if impl.startswith("bare") and method != "create_task":
        stub = grpc.aio.insecure_channel(target).unary_unary(_OTHERS[method][0])
        if impl != "bare-floor":
            return _bare_other(method, impl, stub)
        _, field, value, answer = _OTHERS[method]
        headers = (("x-goog-request-params", f"{field}={value}"), _API_CLIENT)
        payload = _wire.name_request(value)
        decode = getattr(_library(), answer).deserialize if answer else (lambda data: None)

        async def floor_other() -> Any:
            return decode(await stub(payload, timeout=_DEADLINE, metadata=headers))

        return floor_other, _any
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
    if method != "create_task":
        return _library_call(method, client), _answer_check(method)

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


def run_sync(impl: str, target: str, warmup: int, method: str = "create_task") -> None:
    call, check = sync_client(impl, target, method)
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


async def _prepare(impl: str, target: str, warmup: int, method: str) -> AsyncCall:
    call, check = await async_client(impl, target, method)
    if not check(await call()):
        raise RuntimeError("the server's answer did not decode to the expected task")
    for _ in range(warmup):
        await call()
    return call


def run_async(impl: str, target: str, warmup: int, method: str = "create_task") -> None:
    # one loop for the whole process; stdin is read while the loop is idle
    loop = asyncio.new_event_loop()
    call = loop.run_until_complete(_prepare(impl, target, warmup, method))
    _reply(_describe(impl))
    for n in _commands():
        _reply(loop.run_until_complete(_timed(call, n)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("impl", choices=IMPLS)
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("target", help="host:port of the benchmark server")
    parser.add_argument("--warmup", type=int, default=500, help="untimed calls first")
    parser.add_argument("--method", choices=METHODS, default="create_task", help="the RPC to call")
    args = parser.parse_args(argv)
    try:
        run = run_sync if args.mode == "sync" else run_async
        run(args.impl, args.target, args.warmup, args.method)
    except Exception:
        _reply({"error": traceback.format_exc()})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
