"""The store keeps the tasks that finished, bounded, for the dashboard (schema 5)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from google.cloud.tasks.emulator.service.store import (
    FINISHED_KEEP,
    FINISHED_RECORD_BYTES,
    FINISHED_TRIM_EVERY,
    FINISHED_WINDOW_US,
    SCHEMA_VERSION,
    Store,
)

QUEUE = "projects/p/locations/l/queues/q"
DAY = 24 * 3600 * 1_000_000


def _tasks(store: Store, count: int, body: bytes = b"record", start: int = 0) -> list[str]:
    names = [f"{QUEUE}/tasks/t{n:06d}" for n in range(start, start + count)]
    with store.write():
        for name in names:
            store.insert_task(name, QUEUE, 1, 2, None, body)
    return names


def test_a_finished_task_is_kept_with_its_outcome_and_record() -> None:
    store = Store()
    store.clock_us = lambda: 7_000_000
    delivered, given_up, deleted = _tasks(store, 3)
    with store.write():
        assert store.finish_task(delivered, 5_000_000, "delivered", 200, "")
        assert store.finish_task(given_up, 6_000_000, "gave up", None, "cannot connect")
        assert store.delete_task(deleted)
        assert not store.delete_task(deleted)  # gone: nothing more to keep
        assert not store.finish_task(f"{QUEUE}/tasks/none", 1, "delivered", 200, "")
    with store.read():
        assert store.task(delivered) is None
        assert store.finished_task(delivered) == (
            delivered, QUEUE, 5_000_000, "delivered", 200, "", b"record"
        )  # fmt: skip
        assert store.finished_task(given_up)[3:6] == ("gave up", None, "cannot connect")  # type: ignore[index]
        assert store.finished_task(deleted)[2:4] == (7_000_000, "deleted")  # type: ignore[index]
        assert store.finished_counts(QUEUE) == {"delivered": 1, "gave up": 1, "deleted": 1}
        assert [r[0] for r in store.browse_finished(QUEUE, ("gave up", "deleted"), 10, 0)] == [
            deleted,
            given_up,
        ]  # the latest first
        assert store.finished_named("/tasks/t000001", 5) == [given_up]
    store.reset()
    with store.read():
        assert store.finished_task(delivered) is None


def test_a_large_record_is_not_kept_but_its_outcome_is() -> None:
    store = Store()
    (big,) = _tasks(store, 1, body=b"x" * (FINISHED_RECORD_BYTES + 1))
    with store.write():
        store.finish_task(big, 1, "delivered", 200, "")
    with store.read():
        assert store.finished_task(big) == (big, QUEUE, 1, "delivered", 200, "", None)


def test_the_last_ten_thousand_are_kept_and_the_older_ones_go() -> None:
    store = Store()
    now = 10 * DAY
    old = _tasks(store, FINISHED_KEEP + 2 * FINISHED_TRIM_EVERY)
    with store.write():
        for name in old:  # all of them finished more than a day ago
            store.finish_task(name, now - DAY - 1, "delivered", 200, "")
        store.trim_finished(now)
    counts = store.counts()["finished"]
    assert counts == FINISHED_KEEP
    with store.read():
        assert store.finished_task(old[-1]) is not None
        assert store.finished_task(old[0]) is None  # the oldest went first


def test_every_task_of_the_last_day_is_kept_beyond_ten_thousand() -> None:
    store = Store()
    now = 10 * DAY
    recent = _tasks(store, FINISHED_KEEP + 2 * FINISHED_TRIM_EVERY)
    with store.write():
        for name in recent:  # within the window
            store.finish_task(name, now - FINISHED_WINDOW_US + 1, "delivered", 200, "")
        store.trim_finished(now)
    assert store.counts()["finished"] == len(recent)


def test_a_schema_4_file_gets_the_finished_table(tmp_path: Path) -> None:
    path = str(tmp_path / "four.db")
    store = Store(path)
    (name,) = _tasks(store, 1)
    store.close()
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TABLE finished; DROP INDEX tasks_by_state; DROP INDEX tasks_by_created;"
        " PRAGMA user_version=4;"
    )
    db.close()
    store = Store(path)
    with store.write():
        assert store.delete_task(name)
    with store.read():
        assert store.finished_task(name) is not None
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"tasks_by_state", "tasks_by_created", "finished_by_queue"} <= indexes
    db.close()
