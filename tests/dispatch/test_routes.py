"""Routes: tasks made for production URLs are delivered where the test runs.

The matching rules are pure functions, tested without I/O.  ``--route`` is
tested through the command line in a subprocess with a real handler, tasks
made over gRPC and REST; WSGI and ASGI applications as in-process targets
through the package's emulator.  Production host names here end in
``.invalid`` (never resolvable); everything is delivered to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import cli_process  # tests/, on the path as the root conftest's folder
import pytest
import requests
from flask import Flask
from flask import request as flask_request
from google.auth import jwt

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.delivery.decisions import Request
from google.cloud.tasks.emulator.delivery.routes import (
    InProcess,
    Routes,
    host_header,
    is_asgi,
    longest,
    matches,
    normal,
    parse_route,
    rewrite,
)
from google.cloud.tasks.emulator.delivery.tokens import PEM_CERTS_PATH
from google.cloud.tasks.emulator.service.model import Settings

from .conftest import PARENT, QUEUE, fast_retries
from .handler import Handler

PRODUCTION = "https://worker-abc-uc.a.run.invalid"
ACCOUNT = "tasks@proj.iam.gserviceaccount.com"

# -- the rules, without I/O ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "url", "expected"),
    [
        ("https://a.run.app", "https://a.run.app", True),
        ("https://a.run.app", "https://a.run.app/jobs/1", True),
        ("https://a.run.app", "https://a.run.app?x=1", True),
        ("https://a.run.app", "https://a.run.app#top", True),
        ("https://a.run.app", "https://a.run.app.evil/", False),
        ("https://a.run.app", "https://a.run.appx/", False),
        ("https://a.run.app", "https://a.run.app:8443/", False),
        ("https://a.run.app", "http://a.run.app/", False),
        ("https://a.run.app/api", "https://a.run.app/api/v1", True),
        ("https://a.run.app/api", "https://a.run.app/apis", False),
        ("https://a.run.app/api/", "https://a.run.app/api/v1", True),
        ("https://a.run.app/api/", "https://a.run.app/api", False),
        ("https://a.run.app/ap", "https://a.run.app/api", False),
        # scheme and host without regard to case; a default port is the same as none
        ("HTTPS://A.Run.App", "https://a.run.app/x", True),
        ("https://a.run.app", "https://A.RUN.APP/x", True),
        ("https://a.run.app:443", "https://a.run.app/x", True),
        ("https://a.run.app", "https://a.run.app:443/x", True),
        ("http://a.run.app:80/x", "http://a.run.app/x/y", True),
        # the path compares as written
        ("https://a.run.app/API", "https://a.run.app/api", False),
    ],
)
def test_a_prefix_matches_on_a_url_boundary(prefix: str, url: str, expected: bool) -> None:
    assert matches(normal(prefix), normal(url)) is expected
    assert (longest([normal(prefix)], url) is not None) is expected


def test_the_longest_matching_prefix_wins() -> None:
    routes = {
        "https://a.run.app": "http://127.0.0.1:1",
        "https://a.run.app/api/": "http://127.0.0.1:2",
        "https://a.run.app/api/v2": "http://127.0.0.1:3",
    }
    assert rewrite(routes, "https://a.run.app/jobs") == "http://127.0.0.1:1/jobs"
    assert rewrite(routes, "https://a.run.app/api/jobs") == "http://127.0.0.1:2/jobs"
    assert rewrite(routes, "https://a.run.app/api/v2/jobs") == "http://127.0.0.1:3/jobs"
    assert rewrite(routes, "https://a.run.app/api/v2x") == "http://127.0.0.1:2/v2x"
    # the order the routes were given in does not matter
    assert rewrite(dict(reversed(routes.items())), "https://a.run.app/api/v2/x").endswith(":3/x")
    # a URL no prefix matches is left as it is
    assert rewrite(routes, "https://b.run.app/jobs") == "https://b.run.app/jobs"


@pytest.mark.parametrize(
    ("prefix", "target", "url", "expected"),
    [
        ("https://w.app", "http://127.0.0.1:8080", "https://w.app/jobs/1", "http://127.0.0.1:8080/jobs/1"),
        ("https://w.app", "http://127.0.0.1:8080", "https://w.app", "http://127.0.0.1:8080"),
        ("https://w.app", "http://127.0.0.1:8080", "https://w.app?x=1&y=%20", "http://127.0.0.1:8080?x=1&y=%20"),
        ("https://w.app", "http://127.0.0.1:8080/", "https://w.app/jobs", "http://127.0.0.1:8080/jobs"),
        ("https://w.app", "http://h/base", "https://w.app/jobs?a=b", "http://h/base/jobs?a=b"),
        ("https://w.app/v1/", "http://h", "https://w.app/v1/jobs", "http://h/jobs"),
        ("https://w.app/v1/", "http://h/", "https://w.app/v1/jobs", "http://h/jobs"),
        ("https://w.app/v1/", "http://h/v2", "https://w.app/v1/", "http://h/v2/"),
        ("https://W.APP", "http://h", "https://w.app/Jobs/%2F", "http://h/Jobs/%2F"),
    ],
)  # fmt: skip
def test_a_url_target_takes_the_place_of_the_prefix(
    prefix: str, target: str, url: str, expected: str
) -> None:
    assert rewrite({prefix: target}, url) == expected


def test_host_header_is_the_urls_host_and_port_unless_default() -> None:
    assert host_header("https://worker-abc-uc.a.run.app/jobs/1") == "worker-abc-uc.a.run.app"
    assert host_header("https://w.app:443/x") == "w.app"
    assert host_header("https://w.app:8443/x") == "w.app:8443"
    assert host_header("http://[::1]:8080/x") == "[::1]:8080"


def test_parse_route_splits_at_the_target_url() -> None:
    assert parse_route("https://a.run.app=http://127.0.0.1:8080") == (
        "https://a.run.app",
        "http://127.0.0.1:8080",
    )
    # an '=' of FROM's own does not split it
    assert parse_route("https://a.app/x?k=v=http://h/y?z=1") == (
        "https://a.app/x?k=v",
        "http://h/y?z=1",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("https://a.run.app", "use FROM=TO"),
        ("https://a.run.app=", "must be an http:// or https:// URL"),
        ("https://a.run.app=127.0.0.1:8080", "must be an http:// or https:// URL"),
        ("https://a.run.app=ftp://h", "must be an http:// or https:// URL"),
        ("ftp://a.run.app=http://h", "the prefix 'ftp://a.run.app': use an http"),
        ("a.run.app=http://h", "the prefix 'a.run.app': use an http"),
        ("=http://h", "the prefix ''"),
        ("https://=http://h", "names no host"),
        ("https://a.run.app=http://h:port", "is not a valid URL"),
        ("https://u:p@a.run.app=http://h", "no user:password@"),
    ],
)
def test_parse_route_names_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=r"^'") as caught:
        parse_route(text)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def _request(url: str, kind: str = "http") -> Request:
    headers = (("User-Agent", "Google-Cloud-Tasks"), ("X-CloudTasks-TaskName", "t1"))
    return Request("POST", url, headers, b"body", 600.0, kind)


def _wsgi_ok(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("200 OK", [])
    return [b"ok"]


def test_resolve_rewrites_the_url_and_keeps_the_host_and_headers() -> None:
    routes = Routes({PRODUCTION: "http://127.0.0.1:9"})
    routes.set("https://other.invalid", _wsgi_ok)
    original = _request(f"{PRODUCTION}/jobs/1?x=1")
    sent, app = routes.resolve(original)
    assert app is None
    assert sent.url == "http://127.0.0.1:9/jobs/1?x=1"
    assert sent.headers == (("Host", "worker-abc-uc.a.run.invalid"), *original.headers)
    assert (sent.method, sent.body, sent.deadline) == ("POST", b"body", 600.0)
    # an application route leaves the request as it is and names the application
    same, app = routes.resolve(_request("https://other.invalid/x"))
    assert same.url == "https://other.invalid/x"
    assert app is not None and app.app is _wsgi_ok
    # App Engine tasks and unmatched URLs are not routed
    for unrouted in (_request(f"{PRODUCTION}/x", "app_engine"), _request("https://b.invalid/")):
        assert routes.resolve(unrouted) == (unrouted, None)
    routes.set(PRODUCTION, None)
    assert routes.resolve(original) == (original, None)


def test_applications_are_told_apart() -> None:
    from starlette.applications import Starlette

    async def asgi(scope: Any, receive: Any, send: Any) -> None: ...

    class AsgiClass:
        async def __call__(self, scope: Any, receive: Any, send: Any) -> None: ...

    class WsgiClass:
        def __call__(self, environ: Any, start_response: Any) -> list[bytes]:
            return []

    assert is_asgi(asgi) and is_asgi(AsgiClass()) and is_asgi(Starlette())
    assert not is_asgi(_wsgi_ok) and not is_asgi(WsgiClass()) and not is_asgi(Flask(__name__))


def test_bad_routes_are_refused_in_python() -> None:
    with pytest.raises(ValueError, match="the prefix 'ftp://w.app': use an http"):
        Emulator(routes={"ftp://w.app": "http://127.0.0.1:8080"})
    with pytest.raises(ValueError, match="the target 'localhost:8080'"):
        Emulator(routes={PRODUCTION: "localhost:8080"})
    emu = Emulator()
    with pytest.raises(TypeError, match="a URL or a WSGI or ASGI application"):
        emu.route(PRODUCTION, 8080)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="use an http"):
        emu.route("worker-abc-uc.a.run.invalid", _wsgi_ok)


# -- --route through the command line -------------------------------------------------------


def _bearer(received: Any) -> str:
    value = received.header("Authorization") or ""
    assert value.startswith("Bearer "), value
    return value[len("Bearer ") :]


def _create_queue(host: str, monkeypatch: pytest.MonkeyPatch) -> tasks_v2.CloudTasksClient:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", host)
    client = tasks_v2.CloudTasksClient()
    client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": fast_retries()})
    return client


def test_cli_route_sends_grpc_and_rest_tasks_to_the_handler_as_production_would(
    handler: Handler, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler.answers["/jobs/1"] = [500]  # fails every time: the task stays to be looked at
    route = f"{PRODUCTION}={handler.url('')}"
    with cli_process.running("--port", "0", "--route", route) as (process, host, _):
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert f"Routing {PRODUCTION} to {handler.url('')}\n" in lines, lines
        client = _create_queue(host, monkeypatch)
        over_grpc = client.create_task(
            parent=QUEUE,
            task={
                "http_request": {
                    "url": f"{PRODUCTION}/jobs/1?x=1",
                    "body": b"one",
                    "oidc_token": {"service_account_email": ACCOUNT},
                }
            },
        )
        rest = requests.post(
            f"http://{host}/v2/{QUEUE}/tasks",
            json={
                "task": {
                    "httpRequest": {
                        "url": f"{PRODUCTION}/jobs/2",
                        "httpMethod": "PUT",
                        "headers": {"Content-Type": "text/plain", "X-Custom": "kept"},
                        "body": base64.b64encode(b"two").decode(),
                        "oidcToken": {
                            "serviceAccountEmail": ACCOUNT,
                            "audience": "https://audience.invalid",
                        },
                    }
                }
            },
            timeout=10,
        )
        assert rest.status_code == 200, rest.text
        certs = requests.get(f"http://{host}{PEM_CERTS_PATH}", timeout=10).json()

        first, second = handler.wait_for(2, "/jobs/1")
        (put,) = handler.wait_for(1, "/jobs/2")
        # the stored task keeps its production URL, after attempts that were routed
        stored = client.get_task(name=over_grpc.name)
        assert stored.http_request.url == f"{PRODUCTION}/jobs/1?x=1"
        assert stored.dispatch_count >= 2
        client.delete_task(name=over_grpc.name)
        client.transport.close()

    for seen in (first, second):
        assert (seen.method, seen.path, seen.body) == ("POST", "/jobs/1?x=1", b"one")
        assert seen.header("Host") == "worker-abc-uc.a.run.invalid"
        assert seen.header("X-CloudTasks-QueueName") == "q"
        assert seen.header("X-CloudTasks-TaskName") == over_grpc.name.rsplit("/", 1)[1]
        assert seen.header("X-CloudTasks-TaskETA")
        # the audience is the task's own URL, verifiable with the emulator's certificates
        claims = jwt.decode(_bearer(seen), certs=certs, audience=f"{PRODUCTION}/jobs/1?x=1")
        assert claims["email"] == ACCOUNT
    assert first.header("X-CloudTasks-TaskRetryCount") == "0"
    assert second.header("X-CloudTasks-TaskRetryCount") == "1"
    assert second.header("X-CloudTasks-TaskPreviousResponse") == "500"
    assert second.header("X-CloudTasks-TaskExecutionCount") == "1"

    assert (put.method, put.body) == ("PUT", b"two")
    assert put.header("Host") == "worker-abc-uc.a.run.invalid"
    assert (put.header("Content-Type"), put.header("X-Custom")) == ("text/plain", "kept")
    assert put.header("X-CloudTasks-TaskName") == rest.json()["name"].rsplit("/", 1)[1]
    claims = jwt.decode(_bearer(put), certs=certs, audience="https://audience.invalid")
    assert claims["aud"] == "https://audience.invalid"


def test_cli_routes_from_the_environment_longest_prefix_wins(
    handler: Handler, monkeypatch: pytest.MonkeyPatch
) -> None:
    routes = f"{PRODUCTION}={handler.url('/base')},{PRODUCTION}/special/={handler.url('/other')}"
    env = {"CLOUD_TASKS_EMULATOR_ROUTES": routes}
    with cli_process.running("--port", "0", env=env) as (_, host, _):
        client = _create_queue(host, monkeypatch)
        for path in ("/jobs/1", "/special/2", "/specialist"):
            client.create_task(parent=QUEUE, task={"http_request": {"url": PRODUCTION + path}})
        paths = sorted(seen.path for seen in handler.wait_for(3))
        client.transport.close()
    assert paths == ["/base/jobs/1", "/base/specialist", "/other/2"]


@pytest.mark.parametrize(
    ("args", "env", "says"),
    [
        (["--route", "https://w.invalid"], {}, "--route 'https://w.invalid': use FROM=TO"),
        (["--route", "ftp://w.invalid=http://127.0.0.1:1"], {}, "the prefix 'ftp://w.invalid'"),
        (["--route", "https://w.invalid=localhost:1"], {}, "must be an http:// or https://"),
        ([], {"CLOUD_TASKS_EMULATOR_ROUTES": "nope"}, "(from CLOUD_TASKS_EMULATOR_ROUTES)"),
        (
            ["--route", "https://w.invalid=http://127.0.0.1:1"]
            + ["--route", "HTTPS://W.invalid:443=http://127.0.0.1:2"],
            {},
            "'https://w.invalid' already routes the same prefix",
        ),
    ],
)
def test_cli_route_mistakes_are_one_line_and_exit_2(
    args: list[str], env: dict[str, str], says: str
) -> None:
    done = subprocess.run(
        [*cli_process.CLI, "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("cloud-tasks-emulator: --route "), done.stderr
    assert says in done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stdout == ""


# -- in-process applications ----------------------------------------------------------------


class WsgiRecorder:
    """A plain WSGI application: records each environ (and its thread), answers from a script."""

    def __init__(self, *statuses: str | Exception) -> None:
        self.environs: list[dict[str, Any]] = []
        self.bodies: list[bytes] = []
        self.threads: list[str] = []
        self.statuses = list(statuses) or ["200 OK"]
        self._seen = threading.Condition()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self._seen:
            self.bodies.append(environ["wsgi.input"].read())
            self.environs.append(environ)
            self.threads.append(threading.current_thread().name)
            answer = self.statuses[min(len(self.environs), len(self.statuses)) - 1]
            self._seen.notify_all()
        if isinstance(answer, Exception):
            raise answer
        start_response(answer, [("Content-Type", "text/plain")])
        return [b"answered ", answer.encode()]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self._seen:
            assert self._seen.wait_for(lambda: len(self.environs) >= count, timeout), (
                f"{len(self.environs)} of {count} requests"
            )
            return list(self.environs)


def _oidc_task(url: str, **more: Any) -> dict[str, Any]:
    request = {"url": url, "body": b"payload", "oidc_token": {"service_account_email": ACCOUNT}}
    return {"http_request": {**request, **more}}


def _fast_queue(emu: Emulator) -> None:
    with emu.client() as client:
        client.create_queue(parent=PARENT, queue={"name": QUEUE, "retry_config": fast_retries()})


def _create(emu: Emulator, transport: str, task: dict[str, Any]) -> Any:
    with emu.client(transport=transport) as client:
        return client.create_task(parent=QUEUE, task=task)


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_a_wsgi_app_gets_the_request_on_a_thread_of_its_own(emu: Emulator, transport: str) -> None:
    app = WsgiRecorder()
    emu.route(PRODUCTION, app)
    _fast_queue(emu)
    task = _create(
        emu, transport, _oidc_task(f"{PRODUCTION}/jobs/7?x=1&y=%26%20", headers={"X-A": "b"})
    )
    (environ,) = app.wait_for(1)
    emu.wait_until_drained(QUEUE)
    assert environ["REQUEST_METHOD"] == "POST"
    assert (environ["PATH_INFO"], environ["QUERY_STRING"]) == ("/jobs/7", "x=1&y=%26%20")
    assert (environ["HTTP_HOST"], environ["SERVER_NAME"]) == (
        "worker-abc-uc.a.run.invalid",
        "worker-abc-uc.a.run.invalid",
    )
    assert (environ["wsgi.url_scheme"], environ["SERVER_PORT"]) == ("https", "443")
    assert app.bodies == [b"payload"]
    assert environ["CONTENT_LENGTH"] == "7"
    assert environ["HTTP_X_A"] == "b"
    assert environ["HTTP_X_CLOUDTASKS_TASKNAME"] == task.name.rsplit("/", 1)[1]
    assert environ["HTTP_X_CLOUDTASKS_QUEUENAME"] == "q"
    assert environ["HTTP_X_CLOUDTASKS_TASKRETRYCOUNT"] == "0"
    assert environ["HTTP_USER_AGENT"] == "Google-Cloud-Tasks"
    token = environ["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    certs = requests.get(emu.certs_url, timeout=10).json()
    assert jwt.decode(token, certs=certs, audience=f"{PRODUCTION}/jobs/7?x=1&y=%26%20")
    assert app.threads[0] != "cloud-tasks-emulator-host"  # never on the emulator's loop
    (attempt,) = emu.deliveries(QUEUE)
    assert (attempt.status, attempt.url, attempt.answer) == (
        200,
        f"{PRODUCTION}/jobs/7?x=1&y=%26%20",
        b"answered 200 OK",
    )


def test_a_wsgi_app_that_fails_or_raises_is_retried(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    app = WsgiRecorder("500 Internal Server Error", ValueError("boom"), "204 No Content")
    emu.route(PRODUCTION, app)
    _fast_queue(emu)
    with caplog.at_level(logging.INFO, "google.cloud.tasks.emulator.dispatch"):
        _create(emu, "grpc", _oidc_task(f"{PRODUCTION}/jobs/1"))
        emu.wait_until_drained(QUEUE)
    attempts = emu.deliveries(QUEUE)
    assert [a.status for a in attempts] == [500, 500, 204]
    assert [a.outcome.split(" ")[0] for a in attempts] == ["retry", "retry", "delivered"]
    assert attempts[1].error == "ValueError: boom"
    retries = [e["HTTP_X_CLOUDTASKS_TASKRETRYCOUNT"] for e in app.environs]
    assert retries == ["0", "1", "2"]
    assert app.environs[1]["HTTP_X_CLOUDTASKS_TASKPREVIOUSRESPONSE"] == "500"
    raised = [r for r in caplog.records if "ValueError: boom" in r.getMessage()]
    assert raised and raised[0].exc_info is not None  # with its traceback


def test_a_flask_app_answering_500_is_retried_then_completes(emu: Emulator) -> None:
    app = Flask(__name__)
    seen: list[dict[str, str]] = []

    @app.post("/jobs/<job>")
    def job(job: str) -> tuple[str, int]:
        seen.append(
            {
                "job": job,
                "host": flask_request.host,
                "retry": flask_request.headers.get("X-CloudTasks-TaskRetryCount", ""),
                "auth": flask_request.headers.get("Authorization", "")[:7],
                "body": flask_request.get_data(as_text=True),
            }
        )
        return ("", 503) if len(seen) == 1 else ("done", 200)

    emu.route(PRODUCTION, app)
    _fast_queue(emu)
    _create(emu, "rest", _oidc_task(f"{PRODUCTION}/jobs/9"))
    emu.wait_until_drained(QUEUE)
    host = "worker-abc-uc.a.run.invalid"
    assert seen == [
        {"job": "9", "host": host, "retry": "0", "auth": "Bearer ", "body": "payload"},
        {"job": "9", "host": host, "retry": "1", "auth": "Bearer ", "body": "payload"},
    ]
    assert [a.status for a in emu.deliveries(QUEUE)] == [503, 200]


def test_a_wsgi_app_never_holds_up_other_deliveries(emu: Emulator, handler: Handler) -> None:
    release = threading.Event()

    def slow(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        release.wait(20)
        start_response("200 OK", [])
        return []

    emu.route(PRODUCTION, slow)
    _fast_queue(emu)
    _create(emu, "grpc", {"http_request": {"url": f"{PRODUCTION}/slow"}})
    _create(emu, "grpc", {"http_request": {"url": handler.url("/work")}})
    try:
        handler.wait_for(1, "/work", timeout=10)  # delivered while the app still works
        assert not release.is_set()
    finally:
        release.set()
    emu.wait_until_drained(QUEUE)


class AsgiRecorder:
    """A plain ASGI application: records each scope, body and thread; answers from a script."""

    def __init__(self, *statuses: int | Exception) -> None:
        self.scopes: list[dict[str, Any]] = []
        self.bodies: list[bytes] = []
        self.threads: list[str] = []
        self.statuses = list(statuses) or [200]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        message = await receive()
        self.scopes.append(scope)
        self.bodies.append(message["body"])
        self.threads.append(threading.current_thread().name)
        answer = self.statuses[min(len(self.scopes), len(self.statuses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        await send({"type": "http.response.start", "status": answer, "headers": [(b"x-n", b"1")]})
        await send({"type": "http.response.body", "body": b"part ", "more_body": True})
        await send({"type": "http.response.body", "body": b"two"})


@pytest.mark.parametrize("transport", ["grpc", "rest"])
def test_an_asgi_app_gets_the_request_on_the_loop_and_its_failures_are_retried(
    emu: Emulator, transport: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = AsgiRecorder(500, KeyError("missing"), 200)
    emu.route(PRODUCTION + "/", app)
    _fast_queue(emu)
    with caplog.at_level(logging.INFO, "google.cloud.tasks.emulator.dispatch"):
        task = _create(emu, transport, _oidc_task(f"{PRODUCTION}/jobs/%C3%BC?q=1"))
        emu.wait_until_drained(QUEUE)
    scope = app.scopes[0]
    assert (scope["type"], scope["method"], scope["scheme"]) == ("http", "POST", "https")
    assert (scope["path"], scope["raw_path"], scope["query_string"]) == (
        "/jobs/ü",
        b"/jobs/%C3%BC",
        b"q=1",
    )
    assert scope["server"] == ("worker-abc-uc.a.run.invalid", 443)
    headers = dict(scope["headers"])
    assert headers[b"host"] == b"worker-abc-uc.a.run.invalid"
    assert headers[b"x-cloudtasks-taskname"] == task.name.rsplit("/", 1)[1].encode()
    assert headers[b"authorization"].startswith(b"Bearer ")
    assert headers[b"content-length"] == b"7"
    assert app.bodies == [b"payload"] * 3
    assert set(app.threads) == {"cloud-tasks-emulator-host"}
    retries = [dict(s["headers"])[b"x-cloudtasks-taskretrycount"] for s in app.scopes]
    assert retries == [b"0", b"1", b"2"]
    attempts = emu.deliveries(QUEUE)
    assert [a.status for a in attempts] == [500, 500, 200]
    assert attempts[1].error == "KeyError: 'missing'"
    assert (attempts[2].answer, attempts[2].answer_headers) == (b"part two", (("x-n", "1"),))
    assert any("KeyError: 'missing'" in r.getMessage() for r in caplog.records)


def test_a_starlette_app_as_a_target(emu: Emulator) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request as StarletteRequest
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    seen: list[tuple[str, str, str, bytes]] = []

    async def job(request: StarletteRequest) -> PlainTextResponse:
        body = await request.body()
        seen.append(
            (
                request.path_params["job"],
                request.headers["host"],
                request.headers["x-cloudtasks-taskretrycount"],
                body,
            )
        )
        if len(seen) == 1:
            raise RuntimeError("first try fails")
        return PlainTextResponse("done")

    app = Starlette(routes=[Route("/jobs/{job}", job, methods=["POST"])])
    emu.route(PRODUCTION, app)
    _fast_queue(emu)
    _create(emu, "grpc", _oidc_task(f"{PRODUCTION}/jobs/3"))
    emu.wait_until_drained(QUEUE)
    host = "worker-abc-uc.a.run.invalid"
    assert seen == [("3", host, "0", b"payload"), ("3", host, "1", b"payload")]
    attempts = emu.deliveries(QUEUE)
    assert [a.status for a in attempts] == [500, 200]
    assert attempts[0].error == "RuntimeError: first try fails"


async def test_an_app_past_the_dispatch_deadline_times_out() -> None:
    cancelled = asyncio.Event()

    async def hangs(scope: Any, receive: Any, send: Any) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    release = threading.Event()

    def blocks(environ: Any, start_response: Any) -> list[bytes]:
        release.wait(30)
        start_response("200 OK", [])
        return []

    late = Request("POST", f"{PRODUCTION}/x", (), b"", 0.2, "http")
    for app in (hangs, blocks):
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await InProcess(app).send(late, 4096)
        assert time.monotonic() - started < 5
    assert cancelled.is_set()  # the ASGI app was cancelled at the deadline
    release.set()


def test_routes_change_while_running_and_unrouted_tasks_go_to_their_url(
    emu: Emulator, handler: Handler
) -> None:
    own = handler.url("")  # a loopback URL: where the task goes when no route matches
    app = WsgiRecorder()
    _fast_queue(emu)

    def deliver(url: str) -> None:
        _create(emu, "grpc", {"http_request": {"url": url}})
        emu.wait_until_drained(QUEUE)

    emu.route(own, app)
    deliver(f"{own}/first")
    assert [e["PATH_INFO"] for e in app.environs] == ["/first"]
    assert handler.received == []

    emu.route(own + "/", "http://127.0.0.1:1/")  # longer; replaced below
    emu.route(own + "/", None)  # removed again: the shorter route is left
    deliver(f"{own}/second")
    assert [e["PATH_INFO"] for e in app.environs] == ["/first", "/second"]

    emu.route(own, None)
    deliver(f"{own}/third")
    (third,) = handler.wait_for(1)
    assert (third.path, third.header("Host")) == ("/third", handler.host)

    emu.route("https://elsewhere.invalid", own + "/moved")
    deliver("https://elsewhere.invalid/fourth?z=9")
    fourth = handler.wait_for(2)[1]
    assert (fourth.path, fourth.header("Host")) == ("/moved/fourth?z=9", "elsewhere.invalid")
    assert [e["PATH_INFO"] for e in app.environs] == ["/first", "/second"]


def test_reset_keeps_the_routes_given_at_construction_only(handler: Handler) -> None:
    kept, added = WsgiRecorder(), WsgiRecorder()
    settings = Settings(app_engine_host=handler.host)
    with Emulator(routes={PRODUCTION: kept}, settings=settings) as emu:
        emu.route(handler.url("/a"), added)
        emu.reset()  # undoes route(), keeps the constructor's routes
        _fast_queue(emu)
        with emu.client() as client:
            for url in (f"{PRODUCTION}/k", handler.url("/a/unrouted")):
                client.create_task(parent=QUEUE, task={"http_request": {"url": url}})
            emu.wait_until_drained(QUEUE)
            # App Engine tasks are never routed, even when a prefix would match their URL
            emu.route(f"http://{handler.host}", added)
            client.create_task(
                parent=QUEUE, task={"app_engine_http_request": {"relative_uri": "/ae"}}
            )
            emu.wait_until_drained(QUEUE)
    assert [e["PATH_INFO"] for e in kept.environs] == ["/k"]
    assert added.environs == []
    assert sorted(r.path for r in handler.wait_for(2)) == ["/a/unrouted", "/ae"]
