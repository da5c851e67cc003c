"""The pure delivery rules (``delivery.decisions``) and the signing key (``delivery.tokens``).

No server and no clock: each rule gets its inputs (the time included) and its
answer is checked against how the real Cloud Tasks service behaves.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from google.auth import jwt

from google.cloud.tasks.emulator.delivery import decisions as d
from google.cloud.tasks.emulator.delivery import tokens
from google.cloud.tasks.emulator.service import model as m

QUEUE = "projects/p/locations/us-central1/queues/my-queue"
TASK = f"{QUEUE}/tasks/task-1"
ETA_US = 1_700_000_000_250_000
POST, GET, HEAD, PUT, DELETE, PATCH, OPTIONS = range(1, 8)
FIRST = d.Attempt(retries=0, executions=0, previous_status=None, eta_us=ETA_US)
APP_HOST = "localhost:8080"
EMAIL = "invoker@p.iam.gserviceaccount.com"


class Mint:
    """A ``mint`` that records what it is asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, kind: str, email: str, audience_or_scope: str) -> str:
        self.calls.append((kind, email, audience_or_scope))
        return f"{kind}-token"


def http_task(url: str = "https://example.com/work?id=7", **request: Any) -> m.Task:
    task = m.Task(name=TASK)
    task.http_request.url = url
    for key, value in request.items():
        if key == "headers":
            task.http_request.headers.update(value)
        elif key in ("oidc_token", "oauth_token"):
            getattr(task.http_request, key).SetInParent()
            for field, v in value.items():
                setattr(getattr(task.http_request, key), field, v)
        else:
            setattr(task.http_request, key, value)
    return task


def app_engine_task(relative_uri: str = "/handler?x=1", **request: Any) -> m.Task:
    task = m.Task(name=TASK)
    task.app_engine_http_request.relative_uri = relative_uri
    for key, value in request.items():
        if key == "headers":
            task.app_engine_http_request.headers.update(value)
        elif key == "routing":
            for field, v in value.items():
                setattr(task.app_engine_http_request.app_engine_routing, field, v)
        else:
            setattr(task.app_engine_http_request, key, value)
    return task


def queue(**uri_override: Any) -> m.Queue:
    q = m.Queue(name=QUEUE)
    if uri_override:
        for field, value in uri_override.items():
            if field == "path":
                q.http_target.uri_override.path_override.path = value
            elif field == "query":
                q.http_target.uri_override.query_override.query_params = value
            else:
                setattr(q.http_target.uri_override, field, value)
    return q


def headers(request: d.Request) -> dict[str, str]:
    """The request's headers, after checking no name (in any case) appears twice."""
    names = [k.lower() for k, _ in request.headers]
    assert len(names) == len(set(names)), request.headers
    return dict(request.headers)


def retry_config(min_s: float = 0.1, max_s: float = 1.0, doublings: int = 16, **fields: Any) -> Any:
    rc = m.RetryConfig(max_doublings=doublings, **fields)
    m.set_seconds(rc.min_backoff, min_s)
    m.set_seconds(rc.max_backoff, max_s)
    return rc


# -- retries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("min_s", "max_s", "doublings", "waits"),
    [
        (10, 300, 3, [10, 20, 40, 80, 160, 240, 300, 300, 300]),
        (0.1, 1, 2, [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]),
        (1, 1000, 0, [1, 2, 3, 4, 5]),
    ],
)
def test_backoff_doubles_max_doublings_times_then_grows_linearly_up_to_max_backoff(
    min_s: float, max_s: float, doublings: int, waits: list[float]
) -> None:
    rc = retry_config(min_s, max_s, doublings)
    got = [d.backoff(rc, retry) for retry in range(1, len(waits) + 1)]
    assert got == pytest.approx(waits)


