"""Hostile input: refused requests release their memory, messages and logs stay bounded,
idle calls starve nobody."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.api_core import exceptions

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE

CREATE = "/google.cloud.tasks.v2.CloudTasks/CreateTask"
GET_QUEUE = "/google.cloud.tasks.v2.CloudTasks/GetQueue"


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.parametrize("engine", ["fast", "grpc"])
def test_refused_large_requests_do_not_keep_memory(engine: str) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "google.cloud.tasks.emulator", "start", "--port", "0"]
        + ["--engine", engine, "--no-dispatch", "--queue", QUEUE, "--log-level", "WARNING"],
        stdout=subprocess.PIPE,
        text=True,
        # glibc keeps freed blocks per thread arena; a busy machine spreads the
        # grpc engine's calls over many threads, each holding its own 10 MiB.
        env={**os.environ, "MALLOC_ARENA_MAX": "2"},
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()
        host = process.stdout.readline().strip().split("=", 1)[1]
        request = tasks_v2.CreateTaskRequest(
            parent=QUEUE,
            task={"http_request": {"url": "http://127.0.0.1:9/", "body": b"x" * (10 << 20)}},
        )
        data = tasks_v2.CreateTaskRequest.serialize(request)
        with grpc.insecure_channel(host) as channel:
            create = channel.unary_unary(CREATE)

            def refused() -> None:
                with pytest.raises(grpc.RpcError) as info:
                    create(data, timeout=30)
                assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT

            for _ in range(3):  # buffers grow to their working size once
                refused()
            before = rss_mib(process.pid)
            for _ in range(30):
                refused()
            grown = rss_mib(process.pid) - before
        # 30 refused 10 MiB requests kept alive would be 300 MiB and more.
        assert grown < 80, f"the emulator grew by {grown:.0f} MiB"
    finally:
        process.kill()
        process.wait(10)
        if process.stdout:
            process.stdout.close()


def test_a_huge_task_id_gets_invalid_argument_with_a_bounded_message(client: Any) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    for task_id in ("é" * 20_000, "a" * (5 << 20)):
        with pytest.raises(exceptions.InvalidArgument) as info:
            client.get_task(name=f"{QUEUE}/tasks/{task_id}")
        message = info.value.message
        assert message.startswith(f'Task ID "{task_id[:10]}') and len(message) < 1100


def test_user_input_in_messages_and_logs_is_one_line_without_secrets(
    client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="google.cloud.tasks.emulator")
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.get_task(name=f"{QUEUE}/tasks/evil\n2026-01-01 INFO forged line")
    assert "\n" not in info.value.message and "evil\\n2026" in info.value.message
    with pytest.raises(exceptions.InvalidArgument) as info:
        client.list_queues(request={"parent": PARENT, "filter": "ftp://user:s3cret@files.x/"})
    assert "s3cret" not in info.value.message and "***@" in info.value.message
    refusals = [r.getMessage() for r in caplog.records if "->" in r.getMessage()]
    assert len(refusals) == 2
    assert all("\n" not in line and "s3cret" not in line for line in refusals)


def _stalled_calls(host: str, count: int) -> Iterator[Any]:
    """``count`` calls that open a stream and never send their request."""
    never = threading.Event()

    def silent() -> Iterator[bytes]:
        never.wait()
        yield b""

    channel = grpc.insecure_channel(host)
    opened = [channel.stream_unary(GET_QUEUE).future(silent()) for _ in range(count)]
    try:
        yield opened
    finally:
        for call in opened:
            call.cancel()
        never.set()
        channel.close()


@pytest.mark.parametrize("engine", ["fast", "grpc"])
def test_half_open_calls_do_not_starve_a_normal_call(engine: str) -> None:
    with Emulator(dispatch=False, engine=engine, queues=[QUEUE]) as emu:
        for _ in _stalled_calls(emu.host, 64):
            with emu.client() as client:
                assert client.get_queue(name=QUEUE, timeout=5).name == QUEUE


def test_pid_helper_reads_this_process() -> None:
    assert rss_mib(os.getpid()) > 1


def _fill(service: Any, count: int) -> list[str]:
    from google.cloud.tasks.emulator.service import model as m

    service.ensure_queue(QUEUE)
    made = []
    for _ in range(count):
        task = m.Task()
        task.http_request.url = "http://127.0.0.1:9/"
        task.http_request.body = b"x" * 10_000
        made.append(service.create_task(QUEUE, task).name)
    return made


def _on_disk(path: str) -> int:
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def test_an_emptied_data_file_shrinks_back(tmp_path: Any) -> None:
    from google.cloud.tasks.emulator.service.cloud_tasks import CloudTasksService
    from google.cloud.tasks.emulator.service.store import Store

    path = str(tmp_path / "tasks.db")
    store = Store(path)
    service = CloudTasksService(store)
    _fill(service, 3000)
    assert _on_disk(path) > 30 << 20
    service.purge_queue(QUEUE)
    assert _on_disk(path) < 2 << 20, _on_disk(path)
    for name in _fill(service, 2500):  # and one by one
        service.delete_task(name)
    assert store.counts()["tasks"] == 0
    assert _on_disk(path) < 2 << 20, _on_disk(path)
    store.close()
    assert os.path.getsize(path) < 2 << 20


def test_an_emptied_memory_store_gives_its_pages_back() -> None:
    from google.cloud.tasks.emulator.service.cloud_tasks import CloudTasksService
    from google.cloud.tasks.emulator.service.store import Store

    store = Store()
    service = CloudTasksService(store)
    _fill(service, 3000)
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    service.delete_queue(QUEUE)
    after = store._db.execute("PRAGMA page_count").fetchone()[0]
    assert after < pages / 20, (pages, after)
