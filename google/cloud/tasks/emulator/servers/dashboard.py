"""The dashboard: queues, tasks and delivery attempts in a browser, on the emulator's address.

Server-rendered HTML with no build step and nothing fetched from elsewhere:
the page's stylesheet and its one small script are in this module.  The
script re-fetches the page's ``<main>`` every second (a request carrying
``X-Dashboard-Fragment``) and swaps it in when it changed, so pages follow
the emulator without reloading.

Buttons are HTML forms that POST to ``/ui/act``; each action is the same
service call the API makes (PauseQueue, ResumeQueue, PurgeQueue, RunTask,
DeleteTask).  A POST must carry the page's token and, when the browser sends
an ``Origin``, come from a host the emulator allows (see :mod:`.guard`), so a
page elsewhere cannot make the browser act on the emulator.  After an action
the browser goes back to the dashboard page it came from, and never leaves
the emulator.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import html
import json
import secrets
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from ..service import model as m
from ..service.cloud_tasks import CloudTasksService
from ..service.errors import ServiceError
from .guard import DASHBOARD_ACTIONS, GUARD, Guard

#: tasks a page of a queue shows
PAGE_SIZE = 50
#: characters of a body shown on a task's page
BODY_CHARS = 20_000
_STATES = ("", "waiting", "retrying", "in-flight")
_QUEUE_STATES = {1: "RUNNING", 2: "PAUSED", 3: "DISABLED"}
_METHODS = {1: "POST", 2: "GET", 3: "HEAD", 4: "PUT", 5: "DELETE", 6: "PATCH", 7: "OPTIONS"}
#: the pages an action may send the browser back to
_PAGES = ("/", "/ui/queue", "/ui/task")

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:10px 20px}header a{color:#fff}
main{padding:16px 20px}table{border-collapse:collapse;background:#fff;width:100%}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}form{display:inline}button{margin:1px;cursor:pointer}
.PAUSED{color:#9a6700;font-weight:600}.RUNNING{color:#1a7f37}.bad{color:#cf222e}
pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #d0d7de;
padding:8px;max-height:30em;overflow:auto}nav a{margin-right:12px}.muted{color:#57606a}
"""