@pytest.mark.parametrize(
    ("max_attempts", "duration_s", "attempts", "elapsed_s", "given_up"),
    [
        (3, 0, 2, 10_000, False),  # attempts left
        (3, 0, 3, 0, True),  # no duration: max_attempts alone decides
        (3, 60, 3, 59, False),  # attempts spent, duration not yet
        (3, 60, 3, 60, True),  # both spent
        (3, 60, 2, 10_000, False),  # duration spent, attempts not yet
        (-1, 0, 10_000, 10_000, False),  # unlimited attempts
        (-1, 60, 10_000, 10_000, False),  # unlimited attempts, duration spent
    ],
)
def test_task_is_given_up_only_once_max_attempts_and_max_retry_duration_are_both_spent(
    max_attempts: int, duration_s: int, attempts: int, elapsed_s: int, given_up: bool
) -> None:
    rc = retry_config(max_attempts=max_attempts)
    rc.max_retry_duration.seconds = duration_s
    first = ETA_US
    assert d.exhausted(rc, attempts, first, first + elapsed_s * 1_000_000) is given_up


def test_task_retry_config_fields_win_over_the_queues_and_the_rest_is_kept() -> None:
    q = queue()
    q.retry_config.CopyFrom(retry_config(10, 300, 3, max_attempts=5))
    task = http_task()
    task.retry_config.max_attempts = 2
    m.set_seconds(task.retry_config.min_backoff, 1)
    rc = d.retry_config(task, q)
    assert (rc.max_attempts, m.seconds_of(rc.min_backoff)) == (2, 1)
    assert (m.seconds_of(rc.max_backoff), rc.max_doublings) == (300, 3)
    assert q.retry_config.max_attempts == 5  # the queue's own policy is untouched


# -- rate ------------------------------------------------------------------------------


def test_token_bucket_starts_full_and_refills_at_the_dispatch_rate_up_to_the_burst() -> None:
    bucket = d.TokenBucket(rate=2.0, burst=5, now=100.0)
    assert bucket.available(100.0) == 5
    assert bucket.wait(100.0) == 0
    bucket.take(5)
    assert bucket.available(100.0) == 0
    assert bucket.wait(100.0) == pytest.approx(0.5)
    assert bucket.available(100.5) == 1
    assert bucket.available(101.75) == 3
    assert bucket.available(1000.0) == 5


def test_token_bucket_reconfigured_to_a_smaller_burst_holds_at_most_that() -> None:
    bucket = d.TokenBucket(rate=10.0, burst=100, now=0.0)
    bucket.configure(rate=1.0, burst=3, now=0.0)
    assert bucket.available(0.0) == 3
    bucket.take(3)
    assert bucket.available(1.0) == 1  # refilled at the new rate


# -- HTTP targets ----------------------------------------------------------------------


def test_http_first_attempt_keeps_task_header_case_and_adds_the_service_headers() -> None:
    task = http_task(headers={"X-Custom-Header": "a", "accept": "b"}, body=b"{}")
    request = d.http_request(task, queue(), FIRST, Mint())
    got = headers(request)
    assert float(got.pop("X-CloudTasks-TaskETA")) == pytest.approx(ETA_US / 1e6, abs=1e-6)
    assert got == {
        "X-Custom-Header": "a",
        "accept": "b",
        "User-Agent": "Google-Cloud-Tasks",
        "X-CloudTasks-QueueName": "my-queue",
        "X-CloudTasks-TaskName": "task-1",
        "X-CloudTasks-TaskRetryCount": "0",
        "X-CloudTasks-TaskExecutionCount": "0",
    }  # no Content-Type of its own, no previous response or retry reason
    assert (request.method, request.url, request.body, request.kind) == (
        "POST",
        "https://example.com/work?id=7",
        b"{}",
        "http",
    )


def test_http_retry_reports_counts_previous_response_and_an_empty_retry_reason() -> None:
    attempt = d.Attempt(retries=3, executions=1, previous_status=404, eta_us=ETA_US)
    got = headers(d.http_request(http_task(), queue(), attempt, Mint()))
    assert got["X-CloudTasks-TaskRetryCount"] == "3"
    assert got["X-CloudTasks-TaskExecutionCount"] == "1"
    assert got["X-CloudTasks-TaskPreviousResponse"] == "404"
    assert got["X-CloudTasks-TaskRetryReason"] == ""


