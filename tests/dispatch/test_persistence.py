"""What a data file keeps across restarts besides tasks: the signing key and attempt history.

With ``--data``, an OIDC token issued before a restart verifies after it (the
key, its id, the JWKS and the certificates stay the same), and the
dashboard still shows the attempts a waiting task already had.  In memory,
each start makes its own key.  The kept history is bounded and holds no
usable credential.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.transport.requests import Request
from google.oauth2 import id_token

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.delivery import journal
from google.cloud.tasks.emulator.delivery.journal import Delivery, Journal
from google.cloud.tasks.emulator.delivery.tokens import Signer
from google.cloud.tasks.emulator.servers.dashboard import token_claims
from google.cloud.tasks.emulator.service.store import Store

from .conftest import PARENT, QUEUE
from .handler import Handler

ACCOUNT = "sa@proj.iam.gserviceaccount.com"


def _documents(http: str) -> tuple[Any, Any]:
    """The JWKS and the PEM certificates an emulator publishes."""
    jwks = requests.get(f"{http}/oauth2/v3/certs", timeout=5).json()
    certs = requests.get(f"{http}/oauth2/v1/certs", timeout=5).json()
    return jwks, certs


def _oidc_task(handler: Handler, path: str) -> dict[str, Any]:
    url = handler.url(path)
    return {"http_request": {"url": url, "oidc_token": {"service_account_email": ACCOUNT}}}


def test_a_token_issued_before_a_restart_verifies_after_it(
    tmp_path: Path, handler: Handler, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(tmp_path / "tasks.db")
    with cli_process.running("--port", "0", "--data", data) as (process, host, _):
        monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", host)
        with tasks_v2.CloudTasksClient() as client:
            client.create_queue(parent=PARENT, queue={"name": QUEUE})
            client.create_task(parent=QUEUE, task=_oidc_task(handler, "/oidc"))
        (got,) = handler.wait_for(1, "/oidc")
        before = _documents(f"http://{host}")
        process.kill()  # a crash: nothing is written on the way out
        process.wait(10)
    scheme, _, token = (got.header("Authorization") or "").partition(" ")
    assert scheme == "Bearer"
    with cli_process.running("--port", "0", "--data", data) as (_, host, _):
        after = _documents(f"http://{host}")
        claims = id_token.verify_token(
            token,
            Request(),
            audience=handler.url("/oidc"),
            certs_url=f"http://{host}/oauth2/v1/certs",
        )
    assert claims["email"] == ACCOUNT
    assert after == before  # same key id, same JWKS, same certificate


def test_each_start_in_memory_makes_its_own_key() -> None:
    with Emulator(dispatch=False) as first:
        one = first.public_key_pem
    with Emulator(dispatch=False) as second:
        assert second.public_key_pem != one


def _key_file(path: Path) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


def _kept_keys(data: str) -> int:
    db = sqlite3.connect(data)
    try:
        return int(db.execute("SELECT COUNT(*) FROM keys").fetchone()[0])
    finally:
        db.close()


def test_a_signing_key_file_wins_over_the_kept_key_and_is_not_kept(tmp_path: Path) -> None:
    data = str(tmp_path / "tasks.db")
    pem = _key_file(tmp_path / "key.pem")
    from_file = Signer(pem).public_key_pem()
    with Emulator(dispatch=False, data=data, signing_key=pem) as emu:
        assert emu.public_key_pem == from_file
    assert _kept_keys(data) == 0
    with Emulator(dispatch=False, data=data) as emu:  # no file: a key is made and kept
        kept = emu.public_key_pem
    assert kept != from_file and _kept_keys(data) == 1
    with Emulator(dispatch=False, data=data, signing_key=pem) as emu:
        assert emu.public_key_pem == from_file
    with Emulator(dispatch=False, data=data) as emu:
        assert emu.public_key_pem == kept


def test_the_dashboard_shows_a_waiting_tasks_attempts_after_a_restart(
    tmp_path: Path, handler: Handler
) -> None:
    data = str(tmp_path / "tasks.db")
    handler.answers["/fail"] = [500]
    retry = {"min_backoff": "600s", "max_backoff": "600s", "max_attempts": 5}
    with Emulator(data=data) as emu, emu.client() as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": retry})
        task = client.create_task(parent=QUEUE, task=_oidc_task(handler, "/fail"))
        emu.wait_for_deliveries(1, QUEUE)
    with Emulator(data=data) as emu:  # the task waits ten minutes for its retry
        page = requests.get(f"{emu.http_url}/ui/task", params={"name": task.name}, timeout=5)
        queues = requests.get(f"{emu.http_url}/", timeout=5).text
        (attempt,) = emu._journal().history(task.name)
    assert page.status_code == 200
    attempts = page.text.split('data-testid="attempts"', 1)[1]
    assert '<span class="bad">500 Internal Server Error</span>' in attempts and "retry" in attempts
    claims = page.text.split("data-testid=claims>", 1)[1]
    assert ACCOUNT in claims  # the token's claims, from the kept (signature-less) header
    assert 'data-testid="failed" class="bad">1<' in queues  # failed in the last 15 minutes
    assert (attempt.attempt, attempt.status, attempt.outcome) == (1, 500, "retry")


def _attempt(task: str, number: int, size: int = 10, at: float = 0.0) -> Delivery:
    queue = task.rsplit("/tasks/", 1)[0]
    token = "Bearer aGVhZGVy.Y2xhaW1z.c2lnbmF0dXJl"  # header.claims.signature
    return Delivery(
        queue,
        task,
        number,
        503,
        "",
        0.01,
        "retry",
        "POST",
        "http://127.0.0.1:9/work",
        (("Content-Type", "text/plain"), ("Authorization", token)),
        b"r" * size,
        b"a" * size,
        (("Server", "test"),),
        at or time.time(),
    )


def test_the_kept_history_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journal, "KEEP_ATTEMPTS", 3)
    monkeypatch.setattr(journal, "KEEP_ROWS", 5)
    monkeypatch.setattr(journal, "TRIM_EVERY", 1)
    store = Store()
    kept = Journal(store)
    task = f"{QUEUE}/tasks/busy"
    for number in range(1, 9):
        kept.record(_attempt(task, number), kept.generation)
    assert [a.attempt for a in kept.history(task)] == [6, 7, 8]
    assert store.counts()["attempts"] == 3
    for n in range(20):
        kept.record(_attempt(f"{QUEUE}/tasks/t{n}", 1), kept.generation)
    assert store.counts()["attempts"] == 5  # the oldest went first
    assert kept.history(task) == []
    assert [len(kept.history(f"{QUEUE}/tasks/t{n}")) for n in (14, 15, 19)] == [0, 1, 1]
    assert kept.recent(QUEUE, 60) == (5, 5)
    assert len(kept.deliveries()) == 28  # in memory, for tests, as before


def test_kept_attempts_have_short_bodies_and_no_usable_token() -> None:
    kept = Journal(Store())
    task = f"{QUEUE}/tasks/big"
    sent = _attempt(task, 1, size=1 << 20)
    kept.record(sent, kept.generation)
    (stored,) = kept.history(task)
    assert stored.body == sent.body[: journal.REQUEST_BYTES] and len(stored.body) == 4096
    assert stored.answer == sent.answer[: journal.ANSWER_BYTES] and len(stored.answer) == 4096
    auth = dict(stored.headers)["Authorization"]
    assert auth == "Bearer aGVhZGVy.Y2xhaW1z."  # no signature
    assert "c2lnbmF0dXJl" not in auth
    assert token_claims(auth) == token_claims(dict(sent.headers)["Authorization"])
    assert stored.answer_headers == (("Server", "test"),)
    assert (stored.status, stored.outcome, stored.url) == (503, "retry", sent.url)
    assert abs(stored.at - sent.at) < 1e-5
    assert kept.deliveries()[0] == sent  # the in-memory record keeps the request whole


def test_recent_counts_only_the_last_seconds() -> None:
    kept = Journal(Store())
    kept.record(_attempt(f"{QUEUE}/tasks/old", 1, at=time.time() - 120), kept.generation)
    kept.record(_attempt(f"{QUEUE}/tasks/new", 1), kept.generation)
    assert kept.recent(QUEUE, 60) == (1, 1)
    assert kept.recent(QUEUE + "2", 60) == (0, 0)


def test_forgetting_and_resets_clear_the_kept_history() -> None:
    store = Store()
    kept = Journal(store)
    mine, theirs = f"{QUEUE}/tasks/t", "projects/other/locations/l/queues/q/tasks/t"
    for task in (mine, theirs):
        kept.record(_attempt(task, 1), kept.generation)
    store.reset("proj")
    assert kept.history(mine) == [] and len(kept.history(theirs)) == 1
    kept.forget()
    assert kept.history(theirs) == [] and store.counts()["attempts"] == 0
    stale = kept.generation - 1
    assert not kept.record(_attempt(theirs, 2), stale)  # begun before the reset
    assert kept.history(theirs) == []


def test_an_attempt_the_store_cannot_keep_is_still_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = Store()
    kept = Journal(store)
    store.close()  # every write now fails
    sent = _attempt(f"{QUEUE}/tasks/t", 1)
    assert kept.record(sent, kept.generation)
    assert kept.wait_for_deliveries(1, timeout=1) == [sent]
    assert "cannot keep attempt 1 of" in caplog.text
