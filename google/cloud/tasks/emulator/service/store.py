"""SQLite storage for the emulator: one connection, one writer, one lock.

In memory by default; given a path, a WAL-mode file in which every committed
transaction survives the process being killed.  Each RPC runs in one
transaction (``BEGIN IMMEDIATE`` for writes) and commits before it answers.
The schema is versioned with ``PRAGMA user_version`` so later releases can
migrate files written by this one.

Records are opaque bytes (serialized model messages) plus the columns the
service filters and orders by.  Times are integer microseconds since the
epoch.

Push tasks also carry the dispatcher's bookkeeping: ``claimed`` (a delivery
is in flight; cleared on start, so a task whose outcome was never recorded is
delivered again), ``executions`` (attempts that count for the
``TaskExecutionCount`` header, by the rule of the task's kind) and
``last_status`` (the HTTP status of the previous attempt; 0 when it timed
out, NULL when it got no answer at all).

Two tables serve the dispatcher's records: ``attempts`` holds each task's
recent delivery attempts for the dashboard (bounded by its writer, see
:mod:`..delivery.journal`), and ``keys`` holds secrets the emulator made for
itself, such as the token signing key, so that a data file keeps them across
restarts.  A reset clears ``attempts`` with the tasks, never ``keys``.

``finished`` keeps the tasks that left: delivered, given up or deleted (see
:meth:`Store.finish_task`), each with its record when that is at most
:data:`FINISHED_RECORD_BYTES`, so the dashboard can still show them.  It keeps
at least the last :data:`FINISHED_KEEP` of them, and every one that finished
in the last :data:`FINISHED_WINDOW_US` of the emulator's clock, up to
:data:`FINISHED_MOST` in all.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager

SCHEMA_VERSION = 5
#: rows deleted in one transaction by purges and queue deletions
DELETE_BATCH = 1000
#: rows deleted between two reclaims of free pages
RECLAIM_EVERY = 500
#: finished tasks always kept, the most recent first
FINISHED_KEEP = 10_000
#: microseconds (of the emulator's clock) for which every finished task is kept ...
FINISHED_WINDOW_US = 24 * 3600 * 1_000_000
#: ... up to this many finished tasks in all
FINISHED_MOST = 50_000
#: a finished task's record is kept when it has at most this many bytes
FINISHED_RECORD_BYTES = 8192
#: finished tasks kept between two trims of the table
FINISHED_TRIM_EVERY = 250

#: The tables of schema 3: a new file gets them, then every migration from 3 on.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS queues (
    name TEXT PRIMARY KEY,
    parent TEXT NOT NULL,
    state INTEGER NOT NULL,
    body BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS queues_by_parent ON queues (parent, name);
CREATE TABLE IF NOT EXISTS tasks (
    name TEXT PRIMARY KEY,
    queue TEXT NOT NULL,
    created INTEGER NOT NULL,
    schedule INTEGER NOT NULL,
    tag TEXT,
    body BLOB NOT NULL,
    claimed INTEGER NOT NULL DEFAULT 0,
    executions INTEGER NOT NULL DEFAULT 0,
    last_status INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS tasks_due ON tasks (queue, claimed, schedule);
CREATE TABLE IF NOT EXISTS tombstones (
    name TEXT PRIMARY KEY,
    expires INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS policies (
    resource TEXT PRIMARY KEY,
    body BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cmek_configs (
    name TEXT PRIMARY KEY,
    body BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS operations (
    name TEXT PRIMARY KEY,
    request_key TEXT UNIQUE,
    body BLOB NOT NULL
);
"""

#: Schema 1 -> 2: the dispatcher's columns, and the due-task index that skips claimed tasks.
_MIGRATE_1 = """
ALTER TABLE tasks ADD COLUMN claimed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN executions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN last_status INTEGER;
DROP INDEX IF EXISTS tasks_by_schedule;
CREATE INDEX IF NOT EXISTS tasks_due ON tasks (queue, claimed, schedule);
"""

#: Schema 2 -> 3: attempts made (for the dashboard's waiting / retrying split).
_MIGRATE_2 = """
ALTER TABLE tasks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
"""

#: Schema 3 -> 4: delivery attempts (the dashboard's history) and the emulator's own keys.
_MIGRATE_3 = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    task TEXT NOT NULL,
    queue TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    facts TEXT NOT NULL,
    request BLOB NOT NULL,
    answer BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_task ON attempts (task);
