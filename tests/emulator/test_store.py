"""The SQLite store: schema versioning, WAL files and reset."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from google.cloud.tasks.emulator.service.store import SCHEMA_VERSION, Store, StoreError


def test_file_store_uses_wal_and_records_its_schema_version(tmp_path: Path) -> None:
    path = str(tmp_path / "t.db")
    store = Store(path)
    with store.write():
        store.put_queue("projects/p/locations/l/queues/q", "projects/p/locations/l", 1, b"x")
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()
    again = Store(path)
    assert again.counts()["queues"] == 1
    again.reset()
    assert again.counts()["queues"] == 0
    again.close()


def test_a_file_from_a_newer_emulator_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "t.db")
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError):
        Store(path)


def test_a_failed_write_rolls_back() -> None:
    store = Store()
    with pytest.raises(RuntimeError), store.write():
        store.put_queue("projects/p/locations/l/queues/q", "projects/p/locations/l", 1, b"x")
        raise RuntimeError("refused")
    assert store.counts()["queues"] == 0


def test_a_schema_1_file_is_migrated_and_keeps_its_tasks(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE queues (name TEXT PRIMARY KEY, parent TEXT NOT NULL,
            state INTEGER NOT NULL, body BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE tasks (name TEXT PRIMARY KEY, queue TEXT NOT NULL,
            created INTEGER NOT NULL, schedule INTEGER NOT NULL, tag TEXT, body BLOB NOT NULL);
        CREATE INDEX tasks_by_schedule ON tasks (queue, schedule);
        CREATE TABLE tombstones (name TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE policies (resource TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE cmek_configs (name TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
        CREATE TABLE operations (name TEXT PRIMARY KEY, request_key TEXT UNIQUE,
            body BLOB NOT NULL);
        INSERT INTO tasks VALUES ('q/tasks/1', 'q', 1, 2, NULL, x'00');
        PRAGMA user_version=1;
        """
    )
    db.close()
    store = Store(path)
    with store.read():
        assert store.task("q/tasks/1") == b"\x00"
        assert store.task_states("q") == (1, 0, 0)
        assert store.claim_due("q", 10, 5, lambda body: body + b"!")[0][1] == b"\x00!"
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental, after a VACUUM
    db.close()
