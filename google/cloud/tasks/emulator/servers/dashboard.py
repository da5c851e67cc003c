"""The dashboard: queues, tasks, attempts and charts in a browser, on the emulator's address.

Server-rendered HTML with no build step and nothing fetched from elsewhere
(see :mod:`.dashboard_html` for the frame, :mod:`.dashboard_charts` for the
SVG charts).  The page's script re-fetches its ``<main>`` every second (a
request carrying ``X-Dashboard-Fragment``) and swaps it in when it changed, so
tables and charts follow the emulator without reloading.

Pages: ``/`` (queues by project and location, each with a sparkline of the
last 15 minutes), ``/ui/queue`` (charts, then the queue's tasks: waiting,
retrying, in flight, or finished: succeeded, failed, deleted), ``/ui/task``
(a task, live or finished, with its recorded attempts), ``/ui/search``
(a task by id or name), ``/ui/settings``, ``/ui/chart`` (one chart as an SVG
document) and ``/favicon.ico``.  A finished task keeps its page while the
store keeps it (see :mod:`..service.store`).  Pages are rendered on the HTTP
side's worker threads, never on the event loop.

Buttons are HTML forms that POST to ``/ui/act``; each action is the same
service call the API makes (PauseQueue, ResumeQueue, PurgeQueue, RunTask,
DeleteTask), and the page asks before one that loses data.  A POST must carry
the page's token and, when the browser sends an ``Origin``, come from a host
the emulator allows (see :mod:`.guard`), so a page elsewhere cannot make the
browser act on the emulator.  After an action the browser goes back to the
dashboard page it came from, and never leaves the emulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web

from ..delivery.journal import Journal
from ..service import model as m
from ..service.cloud_tasks import CloudTasksService
from ..service.errors import Code, ServiceError
from . import dashboard_charts as charts
from . import dashboard_pages as p
from .dashboard_html import FAVICON, STYLE, e, empty, facts, page, table, when
from .dashboard_pages import BODY_CHARS, token_claims
from .dashboard_settings import HostView, settings_rows
from .guard import DASHBOARD_ACTIONS, GUARD, Guard
from .rest_extras import WORKERS, off_loop

__all__ = ["BODY_CHARS", "PAGE_SIZE", "Dashboard", "token_claims"]

#: tasks a page of a queue shows
PAGE_SIZE = 50
#: marks the message of a page whose queue or task is not there (answered with 404)
GONE = "data-testid=gone"
#: the task lists of a queue page: (state parameter, label)
_LIVE = (
    ("", "pending"),
    ("waiting", "waiting"),
    ("retrying", "retrying"),
    ("in-flight", "in flight"),
)
_DONE = (("succeeded", "succeeded"), ("failed", "failed"), ("deleted", "deleted"))
_OUTCOMES = {"succeeded": "delivered", "failed": "gave up", "deleted": "deleted"}
#: the pages an action may send the browser back to
_PAGES = ("/", "/ui/queue", "/ui/task")
#: what a task id may look like (anything else is not searched for)
_TASK_ID = re.compile(r"[A-Za-z0-9_-]{1,500}")
#: seconds between two samples of queue depth, at least
SAMPLE_SECONDS = 1.0
_SVG_STYLE = STYLE.split(".k0", 1)[0].split("*{", 1)[0] + STYLE[STYLE.index(".k0") :]


class Dashboard:
    """The dashboard's pages and actions over ``host``'s service and ``journal``."""

    def __init__(self, service: CloudTasksService, journal: Journal, host: HostView) -> None:
        self.service = service
        self.journal = journal
        self.host = host
        self.token = secrets.token_urlsafe(24)
        #: each queue's depth, sampled about once a second while the dashboard runs
        self.depths = charts.Depths()
        self._sampler: asyncio.Task[None] | None = None

    def add_routes(self, app: web.Application) -> None:
        home, queue, task = _PAGES
        app.router.add_get(home, self._view(self.queues_main, "Queues"))
        app.router.add_get(queue, self._view(self.queue_main, "Queue"))
        app.router.add_get(task, self._view(self.task_main, "Task"))
        app.router.add_get("/ui/search", self._view(self.search_main, "Find a task"))
        app.router.add_get("/ui/settings", self._view(self.settings_main, "Settings"))
        app.router.add_get("/ui/chart", self.chart)
        app.router.add_get("/favicon.ico", self.favicon)
        app.router.add_post(DASHBOARD_ACTIONS, self.act)
        app.on_startup.append(self._start_sampling)
        app.on_cleanup.append(self._stop_sampling)

    # -- the frame ------------------------------------------------------------------------

    def _view(
        self, render: Callable[[dict[str, str], str], tuple[str, str]], fallback: str
    ) -> Callable[[web.Request], Any]:
        """A page handler: ``render(query, address)`` -> ``(title, main)`` on a worker thread."""

        async def handle(request: web.Request) -> web.Response:
            query = dict(request.query)
            title, main = await off_loop(request, render, query, request.host)
            status = 404 if GONE in main else 200  # a queue or task that is not there
            if request.headers.get("X-Dashboard-Fragment"):
                return web.Response(text=main, content_type="text/html", status=status)
            here = "/ui/settings" if request.path == "/ui/settings" else "/"
            shown = page(title or fallback, main, query.get("q", ""), here)
            return web.Response(text=shown, content_type="text/html", status=status)

        return handle

    def _now(self) -> int:
        return int(self.service.clock.now_us())

    def _button(self, action: str, name: str, label: str, ask: str = "") -> str:
        confirm = f' data-confirm="{e(ask)}"' if ask else ""
        danger = " class=danger" if ask else ""
        return (
            f'<form method=post action="{DASHBOARD_ACTIONS}"{confirm}>'
            f'<input type=hidden name=action value="{action}">'
            f'<input type=hidden name=name value="{e(name)}">'
            f'<input type=hidden name=token value="{self.token}">'
            f'<button type=submit data-testid="{action}" data-key="{action}:{e(name)}"{danger}>'
            f"{e(label)}</button></form>"
        )

    def _queue_buttons(self, queue: m.Queue) -> str:
        name = queue.name
        if queue.state == m.PAUSED:
            toggle = self._button("resume", name, "Resume")
        elif queue.state == m.RUNNING:
            toggle = self._button("pause", name, "Pause")
        else:
            toggle = ""
        ask = f"Purge {p.short(name)}? Every task now in it is deleted."
        return toggle + self._button("purge", name, "Purge", ask)

    def _task_buttons(self, name: str) -> str:
        ask = f"Delete task {p.short(name)}? It will not be delivered."
        return self._button("run", name, "Run now") + self._button("delete", name, "Delete", ask)

    # -- pages ----------------------------------------------------------------------------

    def queues_main(self, query: dict[str, str], address: str) -> tuple[str, str]:
        store, now = self.service.store, self._now()
        with store.read():
            queues = [m.Queue.FromString(body) for body in store.all_queues()]
            states = {q.name: store.task_states(q.name) for q in queues}
        if not queues:
            command = (
                "cloud-tasks-emulator start --queue my-queue\n\n# or, while it runs:\n"
                f"curl -X POST http://{address}/v2/projects/my-project/locations/us-central1/queues"
                " \\\n  -H 'Content-Type: application/json' -d '{\"name\":"
                ' "projects/my-project/locations/us-central1/queues/my-queue"}\''
            )
            hint = "No queues yet. Create one with your client's CreateQueue, or with:"
            return "Queues", "<h1>Queues</h1>" + empty(hint, command)
        groups: dict[tuple[str, str], list[m.Queue]] = {}
        for q in queues:
            parts = q.name.split("/")
            groups.setdefault((parts[1], parts[3]), []).append(q)
        second = now // 1_000_000
        out = ["<h1>Queues</h1>"]
        head = (
            "Queue", "State", "Last 15 min", "Waiting", "Retrying", "In flight",
            "Delivered (15 min)", "Failed (15 min)", "Rate limits", "Retries", "",
        )  # fmt: skip
        for (project, location), members in groups.items():
            rows = []
            for q in members:
                waiting, retrying, flying = states[q.name]
                bins = charts.activity_bins(self.journal.activity, q.name, second)
                delivered = sum(b.kinds[0] for b in bins)
                failed = sum(sum(b.kinds[1:]) for b in bins)
                state = p.QUEUE_STATES.get(q.state, "?")
                rl, rc = q.rate_limits, q.retry_config
                tries = "unlimited" if rc.max_attempts == -1 else rc.max_attempts
                kind = ' <span class="muted">(pull)</span>' if q.type_ == m.PULL else ""
                rows.append(
                    (
                        p.queue_link(q.name) + kind,
                        f'<span class="{state}" data-testid="state">{state}</span>',
                        charts.sparkline(bins, p.short(q.name)),
                        f'<span data-testid="waiting">{waiting}</span>',
                        f'<span data-testid="retrying">{retrying}</span>',
                        f'<span data-testid="in-flight">{flying}</span>',
                        f'<span data-testid="delivered">{delivered}</span>',
                        f'<span data-testid="failed" class="{"bad" if failed else ""}">'
                        f"{failed}</span>",
                        f"{rl.max_dispatches_per_second:g}/s, burst {rl.max_burst_size},"
                        f" {rl.max_concurrent_dispatches} at once",
                        f"{tries} attempts, backoff {m.seconds_of(rc.min_backoff):g}"
                        f"–{m.seconds_of(rc.max_backoff):g} s",
                        self._queue_buttons(q),
                    )
                )
            out.append(
                f'<h2>{e(project)} <span class="muted">· {e(location)}</span></h2>'
                + table(head, rows, "queues", numeric=(3, 4, 5, 6, 7))
            )
        return "Queues", "".join(out)

    def queue_main(self, query: dict[str, str], address: str) -> tuple[str, str]:
        name = query.get("name", "")
        state = query.get("state", "")
        known = [s for s, _ in _LIVE + _DONE]
        state = state if state in known else ""
        newest = query.get("order", "soonest") == "newest"
        try:
            index = max(0, int(query.get("page", "0")))
        except ValueError:
            index = 0
        try:
            queue = self.service.get_queue(name)
        except ServiceError as exc:
            said = exc.message
            if exc.code is Code.NOT_FOUND:  # not the service's "wait a minute" advice
                said = f"There is no queue {name}: it was deleted, or never made."
            return "Queue", f"<h1>Queue</h1><p class=bad {GONE}>{e(said)}</p>"
        store, now = self.service.store, self._now()
        outcome = _OUTCOMES.get(state)
        with store.read():
            waiting, retrying, flying = store.task_states(name)
            done = store.finished_counts(name)
            if outcome is None:
                live = store.browse_tasks(name, state, newest, PAGE_SIZE + 1, index * PAGE_SIZE)
            else:
                ended = store.browse_finished(name, (outcome,), PAGE_SIZE + 1, index * PAGE_SIZE)
        counts = {"": waiting + retrying + flying, "waiting": waiting, "retrying": retrying}
        counts |= {"in-flight": flying} | {s: done.get(o, 0) for s, o in _OUTCOMES.items()}

        def link(**change: object) -> str:
            args = {"name": name, "state": state, "order": "newest" if newest else "soonest"}
            args |= {k: str(v) for k, v in change.items()}
            args["page"] = str(change.get("page", 0))
            return "/ui/queue?" + urlencode(args)

        def pill(value: str, label: str, key: str, current: bool, count: int | None) -> str:
            mark = " aria-current=true" if current else ""
            shown = f"{label} ({count})" if count is not None else label
            test_id = f"filter-{value or 'all'}"
            return (
                f'<a href="{e(link(**{key: value}))}" data-testid="{test_id}"{mark}>{e(shown)}</a>'
            )

        filters = "".join(
            pill(s, label, "state", s == state, counts[s]) for s, label in _LIVE + _DONE
        )
        if outcome is None:
            orders = "".join(
                f'<a href="{e(link(order=o))}" data-testid="order-{o}"'
                f"{' aria-current=true' if (o == 'newest') == newest else ''}>{label}</a>"
                for o, label in (("soonest", "soonest first"), ("newest", "newest first"))
            )
            rows: list[tuple[str, ...]] = [
                self._task_row(m.Task.FromString(rec), claimed, now)
                for rec, claimed in live[:PAGE_SIZE]
            ]
            more = len(live) > PAGE_SIZE
            head: tuple[str, ...] = (
                "Task", "Target", "Scheduled", "State", "Attempts", "Last answer", "",
            )  # fmt: skip
        else:
            orders = '<a aria-current=true data-testid="order-latest">latest finished first</a>'
            rows = [_finished_row(row, now) for row in ended[:PAGE_SIZE]]
            more = len(ended) > PAGE_SIZE
            head = ("Task", "Outcome", "Finished", "Target")
        pager = f'<a href="{e(link(page=index - 1))}">« previous</a> ' if index else ""
        if more:
            pager += f'<a href="{e(link(page=index + 1))}" data-testid="next">next »</a>'
        if rows:
            listing = table(head, rows, "tasks")
        else:
            command = (
                f"curl -X POST http://{address}/v2/{name}/tasks \\\n"
                "  -H 'Content-Type: application/json' \\\n"
                '  -d \'{"task": {"httpRequest": {"url": "http://127.0.0.1:8080/work"}}}\''
            )
            listing = empty(
                "No tasks here. Create one with your client's CreateTask, or with:", command
            )
        second = now // 1_000_000
        bins = charts.activity_bins(self.journal.activity, name, second)
        depth = self.depths.of(name, second - charts.WINDOW + 1, second)
        state_name = p.QUEUE_STATES.get(queue.state, "?")
        rl, rc = queue.rate_limits, queue.retry_config
        tries = "unlimited" if rc.max_attempts == -1 else rc.max_attempts
        main = (
            f"<h1>{e(p.short(name))} "
            f'<span class="{state_name}" data-testid="state">{state_name}</span></h1>'
            f"<p class=muted data-testid=full-name>{e(name)}"
            f"{' · pull queue' if queue.type_ == m.PULL else ''}"
            f" · {rl.max_dispatches_per_second:g}/s, burst {rl.max_burst_size},"
            f" {rl.max_concurrent_dispatches} at once · {tries} attempts</p>"
            f'<div class=actions>{self._queue_buttons(queue)} <span data-testid="counts">'
            f"{waiting} waiting, {retrying} retrying, {flying} in flight</span></div>"
            "<div class=charts>"
            + _figure("Attempts by outcome", charts.outcome_chart(bins))
            + _figure("Queue depth", charts.depth_chart(depth, second))
            + _figure("Latency p50 / p95", charts.latency_chart(bins))
            + "</div><h2>Tasks</h2>"
            f"<nav class=pills aria-label=Show>{filters}</nav>"
            f"<nav class=pills aria-label=Order>{orders}</nav>"
            f"{listing}<p>page {index + 1} {pager}</p>"
        )
        return p.short(name), main

    def _task_row(self, t: m.Task, claimed: int, now: int) -> tuple[str, ...]:
        state = "in flight" if claimed else ("retrying" if t.dispatch_count else "waiting")
        return (
            p.task_link(t.name),
            f"<span class=wide>{e(p.target(t))}</span>",
            when(m.us_of(t.schedule_time), now),
            state,
            str(t.dispatch_count),
            e(p.last_status(t)),
            self._task_buttons(t.name),
        )

    def task_main(self, query: dict[str, str], address: str) -> tuple[str, str]:
        name = query.get("name", "")
        now = self._now()
        attempts = self.journal.history(name)
        queue = p.queue_of(name)
        try:
            task: m.Task | None = self.service.get_task(name)
            ended = None
        except ServiceError as exc:
            task, missing = None, exc.message
            with self.service.store.read():
                ended = self.service.store.finished_task(name)
            if ended is None:
                message = f"<p class=bad {GONE}>{e(missing)}</p>"
                return "Task", f"<h1>Task {e(p.short(name))}</h1>{message}"
            task = p.finished_record(ended)
        rows = [("Queue", p.queue_link(queue, queue))]
        if task is not None:
            method, goes, headers, body = p.request_of(task)
            rows += [
                ("Request", f"{e(method)} {e(goes)}"),
                ("Created", when(m.us_of(task.create_time), now)),
                ("Scheduled", when(m.us_of(task.schedule_time), now)),
                ("Attempts", str(task.dispatch_count)),
                ("Headers", "<br>".join(f"{e(k)}: {e(v)}" for k, v in sorted(headers.items()))),
            ]
        elif attempts:  # its record was too large to keep: the last attempt's request
            last = attempts[-1]
            method, goes, body = last.method, last.url, last.body
            rows.append(("Request", f"{e(method)} {e(goes)} (as last sent)"))
        else:
            body = b""
        if ended is None:
            assert task is not None
            rows.append(("Last answer", e(p.last_status(task))))
            head = f"<div class=actions>{self._task_buttons(name)}</div>"
        else:
            words = p.outcome_words(ended, task)
            css = "good" if ended[3] == "delivered" else "bad"
            head = (
                f'<p class="outcome {css}" data-testid=outcome>'
                f"{e(words[:1].upper() + words[1:])}</p>"
                f"<p class=muted>Finished {when(ended[2], now)}.</p>"
            )
        main = (
            f"<h1>Task {e(p.short(name))}</h1><p class=muted>{e(name)}</p>{head}"
            f"{facts(rows, 'task')}<h2>Body</h2>{p.body_text(body)}"
            f"{p.token_section(task, attempts)}<h2>Attempts</h2>{p.attempts_table(attempts, now)}"
        )
        return f"Task {p.short(name)}", main

    def search_main(self, query: dict[str, str], address: str) -> tuple[str, str]:
        wanted = query.get("q", "").strip()
        found = self._find(wanted) if wanted else []
        if not wanted:
            hint = "Type a task's id (the last part of its name) or its full name above."
            return "Find a task", "<h1>Find a task</h1>" + empty(hint)
        if len(found) == 1 and found[0][0] == "task":
            raise web.HTTPSeeOther("/ui/task?" + urlencode({"name": found[0][1]}))
        if not found:
            hint = (
                f"No task or queue is named {e(wanted)}. A task's id is the last part of its name"
                " (<code>…/tasks/ID</code>); finished tasks are found while they are kept."
            )
            return "Find a task", "<h1>Find a task</h1>" + empty(hint)
        rows = [
            (kind, p.task_link(n) if kind == "task" else p.queue_link(n), e(n)) for kind, n in found
        ]
        return "Find a task", "<h1>Found</h1>" + table(("Kind", "Id", "Name"), rows, "found")

    def _find(self, wanted: str) -> list[tuple[str, str]]:
        """``(kind, name)`` of the tasks (live or kept finished) and queues ``wanted`` names."""
        store = self.service.store
        found: list[tuple[str, str]] = []
        with store.read():
            if wanted.startswith("projects/"):
                if store.task_exists(wanted) or store.finished_task(wanted) is not None:
                    found.append(("task", wanted))
                elif store.queue(wanted) is not None:
                    found.append(("queue", wanted))
                return found
            if not _TASK_ID.fullmatch(wanted):
                return found
            queues = [m.Queue.FromString(body).name for body in store.all_queues()]
            for queue in queues:
                if store.task_exists(f"{queue}/tasks/{wanted}"):
                    found.append(("task", f"{queue}/tasks/{wanted}"))
            live = {n for _, n in found}
            found += [
                ("task", n) for n in store.finished_named(f"/tasks/{wanted}", 20) if n not in live
            ]
            found += [("queue", q) for q in queues if p.short(q) == wanted]
        return found

    def settings_main(self, query: dict[str, str], address: str) -> tuple[str, str]:
        rows = settings_rows(self.host, f"http://{address}", address)
        return "Settings", "<h1>Settings</h1>" + facts(rows, "settings")

    # -- charts, favicon --------------------------------------------------------------------

    async def chart(self, request: web.Request) -> web.Response:
        """One chart of a queue as an SVG document.

        ``?name=QUEUE&kind=KIND``, KIND one of outcome, depth, latency, sparkline.
        """
        name, kind = request.query.get("name", ""), request.query.get("kind", "outcome")
        second = self._now() // 1_000_000
        bins = charts.activity_bins(self.journal.activity, name, second)
        if kind == "depth":
            svg = charts.depth_chart(
                self.depths.of(name, second - charts.WINDOW + 1, second), second
            )
        elif kind == "latency":
            svg = charts.latency_chart(bins)
        elif kind == "sparkline":
            svg = charts.sparkline(bins, p.short(name))
        elif kind == "outcome":
            svg = charts.outcome_chart(bins)
        else:
            raise web.HTTPBadRequest(text="kind is one of outcome, depth, latency, sparkline")
        svg = svg.split("</svg>", 1)[0]  # the chart alone, without its key
        document = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
        document += f"<style>{_SVG_STYLE}</style></svg>"
        return web.Response(text=document, content_type="image/svg+xml")

    async def favicon(self, request: web.Request) -> web.Response:
        headers = {"Cache-Control": "max-age=86400"}
        return web.Response(text=FAVICON, content_type="image/svg+xml", headers=headers)

    # -- depth sampling ---------------------------------------------------------------------

    def sample(self) -> float:
        """Record every queue's depth at this second of the clock; the seconds it took."""
        started = time.monotonic()
        store = self.service.store
        with store.read():
            names = [m.Queue.FromString(body).name for body in store.all_queues()]
            depths = {name: store.task_states(name) for name in names}
        self.depths.add(self._now() // 1_000_000, depths)
        return time.monotonic() - started

    async def _start_sampling(self, app: web.Application) -> None:
        async def run() -> None:
            loop = asyncio.get_running_loop()
            while True:
                took = await loop.run_in_executor(app.get(WORKERS), self.sample)
                await asyncio.sleep(max(SAMPLE_SECONDS, 20 * took))  # a few % of the store

        self._sampler = asyncio.ensure_future(run())

    async def _stop_sampling(self, app: web.Application) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._sampler

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
            await off_loop(request, call, name)
        except ServiceError as exc:
            raise web.HTTPBadRequest(text=exc.message) from None
        where = _back(request.headers.get("Referer", ""), request.headers.getall("Host", []))
        raise web.HTTPSeeOther(where)


def _figure(caption: str, chart: str) -> str:
    return f"<figure><figcaption>{e(caption)}</figcaption>{chart}</figure>"


def _finished_row(row: Any, now: int) -> tuple[str, ...]:
    task = p.finished_record(row)
    words = p.outcome_words(row, task)
    css = "good" if row[3] == "delivered" else "bad" if row[3] == "gave up" else "muted"
    return (
        p.task_link(row[0]),
        f'<span class="{css}">{e(words)}</span>',
        when(row[2], now),
        f"<span class=wide>{e(p.target(task))}</span>" if task is not None else "",
    )


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