@pytest.mark.parametrize(
    "name",
    [
        "Host",
        "content-length",
        "USER-AGENT",
        "X-CloudTasks-TaskName",
        "x-cloudtasks-whatever",
        "X-AppEngine-QueueName",
        "x-google-thing",
    ],
)
@pytest.mark.parametrize("kind", ["http", "app_engine"])
def test_reserved_task_headers_are_dropped_case_insensitively(name: str, kind: str) -> None:
    build = http_task if kind == "http" else app_engine_task
    task = build(headers={name: "spoofed", "X-Kept": "yes"})
    request = d.request_for(task, queue(), FIRST, APP_HOST, Mint())
    assert request.kind == kind
    assert "spoofed" not in [v for _, v in request.headers]
    assert ("X-Kept", "yes") in request.headers


@pytest.mark.parametrize(
    ("method", "name", "sends_body"),
    [
        (0, "POST", True),  # unspecified means POST
        (POST, "POST", True),
        (PUT, "PUT", True),
        (PATCH, "PATCH", True),
        (GET, "GET", False),
        (HEAD, "HEAD", False),
        (DELETE, "DELETE", False),
        (OPTIONS, "OPTIONS", False),
    ],
)
@pytest.mark.parametrize("kind", ["http", "app_engine"])
def test_body_is_sent_only_with_post_put_and_patch(
    method: int, name: str, sends_body: bool, kind: str
) -> None:
    build = http_task if kind == "http" else app_engine_task
    task = build(http_method=method, body=b"payload")
    request = d.request_for(task, queue(), FIRST, APP_HOST, Mint())
    assert request.method == name
    assert request.body == (b"payload" if sends_body else b"")


@pytest.mark.parametrize(
    ("override", "task_url", "url"),
    [
        ({"scheme": 1}, "https://example.com/a?b=1", "http://example.com/a?b=1"),
        ({"host": "other.net"}, "https://example.com:8443/a", "https://other.net:8443/a"),
        ({"port": 9000}, "http://example.com/a", "http://example.com:9000/a"),
        ({"path": "/new"}, "https://example.com/a?b=1", "https://example.com/new?b=1"),
        ({"query": "c=2"}, "https://example.com/a?b=1", "https://example.com/a?c=2"),
        (
            {"scheme": 1, "host": "127.0.0.1", "port": 8081, "path": "/p", "query": "q=1"},
            "https://example.com/a?b=1",
            "http://127.0.0.1:8081/p?q=1",
        ),
        (
            {"host": "other.net", "uri_override_enforce_mode": 2},  # ALWAYS
            "https://example.com/a",
            "https://other.net/a",
        ),
        (
            {"host": "other.net", "uri_override_enforce_mode": 1},  # IF_NOT_EXISTS
            "https://example.com/a",
            "https://example.com/a",
        ),
        (
            {"scheme": 1, "host": "other.net", "path": "/p", "uri_override_enforce_mode": 1},
            "",
            "http://other.net/p",
        ),
    ],
)
def test_queue_uri_override_replaces_the_parts_it_sets(
    override: dict[str, Any], task_url: str, url: str
) -> None:
    request = d.http_request(http_task(task_url), queue(**override), FIRST, Mint())
    assert request.url == url


def test_queue_uri_override_port_zero_clears_the_port() -> None:
    request = d.http_request(http_task("http://example.com:8080/a"), queue(port=0), FIRST, Mint())
    assert request.url == "http://example.com/a"


def test_queue_http_method_replaces_the_tasks_only_when_set() -> None:
    task = http_task(http_method=PUT, body=b"x")
    assert d.http_request(task, queue(), FIRST, Mint()).method == "PUT"
    q = queue()
    q.http_target.http_method = GET
    request = d.http_request(task, q, FIRST, Mint())
    assert (request.method, request.body) == ("GET", b"")


def test_queue_header_overrides_replace_case_insensitively_or_add() -> None:
    q = queue()
    for key, value in [("X-Tenant", "queue"), ("Content-Type", "text/plain")]:
        header = q.http_target.header_overrides.add().header
        header.key, header.value = key, value
    task = http_task(headers={"x-tenant": "task", "X-Other": "kept"})
    got = headers(d.http_request(task, q, FIRST, Mint()))
    assert got["X-Tenant"] == "queue"
    assert got["Content-Type"] == "text/plain"
    assert got["X-Other"] == "kept"
    assert "x-tenant" not in got


