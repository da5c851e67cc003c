"""The request guard: web pages cannot drive the emulator, rebinding names are refused.

Real HTTP against a real emulator: cross-site and non-JSON state changes
change nothing, ``Host`` names outside the allowed ones get 403 on every
route, and tools (curl-like requests, our REST clients, the CLI's
``--allowed-host``) keep being served.
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
import requests

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.servers.guard import Guard, allowed_host, split_host

from .helpers import PARENT, QUEUE

JSON = {"Content-Type": "application/json"}
CROSS_SITE = [
    pytest.param({"Origin": "http://evil.example"}, id="origin-evil"),
    pytest.param({"Origin": "null"}, id="origin-null"),
    pytest.param({"Origin": "http://0.0.0.0:8123"}, id="origin-other-ip"),
    pytest.param({"Sec-Fetch-Site": "cross-site"}, id="sec-fetch-site"),
]
TASK = {"task": {"httpRequest": {"url": "http://127.0.0.1:9/"}}}
#: state-changing calls a web page would make: (verb, path, body, content type)
ACTIONS = [
    pytest.param("POST", f"/v2/{QUEUE}:pause", b"{}", "application/json", id="pause"),
    pytest.param("POST", f"/v2/{QUEUE}:purge", b"{}", "application/json", id="purge"),
    pytest.param("POST", "/_emulator/reset", b"{}", "application/json", id="reset"),
    pytest.param("POST", f"/v2/{QUEUE}/tasks", TASK, "application/json", id="create-task"),
    pytest.param("POST", f"/v2/{QUEUE}/tasks:buffer", b"x", "text/plain", id="buffer-task"),
    pytest.param("DELETE", f"/v2/{QUEUE}", None, None, id="delete-queue"),
]


def _send(
    emu: Emulator, verb: str, path: str, body: Any, content_type: str | None, **headers: str
) -> requests.Response:
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    sent = dict(headers)
    if content_type:
        sent["Content-Type"] = content_type
    return requests.request(verb, emu.http_url + path, data=data, headers=sent, timeout=5)


def _queue_with_target(client: Any) -> None:
    target = {"uri_override": {"scheme": "HTTP", "host": "127.0.0.1", "port": 9}}
    client.create_queue(parent=PARENT, queue={"name": QUEUE, "http_target": target})
    client.create_task(parent=QUEUE, task={"http_request": {"url": "http://127.0.0.1:9/"}})


def _unchanged(client: Any) -> None:
    assert client.get_queue(name=QUEUE).state.name == "RUNNING"
    assert len(list(client.list_tasks(parent=QUEUE))) == 1


def _raw(emu: Emulator, request: bytes) -> bytes:
    """One HTTP/1.x exchange over a plain socket (for Host headers requests would not send)."""
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


# -- web pages of other sites -------------------------------------------------------------


@pytest.mark.parametrize("sender", CROSS_SITE)
@pytest.mark.parametrize(("verb", "path", "body", "content_type"), ACTIONS)
def test_state_changes_from_other_sites_are_refused_and_change_nothing(
    emu: Emulator,
    client: Any,
    sender: dict[str, str],
    verb: str,
    path: str,
    body: Any,
    content_type: str | None,
) -> None:
    _queue_with_target(client)
    refused = _send(emu, verb, path, body, content_type, **sender)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == 403 and error["status"] == "PERMISSION_DENIED"
    assert "may not change the emulator's state" in error["message"]
    _unchanged(client)
    served = _send(emu, verb, path, body, content_type)  # the same call from a tool
    assert served.status_code == 200, served.text


def test_an_allowed_origin_is_served_and_the_refusal_says_how_to_allow_one(
    emu: Emulator, client: Any
) -> None:
    _queue_with_target(client)
    path = f"/v2/{QUEUE}:pause"
    refused = _send(emu, "POST", path, b"{}", "application/json", Origin="http://evil.example")
    assert "--allowed-host evil.example" in refused.json()["error"]["message"]
    null = _send(emu, "POST", path, b"{}", "application/json", Origin="null")
    assert "without an Origin header" in null.json()["error"]["message"]
    _unchanged(client)
    for origin in ("http://localhost:3000", "http://127.0.0.1", emu.http_url):
        served = _send(emu, "POST", path, b"{}", "application/json", Origin=origin)
        assert served.status_code == 200, (origin, served.text)
    same_site = _send(emu, "POST", path, b"{}", "application/json", **{"Sec-Fetch-Site": "none"})
    assert same_site.status_code == 200


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", None],
)
@pytest.mark.parametrize(
    ("path", "body"),
    [
        pytest.param(f"/v2/{QUEUE}:pause", b"{}", id="pause"),
        pytest.param("/_emulator/reset", b"{}", id="reset"),
        pytest.param(f"/v2/{QUEUE}/tasks", TASK, id="create-task"),
    ],
)
def test_bodies_not_declared_json_are_refused_and_change_nothing(
    emu: Emulator, client: Any, content_type: str | None, path: str, body: Any
) -> None:
    _queue_with_target(client)
    refused = _send(emu, "POST", path, body, content_type)
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error == {"code": 400, "message": error["message"], "status": "INVALID_ARGUMENT"}
    assert "Content-Type: application/json" in error["message"]
    _unchanged(client)
    served = _send(emu, "POST", path, body, "application/json; charset=utf-8")
    assert served.status_code == 200, served.text


def test_buffer_task_takes_any_body_and_empty_posts_need_no_type(
    emu: Emulator, client: Any
) -> None:
    _queue_with_target(client)
    for content_type in ("text/plain", "application/octet-stream", None):
        buffered = _send(emu, "POST", f"/v2/{QUEUE}/tasks:buffer", b"raw", content_type)
        assert buffered.status_code == 200, buffered.text
    assert _send(emu, "POST", f"/v2/{QUEUE}:pause", None, None).status_code == 200
    chunked = _raw(
        emu,
        f"POST /v2/{QUEUE}:resume HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n".encode(),
    )
    assert chunked.startswith(b"HTTP/1.1 200"), chunked
    plain = _raw(
        emu,
        f"POST /v2/{QUEUE}:pause HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\n{}\r\n0\r\n\r\n".encode(),
    )
    assert plain.startswith(b"HTTP/1.1 400"), plain
    assert client.get_queue(name=QUEUE).state.name == "RUNNING"


def test_a_cors_preflight_is_granted_nothing(emu: Emulator) -> None:
    answer = requests.options(
        emu.http_url + f"/v2/{QUEUE}:pause",
        headers={
            "Origin": "http://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=5,
    )
    assert answer.status_code >= 400
    assert not [h for h in answer.headers if h.lower().startswith("access-control-")]


# -- DNS rebinding ------------------------------------------------------------------------

GETS = [
    f"/v2/{PARENT}/queues",
    "/_emulator/health",
    "/",
    "/.well-known/openid-configuration",
    "/oauth2/v1/certs",
    "/oauth2/v3/certs",
]


@pytest.mark.parametrize("path", GETS)
def test_a_rebinding_host_is_refused_on_every_route(emu: Emulator, path: str) -> None:
    answer = requests.get(emu.http_url + path, headers={"Host": "evil.example:8123"}, timeout=5)
    assert answer.status_code == 403
    assert answer.json()["error"] == {
        "code": 403,
        "message": 'Host "evil.example:8123" is not allowed; start the emulator with'
        " --allowed-host evil.example to allow it.",
        "status": "PERMISSION_DENIED",
    }
    assert requests.get(emu.http_url + path, timeout=5).status_code == 200


def test_a_rebinding_host_cannot_change_state_either(emu: Emulator, client: Any) -> None:
    _queue_with_target(client)
    answer = _send(
        emu, "POST", f"/v2/{QUEUE}:pause", b"{}", "application/json", Host="evil.example"
    )
    assert answer.status_code == 403
    _unchanged(client)


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST:1",
        "localhost.:8123",
        "app.localhost:8123",
        "127.0.0.1",
        "127.3.4.5:80",
        "[::1]:8123",
        "[::ffff:127.0.0.1]",
        "0.0.0.0:9999",
        "[::]",
    ],
)
def test_loopback_names_and_ip_addresses_are_served_on_any_port(emu: Emulator, host: str) -> None:
    answer = requests.get(emu.http_url + "/_emulator/health", headers={"Host": host}, timeout=5)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(
    "host",
    ["evil.example", "127.0.0.1.evil.example", "localhost.evil.example", "x", "[::1", "a:b:c"],
)
def test_other_names_and_malformed_hosts_are_refused(emu: Emulator, host: str) -> None:
    answer = _raw(
        emu,
        f"GET /_emulator/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode(),
    )
    assert answer.startswith(b"HTTP/1.1 403"), answer


def test_a_request_without_host_is_served(emu: Emulator) -> None:
    answer = _raw(emu, b"GET /_emulator/health HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.0 200"), answer


def test_each_refusal_is_one_info_line(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "google.cloud.tasks.emulator")
    headers = {"Host": "evil.example", "Authorization": "Bearer secret-token"}
    requests.get(emu.http_url + "/_emulator/health", headers=headers, timeout=5)
    refusals = [r for r in caplog.records if r.getMessage().startswith("refused ")]
    assert len(refusals) == 1 and refusals[0].levelno == logging.INFO
    line = refusals[0].getMessage()
    assert "evil.example" in line and "\n" not in line and "secret-token" not in line


# -- allowing hosts -----------------------------------------------------------------------


@pytest.fixture
def named() -> Iterator[Emulator]:
    with Emulator(dispatch=False, allowed_hosts=["tasks-emulator", "Other.Example:99"]) as emu:
        yield emu


def test_allowed_hosts_are_served_by_name_and_as_origins(named: Emulator) -> None:
    for host in ("tasks-emulator", "tasks-emulator:8123", "other.example:1"):
        url = named.http_url + f"/v2/{PARENT}/queues"
        answer = requests.get(url, headers={"Host": host}, timeout=5)
        assert answer.status_code == 200, (host, answer.text)
    evil = requests.get(named.http_url + "/", headers={"Host": "evil.example"}, timeout=5)
    assert evil.status_code == 403
    queue = requests.post(
        named.http_url + f"/v2/{PARENT}/queues",
        json={"name": QUEUE},
        headers={"Host": "tasks-emulator:8123", "Origin": "http://tasks-emulator:8123"},
        timeout=5,
    )
    assert queue.status_code == 200, queue.text


def test_a_star_turns_the_host_check_off_but_not_the_origin_check() -> None:
    with Emulator(dispatch=False, allowed_hosts=["*"]) as emu:
        url = emu.http_url + "/_emulator/reset"
        served = requests.get(emu.http_url + "/", headers={"Host": "anything.example"}, timeout=5)
        assert served.status_code == 200
        cross = {"Host": "anything.example", "Origin": "http://evil.example", **JSON}
        assert requests.post(url, data=b"{}", headers=cross, timeout=5).status_code == 403


def test_emulator_rejects_an_allowed_host_that_is_not_a_host() -> None:
    with pytest.raises(ValueError, match="not a URL"):
        Emulator(allowed_hosts=["http://tasks-emulator"])


def test_the_separate_http_port_is_guarded_too() -> None:
    with Emulator(dispatch=False, http_port=0) as emu:
        answer = requests.get(emu.http_url + "/", headers={"Host": "evil.example"}, timeout=5)
        assert answer.status_code == 403


def test_cli_allowed_host_flag_and_environment_variable() -> None:
    def status(host: str, name: str) -> int:
        url = f"http://{host}/_emulator/health"
        return requests.get(url, headers={"Host": name}, timeout=5).status_code

    flags = ("--no-dispatch", "--port", "0", "--allowed-host", "tasks", "--allowed-host", "b")
    with cli_process.running(*flags) as (_, host, _):
        assert (status(host, "tasks:8123"), status(host, "b")) == (200, 200)
        assert status(host, "evil.example") == 403
    env = {"CLOUD_TASKS_EMULATOR_ALLOWED_HOSTS": "one, two"}
    with cli_process.running("--no-dispatch", "--port", "0", env=env) as (_, host, _):
        assert (status(host, "one"), status(host, "two:1")) == (200, 200)
        assert status(host, "three") == 403


def test_cli_refuses_a_bad_allowed_host_and_lists_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from google.cloud.tasks.emulator import cli

    assert cli.main(["start", "--port", "0", "--allowed-host", "http://x:1/"]) == 2
    assert "--allowed-host 'http://x:1/'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["start", "--help"])
    out = capsys.readouterr().out
    assert "CLOUD_TASKS_EMULATOR_ALLOWED_HOSTS" in out and "--allowed-host" in out


# -- clients keep working -----------------------------------------------------------------


def test_our_rest_clients_are_served(emu: Emulator) -> None:
    client = emu.client(transport="rest")
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.pause_queue(name=QUEUE)
    task = client.create_task(parent=QUEUE, task={"http_request": {"url": "http://127.0.0.1:9/"}})
    client.delete_task(name=task.name)
    client.purge_queue(name=QUEUE)
    client.transport.close()


async def test_our_async_rest_client_is_served(emu: Emulator) -> None:
    client = emu.async_client(transport="rest_asyncio")
    await client.create_queue(parent=PARENT, queue={"name": QUEUE})
    task = await client.create_task(
        parent=QUEUE, task={"http_request": {"url": "http://127.0.0.1:9/"}}
    )
    await client.delete_task(name=task.name)
    await client.delete_queue(name=QUEUE)
    await client.transport.close()


# -- the decisions, without I/O -----------------------------------------------------------


def test_host_parsing_and_allowed_names() -> None:
    assert split_host("Example.COM.:80") == ("example.com", 80)
    assert split_host("[::1]") == ("::1", None)
    assert split_host("[0:0::1]:8123") == ("::1", 8123)
    for bad in ("", "a:", "[::1]x", "a b", "a:99999", "a/b", "[nothost]"):
        assert split_host(bad) is None, bad
    assert allowed_host(" Tasks:8123 ") == "tasks"
    assert allowed_host("::1") == "::1"
    assert allowed_host("*") == "*"
    with pytest.raises(ValueError):
        allowed_host("a b")


def test_origins() -> None:
    guard = Guard.of(["tasks", "bound.example"])
    for origin in ("http://tasks:9", "https://bound.example", "http://a.localhost", "http://[::1]"):
        assert guard.origin_allowed(origin, ["127.0.0.1:8123"]), origin
    for origin in ("null", "", "file://", "chrome-extension://abc", "http://evil.example"):
        assert not guard.origin_allowed(origin, ["127.0.0.1:8123"]), origin
    # the emulator's own page, reached by IP address: same address, same port
    # (header values only, never connected to: the unspecified addresses stand for any IP)
    assert guard.origin_allowed("http://0.0.0.0:8123", ["0.0.0.0:8123"])
    assert guard.origin_allowed("http://[::]", ["[::]:80"])
    assert not guard.origin_allowed("http://0.0.0.0:9000", ["0.0.0.0:8123"])
    # a rebinding name is not vouched for by being the Host too
    assert not guard.origin_allowed("http://evil.example:8123", ["evil.example:8123"])
