"""Many threads at once: nothing lost, nothing duplicated, one winner per name."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from google.api_core import exceptions

from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE, http_task

THREADS = 32
PER_THREAD = 20


def run_threads(work: Callable[[int], None]) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def body(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[:3]


def test_32_threads_create_and_delete_without_loss_or_duplicates(emu: Emulator) -> None:
    client = emu.client()
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    created: list[list[str]] = [[] for _ in range(THREADS)]
    deleted: list[list[str]] = [[] for _ in range(THREADS)]

    def work(index: int) -> None:
        own = emu.client()  # half the threads share a client, half have their own
        c: Any = own if index % 2 else client
        for i in range(PER_THREAD):
            name = f"{QUEUE}/tasks/w{index}-{i}" if i % 2 else ""
            task = c.create_task(parent=QUEUE, task=http_task(name))
            created[index].append(task.name)
            if i % 4 == 0:
                c.delete_task(name=task.name)
                deleted[index].append(task.name)

    run_threads(work)
    made = [name for names in created for name in names]
    gone = {name for names in deleted for name in names}
    assert len(made) == THREADS * PER_THREAD == len(set(made))
    listed = [t.name for t in client.list_tasks(parent=QUEUE)]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(made) - gone
    assert emu.store is not None and list(emu.store.integrity()) == []


def test_one_winner_per_task_name(emu: Emulator) -> None:
    client = emu.client()
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    wins: list[int] = []
    losses: list[int] = []

    def work(index: int) -> None:
        for i in range(5):
            try:
                client.create_task(parent=QUEUE, task=http_task(f"{QUEUE}/tasks/same-{i}"))
                wins.append(index)
            except exceptions.AlreadyExists:
                losses.append(index)

    run_threads(work)
    assert len(wins) == 5 and len(losses) == 5 * (THREADS - 1)
    assert len(list(client.list_tasks(parent=QUEUE))) == 5
