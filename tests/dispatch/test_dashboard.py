"""The dashboard in a real headless browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.servers.dashboard import PAGE_SIZE
from google.cloud.tasks.emulator.service import model as m

from .conftest import PARENT, QUEUE, fast_retries
from .handler import Handler

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("DASHBOARD_ARTIFACTS", Path(__file__).parent.parent / "artifacts"))
browser_needed = pytest.mark.skipif(
    CHROMIUM is None, reason="needs Chromium (CI installs Debian's chromium package)"
)
#: the two window sizes every page is shot at: a laptop and a phone
SIZES = {"wide": (1400, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("needs Chromium (CI installs Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _tab(browser: Any, **options: Any) -> Any:
    context = browser.new_context(**options)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return tab


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    tab = _tab(browser, viewport={"width": 1400, "height": 900})
    yield tab
    tab.context.close()


def _task_url(emu: Emulator, name: str) -> str:
    return f"{emu.http_url}/ui/task?{urlencode({'name': name})}"


def _queue_url(emu: Emulator, name: str = QUEUE, **query: str) -> str:
    return f"{emu.http_url}/ui/queue?{urlencode({'name': name, **query})}"


def _shoot(tab: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"))
    assert (ARTIFACTS / f"dashboard-{name}.png").stat().st_size > 5_000


@browser_needed
def test_queues_are_grouped_by_project_with_buttons_that_fit_their_state(
    emu: Emulator, client: Any, page: Any
) -> None:
    page.goto(emu.http_url + "/")
    empty = page.locator('[data-testid="empty"]')
    assert "No queues yet." in empty.inner_text()
    assert "--queue" in empty.inner_text() and "curl -X POST" in empty.inner_text()
    client.create_queue(parent=PARENT, queue={"name": QUEUE})  # after the page loaded
    other = "projects/other/locations/europe-west1/queues/q"
    client.create_queue(parent=other.rsplit("/queues/", 1)[0], queue={"name": other})
    groups = page.locator("h2")
    groups.nth(1).wait_for()
    assert [groups.nth(i).inner_text() for i in range(2)] == [
        "other · europe-west1",
        "proj · us-central1",
    ]
    row = page.locator("h2:has-text('proj') + div tr", has_text="q")
    assert row.locator("a").first.inner_text() == "q"  # the short id, not the full name
    assert QUEUE not in page.locator("main").inner_text()
    assert row.locator('[data-testid="state"]').inner_text() == "RUNNING"
    assert row.locator('button[data-testid="resume"]').count() == 0
    row.locator('button[data-testid="pause"]').click()
    row.locator('[data-testid="state"]', has_text="PAUSED").wait_for()
    assert client.get_queue(name=QUEUE).state.name == "PAUSED"
    assert row.locator('button[data-testid="pause"]').count() == 0
    row.locator('button[data-testid="resume"]').click()
    row.locator('[data-testid="state"]', has_text="RUNNING").wait_for()
    assert client.get_queue(name=QUEUE).state.name == "RUNNING"


@browser_needed
def test_a_dismissed_confirmation_leaves_the_queue_and_the_task(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    tasks = [
        client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
        for _ in range(3)
    ]
    page.goto(_queue_url(emu))
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator('.actions button[data-testid="purge"]').click()
    assert asked and "Purge q?" in asked[0]
    row = page.locator('[data-testid="tasks"] tr', has_text=tasks[0].name.rsplit("/", 1)[1])
    page.once("dialog", dismiss)
    row.locator('button[data-testid="delete"]').click()
    assert len(asked) == 2 and "Delete task" in asked[1]
    time.sleep(0.5)  # were the forms sent, they would have acted by now
    assert len(list(client.list_tasks(parent=QUEUE))) == 3
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator('.actions button[data-testid="purge"]').click()
    page.locator('[data-testid="counts"]', has_text="0 waiting").wait_for()
    assert list(client.list_tasks(parent=QUEUE)) == []


@browser_needed
def test_a_delivered_task_keeps_its_page_with_its_200_and_its_attempts(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "retry_config": fast_retries(min_backoff="0.5s", max_attempts=5)},
    )
    handler.answers["/work"] = [500, 200]
    task = client.create_task(
        parent=QUEUE,
        task={
            "http_request": {
                "url": handler.url(),
                "body": b'{"order": 7}',
                "oidc_token": {"service_account_email": "sa@proj.iam.gserviceaccount.com"},
            }
        },
    )
    page.goto(_task_url(emu, task.name))  # live while it retries, finished once delivered
    outcome = page.locator('[data-testid="outcome"]')
    outcome.wait_for()
    assert outcome.inner_text().startswith("Delivered: 200 OK after 2 attempts, ")
    attempts = page.locator('[data-testid="attempts"] tr')
    assert attempts.count() == 3  # a header row and both attempts, the latest first
    assert "200 OK" in attempts.nth(1).inner_text()
    assert "500 Internal Server Error" in attempts.nth(2).inner_text()
    assert '"order": 7' in page.locator("pre").first.inner_text()
    claims = page.locator('[data-testid="claims"]').inner_text()
    assert "sa@proj.iam.gserviceaccount.com" in claims
    assert "(code" not in page.locator("main").inner_text()
    page.reload()  # the same URL, later
    assert page.locator('[data-testid="outcome"]').inner_text() == outcome.inner_text()
    page.goto(_queue_url(emu, state="succeeded"))
    assert page.locator('[data-testid="filter-succeeded"]').get_attribute("aria-current")
    listed = page.locator('[data-testid="tasks"] tr', has_text=task.name.rsplit("/", 1)[1])
    assert "delivered: 200 OK after 2 attempts" in listed.inner_text()


@browser_needed
def test_a_task_given_up_is_listed_as_failed_and_a_deleted_one_says_so(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "retry_config": fast_retries(max_attempts=2)},
    )
    handler.answers["/gone"] = [404]
    doomed = client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url("/gone")}})
    later = {"seconds": int(time.time()) + 3600}
    kept = client.create_task(
        parent=QUEUE, task={"http_request": {"url": handler.url()}, "schedule_time": later}
    )
    page.goto(_queue_url(emu))
    row = page.locator('[data-testid="tasks"] tr', has_text=kept.name.rsplit("/", 1)[1])
    scheduled = row.locator("time")
    assert scheduled.inner_text() in ("in 60 min", "in 59 min")
    assert scheduled.get_attribute("title").endswith(" UTC")
    handler.wait_for(2, "/gone")
    page.goto(_queue_url(emu, state="failed"))
    failed = page.locator('[data-testid="tasks"] tr', has_text=doomed.name.rsplit("/", 1)[1])
    failed.wait_for()
    assert "given up after 2 attempts (the last: 404 Not Found)" in failed.inner_text()
    client.delete_task(name=kept.name)
    page.goto(_task_url(emu, kept.name))
    assert page.locator('[data-testid="outcome"]').inner_text() == "Deleted"
    assert handler.url() in page.locator('[data-testid="task"]').inner_text()


@browser_needed
def test_a_finished_task_keeps_its_page_across_a_restart_with_a_data_file(
    tmp_path: Path, handler: Handler, page: Any
) -> None:
    data = str(tmp_path / "tasks.db")
    with Emulator(data=data, queues=[QUEUE]) as emu:
        with emu.client() as client:
            task = client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
        emu.wait_for_deliveries(1, QUEUE)  # delivered, and its attempt recorded
    with Emulator(data=data) as again:
        page.goto(_task_url(again, task.name))
        assert (
            page.locator('[data-testid="outcome"]')
            .inner_text()
            .startswith("Delivered: 200 OK after 1 attempt, ")
        )
        attempts = page.locator('[data-testid="attempts"] tr')
        assert attempts.count() == 2 and "200 OK" in attempts.nth(1).inner_text()
        page.goto(again.http_url + "/")  # the charts count the kept attempts again
        assert _total(page, '[data-testid="sparkline"]') == 1


def _total(tab: Any, selector: str) -> float:
    return float(tab.locator(selector).first.get_attribute("data-total"))


@browser_needed
def test_the_sparkline_and_the_queue_charts_change_as_deliveries_happen(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    page.goto(emu.http_url + "/")
    assert _total(page, '[data-testid="sparkline"]') == 0
    handler.answers["/bad"] = [503]
    for path in ("/work", "/work", "/bad"):
        client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url(path)}})
    page.wait_for_function(  # the page follows by itself, without a reload
        "document.querySelector('[data-testid=sparkline]').dataset.total >= 3"
    )
    page.goto(_queue_url(emu))
    for chart in ("outcome-chart", "depth-chart", "latency-chart"):
        page.locator(f'svg[data-testid="{chart}"]').wait_for()
    before = _total(page, '[data-testid="outcome-chart"]')
    assert before >= 3 and _total(page, '[data-testid="latency-chart"]') > 0
    assert page.locator('[data-testid="outcome-chart"] rect.k2').count() >= 1  # the 503s
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    page.wait_for_function(
        f"document.querySelector('[data-testid=outcome-chart]').dataset.total > {before}"
    )
    client.pause_queue(name=QUEUE)
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url()}})
    page.wait_for_function(  # a sample of the depth shows the waiting task
        "document.querySelector('[data-testid=depth-chart]').dataset.total >= 1"
    )
    svg = requests.get(
        emu.http_url + "/ui/chart", params={"name": QUEUE, "kind": "outcome"}, timeout=5
    )
    assert svg.headers["Content-Type"].startswith("image/svg+xml") and "<rect" in svg.text


@browser_needed
def test_the_search_box_finds_a_task_by_id_or_name(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    name = f"{QUEUE}/tasks/order-42"
    client.create_task(parent=QUEUE, task={"name": name, "http_request": {"url": handler.url()}})
    page.goto(emu.http_url + "/")
    box = page.locator('[data-testid="search"]')
    box.fill("order-42")
    box.press("Enter")
    page.wait_for_url(lambda url: "/ui/task?" in url)
    assert parse_qs(urlsplit(page.url).query)["name"] == [name]
    page.locator('[data-testid="search"]').fill(name)
    page.locator('[data-testid="search"]').press("Enter")
    page.locator("h1", has_text="Task order-42").wait_for()
    page.locator('[data-testid="search"]').fill("no-such-task")
    page.locator('[data-testid="search"]').press("Enter")
    assert "No task or queue is named no-such-task" in page.locator("main").inner_text()


@browser_needed
def test_dark_mode_follows_the_system_and_keyboard_focus_shows(
    emu: Emulator, client: Any, browser: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    colours = {}
    for scheme in ("light", "dark"):
        tab = _tab(browser, color_scheme=scheme, viewport={"width": 1400, "height": 900})
        tab.goto(emu.http_url + "/")
        colours[scheme] = tab.evaluate("getComputedStyle(document.body).backgroundColor")
        if scheme == "dark":
            tab.keyboard.press("Tab")  # the header's first link
            outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline == "solid"
            _shoot(tab, "queues-dark")
        tab.context.close()
    assert colours == {"light": "rgb(246, 248, 250)", "dark": "rgb(13, 17, 23)"}


def test_the_favicon_and_the_settings_view(emu: Emulator) -> None:
    icon = requests.get(emu.http_url + "/favicon.ico", timeout=5)
    assert icon.status_code == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")
    settings = requests.get(emu.http_url + "/ui/settings", timeout=5).text
    host = urlsplit(emu.http_url).netloc
    for said in (
        f"CLOUD_TASKS_EMULATOR_HOST={host}",
        "Data file",
        "in memory",
        "Clock",
        "App Engine host",
        "Routes",
        "https://accounts.google.com",
        emu.jwks_url,
        emu.certs_url,
    ):
        assert said in settings, said


@browser_needed
def test_screenshots_of_every_page(
    emu: Emulator, client: Any, handler: Handler, browser: Any
) -> None:
    """Shots at a laptop's and a phone's size, kept in tests/artifacts/ for the docs."""
    client.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "retry_config": fast_retries(max_attempts=3)},
    )
    mail = f"{PARENT}/queues/emails"
    client.create_queue(parent=PARENT, queue={"name": mail})
    handler.answers["/flaky"] = [503, 200]
    handler.answers["/broken"] = [404]
    sent = [
        client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url(path)}})
        for path in ("/work", "/flaky", "/broken", "/work", "/work")
    ]
    client.pause_queue(name=mail)
    for n in range(4):
        body = f'{{"to": "user{n}@example.com"}}'.encode()
        client.create_task(parent=mail, task={"http_request": {"url": handler.url(), "body": body}})
    handler.wait_for(2, "/broken")
    handler.wait_for(2, "/flaky")
    time.sleep(1.5)  # a depth sample or two
    pages = {
        "queues": emu.http_url + "/",
        "queue": _queue_url(emu),
        "queue-succeeded": _queue_url(emu, state="succeeded"),
        "task": _task_url(emu, sent[1].name),
        "task-failed": _task_url(emu, sent[2].name),
        "search": emu.http_url + "/ui/search?q=nothing-here",
        "settings": emu.http_url + "/ui/settings",
    }
    for size, (width, height) in SIZES.items():
        tab = _tab(browser, viewport={"width": width, "height": height})
        for label, url in pages.items():
            tab.goto(url)
            _shoot(tab, f"{label}-{size}")
        tab.context.close()


def test_actions_from_another_origin_or_without_the_token_are_refused(
    emu: Emulator, client: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    home = requests.get(emu.http_url + "/", timeout=5).text
    token = home.split('name=token value="', 1)[1].split('"', 1)[0]
    form = {"action": "pause", "name": QUEUE, "token": token}
    forged = requests.post(
        emu.http_url + "/ui/act", data=form, headers={"Origin": "http://evil.example"}, timeout=5
    )
    assert forged.status_code == 403
    no_token = requests.post(emu.http_url + "/ui/act", data={**form, "token": "x"}, timeout=5)
    assert no_token.status_code == 403
    assert client.get_queue(name=QUEUE).state.name == "RUNNING"
    same_origin = requests.post(
        emu.http_url + "/ui/act", data=form, headers={"Origin": emu.http_url}, timeout=5
    )
    assert same_origin.status_code == 200  # redirected to the dashboard
    assert client.get_queue(name=QUEUE).state.name == "PAUSED"


def _form(emu: Emulator, action: str) -> dict[str, str]:
    home = requests.get(emu.http_url + "/", timeout=5).text
    token = home.split('name=token value="', 1)[1].split('"', 1)[0]
    return {"action": action, "name": QUEUE, "token": token}


def test_a_page_on_a_rebound_name_cannot_act(emu: Emulator, client: Any) -> None:
    """DNS rebinding: the attacker's name is both the Host and the Origin."""
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    rebound = {"Host": "evil.example:8123", "Origin": "http://evil.example:8123"}
    url = emu.http_url + "/ui/act"
    answer = requests.post(url, data=_form(emu, "pause"), headers=rebound, timeout=5)
    assert answer.status_code == 403
    assert client.get_queue(name=QUEUE).state.name == "RUNNING"


