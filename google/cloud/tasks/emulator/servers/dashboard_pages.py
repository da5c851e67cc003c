"""What the dashboard's pages say about queues and tasks, as HTML, from model records.

Pure functions: :mod:`.dashboard` reads the store and the journal and hands
the records here.  Statuses are written in words with their HTTP code
(``404 Not Found``), never as gRPC code numbers; times relative to the
emulator's clock (``in 10 min``, ``3 s ago``) with the absolute time on hover.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from ..delivery.journal import Delivery
from ..service import model as m
from ..service.errors import masked
from ..service.store import FinishedTask
from .dashboard_html import e, span, status_words, table, when

#: characters of a body shown on a task's page
BODY_CHARS = 20_000
QUEUE_STATES = {1: "RUNNING", 2: "PAUSED", 3: "DISABLED"}
METHODS = {1: "POST", 2: "GET", 3: "HEAD", 4: "PUT", 5: "DELETE", 6: "PATCH", 7: "OPTIONS"}


def short(name: str) -> str:
    """The last part of a resource name: a queue's or a task's id."""
    return name.rsplit("/", 1)[-1]


def queue_of(task_name: str) -> str:
    return task_name.rsplit("/tasks/", 1)[0]


def queue_link(name: str, text: str | None = None) -> str:
    return f'<a href="/ui/queue?{urlencode({"name": name})}">{e(text or short(name))}</a>'


def task_link(name: str) -> str:
    return f'<a href="/ui/task?{urlencode({"name": name})}">{e(short(name))}</a>'


def body_text(body: bytes) -> str:
    """A body as a person reads it: pretty JSON, text, or its size."""
    if not body:
        return '<span class="muted">(empty)</span>'
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f'<span class="muted">{len(body):,} bytes of binary data</span>'
    try:
        text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        pass
    more = f"\n… ({len(text):,} characters in all)" if len(text) > BODY_CHARS else ""
    return f"<pre>{e(text[:BODY_CHARS] + more)}</pre>"


def token_claims(authorization: str) -> dict[str, Any] | None:
    """The claims of a bearer JWT (never its signature); None when it is not a JWT."""
    kind, _, token = authorization.partition(" ")
    parts = token.split(".")
    if kind.lower() != "bearer" or len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def target(task: m.Task) -> str:
    """Where a task goes, in one line (text, not HTML)."""
    kind = task.WhichOneof("payload_type")
    if kind == "http_request":
        return f"{METHODS.get(task.http_request.http_method, '?')} {masked(task.http_request.url)}"
    if kind == "app_engine_http_request":
        request = task.app_engine_http_request
        return f"App Engine {METHODS.get(request.http_method, '?')} {request.relative_uri}"
    return f"pull (tag {task.pull_message.tag})"


def request_of(task: m.Task) -> tuple[str, str, dict[str, str], bytes]:
    """``(method, target, headers, body)`` of a task's request."""
    kind = task.WhichOneof("payload_type")
    if kind == "http_request":
        req = task.http_request
        return METHODS.get(req.http_method, "?"), masked(req.url), dict(req.headers), req.body
    if kind == "app_engine_http_request":
        ae = task.app_engine_http_request
        method = METHODS.get(ae.http_method, "?")
        return method, f"App Engine {ae.relative_uri}", dict(ae.headers), ae.body
    pull = task.pull_message
    return "PULL", f"tag {pull.tag}", {}, pull.payload


def last_status(task: m.Task) -> str:
    """The answer to a task's last attempt in words (``404 Not Found``, or why none came)."""
    if not task.HasField("last_attempt") or not task.last_attempt.HasField("response_status"):
        return ""
    return task.last_attempt.response_status.message


def declared_token(task: m.Task) -> str:
    request = task.http_request
    which = request.WhichOneof("authorization_header") if task.HasField("http_request") else None
    if which == "oidc_token":
        return f"OIDC ID token for {request.oidc_token.service_account_email}"
    if which == "oauth_token":
        return f"OAuth token for {request.oauth_token.service_account_email}"
    return ""


def _attempts(count: int) -> str:
    return f"{count} attempt{'' if count == 1 else 's'}"


def outcome_words(row: FinishedTask, task: m.Task | None) -> str:
    """How a finished task ended, in words: ``delivered: 200 OK after 3 attempts, 4.2 s``."""
    _, _, at, outcome, status, error, _ = row
    tries = task.dispatch_count if task is not None else 0
    answer = status_words(status) if status is not None else error
    if outcome == "delivered":
        took = ""
        if task is not None and task.HasField("create_time"):
            took = f", {span((at - m.us_of(task.create_time)) / 1e6)}"
        return f"delivered: {answer} after {_attempts(max(tries, 1))}{took}"
    if outcome == "gave up":
        last = f" (the last: {answer})" if answer else ""
        return f"given up after {_attempts(tries)}{last}" if tries else f"given up{last}"
    return outcome


def finished_record(row: FinishedTask) -> m.Task | None:
    record = row[6]
    return m.Task.FromString(record) if record is not None else None


def attempts_table(attempts: Sequence[Delivery], now_us: int) -> str:
    """A task's recorded attempts, the latest first."""
    rows = []
    for a in reversed(attempts):
        answer_headers = "<br>".join(f"{e(k)}: {e(v)}" for k, v in a.answer_headers)
        said = status_words(a.status) if a.status is not None else a.error
        rows.append(
            (
                str(a.attempt),
                when(int(a.at * 1_000_000), now_us),
                f'<span class="{"good" if a.outcome == "delivered" else "bad"}">{e(said)}</span>',
                f"{a.latency * 1000:.1f} ms",
                e(a.outcome),
                answer_headers,
                body_text(a.answer),
            )
        )
    if not rows:
        return "<p class=muted>No attempts yet.</p>"
    head = ("#", "Sent", "Answer", "Latency", "Outcome", "Answer headers", "Answer body")
    return table(head, rows, "attempts", numeric=(0, 3))


def token_section(task: m.Task | None, attempts: Sequence[Delivery]) -> str:
    """The claims of the token the last attempt carried, or the token the task asks for."""
    sent = attempts[-1].headers if attempts else ()
    auth = next((v for k, v in sent if k.lower() == "authorization"), "")
    claims = token_claims(auth) if auth else None
    if claims is not None:
        shown = e(json.dumps(claims, indent=2))
        return f"<h2>Token claims</h2><pre data-testid=claims>{shown}</pre>"
    if task is not None and (wanted := declared_token(task)):
        return f"<h2>Token</h2><p>{e(wanted)}</p>"
    return ""