_SCRIPT = """
(function(){
  let busy = false;
  async function refresh(){
    if (busy || document.hidden) return;
    busy = true;
    try {
      const r = await fetch(location.href, {headers: {"X-Dashboard-Fragment": "1"}});
      if (r.ok) {
        const text = await r.text(), main = document.querySelector("main");
        if (main && main.innerHTML !== text) main.innerHTML = text;
      }
    } catch (e) {} finally { busy = false; }
  }
  setInterval(refresh, 1000);
})();
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _time(ts: Any) -> str:
    if ts is None or not (ts.seconds or ts.nanos):
        return ""
    when = datetime.datetime.fromtimestamp(ts.seconds + ts.nanos / 1e9, datetime.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def _short(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], test_id: str) -> str:
    top = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table data-testid="{test_id}"><tr>{top}</tr>{body}</table>'


def _body_text(body: bytes) -> str:
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
    return f"<pre>{_e(text[:BODY_CHARS] + more)}</pre>"


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


class Dashboard:
    """The dashboard's pages and actions over ``service`` (and the dispatcher's records).

    ``history(task)`` gives a task's recent attempts, ``recent(queue, seconds)``
    ``(attempts, failures)`` of a queue; both come from the dispatcher.
    """

    def __init__(
        self,
        service: CloudTasksService,
        history: Callable[[str], list[Any]],
        recent: Callable[[str, float], tuple[int, int]],
    ) -> None:
        self.service = service
        self._history = history
        self._recent = recent
        self.token = secrets.token_urlsafe(24)

    def add_routes(self, app: web.Application) -> None:
        home, queue, task = _PAGES
        app.router.add_get(home, self.queues_page)
        app.router.add_get(queue, self.queue_page)
        app.router.add_get(task, self.task_page)
        app.router.add_post(DASHBOARD_ACTIONS, self.act)

    # -- rendering ------------------------------------------------------------------------

    def _page(self, request: web.Request, title: str, main: str) -> web.Response:
        if request.headers.get("X-Dashboard-Fragment"):
            return web.Response(text=main, content_type="text/html")
        page = (
            f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{_e(title)}"
            f" · Cloud Tasks emulator</title><style>{_STYLE}</style></head><body>"
            '<header><a href="/">Cloud Tasks emulator</a></header>'
            f"<main>{main}</main><script>{_SCRIPT}</script></body></html>"
        )
        return web.Response(text=page, content_type="text/html")

    def _button(self, action: str, name: str, label: str) -> str:
        return (
            f'<form method=post action="{DASHBOARD_ACTIONS}">'
            f'<input type=hidden name=action value="{action}">'
            f'<input type=hidden name=name value="{_e(name)}">'
            f'<input type=hidden name=token value="{self.token}">'
            f'<button type=submit data-testid="{action}">{_e(label)}</button></form>'
        )

    # -- pages ----------------------------------------------------------------------------

    async def queues_page(self, request: web.Request) -> web.Response:
        store = self.service.store
        with store.read():
            queues = [m.Queue.FromString(body) for body in store.all_queues()]
            states = {q.name: store.task_states(q.name) for q in queues}
        rows = []
        for q in queues:
            waiting, retrying, flying = states[q.name]
            tried, failed = self._recent(q.name, 60.0)
            state = _QUEUE_STATES.get(q.state, "?")
            rl, rc = q.rate_limits, q.retry_config
            link = f'<a href="/ui/queue?{urlencode({"name": q.name})}">{_e(q.name)}</a>'
            kind = "pull" if q.type_ == m.PULL else "push"
            attempts = "unlimited" if rc.max_attempts == -1 else rc.max_attempts
            rows.append(
                (
                    link + f' <span class="muted">({kind})</span>',
                    f'<span class="{state}" data-testid="state">{state}</span>',
                    f"{rl.max_dispatches_per_second:g}/s, burst {rl.max_burst_size},"
                    f" {rl.max_concurrent_dispatches} at once",
                    f"{attempts} attempts, backoff {m.seconds_of(rc.min_backoff):g}"
                    f"–{m.seconds_of(rc.max_backoff):g} s, {rc.max_doublings} doublings",
                    f'<span data-testid="waiting">{waiting + retrying}</span>'
                    f' <span class="muted">({retrying} retrying)</span>',
                    f'<span data-testid="in-flight">{flying}</span>',
                    f'<span data-testid="delivered">{tried - failed}</span>',
                    f'<span data-testid="failed" class="{"bad" if failed else ""}">{failed}</span>',
                    self._button("pause", q.name, "Pause")
                    + self._button("resume", q.name, "Resume")
                    + self._button("purge", q.name, "Purge"),
                )
            )
        head = (
            "Queue",
            "State",
            "Rate limits",
            "Retries",
            "Tasks waiting",
            "In flight",
            "Delivered (last min)",
            "Failed (last min)",
            "",
        )
        body = _table(head, rows, "queues") if rows else "<p>No queues yet.</p>"
        return self._page(request, "Queues", f"<h1>Queues</h1>{body}")

    async def queue_page(self, request: web.Request) -> web.Response:
        name = request.query.get("name", "")
        state = request.query.get("state", "")
        state = state if state in _STATES else ""
        newest = request.query.get("order", "soonest") == "newest"
        try:
            page = max(0, int(request.query.get("page", "0")))
        except ValueError:
            page = 0
        store = self.service.store
        try:
            queue = self.service.get_queue(name)
        except ServiceError as exc:
            return self._page(request, "Queue", f"<h1>Queue</h1><p class=bad>{_e(exc.message)}</p>")
        with store.read():
            listed = store.browse_tasks(name, state, newest, PAGE_SIZE + 1, page * PAGE_SIZE)
            waiting, retrying, flying = store.task_states(name)
        more = len(listed) > PAGE_SIZE

        def link(**change: object) -> str:
            query = {"name": name, "state": state, "order": "newest" if newest else "soonest"}
            query |= {k: str(v) for k, v in change.items()}
            query["page"] = str(change.get("page", 0))
            return "/ui/queue?" + urlencode(query)

        rows = []
        for record, claimed in listed[:PAGE_SIZE]:
            t = m.Task.FromString(record)
            rows.append(
                (
                    f'<a href="/ui/task?{urlencode({"name": t.name})}">{_e(_short(t.name))}</a>',
                    _e(_target(t)),
                    _e(_time(t.schedule_time)),
                    "in flight" if claimed else ("retrying" if t.dispatch_count else "waiting"),
                    str(t.dispatch_count),
                    str(t.response_count),
                    _e(_status(t)),
                    self._button("run", t.name, "Run now")
                    + self._button("delete", t.name, "Delete"),
                )
            )
        filters = " ".join(
            f'<a href="{_e(link(state=s))}" data-testid="filter-{s or "all"}">'
            f"{'<b>' if s == state else ''}{s or 'all'}{'</b>' if s == state else ''}</a>"
            for s in _STATES
        )
        orders = (
            f'<a href="{_e(link(order="soonest"))}">soonest first</a>'
            f' <a href="{_e(link(order="newest"))}">newest first</a>'
        )
        pager = ""
        if page:
            pager += f'<a href="{_e(link(page=page - 1))}">« previous</a> '
        if more:
            pager += f'<a href="{_e(link(page=page + 1))}" data-testid="next">next »</a>'
        head = ("Task", "Target", "Scheduled", "State", "Dispatched", "Answered", "Last status", "")
        table = _table(head, rows, "tasks") if rows else "<p>No tasks here.</p>"
        main = (
            f"<h1>{_e(_short(name))} "
            f'<span class="{_QUEUE_STATES.get(queue.state, "")}" data-testid="state">'
            f"{_QUEUE_STATES.get(queue.state, '?')}</span></h1>"
            f'<p class=muted>{_e(name)}</p><p data-testid="counts">{waiting} waiting,'
            f" {retrying} retrying, {flying} in flight</p>"
            f"{self._button('pause', name, 'Pause')}{self._button('resume', name, 'Resume')}"
            f"{self._button('purge', name, 'Purge')}"
            f"<nav><p>Show: {filters} · Order: {orders} · page {page + 1}</p></nav>"
            f"{table}<p>{pager}</p>"
        )
        return self._page(request, _short(name), main)

    async def task_page(self, request: web.Request) -> web.Response:
        name = request.query.get("name", "")
        try:
            task = self.service.get_task(name)
        except ServiceError as exc:
            message = f"<p class=bad data-testid=gone>{_e(exc.message)}</p>"
            return self._page(request, "Task", f"<h1>{_e(_short(name))}</h1>{message}")
        kind = task.WhichOneof("payload_type")
        if kind == "http_request":
            req = task.http_request
            method, target = _METHODS.get(req.http_method), req.url
            headers, body = req.headers, req.body
        elif kind == "app_engine_http_request":
            ae = task.app_engine_http_request
            method, target = _METHODS.get(ae.http_method), f"App Engine {ae.relative_uri}"
            headers, body = ae.headers, ae.body
        else:
            pull = task.pull_message
            method, target, headers, body = "PULL", f"tag {pull.tag}", {}, pull.payload
        attempts = self._history(name)
        queue = name.rsplit("/tasks/", 1)[0]
        facts = _table(
            ("", ""),
            [
                ("Queue", f'<a href="/ui/queue?{urlencode({"name": queue})}">{_e(queue)}</a>'),
                ("Request", f"{_e(method)} {_e(target)}"),
                ("Scheduled", _e(_time(task.schedule_time))),
                ("Created", _e(_time(task.create_time))),
                ("Dispatched / answered", f"{task.dispatch_count} / {task.response_count}"),
                ("Last status", _e(_status(task))),
                ("Headers", "<br>".join(f"{_e(k)}: {_e(v)}" for k, v in sorted(headers.items()))),
            ],
            "task",
        )
        token = ""
        sent = attempts[-1].headers if attempts else ()
        auth = next((v for k, v in sent if k.lower() == "authorization"), "")
        claims = token_claims(auth) if auth else None
        if claims is not None:
            shown = _e(json.dumps(claims, indent=2))
            token = f"<h2>Token claims</h2><pre data-testid=claims>{shown}</pre>"
        elif req_token := _declared_token(task):
            token = f"<h2>Token</h2><p>{_e(req_token)}</p>"
        rows = []
        for a in reversed(attempts):
            when = datetime.datetime.fromtimestamp(a.at, datetime.timezone.utc)
            answer_headers = "<br>".join(f"{_e(k)}: {_e(v)}" for k, v in a.answer_headers)
            rows.append(
                (
                    str(a.attempt),
                    _e(when.strftime("%H:%M:%S.%f")[:-3]),
                    f'<span class="{"" if a.outcome == "delivered" else "bad"}">'
                    f"{_e(a.status if a.status is not None else a.error)}</span>",
                    f"{a.latency * 1000:.1f} ms",
                    _e(a.outcome),
                    answer_headers,
                    _body_text(a.answer),
                )
            )
        head = ("#", "Sent (UTC)", "Status", "Latency", "Outcome", "Answer headers", "Answer")
        history = _table(head, rows, "attempts") if rows else "<p>No attempts yet.</p>"
        main = (
            f"<h1>Task {_e(_short(name))}</h1><p class=muted>{_e(name)}</p>"
            f"{self._button('run', name, 'Run now')}{self._button('delete', name, 'Delete')}"
            f"{facts}<h2>Body</h2>{_body_text(body)}{token}<h2>Attempts</h2>{history}"
        )
        return self._page(request, f"Task {_short(name)}", main)

    # -- actions --------------------------------------------------------------------------

    async def act(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        guard = request.app.get(GUARD) or Guard.of()
        if origin is not None and not guard.origin_allowed(
            origin, request.headers.getall("Host", [])
        ):
            raise web.HTTPForbidden(text="Cross-origin requests cannot act on the emulator.")
        form = await request.post()
        if not secrets.compare_digest(str(form.get("token", "")), self.token):
            raise web.HTTPForbidden(text="This form is stale or not the dashboard's: reload.")
        action, name = str(form.get("action", "")), str(form.get("name", ""))
        service = self.service
        calls: dict[str, Callable[[str], Any]] = {
            "pause": service.pause_queue,
            "resume": service.resume_queue,
            "purge": service.purge_queue,
            "run": service.run_task,
            "delete": service.delete_task,
        }
        call = calls.get(action)
        if call is None:
            raise web.HTTPBadRequest(text=f"Unknown action {action!r}.")
        try:
            call(name)
        except ServiceError as exc:
            raise web.HTTPBadRequest(text=exc.message) from None
        if action == "delete":
            where = "/ui/queue?" + urlencode({"name": name.rsplit("/tasks/", 1)[0]})
        else:
            where = _back(request.headers.get("Referer", ""), request.headers.getall("Host", []))
        raise web.HTTPSeeOther(where)


def _back(referer: str, hosts: list[str]) -> str:
    """The dashboard page a Referer names, as a path of this emulator; ``/`` when it names none.

    Only a page of the dashboard at the address the request went to counts,
    and its query is written anew, so that the answer never sends the browser
    elsewhere (``//host``, ``/\\host``, another site's URL).
    """
    try:
        target = urlsplit(referer.strip())
    except ValueError:
        return "/"
    if target.scheme or target.netloc:
        here = [host.strip().lower() for host in hosts]
        if target.scheme not in ("http", "https") or [target.netloc.lower()] != here:
            return "/"
    if target.path not in _PAGES:
        return "/"
    query = urlencode(parse_qsl(target.query))
    return target.path + ("?" + query if query else "")


def _target(task: m.Task) -> str:
    kind = task.WhichOneof("payload_type")
    if kind == "http_request":
        return f"{_METHODS.get(task.http_request.http_method, '?')} {task.http_request.url}"
    if kind == "app_engine_http_request":
        request = task.app_engine_http_request
        return f"App Engine {_METHODS.get(request.http_method, '?')} {request.relative_uri}"
    return f"pull (tag {task.pull_message.tag})"


def _status(task: m.Task) -> str:
    if not task.HasField("last_attempt") or not task.last_attempt.HasField("response_status"):
        return ""
    status = task.last_attempt.response_status
    return f"{status.message} (code {status.code})" if status.message else f"code {status.code}"


def _declared_token(task: m.Task) -> str:
    request = task.http_request
    which = request.WhichOneof("authorization_header") if task.HasField("http_request") else None
    if which == "oidc_token":
        return f"OIDC ID token for {request.oidc_token.service_account_email}"
    if which == "oauth_token":
        return f"OAuth token for {request.oauth_token.service_account_email}"
    return ""
