"""Tokens a handler can verify, queue-level overrides and App Engine routing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests
from google.auth import exceptions as auth_exceptions
from google.auth.transport.requests import Request
from google.oauth2 import id_token

from google.cloud.tasks.emulator import Emulator, Settings

from .conftest import PARENT, QUEUE, handler_target
from .handler import Handler, serving

ACCOUNT = "invoker@proj.iam.gserviceaccount.com"


def bearer(received: Any) -> str:
    kind, _, token = (received.header("Authorization") or "").partition(" ")
    assert kind == "Bearer"
    return token


def test_oidc_token_verifies_with_google_auth_against_the_emulator_certs(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    url = handler.url("/secure")
    client.create_task(
        parent=QUEUE,
        task={"http_request": {"url": url, "oidc_token": {"service_account_email": ACCOUNT}}},
    )
    client.create_task(
        parent=QUEUE,
        task={
            "http_request": {
                "url": handler.url("/aud"),
                "oidc_token": {"service_account_email": ACCOUNT, "audience": "my-audience"},
            }
        },
    )
    (default_audience,) = handler.wait_for(1, "/secure")
    (given_audience,) = handler.wait_for(1, "/aud")

    claims = id_token.verify_token(
        bearer(default_audience), Request(), audience=url, certs_url=emu.certs_url
    )
    assert claims["iss"] == "https://accounts.google.com"
    assert claims["email"] == ACCOUNT and claims["email_verified"] is True
    assert claims["sub"] == claims["azp"] and claims["sub"].isdigit()
    assert claims["exp"] - claims["iat"] == 3600
    claims = id_token.verify_token(
        bearer(given_audience), Request(), audience="my-audience", certs_url=emu.certs_url
    )
    assert claims["aud"] == "my-audience"
    with pytest.raises(auth_exceptions.GoogleAuthError):
        id_token.verify_token(
            bearer(given_audience), Request(), audience=url, certs_url=emu.certs_url
        )


def test_discovery_document_names_the_jwks_of_the_signing_key(emu: Emulator) -> None:
    discovery = requests.get(emu.discovery_url, timeout=5).json()
    assert discovery["issuer"] == "https://accounts.google.com"
    assert discovery["jwks_uri"] == emu.jwks_url
    (key,) = requests.get(discovery["jwks_uri"], timeout=5).json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256"
    certs = requests.get(emu.certs_url, timeout=5).json()
    assert list(certs) == [key["kid"]]
    assert "PUBLIC KEY" in emu.public_key_pem


def test_oauth_token_names_the_account_and_scope(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    client.create_task(
        parent=QUEUE,
        task={
            "http_request": {
                "url": handler.url(),
                "headers": {"Authorization": "Basic replaced"},
                "oauth_token": {"service_account_email": ACCOUNT, "scope": "https://s/x"},
            }
        },
    )
    (got,) = handler.wait_for(1)
    token = bearer(got)
    grant = json.loads(base64.urlsafe_b64decode(token.split(".", 1)[1] + "=="))
    assert grant["email"] == ACCOUNT and grant["scope"] == "https://s/x"


def test_queue_http_target_overrides_uri_method_headers_and_token(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    client.create_queue(
        parent=PARENT,
        queue={
            "name": QUEUE,
            "http_target": {
                **handler_target(handler, "/overridden", query_override={"query_params": "q=1"}),
                "http_method": "PATCH",
                "header_overrides": [
                    {"header": {"key": "x-team", "value": "queue"}},
                    {"header": {"key": "X-Added", "value": "yes"}},
                ],
                "oidc_token": {"service_account_email": ACCOUNT},
            },
        },
    )
    client.create_task(
        parent=QUEUE,
        task={
            "http_request": {
                "url": "http://127.0.0.2:9/original?z=9",
                "http_method": "POST",
                "headers": {"X-Team": "task", "X-Task": "kept"},
                "body": b"data",
            }
        },
    )
    # A queue-level URI may stand in for a task's missing URL.
    client.create_task(parent=QUEUE, task={"http_request": {}})
    both = handler.wait_for(2, "/overridden")
    for got in both:
        assert got.method == "PATCH" and got.path == "/overridden?q=1"
        assert got.header("X-Team") == "queue" and got.header("X-Added") == "yes"
        claims = id_token.verify_token(bearer(got), Request(), certs_url=emu.certs_url)
        assert claims["aud"] == handler.url("/overridden?q=1")
    (first,) = [got for got in both if got.body]  # they may arrive in either order
    assert first.header("X-Task") == "kept" and first.body == b"data"


def test_if_not_exists_override_keeps_a_task_url(
    emu: Emulator, client: Any, handler: Handler
) -> None:
    client.create_queue(
        parent=PARENT,
        queue={
            "name": QUEUE,
            "http_target": handler_target(
                handler, "/default", uri_override_enforce_mode="IF_NOT_EXISTS"
            ),
        },
    )
    client.create_task(parent=QUEUE, task={"http_request": {"url": handler.url("/own")}})
    client.create_task(parent=QUEUE, task={"http_request": {}})
    handler.wait_for(1, "/own")
    handler.wait_for(1, "/default")


def test_queue_app_engine_routing_override_decides_the_host() -> None:
    with serving() as handler, Emulator(settings=Settings(app_engine_host=handler.host)) as emu:
        client = emu.client()
        client.create_queue(
            parent=PARENT,
            queue={
                "name": QUEUE,
                "app_engine_routing_override": {"service": "api", "version": "v2"},
            },
        )
        task = client.create_task(
            parent=QUEUE,
            task={
                "app_engine_http_request": {
                    "relative_uri": "/ae?x=1",
                    "http_method": "GET",
                    "app_engine_routing": {"service": "ignored", "instance": "i1"},
                }
            },
        )
        assert task.app_engine_http_request.app_engine_routing.host == f"v2.api.{handler.host}"
        (got,) = handler.wait_for(1, "/ae")
        assert got.method == "GET" and got.path == "/ae?x=1"
        assert got.header("Host") == f"v2.api.{handler.host}"
        emu.wait_until_drained(QUEUE, timeout=5)
        client.transport.close()
