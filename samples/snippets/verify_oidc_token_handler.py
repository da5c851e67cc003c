"""A tiny task handler that accepts a request only with a valid OIDC token.

It checks the ``Authorization: Bearer`` token with google-auth: signature
(against the keys at ``certs_url``), expiry and audience.  Against the
emulator ``certs_url`` is the one its ready line prints
(``http://127.0.0.1:8123/oauth2/v1/certs``, ``emu.certs_url`` in Python),
which this handler finds through ``CLOUD_TASKS_EMULATOR_HOST``; against
Cloud Tasks leave the variable unset and Google's keys are used.

Serve it, then enqueue a task with ``create_http_task_with_oidc_token.py`` (with the
emulator running: ``cloud-tasks-emulator start --queue my-queue``):

Serve: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 \\
    python samples/snippets/verify_oidc_token_handler.py
Then: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 \\
    python samples/snippets/create_http_task_with_oidc_token.py
"""

from __future__ import annotations

import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import google.auth.transport.requests
from google.auth.exceptions import GoogleAuthError
from google.oauth2 import id_token


def emulator_certs_url() -> str | None:
    """The emulator's certificates when ``CLOUD_TASKS_EMULATOR_HOST`` is set, else None."""
    host = os.environ.get("CLOUD_TASKS_EMULATOR_HOST")
    return f"http://{host}/oauth2/v1/certs" if host else None


def verify(authorization: str | None, audience: str, certs_url: str | None) -> dict[str, Any]:
    """The token's claims; ``ValueError`` when it is missing or not valid."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise ValueError("no bearer token")
    request = google.auth.transport.requests.Request()
    if certs_url is None:  # Google's own keys
        return dict(id_token.verify_oauth2_token(token, request, audience=audience))
    return dict(id_token.verify_token(token, request, audience=audience, certs_url=certs_url))


def make_server(
    audience: str, certs_url: str | None = None, host: str = "127.0.0.1", port: int = 8080
) -> ThreadingHTTPServer:
    """A server answering 200 to requests with a valid token and 401 to the rest."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                claims = verify(self.headers.get("Authorization"), audience, certs_url)
            except (ValueError, GoogleAuthError) as exc:
                print(f"rejected: {exc}")
                self.send_response(401)
            else:
                print(f"accepted a task from {claims['email']}")
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return ThreadingHTTPServer((host, port), Handler)


def main(
    audience: str = "http://localhost:8080/tasks",
    certs_url: str | None = None,
    port: int = 8080,
) -> None:
    """Serve on ``port``; ``certs_url`` defaults to the emulator's (see above)."""
    certs_url = certs_url or emulator_certs_url()
    server = make_server(audience, certs_url, port=port)
    keys = certs_url or "Google's keys"
    print(f"verifying tokens for {audience} against {keys} on port {server.server_address[1]}")
    server.serve_forever()


if __name__ == "__main__":
    main()