@pytest.mark.parametrize(
    "referer",
    [
        "//evil.example/x",
        "/\\evil.example/x",
        "http://evil.example/ui/queue",
        "{here}//evil.example/x",
        "{here}/\\evil.example",
        "javascript:alert(1)",
        "{here}/_emulator/reset",
    ],
)
def test_an_action_goes_back_only_to_a_dashboard_page(
    emu: Emulator, client: Any, referer: str
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    headers = {"Referer": referer.format(here=emu.http_url)}
    answer = requests.post(
        emu.http_url + "/ui/act",
        data=_form(emu, "pause"),
        headers=headers,
        allow_redirects=False,
        timeout=5,
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/"
    page = f"{emu.http_url}/ui/queue?name={QUEUE}&state=waiting"
    back = requests.post(
        emu.http_url + "/ui/act",
        data=_form(emu, "resume"),
        headers={"Referer": page},
        allow_redirects=False,
        timeout=5,
    )
    assert back.status_code == 303
    went = urlsplit(back.headers["Location"])
    assert (went.scheme, went.netloc, went.path) == ("", "", "/ui/queue")
    assert parse_qs(went.query) == {"name": [QUEUE], "state": ["waiting"]}


def test_ten_thousand_tasks_are_shown_a_page_at_a_time(emu: Emulator, client: Any) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    assert emu.service is not None
    for _ in range(10_000):
        task = m.Task()
        task.http_request.url = "http://127.0.0.1:9/"
        emu.service.create_task(QUEUE, task)
    answer = requests.get(f"{emu.http_url}/ui/queue", params={"name": QUEUE}, timeout=10)
    assert answer.status_code == 200  # how fast: benchmarks/bench_dashboard.py
    assert answer.text.count('data-testid="run"') == PAGE_SIZE  # one button a row
    assert len(answer.text) < 200_000
    assert "10000 waiting" in answer.text and 'data-testid="next"' in answer.text


def test_no_ui_leaves_the_root_to_the_api() -> None:
    with Emulator(dispatch=False, ui=False) as emu:
        assert requests.get(emu.http_url + "/", timeout=5).status_code == 404


def test_a_task_page_never_shows_the_password_in_its_url(emu: Emulator, client: Any) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    url = "http://ada:hunter2-secret@127.0.0.1:9/hook"
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": url}})
    for page in (_task_url(emu, task.name), _queue_url(emu)):
        shown = requests.get(page, timeout=10).text
        assert "127.0.0.1:9/hook" in shown
        assert "hunter2-secret" not in shown and "***@" in shown


def test_a_queue_or_task_that_is_not_there_is_a_404_page(emu: Emulator) -> None:
    gone_queue = requests.get(_queue_url(emu, f"{PARENT}/queues/nowhere"), timeout=10)
    assert gone_queue.status_code == 404
    assert (
        "There is no queue" in gone_queue.text and "wait at least a minute" not in gone_queue.text
    )
    gone_task = requests.get(_task_url(emu, f"{QUEUE}/tasks/nothing"), timeout=10)
    assert gone_task.status_code == 404 and "data-testid=gone" in gone_task.text