CREATE INDEX IF NOT EXISTS attempts_by_queue ON attempts (queue, at, failed);
CREATE TABLE IF NOT EXISTS keys (
    name TEXT PRIMARY KEY,
    body BLOB NOT NULL
) WITHOUT ROWID;
"""

#: Schema 4 -> 5: the tasks that finished (the dashboard shows them after they left), and
#: the indexes that let the dashboard count and page a queue of 100,000 tasks at once.
_MIGRATE_4 = """
CREATE TABLE IF NOT EXISTS finished (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    queue TEXT NOT NULL,
    at INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    error TEXT NOT NULL,
    record BLOB
);
CREATE INDEX IF NOT EXISTS finished_by_queue ON finished (queue, outcome, id);
CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks (queue, claimed, attempts);
CREATE INDEX IF NOT EXISTS tasks_by_created ON tasks (queue, created);
"""

#: the script that brings a file of each schema version (0: a new file) up to date
_MIGRATIONS = {
    0: _SCHEMA + _MIGRATE_3 + _MIGRATE_4,
    1: _MIGRATE_1 + _MIGRATE_2 + _MIGRATE_3 + _MIGRATE_4,
    2: _MIGRATE_2 + _MIGRATE_3 + _MIGRATE_4,
    3: _MIGRATE_3 + _MIGRATE_4,
    4: _MIGRATE_4,
}

_INSERT_TASK = (
    "INSERT INTO tasks (name, queue, created, schedule, tag, body) VALUES (?, ?, ?, ?, ?, ?)"
)

_TABLES = (
    "queues",
    "tasks",
    "tombstones",
    "policies",
    "cmek_configs",
    "operations",
    "attempts",
    "finished",
)
#: the resource-name column of each table
_KEYS = dict.fromkeys(_TABLES, "name") | {"policies": "resource", "attempts": "task"}


def _task_range(queue: str) -> tuple[str, str]:
    """Bounds of a queue's task names: tasks sort by name, so a queue's are one range."""
    return queue + "/tasks/", queue + "/tasks0"  # "0" follows "/"


#: A claimed task: ``(name, record, executions, last HTTP status or None)``.
Claimed = tuple[str, bytes, int, int | None]

#: A stored attempt: ``(queue, task, attempt, at, facts, request, answer)`` (see
#: :meth:`Store.add_attempt`).
StoredAttempt = tuple[str, str, int, int, str, bytes, bytes]

#: A finished task: ``(name, queue, at, outcome, status or None, error, record or None)``.
FinishedTask = tuple[str, str, int, str, int | None, str, bytes | None]


class StoreError(RuntimeError):
    """The data file cannot be used (for instance, written by a newer emulator)."""


class Store:
    """The emulator's tables behind one SQLite connection.

    Callers wrap each request in :meth:`write` or :meth:`read`; the query
    methods assume they run inside one of them.
    """

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            path or ":memory:", isolation_level=None, check_same_thread=False
        )
        # Before anything writes the file's header: deleted rows' pages can then be given
        # back (see :meth:`reclaim`).  A file made without it is rewritten by the migration.
        self._db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        if path:
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit is in the WAL file before it returns, so a killed
            # process loses nothing acknowledged; only an OS crash could.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-65536")
            # After a checkpoint the WAL file is cut back to this size.
            self._db.execute("PRAGMA journal_size_limit=67108864")
        #: a cursor kept for the hottest statement (used under the lock, never fetched from)
        self._insert = self._db.cursor()
        #: rows deleted since the last reclaim
        self._deleted = 0
        #: the emulator's time in microseconds, for when a task finished (its owner sets it)
        self.clock_us: Callable[[], int] = _system_us
        #: finished tasks kept since the table was last trimmed
        self._finished = 0
        self._migrate()

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer emulator (schema {version},"
                f" this one reads up to {SCHEMA_VERSION})"
            )
        if version < SCHEMA_VERSION:
            script = _MIGRATIONS.get(version)
            if script is None:
                raise StoreError(f"{self.path} has an unknown schema version ({version})")
            if self._db.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:  # not INCREMENTAL
                self._db.execute("VACUUM")  # takes the setting made above
            with self.write():
                for statement in script.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            if self._deleted >= RECLAIM_EVERY:
                self.reclaim()

    def settle(self) -> None:
        """Reclaim now if anything was deleted since the last reclaim (after bulk deletes)."""
        if self._deleted:
            self.reclaim()

    def reclaim(self) -> None:
        """Give the space of deleted rows back: free pages, the WAL file, the allocator's."""
        with self._lock:
            self._deleted = 0
            # executescript steps the pragma to the end (execute() frees one page a step)
            self._db.executescript("PRAGMA incremental_vacuum;")
            if self.path:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            else:
                _trim_heap()

    def single(self) -> AbstractContextManager[object]:
        """A request whose only write is one statement: it commits alone, no BEGIN needed.

        The lock still keeps every other request out while the block runs (the lock
        itself is the context manager: nothing else to do on the way in or out).
        """
        return self._lock

    def read(self) -> AbstractContextManager[object]:
        """A consistent read: no writer runs while the block does."""
        return self._lock

    def close(self) -> None:
        """Close the connection (checkpointing the WAL into the file)."""
        with self._lock:
            self._db.close()

    def reset(self, project: str | None = None) -> None:
        """Delete every record (of one project's resources, when ``project`` is given)."""
        with self.write():
            for table in _TABLES:
                args: tuple[str, ...] = ()
                if project is None:
                    sql = f"DELETE FROM {table}"
                else:
                    low = f"projects/{project}/"
                    sql = f"DELETE FROM {table} WHERE {_KEYS[table]} > ? AND {_KEYS[table]} < ?"
                    args = (low, low[:-1] + "0")  # "0" follows "/"
                self._deleted += self._db.execute(sql, args).rowcount
        self.settle()

    # -- queues -------------------------------------------------------------------------

    def queue(self, name: str) -> bytes | None:
        row = self._db.execute("SELECT body FROM queues WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def put_queue(self, name: str, parent: str, state: int, body: bytes) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO queues (name, parent, state, body) VALUES (?, ?, ?, ?)",
            (name, parent, state, body),
        )

    def delete_queue(self, name: str) -> None:
        """Delete a queue with its policy and its tasks (few are left: see :meth:`delete_tasks`)."""
        self._db.execute("DELETE FROM queues WHERE name = ?", (name,))
        self.delete_tasks(name, -1)
        self._db.execute("DELETE FROM policies WHERE resource = ?", (name,))

    def delete_tasks(self, queue: str, limit: int = DELETE_BATCH) -> int:
        """Delete up to ``limit`` tasks of ``queue`` (-1: all); how many went."""
        low, high = _task_range(queue)
        deleted = self._db.execute(
            "DELETE FROM tasks WHERE name IN"
            " (SELECT name FROM tasks WHERE name > ? AND name < ? LIMIT ?)",
            (low, high, limit),
        ).rowcount
        self._deleted += deleted
        return deleted

    def queues(self, parent: str, after: str, limit: int, state: int | None) -> list[bytes]:
        sql = "SELECT body FROM queues WHERE parent = ? AND name > ?"
        args: tuple[object, ...] = (parent, after)
        if state is not None:
            sql += " AND state = ?"
            args += (state,)
        sql += " ORDER BY name LIMIT ?"
        return [row[0] for row in self._db.execute(sql, (*args, limit))]

    # -- tasks --------------------------------------------------------------------------

    def task(self, name: str) -> bytes | None:
        row = self._db.execute("SELECT body FROM tasks WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def task_exists(self, name: str) -> bool:
        row = self._db.execute("SELECT 1 FROM tasks WHERE name = ?", (name,)).fetchone()
        return row is not None

    def insert_task(
        self, name: str, queue: str, created: int, schedule: int, tag: str | None, body: bytes
    ) -> None:
        self._insert.execute(_INSERT_TASK, (name, queue, created, schedule, tag, body))

    def update_task(self, name: str, schedule: int, body: bytes) -> None:
        self._db.execute(
            "UPDATE tasks SET schedule = ?, body = ? WHERE name = ?", (schedule, body, name)
        )

    def delete_task(self, name: str) -> bool:
        """Delete a task, kept among the finished ones as ``"deleted"``; False if it is missing."""
        return self.finish_task(name, self.clock_us(), "deleted", None, "")

    def finish_task(self, name: str, at: int, outcome: str, status: int | None, error: str) -> bool:
        """Delete a task that finished at ``at`` (µs) with ``outcome`` (``"delivered"``,
        ``"gave up"``, ``"deleted"``), keeping it among the finished ones with the HTTP
        ``status`` of its last attempt (None: no answer) or the ``error`` it ended with.

        False when there is no such task.
        """
        kept = self._db.execute(
            "INSERT OR REPLACE INTO finished (name, queue, at, outcome, status, error, record)"
            " SELECT name, queue, ?, ?, ?, ?, CASE WHEN length(body) <= ? THEN body END"
            " FROM tasks WHERE name = ?",
            (at, outcome, status, error, FINISHED_RECORD_BYTES, name),
        ).rowcount
        if not kept:
            return False
        self._db.execute("DELETE FROM tasks WHERE name = ?", (name,))
        self._deleted += 1
        self._finished += 1
        if self._finished >= FINISHED_TRIM_EVERY:
            self.trim_finished(at)
        return True

    def trim_finished(self, now: int) -> None:
        """Forget the finished tasks beyond the bounds the module's notes give."""
        self._finished = 0
        top = self._db.execute("SELECT MAX(id) FROM finished").fetchone()[0] or 0
        self._db.execute(
            "DELETE FROM finished WHERE id <= ? AND (at < ? OR id <= ?)",
            (top - FINISHED_KEEP, now - FINISHED_WINDOW_US, top - FINISHED_MOST),
        )

    def finished_task(self, name: str) -> FinishedTask | None:
        """The finished task ``name``, when it is kept."""
        return self._db.execute(  # type: ignore[no-any-return]
            "SELECT name, queue, at, outcome, status, error, record FROM finished WHERE name = ?",
            (name,),
        ).fetchone()

    def browse_finished(
        self, queue: str, outcomes: tuple[str, ...], limit: int, offset: int
    ) -> list[FinishedTask]:
        """A page of ``queue``'s finished tasks with one of ``outcomes``, the latest first."""
        marks = ", ".join("?" * len(outcomes))
        return self._db.execute(
            "SELECT name, queue, at, outcome, status, error, record FROM finished"
            f" WHERE queue = ? AND outcome IN ({marks}) ORDER BY id DESC LIMIT ? OFFSET ?",
            (queue, *outcomes, limit, offset),
        ).fetchall()

    def finished_counts(self, queue: str) -> dict[str, int]:
        """How many finished tasks of ``queue`` are kept, by outcome."""
        rows = self._db.execute(
            "SELECT outcome, COUNT(*) FROM finished WHERE queue = ? GROUP BY outcome", (queue,)
        )
        return {outcome: int(count) for outcome, count in rows}

    def finished_named(self, suffix: str, limit: int) -> list[str]:
        """Names of kept finished tasks that end with ``suffix``, the latest first."""
        rows = self._db.execute(
            "SELECT name FROM finished WHERE substr(name, -?) = ? ORDER BY id DESC LIMIT ?",
            (len(suffix), suffix, limit),
        )
        return [row[0] for row in rows]

    def tasks(self, queue: str, after: str, limit: int) -> list[bytes]:
        low, high = _task_range(queue)
        rows = self._db.execute(
            "SELECT body FROM tasks WHERE name > ? AND name < ? ORDER BY name LIMIT ?",
            (max(low, after), high, limit),
        )
        return [row[0] for row in rows]

    def queue_stats(self, queue: str) -> tuple[int, int | None]:
        """``(number of tasks, earliest schedule time)`` of a queue."""
        count, oldest = self._db.execute(
            "SELECT COUNT(*), MIN(schedule) FROM tasks WHERE queue = ?", (queue,)
        ).fetchone()
        return count, oldest

    def purge(
        self, queue: str, before: int, tombstone_until: int, limit: int = DELETE_BATCH
    ) -> int:
        """Delete up to ``limit`` of a queue's tasks created at or before ``before``.

        Their names stay reserved until ``tombstone_until``.  Returns how many went:
        fewer than ``limit`` means none is left.
        """
        low, high = _task_range(queue)
        names = self._db.execute(
            "SELECT name FROM tasks WHERE name > ? AND name < ? AND created <= ? LIMIT ?",
            (low, high, before, limit),
        ).fetchall()
        self._db.executemany(
            "INSERT OR REPLACE INTO tombstones (name, expires) VALUES (?, ?)",
            [(name, tombstone_until) for (name,) in names],
        )
        self._db.executemany("DELETE FROM tasks WHERE name = ?", names)
        self._deleted += len(names)
        return len(names)

    def due(self, queue: str, now: int, limit: int, tag: str | None) -> list[bytes]:
        """Tasks whose schedule time has come, earliest first (optionally with one tag)."""
        sql = "SELECT body FROM tasks WHERE queue = ? AND claimed = 0 AND schedule <= ?"
        args: tuple[object, ...] = (queue, now)
        if tag is not None:
            sql += " AND tag = ?"
            args += (tag,)
        sql += " ORDER BY schedule, name LIMIT ?"
        return [row[0] for row in self._db.execute(sql, (*args, limit))]

    def oldest_tag(self, queue: str, now: int) -> str | None:
        """The tag of the earliest due task, or None when it has none (or nothing is due)."""
        row = self._db.execute(
            "SELECT tag FROM tasks WHERE queue = ? AND claimed = 0 AND schedule <= ?"
            " ORDER BY schedule, name LIMIT 1",
            (queue, now),
        ).fetchone()
        return row[0] if row else None

    # -- dispatch -----------------------------------------------------------------------

    def claim_due(
        self, queue: str, now: int, limit: int, mark: Callable[[bytes], bytes]
    ) -> list[Claimed]:
        """Claim up to ``limit`` unclaimed tasks of ``queue`` due by ``now``, earliest first.

        ``mark`` turns each record into the one stored while its delivery is in flight.
        """
        rows = self._db.execute(
            "SELECT name, body, executions, last_status FROM tasks"
            " WHERE queue = ? AND claimed = 0 AND schedule <= ? ORDER BY schedule LIMIT ?",
            (queue, now, limit),
        ).fetchall()
        claimed = [(name, mark(body), executions, last) for name, body, executions, last in rows]
        if claimed:
            self._db.executemany(
                "UPDATE tasks SET claimed = 1, body = ?, attempts = attempts + 1 WHERE name = ?",
                [(body, name) for name, body, _, _ in claimed],
            )
        return claimed

    def claim(self, name: str, mark: Callable[[bytes], bytes]) -> Claimed | None:
        """Claim one task whatever its schedule; None if it is missing or already claimed."""
        row = self._db.execute(
            "SELECT name, body, executions, last_status FROM tasks WHERE name = ? AND claimed = 0",
            (name,),
        ).fetchone()
        if row is None:
            return None
        body = mark(row[1])
        self._db.execute(
            "UPDATE tasks SET claimed = 1, body = ?, attempts = attempts + 1 WHERE name = ?",
            (body, name),
        )
        return (name, body, row[2], row[3])

    def claimed(self, name: str) -> bool:
        row = self._db.execute("SELECT claimed FROM tasks WHERE name = ?", (name,)).fetchone()
        return bool(row and row[0])

    def release_claims(self) -> int:
        """Make every claimed task due again (at start: their deliveries died with a process)."""
        return self._db.execute("UPDATE tasks SET claimed = 0 WHERE claimed = 1").rowcount

    def next_due(self, queue: str) -> int | None:
        """The earliest schedule time of ``queue``'s unclaimed tasks (None: there are none)."""
        row = self._db.execute(
            "SELECT MIN(schedule) FROM tasks WHERE queue = ? AND claimed = 0", (queue,)
        ).fetchone()
        return row[0]  # type: ignore[no-any-return]

    def record_attempt(
        self, name: str, schedule: int, body: bytes, executions: int, last_status: int | None
    ) -> None:
        """Store a failed attempt's bookkeeping and release the task's claim."""
        self._db.execute(
            "UPDATE tasks SET claimed = 0, schedule = ?, body = ?, executions = ?,"
            " last_status = ? WHERE name = ?",
            (schedule, body, executions, last_status, name),
        )

    def task_states(self, queue: str) -> tuple[int, int, int]:
        """``(waiting, retrying, in flight)`` task counts of ``queue``."""
        count = "SELECT COUNT(*) FROM tasks WHERE queue = ? AND claimed = ? AND attempts"
        db = self._db
        return (  # three counts over ranges of one index
            int(db.execute(count + " = 0", (queue, 0)).fetchone()[0]),
            int(db.execute(count + " > 0", (queue, 0)).fetchone()[0]),
            int(db.execute(count + " >= 0", (queue, 1)).fetchone()[0]),
        )

    def browse_tasks(
        self, queue: str, state: str, newest: bool, limit: int, offset: int
    ) -> list[tuple[bytes, int]]:
        """A page of ``(record, claimed)`` of ``queue``'s tasks in one state ("" for all)."""
        where = {
            # "+": the count index would need a sort; the due or creation order needs none
            "waiting": " AND claimed = 0 AND +attempts = 0",
            "retrying": " AND claimed = 0 AND +attempts > 0",
            "in-flight": " AND claimed = 1",
        }.get(state, "")
        if newest:
            # few tasks are in flight (sorting them is cheap); many may wait or retry
            indexed = "" if state == "in-flight" else " INDEXED BY tasks_by_created"
            sql = (
                f"SELECT body, claimed FROM tasks{indexed}"
                f" WHERE queue = ?{where} ORDER BY created DESC"
            )
            args: tuple[object, ...] = (queue,)
        elif where:
            sql = f"SELECT body, claimed FROM tasks WHERE queue = ?{where} ORDER BY schedule, name"
            args = (queue,)
        else:  # each half in the due index's order, then merged
            half = (
                "SELECT * FROM (SELECT body, claimed, schedule, name FROM tasks"
                " WHERE queue = ? AND claimed = ? ORDER BY schedule, name LIMIT ?)"
            )
            sql = f"{half} UNION ALL {half} ORDER BY schedule, name"
            args = (queue, 0, limit + offset, queue, 1, limit + offset)
        rows = self._db.execute(sql + " LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
        return [(row[0], row[1]) for row in rows]

    def all_queues(self) -> list[bytes]:
        """Every queue's record, in name order (all projects and locations)."""
        return [row[0] for row in self._db.execute("SELECT body FROM queues ORDER BY name")]

    def dispatchable_queues(self) -> list[tuple[str, bytes]]:
        """``(name, record)`` of every RUNNING queue (the caller skips pull queues)."""
        return self._db.execute("SELECT name, body FROM queues WHERE state = 1").fetchall()

    def queue_task_count(self, queue: str | None) -> int:
        """Tasks in ``queue`` (every queue when None)."""
        if queue is None:
            return int(self._db.execute("SELECT COUNT(*) FROM tasks").fetchone()[0])
        low, high = _task_range(queue)
        row = self._db.execute(
            "SELECT COUNT(*) FROM tasks WHERE name > ? AND name < ?", (low, high)
        ).fetchone()
        return int(row[0])

    # -- tombstones ---------------------------------------------------------------------

    def tombstone(self, name: str, until: int) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO tombstones (name, expires) VALUES (?, ?)", (name, until)
        )

    def tombstoned(self, name: str, now: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM tombstones WHERE name = ? AND expires > ?", (name, now)
        ).fetchone()
        return row is not None

    def forget_tombstones(self, now: int) -> None:
        self._db.execute("DELETE FROM tombstones WHERE expires <= ?", (now,))

    # -- IAM, CMEK, operations ----------------------------------------------------------

    def policy(self, resource: str) -> bytes | None:
        row = self._db.execute(
            "SELECT body FROM policies WHERE resource = ?", (resource,)
        ).fetchone()
        return row[0] if row else None

    def put_policy(self, resource: str, body: bytes) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO policies (resource, body) VALUES (?, ?)", (resource, body)
        )

    def cmek_config(self, name: str) -> bytes | None:
        row = self._db.execute("SELECT body FROM cmek_configs WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def put_cmek_config(self, name: str, body: bytes) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO cmek_configs (name, body) VALUES (?, ?)", (name, body)
        )

    def operation(self, name: str) -> bytes | None:
        row = self._db.execute("SELECT body FROM operations WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def operation_for(self, request_key: str) -> bytes | None:
        row = self._db.execute(
            "SELECT body FROM operations WHERE request_key = ?", (request_key,)
        ).fetchone()
        return row[0] if row else None

    def put_operation(self, name: str, request_key: str | None, body: bytes) -> None:
        self._db.execute(
            "INSERT INTO operations (name, request_key, body) VALUES (?, ?, ?)",
            (name, request_key, body),
        )

    # -- delivery attempts (the dashboard's history) ------------------------------------

    def add_attempt(
        self,
        queue: str,
        task: str,
        attempt: int,
        at: int,
        failed: bool,
        facts: str,
        request: bytes,
        answer: bytes,
    ) -> int:
        """Keep one delivery attempt (``at`` in microseconds); its row id, which grows.

        ``facts`` is the writer's own text (the journal's JSON); the store only
        filters by the other columns.
        """
        cursor = self._db.execute(
            "INSERT INTO attempts (task, queue, attempt, at, failed, facts, request, answer)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (task, queue, attempt, at, int(failed), facts, request, answer),
        )
        return int(cursor.lastrowid or 0)

    # The table is bounded by its writer, so the pages its trims free are soon used
    # again: they are not counted towards a reclaim.

    def forget_attempts_of(self, task: str, up_to: int) -> None:
        """Delete ``task``'s attempts numbered ``up_to`` or less."""
        self._db.execute("DELETE FROM attempts WHERE task = ? AND attempt <= ?", (task, up_to))

    def forget_attempts_before(self, row: int) -> None:
        """Delete the attempts kept before row id ``row`` (the oldest)."""
        self._db.execute("DELETE FROM attempts WHERE id < ?", (row,))

    def forget_attempts(self) -> None:
        """Delete every kept attempt."""
        self._db.execute("DELETE FROM attempts")

    def attempts_of(self, task: str, limit: int) -> list[StoredAttempt]:
        """The last ``limit`` attempts kept of ``task``, oldest first."""
        rows = self._db.execute(
            "SELECT queue, task, attempt, at, facts, request, answer FROM attempts"
            " WHERE task = ? ORDER BY id DESC LIMIT ?",
            (task, limit),
        ).fetchall()
        return rows[::-1]

    def attempts_since(self, since: int) -> list[tuple[str, int, str]]:
        """``(queue, at, facts)`` of every kept attempt made at ``since`` or later."""
        return self._db.execute(
            "SELECT queue, at, facts FROM attempts WHERE at >= ? ORDER BY id", (since,)
        ).fetchall()

    def attempt_counts(self, queue: str, since: int) -> tuple[int, int]:
        """``(attempts, failed attempts)`` kept of ``queue`` made at ``since`` or later."""
        count, failed = self._db.execute(
            "SELECT COUNT(*), SUM(failed) FROM attempts WHERE queue = ? AND at >= ?",
            (queue, since),
        ).fetchone()
        return int(count), int(failed or 0)

    # -- the emulator's own keys --------------------------------------------------------

    def kept_key(self, name: str, make: Callable[[], bytes]) -> bytes:
        """The key kept under ``name``; on first use ``make()``, stored and returned.

        Runs in a transaction of its own: two processes opening one file agree on one key.
        """
        with self.write():
            row = self._db.execute("SELECT body FROM keys WHERE name = ?", (name,)).fetchone()
            if row is not None:
                return bytes(row[0])
            body = make()
            self._db.execute("INSERT INTO keys (name, body) VALUES (?, ?)", (name, body))
            return body

    # -- introspection (tests, consistency checks) --------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self.read():
            return {
                table: self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in _TABLES
            }

    def dump(self) -> dict[str, list[tuple[object, ...]]]:
        """Every row of every table, in a stable order (to compare states)."""
        with self.read():
            return {
                table: list(self._db.execute(f"SELECT * FROM {table} ORDER BY 1"))
                for table in _TABLES
            }

    def integrity(self) -> Iterable[str]:
        """Problems SQLite and our invariants find (empty when consistent)."""
        with self.read():
            problems = [r[0] for r in self._db.execute("PRAGMA integrity_check") if r[0] != "ok"]
            orphans = self._db.execute(
                "SELECT COUNT(*) FROM tasks WHERE queue NOT IN (SELECT name FROM queues)"
            ).fetchone()[0]
        if orphans:
            problems.append(f"{orphans} tasks without a queue")
        return problems


def _system_us() -> int:
    """The machine's time in microseconds (until the store's owner gives it the emulator's)."""
    return time.time_ns() // 1000


def _trim_heap() -> None:
    """Ask glibc to hand freed heap pages back to the system (in-memory stores)."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass
