"""The SQLite store: schema versioning, WAL files and reset."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from google.cloud.tasks.emulator.store import SCHEMA_VERSION, Store, StoreError


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
