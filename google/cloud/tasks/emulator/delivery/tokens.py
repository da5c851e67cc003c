"""The emulator's signing key: OIDC ID tokens, OAuth tokens, and the certs to verify them.

Tasks with an ``oidc_token`` reach their handler with ``Authorization: Bearer
<JWT>``: RS256, with the claims Google's ID tokens carry, signed with

- the key in a PEM file, when one is given (``--signing-key``); else
- with a data file (``--data``), a key made once and kept in it, so tokens
  issued before a restart still verify after it (same key id, JWKS and certs);
- in memory, a key made when first needed, one per :class:`Signer`.

A handler verifies a token with google-auth against the emulator's certs::

    google.oauth2.id_token.verify_token(token, request, audience=..., certs_url=emu.certs_url)

The certs come in both of Google's shapes: ``/oauth2/v1/certs`` (key id to
PEM certificate, which google-auth reads on its own) and the JWKS at
``/oauth2/v3/certs`` that ``/.well-known/openid-configuration`` names.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import threading
import time
from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

if TYPE_CHECKING:
    from ..service.store import Store

ISSUER = "https://accounts.google.com"
TOKEN_LIFETIME = 3600
#: a cached token is handed out until this many seconds before it expires
_REFRESH_MARGIN = 300
DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/oauth2/v3/certs"
PEM_CERTS_PATH = "/oauth2/v1/certs"
#: the name the signing key is kept under in a data file
KEPT_KEY = "oidc-signing-key"
#: the certificate's validity: fixed, so a key always gives the same certificate
_VALID_FROM = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
_VALID_UNTIL = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)


class SigningKeyError(ValueError):
    """A signing key file that cannot be used."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(number: int) -> str:
    return _b64(number.to_bytes((number.bit_length() + 7) // 8, "big"))


def account_id(email: str) -> str:
    """A stable 21-digit numeric id for a service account email (the ``sub`` claim)."""
    digest = int.from_bytes(hashlib.sha256(email.encode()).digest()[:9], "big")
    return "1" + str(digest).zfill(20)[-20:]


def _new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key (making one takes tens of ms)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def kept_key(store: Store) -> rsa.RSAPrivateKey:
    """The signing key kept in ``store``, made and kept there on first use.

    :class:`SigningKeyError` when what the store holds is not an RSA private key.
    """
    pem = store.kept_key(KEPT_KEY, lambda: _pem(_new_key()))
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(
            f"the signing key kept in {store.path} is not usable ({exc})"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningKeyError(f"the signing key kept in {store.path} is not an RSA key")
    return key


def load_key(path: str) -> rsa.RSAPrivateKey:
    """An RSA private key from a PEM file; :class:`SigningKeyError` when it is not one."""
    try:
        with open(path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
    except OSError as exc:
        raise SigningKeyError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"{path} is not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningKeyError(f"{path} holds a {type(key).__name__}, not an RSA key")
    return key


class Signer:
    """Mints the tokens tasks carry and publishes what verifies them.

    The key is the one in the PEM file ``key_path`` when given; else, when
    ``store`` keeps a file, the key kept there (made and kept on first start);
    else one made for this signer when first needed.
    """

    def __init__(self, key_path: str | None = None, store: Store | None = None) -> None:
        self._key: rsa.RSAPrivateKey | None = None
        self._key_lock = threading.Lock()
        if key_path:
            self._key = load_key(key_path)
        elif store is not None and store.path:
            self._key = kept_key(store)
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, str], tuple[float, str]] = {}
        self._signer: crypt.RSASigner | None = None

    @property
    def key(self) -> rsa.RSAPrivateKey:
        if self._key is None:
            with self._key_lock:  # two first users get one key
                if self._key is None:
                    self._key = _new_key()
        return self._key

    @property
    def key_id(self) -> str:
        """The ``kid`` of the signing key: a hash of its public half."""
        der = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return hashlib.sha256(der).hexdigest()[:40]

    def public_key_pem(self) -> str:
        """The public key, PEM-encoded."""
        return (
            self.key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def _rsa_signer(self) -> crypt.RSASigner:
        if self._signer is None:
            self._signer = crypt.RSASigner.from_string(_pem(self.key), key_id=self.key_id)
        return self._signer

    # -- tokens ---------------------------------------------------------------------------

    def mint(self, kind: str, email: str, audience_or_scope: str) -> str:
        """A token for a task: ``kind`` ``"oidc"`` (an ID token) or ``"oauth"``."""
        now = time.time()
        key = (kind, email, audience_or_scope)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] - _REFRESH_MARGIN > now:
                return cached[1]
            if kind == "oidc":
                token = self.id_token(email, audience_or_scope, int(now))
            else:
                token = self.access_token(email, audience_or_scope, int(now))
            if len(self._cache) > 1024:
                self._cache.clear()
            self._cache[key] = (now + TOKEN_LIFETIME, token)
            return token

    def id_token(self, email: str, audience: str, now: int) -> str:
        """An RS256 ID token for ``email`` with ``audience``, valid for an hour from ``now``."""
        sub = account_id(email)
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "azp": sub,
            "sub": sub,
            "email": email,
            "email_verified": True,
            "iat": now,
            "exp": now + TOKEN_LIFETIME,
        }
        return jwt.encode(self._rsa_signer(), claims).decode()

    @staticmethod
    def access_token(email: str, scope: str, now: int) -> str:
        """An opaque OAuth access token naming the account and scope (not a Google token)."""
        grant = {"email": email, "scope": scope, "exp": now + TOKEN_LIFETIME}
        return "emulator-access-token." + _b64(json.dumps(grant, sort_keys=True).encode())

    # -- published documents --------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        """The JWK Set of the signing key."""
        numbers = self.key.public_key().public_numbers()
        key = {
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.key_id,
            "n": _int_b64(numbers.n),
            "e": _int_b64(numbers.e),
        }
        return {"keys": [key]}

    def pem_certs(self) -> dict[str, str]:
        """``{key id: PEM certificate}``: a self-signed certificate of the signing key.

        The same key always gives the same certificate (its validity is fixed).
        """
        return {self.key_id: _certificate(self.key, self.key_id)}

    @staticmethod
    def discovery(base_url: str) -> dict[str, Any]:
        """The OpenID configuration document served at ``base_url``."""
        return {
            "issuer": ISSUER,
            "jwks_uri": base_url + JWKS_PATH,
            "response_types_supported": ["id_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "claims_supported": [
                "aud",
                "azp",
                "email",
                "email_verified",
                "exp",
                "iat",
                "iss",
                "sub",
            ],
        }


@cache
def _certificate(key: rsa.RSAPrivateKey, key_id: str) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"cloud-tasks-emulator {key_id}")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int(key_id[:30], 16))
        .not_valid_before(_VALID_FROM)
        .not_valid_after(_VALID_UNTIL)
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM).decode()
