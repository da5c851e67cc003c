"""Where a client connects and with what: endpoint, universe, mTLS and the emulator.

Everything a client learns from its options and the process environment is
decided here, once, for every client, version and transport.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from google.api_core import client_options as client_options_lib
from google.api_core import universe
from google.auth.exceptions import MutualTLSChannelError

#: ``host:port`` of a Cloud Tasks emulator; clients then connect without TLS or credentials.
EMULATOR_HOST_ENV = "CLOUD_TASKS_EMULATOR_HOST"
#: seconds a call to the emulator keeps retrying (by its retry policy) while nothing listens
#: at its address before it raises ``ServiceUnavailable`` saying so
EMULATOR_ABSENT_SECONDS = 1.0
DEFAULT_UNIVERSE = universe.DEFAULT_UNIVERSE

CertSource = Callable[[], tuple[bytes, bytes]]


def emulator_host() -> str | None:
    """The emulator address from the environment, if one is set (empty means unset).

    ``ValueError`` naming the variable when the value is not ``host:port``, so a
    mistake fails when the client is built rather than as a hang on the first call.
    """
    value = os.environ.get(EMULATOR_HOST_ENV)
    if not value:
        return None
    host, sep, port = value.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    wrong = (
        not sep
        or not host
        or "/" in value
        or any(c.isspace() for c in value)
        or not port.isdigit()
        or not 0 < int(port) <= 65535
    )
    if wrong:
        raise ValueError(
            f"{EMULATOR_HOST_ENV}={value!r} is not an emulator address: use host:port,"
            " e.g. 127.0.0.1:8123 (no scheme, no path)"
        )
    return value


def emulator_absent(address: str, timeout: float = 1.0) -> str | None:
    """Why nothing serves at the emulator address ``host:port``, or None when something
    accepts connections there (or it cannot tell within ``timeout``).

    Asked only after a call failed with UNAVAILABLE, to tell "the emulator is
    not running" from a passing failure.
    """
    host, _, port = address.rpartition(":")
    host = host[1:-1] if host.startswith("[") else host
    hint = "is the emulator running? start it with cloud-tasks-emulator start"
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except ConnectionRefusedError:
        return f"nothing is listening at {EMULATOR_HOST_ENV}={address}; {hint}"
    except TimeoutError:
        return None
    except OSError as exc:  # no such host, no route, ...
        why = exc.strerror or exc
        return f"cannot connect to {EMULATOR_HOST_ENV}={address} ({why}); {hint}"
    return None


def use_client_cert() -> bool:
    """``GOOGLE_API_USE_CLIENT_CERTIFICATE``: whether a client certificate may be used."""
    try:
        from google.auth.transport.mtls import should_use_client_cert
    except ImportError:  # older google-auth
        value = os.getenv("GOOGLE_API_USE_CLIENT_CERTIFICATE", "false").lower()
        if value not in ("true", "false"):
            raise ValueError(
                "Environment variable `GOOGLE_API_USE_CLIENT_CERTIFICATE` must be"
                " either `true` or `false`"
            ) from None
        return value == "true"
    return bool(should_use_client_cert())


def use_mtls_endpoint() -> str:
    """``GOOGLE_API_USE_MTLS_ENDPOINT``: ``auto`` (the default), ``never`` or ``always``."""
    value = os.getenv("GOOGLE_API_USE_MTLS_ENDPOINT", "auto").lower()
    if value not in ("auto", "never", "always"):
        raise MutualTLSChannelError(
            "Environment variable `GOOGLE_API_USE_MTLS_ENDPOINT` must be `never`,"
            " `auto` or `always`"
        )
    return value


def client_cert_source(provided: CertSource | None, allowed: bool) -> CertSource | None:
    """The certificate source to use: the provided one, else the machine's default, if allowed."""
    if not allowed:
        return None
    if provided:
        return provided
    from google.auth.transport import mtls

    if mtls.has_default_client_cert_source():
        return mtls.default_client_cert_source()  # type: ignore[no-any-return]
    return None


def mtls_endpoint(endpoint: str) -> str:
    """The mTLS twin of a ``*.googleapis.com`` endpoint (others are returned unchanged)."""
    return universe.get_default_mtls_endpoint(endpoint) or endpoint


def options_from(value: Any) -> client_options_lib.ClientOptions:
    """Client options from a ``ClientOptions``, a dict or ``None``."""
    if value is None:
        return client_options_lib.ClientOptions()
    if isinstance(value, dict):
        return client_options_lib.from_dict(value)
    return value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Endpoint:
    """Where one client talks to: its host, universe and certificate source."""

    host: str
    universe_domain: str
    cert_source: CertSource | None
    #: True when the address came from ``CLOUD_TASKS_EMULATOR_HOST``
    emulator: bool = False


def resolve(
    options: client_options_lib.ClientOptions,
    default_host: str,
    *,
    allow_emulator: bool,
    certificate: bool = True,
) -> Endpoint:
    """Decide the endpoint for a client, reading the environment once.

    Order of precedence: ``client_options.api_endpoint``; then the emulator
    (when allowed, i.e. no transport instance was given); then the default
    or mTLS endpoint of the configured universe.  No client certificate is
    looked for when the answer cannot matter: for the emulator, or with
    ``certificate=False`` (a transport instance has its channel already).
    """
    mtls_mode = use_mtls_endpoint()
    domain = universe.get_universe_domain(
        getattr(options, "universe_domain", None),
        os.getenv("GOOGLE_CLOUD_UNIVERSE_DOMAIN"),
        default_universe=DEFAULT_UNIVERSE,
    )
    if options.api_endpoint is None and allow_emulator:
        emulated = emulator_host()
        if emulated:
            return Endpoint(emulated, domain, None, emulator=True)
    cert = None
    if certificate:
        cert = client_cert_source(options.client_cert_source, use_client_cert())
    name = default_host.split(".", 1)[0]
    host = universe.get_api_endpoint(
        api_override=options.api_endpoint,
        universe_domain=domain,
        default_universe=DEFAULT_UNIVERSE,
        default_mtls_endpoint=mtls_endpoint(default_host),
        default_endpoint_template=name + ".{UNIVERSE_DOMAIN}",
        use_mtls=mtls_mode == "always" or (mtls_mode == "auto" and cert is not None),
    )
    return Endpoint(host, domain, cert)
