"""The dashboard in a real headless browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@browser_needed
def test_a_queue_appears_live_and_pauses_from_the_page(
    emu: Emulator, client: Any, page: Any
) -> None:
    page.goto(emu.http_url + "/")
    page.get_by_text("No queues yet.").wait_for()
    client.create_queue(parent=PARENT, queue={"name": QUEUE})  # after the page loaded
    row = page.locator('[data-testid="queues"] tr', has_text=QUEUE)
    row.wait_for()
    assert row.locator('[data-testid="state"]').inner_text() == "RUNNING"
    row.locator('button[data-testid="pause"]').click()
    row.locator('[data-testid="state"]', has_text="PAUSED").wait_for()
    assert client.get_queue(name=QUEUE).state.name == "PAUSED"


@browser_needed
def test_a_failing_tasks_attempts_appear_with_their_status(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "retry_config": fast_retries(min_backoff="0.5s", max_attempts=3)},
    )
    handler.answers["/work"] = [500]
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
    page.goto(f"{emu.http_url}/ui/task?name={task.name}")
    attempts = page.locator('[data-testid="attempts"] tr')
    attempts.nth(2).wait_for()  # a header row and two attempts, arriving while we watch
    assert "500" in attempts.nth(1).inner_text()
    assert '"order": 7' in page.locator("pre").first.inner_text()
    claims = page.locator('[data-testid="claims"]').inner_text()
    assert "sa@proj.iam.gserviceaccount.com" in claims and "signature" not in claims
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-task.png"), full_page=True)
    assert (ARTIFACTS / "dashboard-task.png").stat().st_size > 10_000


@browser_needed
def test_run_now_from_the_page_delivers_the_task(
    emu: Emulator, client: Any, handler: Handler, page: Any
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    task = client.create_task(
        parent=QUEUE,
        task={
            "http_request": {"url": handler.url("/now")},
            "schedule_time": {"seconds": int(time.time()) + 7 * 24 * 3600},
        },
    )
    page.goto(f"{emu.http_url}/ui/queue?name={QUEUE}")
    row = page.locator('[data-testid="tasks"] tr', has_text=task.name.rsplit("/", 1)[1])
    row.locator('button[data-testid="run"]').click()
    (got,) = handler.wait_for(1, "/now")
    assert got.header("X-CloudTasks-TaskName") == task.name.rsplit("/", 1)[1]
    page.get_by_text("No tasks here.").wait_for()  # delivered, so gone from the page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(emu.http_url + "/")
    page.screenshot(path=str(ARTIFACTS / "dashboard-queues.png"), full_page=True)


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
    assert len(answer.text) < 150_000
    assert "10000 waiting" in answer.text and 'data-testid="next"' in answer.text


def test_no_ui_leaves_the_root_to_the_api() -> None:
    with Emulator(dispatch=False, ui=False) as emu:
        assert requests.get(emu.http_url + "/", timeout=5).status_code == 404
