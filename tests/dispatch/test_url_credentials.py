"""Credentials in a task's URL (``http://user:password@host/...``).

The request goes to the URL without them.  An Authorization header the
request carries anyway (the task's own, a queue override, an OIDC or OAuth
token) wins; otherwise they are sent as HTTP Basic auth, percent-decoded.
Neither the wire URL nor the journal's record of it holds the password.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.delivery import decisions as d

from .conftest import PARENT, QUEUE
from .handler import Handler
from .test_delivery_rules import EMAIL, FIRST, Mint, headers, http_task, queue

BASIC = "Basic " + base64.b64encode(b"user:pa@ss").decode()


def with_credentials(handler: Handler, path: str) -> str:
    return f"http://user:pa%40ss@127.0.0.1:{handler.port}{path}"


# -- the pure rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "bare", "pair"),
    [
        ("https://user:pa%40ss@example.com/w?x=1", "https://example.com/w?x=1", b"user:pa@ss"),
        ("http://user@example.com:8080/", "http://example.com:8080/", b"user:"),
        ("http://:secret@example.com", "http://example.com", b":secret"),
        ("http://a:b@c@example.com/p#f@g", "http://example.com/p#f@g", b"a:b@c"),
        ("http://us%C3%A9r:p%3Aw@[::1]:8/p", "http://[::1]:8/p", "usér:p:w".encode()),
    ],
)
def test_url_credentials_become_basic_auth_and_leave_the_url(
    url: str, bare: str, pair: bytes
) -> None:
    request = d.http_request(http_task(url), queue(), FIRST, Mint())
    assert request.url == bare
    assert headers(request)["Authorization"] == "Basic " + base64.b64encode(pair).decode()


@pytest.mark.parametrize(
    "url", ["https://example.com/w?who=a@b", "http://example.com/#x@y", "http://@example.com/"]
)
def test_a_url_without_credentials_adds_no_authorization(url: str) -> None:
    request = d.http_request(http_task(url), queue(), FIRST, Mint())
    assert request.url == url.replace("//@", "//")
    assert "authorization" not in [k.lower() for k, _ in request.headers]


def test_the_tasks_own_authorization_header_wins_over_url_credentials() -> None:
    task = http_task("https://user:pw@example.com/w", headers={"authorization": "Token t"})
    request = d.http_request(task, queue(), FIRST, Mint())
    assert request.url == "https://example.com/w"
    assert headers(request)["authorization"] == "Token t"


def test_a_queue_header_override_authorization_wins_over_url_credentials() -> None:
    q = queue()
    header = q.http_target.header_overrides.add().header
    header.key, header.value = "Authorization", "Token queue"
    request = d.http_request(http_task("https://user:pw@example.com/w"), q, FIRST, Mint())
    assert request.url == "https://example.com/w"
    assert headers(request)["Authorization"] == "Token queue"


def test_a_token_wins_over_url_credentials_and_its_audience_has_no_password() -> None:
    mint = Mint()
    task = http_task("https://user:pw@example.com/w", oidc_token={"service_account_email": EMAIL})
    request = d.http_request(task, queue(), FIRST, mint)
    assert mint.calls == [("oidc", EMAIL, "https://example.com/w")]
    assert request.url == "https://example.com/w"
    assert headers(request)["Authorization"] == "Bearer oidc-token"


# -- delivered ----------------------------------------------------------------------------


def deliver(emu: Emulator, client: Any, handler: Handler, path: str, **request: Any) -> Any:
    """Create one task for ``path`` with URL credentials; the request the handler got."""
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    url = with_credentials(handler, path)
    client.create_task(parent=QUEUE, task={"http_request": {"url": url, **request}})
    (got,) = handler.wait_for(1, path)
    emu.wait_until_drained(QUEUE, timeout=5)
    (attempt,) = emu.deliveries(QUEUE)
    assert (attempt.attempt, attempt.status, attempt.outcome) == (1, 200, "delivered")
    assert attempt.url == f"http://127.0.0.1:{handler.port}{path}"
    assert "pa%40ss" not in attempt.url and "user" not in attempt.url
    return got


def test_url_credentials_with_the_tasks_own_authorization_are_delivered_at_once(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    got = deliver(emu, client, handler, "/own", headers={"Authorization": "Token mine"})
    assert got.header("Authorization") == "Token mine"
    assert got.path == "/own"


def test_url_credentials_alone_arrive_as_basic_auth(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    got = deliver(emu, client, handler, "/basic")
    assert got.header("Authorization") == BASIC


def test_url_credentials_with_an_oidc_token_deliver_the_token(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    got = deliver(emu, client, handler, "/oidc", oidc_token={"service_account_email": EMAIL})
    scheme, _, token = (got.header("Authorization") or "").partition(" ")
    assert scheme == "Bearer"
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["aud"] == f"http://127.0.0.1:{handler.port}/oidc"