# -- tokens on HTTP requests -----------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "call"),
    [
        ({"service_account_email": EMAIL}, ("oidc", EMAIL, "https://override.net/work?id=7")),
        (
            {"service_account_email": EMAIL, "audience": "https://aud"},
            ("oidc", EMAIL, "https://aud"),
        ),
    ],
)
def test_oidc_token_audience_is_the_given_one_else_the_url_after_overrides(
    token: dict[str, str], call: tuple[str, str, str]
) -> None:
    mint = Mint()
    request = d.http_request(http_task(oidc_token=token), queue(host="override.net"), FIRST, mint)
    assert mint.calls == [call]
    assert headers(request)["Authorization"] == "Bearer oidc-token"


@pytest.mark.parametrize(
    ("scope", "expected"),
    [("", "https://www.googleapis.com/auth/cloud-platform"), ("https://s", "https://s")],
)
def test_oauth_token_is_minted_for_the_scope_defaulting_to_cloud_platform(
    scope: str, expected: str
) -> None:
    mint = Mint()
    task = http_task(oauth_token={"service_account_email": EMAIL, "scope": scope})
    request = d.http_request(task, queue(), FIRST, mint)
    assert mint.calls == [("oauth", EMAIL, expected)]
    assert headers(request)["Authorization"] == "Bearer oauth-token"


def test_queue_level_token_wins_over_the_tasks() -> None:
    q = queue()
    q.http_target.oauth_token.service_account_email = "queue@p.iam.gserviceaccount.com"
    mint = Mint()
    d.http_request(http_task(oidc_token={"service_account_email": EMAIL}), q, FIRST, mint)
    assert mint.calls == [("oauth", "queue@p.iam.gserviceaccount.com", d.DEFAULT_OAUTH_SCOPE)]


def test_no_token_asked_no_authorization_added() -> None:
    mint = Mint()
    request = d.http_request(http_task(), queue(), FIRST, mint)
    assert mint.calls == []
    assert "authorization" not in [k.lower() for k, _ in request.headers]


# -- App Engine targets ----------------------------------------------------------------


def test_app_engine_first_attempt_goes_to_the_app_host_with_a_routed_host_header() -> None:
    task = app_engine_task(routing={"service": "worker", "version": "v1"}, body=b"data")
    request = d.app_engine_request(task, queue(), FIRST, APP_HOST)
    got = headers(request)
    assert float(got.pop("X-AppEngine-TaskETA")) == pytest.approx(ETA_US / 1e6, abs=1e-6)
    assert got == {
        "Content-Type": "application/octet-stream",
        "Host": "v1.worker.localhost:8080",
        "User-Agent": "AppEngine-Google; (+http://code.google.com/appengine)",
        "X-AppEngine-QueueName": "my-queue",
        "X-AppEngine-TaskName": "task-1",
        "X-AppEngine-TaskRetryCount": "0",
        "X-AppEngine-TaskExecutionCount": "0",
    }
    assert (request.method, request.url, request.body, request.kind) == (
        "POST",
        "http://localhost:8080/handler?x=1",
        b"data",
        "app_engine",
    )


def test_app_engine_retry_shows_its_counts_the_previous_status_and_app_error() -> None:
    attempt = d.Attempt(retries=4, executions=3, previous_status=503, eta_us=ETA_US)
    got = headers(d.app_engine_request(app_engine_task(), queue(), attempt, APP_HOST))
    assert got["X-AppEngine-TaskRetryCount"] == "4"
    assert got["X-AppEngine-TaskExecutionCount"] == "3"
    assert got["X-AppEngine-TaskPreviousResponse"] == "503"
    assert got["X-AppEngine-TaskRetryReason"] == "App Error"


@pytest.mark.parametrize(
    ("body", "task_headers", "content_type"),
    [
        (b"data", {"content-type": "text/plain"}, ("content-type", "text/plain")),
        (b"", {}, None),
    ],
)
def test_app_engine_octet_stream_only_for_a_body_without_a_content_type(
    body: bytes, task_headers: dict[str, str], content_type: tuple[str, str] | None
) -> None:
    task = app_engine_task(body=body, headers=task_headers)
    request = d.app_engine_request(task, queue(), FIRST, APP_HOST)
    found = [(k, v) for k, v in request.headers if k.lower() == "content-type"]
    assert found == ([content_type] if content_type else [])


