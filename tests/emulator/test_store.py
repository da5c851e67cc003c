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


#: The tables of a schema-3 file, as the emulator of that schema wrote them.
_SCHEMA_3 = """
CREATE TABLE queues (name TEXT PRIMARY KEY, parent TEXT NOT NULL, state INTEGER NOT NULL,
    body BLOB NOT NULL) WITHOUT ROWID;
CREATE INDEX queues_by_parent ON queues (parent, name);
CREATE TABLE tasks (name TEXT PRIMARY KEY, queue TEXT NOT NULL, created INTEGER NOT NULL,
    schedule INTEGER NOT NULL, tag TEXT, body BLOB NOT NULL,
    claimed INTEGER NOT NULL DEFAULT 0, executions INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER, attempts INTEGER NOT NULL DEFAULT 0);
CREATE INDEX tasks_due ON tasks (queue, claimed, schedule);
CREATE TABLE tombstones (name TEXT PRIMARY KEY, expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE policies (resource TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE cmek_configs (name TEXT PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE operations (name TEXT PRIMARY KEY, request_key TEXT UNIQUE, body BLOB NOT NULL);
"""


def test_a_schema_3_file_is_migrated_and_keeps_its_records(tmp_path: Path) -> None:
    path = str(tmp_path / "three.db")
    db = sqlite3.connect(path)
    db.executescript(
        "PRAGMA auto_vacuum=INCREMENTAL;"
        + _SCHEMA_3
        + """
        INSERT INTO queues VALUES ('projects/p/locations/l/queues/q', 'projects/p/locations/l',
            1, x'01');
        INSERT INTO tasks VALUES ('projects/p/locations/l/queues/q/tasks/t',
            'projects/p/locations/l/queues/q', 1, 2, NULL, x'02', 0, 1, 503, 1);
        INSERT INTO policies VALUES ('projects/p/locations/l/queues/q', x'03');
        PRAGMA user_version=3;
        """
    )
    db.close()
    store = Store(path)
    queue = "projects/p/locations/l/queues/q"
    with store.read():
        assert store.queue(queue) == b"\x01"
        assert store.task(queue + "/tasks/t") == b"\x02"
        assert store.task_states(queue) == (0, 1, 0)
        assert store.policy(queue) == b"\x03"
    # the new tables work
    with store.write():
        store.add_attempt(queue, queue + "/tasks/t", 2, 5, True, "{}", b"", b"")
    with store.read():
        assert store.attempt_counts(queue, 0) == (1, 1)
    assert store.kept_key("k", lambda: b"made") == b"made"
    assert store.kept_key("k", lambda: b"other") == b"made"
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert db.execute("SELECT body FROM keys").fetchall() == [(b"made",)]
    db.close()


def test_reset_clears_attempts_but_keeps_the_emulators_keys(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "t.db"))
    mine, theirs = "projects/a/locations/l/queues/q", "projects/b/locations/l/queues/q"
    with store.write():
        for queue in (mine, theirs):
            store.add_attempt(queue, queue + "/tasks/t", 1, 5, False, "{}", b"", b"")
    store.kept_key("k", lambda: b"key")
    store.reset("a")
    with store.read():
        assert store.attempts_of(mine + "/tasks/t", 10) == []
        assert len(store.attempts_of(theirs + "/tasks/t", 10)) == 1
    store.reset()
    assert store.counts()["attempts"] == 0
    assert store.kept_key("k", lambda: b"new") == b"key"
    store.close()


def test_a_file_with_an_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "t.db")
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=-1")
    db.close()
    with pytest.raises(StoreError, match="unknown schema version"):
        Store(path)