@pytest.mark.parametrize(
    ("routing", "host"),
    [
        ({}, "localhost:8080"),
        ({"service": "worker"}, "worker.localhost:8080"),
        ({"version": "v1"}, "v1.localhost:8080"),
        ({"instance": "i3", "version": "v1", "service": "worker"}, "i3.v1.worker.localhost:8080"),
    ],
)
def test_app_engine_host_header_is_instance_version_service_then_app_host(
    routing: dict[str, str], host: str
) -> None:
    task = app_engine_task(routing=routing)
    request = d.app_engine_request(task, queue(), FIRST, APP_HOST)
    assert headers(request)["Host"] == host
    assert request.url == "http://localhost:8080/handler?x=1"


def test_queue_routing_override_replaces_the_tasks_routing() -> None:
    q = queue()
    q.app_engine_http_queue.app_engine_routing_override.service = "queue-svc"
    task = app_engine_task(routing={"service": "worker", "version": "v1"})
    assert headers(d.app_engine_request(task, q, FIRST, APP_HOST))["Host"] == (
        "queue-svc.localhost:8080"
    )


def test_dispatch_deadline_is_the_tasks_else_ten_minutes() -> None:
    task = http_task()
    assert d.http_request(task, queue(), FIRST, Mint()).deadline == 600
    task.dispatch_deadline.seconds = 30
    assert d.http_request(task, queue(), FIRST, Mint()).deadline == 30


def test_eta_header_before_the_epoch_is_negative_seconds() -> None:
    assert float(d.eta(-1)) == pytest.approx(-0.000001)


# -- outcomes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "ok", "execution"),
    [(200, True, True), (204, True, True), (299, True, True), (302, False, True)]
    + [(404, False, True), (429, False, False), (500, False, True), (503, False, False)]
    + [(599, False, True), (None, False, False), (d.TIMED_OUT, False, False)],
)
def test_only_2xx_succeeds_and_every_answer_but_429_and_503_is_an_execution(
    status: int | None, ok: bool, execution: bool
) -> None:
    assert d.succeeded(status) is ok
    assert d.counts_as_execution(status) is execution


@pytest.mark.parametrize(
    ("status", "code"),
    [(200, 0), (201, 0), (404, 5), (499, 1), (500, 13), (501, 12), (503, 14)]
    + [(418, 2), (599, 2)],
)
def test_rpc_code_of_an_http_status(status: int, code: int) -> None:
    assert d.rpc_code(status) == code


@pytest.mark.parametrize(
    ("status", "code"), [(400, 3), (401, 16), (403, 7), (429, 8), (504, 4), (409, 10)]
)
def test_rpc_code_follows_google_rpc_where_api_core_has_no_code(status: int, code: int) -> None:
    assert d.rpc_code(status) == code


def test_token_bucket_counts_tokens_earned_at_the_old_rate_before_a_change() -> None:
    bucket = d.TokenBucket(rate=1.0, burst=10, now=0.0)
    bucket.take(10)
    bucket.configure(rate=100.0, burst=10, now=2.0)  # 2 tokens were earned at 1/s
    assert bucket.available(2.0) == 2


def test_queue_header_overrides_cannot_set_reserved_headers() -> None:
    q = queue()
    for key in ("user-agent", "Host", "X-CloudTasks-TaskName"):
        q.http_target.header_overrides.add().header.key = key
    headers = d.http_request(http_task(), q, FIRST, Mint()).headers
    assert [v for k, v in headers if k.lower() == "user-agent"] == ["Google-Cloud-Tasks"]
    assert not any(k.lower() == "host" for k, _ in headers)
    assert [k for k, _ in headers].count("X-CloudTasks-TaskName") == 1


# -- tokens.Signer ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer() -> tokens.Signer:
    return tokens.Signer()


def _b64_int(text: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def test_id_token_carries_googles_claims_and_the_published_key_id(signer: tokens.Signer) -> None:
    token = signer.id_token(EMAIL, "https://aud", 1_700_000_000)
    header = jwt.decode_header(token)
    claims = jwt.decode(token, verify=False)
    sub = claims["sub"]
    assert sub.isdigit() and sub == tokens.account_id(EMAIL)
    assert claims == {
        "iss": "https://accounts.google.com",
        "aud": "https://aud",
        "azp": sub,
        "sub": sub,
        "email": EMAIL,
        "email_verified": True,
        "iat": 1_700_000_000,
        "exp": 1_700_003_600,
    }
    assert header["alg"] == "RS256"
    assert header["kid"] == signer.jwks()["keys"][0]["kid"]
    assert list(signer.pem_certs()) == [header["kid"]]


def test_subject_is_a_stable_numeric_id_per_email() -> None:
    assert tokens.account_id(EMAIL) == tokens.account_id(EMAIL)
    assert tokens.account_id(EMAIL) != tokens.account_id("other@p.iam.gserviceaccount.com")


def test_id_token_verifies_with_the_pem_certs_and_only_for_its_audience(
    signer: tokens.Signer,
) -> None:
    token = signer.id_token(EMAIL, "https://aud", int(time.time()))
    claims = jwt.decode(token, certs=signer.pem_certs(), audience="https://aud")
    assert claims["email"] == EMAIL
    with pytest.raises(ValueError):
        jwt.decode(token, certs=signer.pem_certs(), audience="https://elsewhere")


def test_id_token_signature_verifies_with_the_jwks_key(signer: tokens.Signer) -> None:
    token = signer.id_token(EMAIL, "https://aud", int(time.time()))
    (key,) = signer.jwks()["keys"]
    public = rsa.RSAPublicNumbers(_b64_int(key["e"]), _b64_int(key["n"])).public_key()
    signed, _, signature = token.rpartition(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    public.verify(raw, signed.encode(), padding.PKCS1v15(), hashes.SHA256())  # raises if bad
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")


def test_id_token_verifies_with_pyjwt_against_the_jwks(signer: tokens.Signer) -> None:
    pyjwt = pytest.importorskip("jwt")
    token = signer.id_token(EMAIL, "https://aud", int(time.time()))
    key = pyjwt.PyJWKSet.from_dict(signer.jwks())[jwt.decode_header(token)["kid"]]
    claims = pyjwt.decode(token, key.key, algorithms=["RS256"], audience="https://aud")
    assert claims["email"] == EMAIL
    with pytest.raises(pyjwt.InvalidAudienceError):
        pyjwt.decode(token, key.key, algorithms=["RS256"], audience="https://elsewhere")


def test_mint_reuses_a_token_per_kind_email_and_audience_until_near_expiry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signer = tokens.Signer()
    clock = [1_700_000_000.0]
    monkeypatch.setattr(tokens.time, "time", lambda: clock[0])
    first = signer.mint("oidc", EMAIL, "https://aud")
    clock[0] += 60  # a fresh token would have another iat
    assert signer.mint("oidc", EMAIL, "https://aud") == first
    assert signer.mint("oidc", EMAIL, "https://other") != first
    assert signer.mint("oauth", EMAIL, "https://aud") != first
    assert jwt.decode(first, verify=False)["aud"] == "https://aud"
    clock[0] += 3600
    assert signer.mint("oidc", EMAIL, "https://aud") != first


def test_signer_built_from_a_pem_file_signs_with_that_key(tmp_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "key.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    signer = tokens.Signer(str(path))
    token = signer.id_token(EMAIL, "https://aud", int(time.time()))
    public = key.public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert signer.public_key_pem() == pem.decode()
    assert jwt.decode(token, certs=pem, audience="https://aud")["email"] == EMAIL
    assert signer.key_id != tokens.Signer().key_id


@pytest.mark.parametrize("content", ["text", "ec_key", "missing"])
def test_a_file_without_an_rsa_private_key_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "key.pem"
    if content == "text":
        path.write_text("not a key\n")
    elif content == "ec_key":
        path.write_bytes(
            ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with pytest.raises(tokens.SigningKeyError):
        tokens.Signer(str(path))
