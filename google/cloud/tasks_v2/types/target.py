"""Where a v2 task's request goes: HTTP and App Engine requests, URL overrides, auth tokens."""

from __future__ import annotations

from collections.abc import MutableMapping, MutableSequence

import proto

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2",
    manifest={
        "HttpMethod",
        "PathOverride",
        "QueryOverride",
        "UriOverride",
        "HttpTarget",
        "HttpRequest",
        "AppEngineHttpRequest",
        "AppEngineRouting",
        "OAuthToken",
        "OidcToken",
    },
)


class HttpMethod(proto.Enum):
    """The HTTP method a task's request is sent with.

    ``HTTP_METHOD_UNSPECIFIED`` (0) is treated as ``POST``; the other values
    name the method they stand for.
    """

    HTTP_METHOD_UNSPECIFIED = 0
    POST = 1
    GET = 2
    HEAD = 3
    PUT = 4
    DELETE = 5
    PATCH = 6
    OPTIONS = 7


class PathOverride(proto.Message):
    """The path part of a :class:`UriOverride`.

    Attributes:
        path (str):
            Path that replaces the task URL's path, e.g. ``/users/1234``; an
            empty string clears the path.
    """

    path: str = proto.Field(proto.STRING, number=1)


class QueryOverride(proto.Message):
    """The query part of a :class:`UriOverride`.

    Attributes:
        query_params (str):
            Query string without the leading ``?`` (e.g. ``a=1&b=2``) that
            replaces the task URL's query; an empty string clears it.
    """

    query_params: str = proto.Field(proto.STRING, number=1)


class UriOverride(proto.Message):
    """A queue-level rewrite of the URL of every HTTP task in the queue.

    Each part is replaced only when it is set here; unset parts keep the
    task's own value. ``scheme``, ``host`` and ``port`` track presence
    (``"host" in override``).

    Attributes:
        scheme (UriOverride.Scheme):
            Replacement scheme, when set.
        host (str):
            Replacement host, when set; it may not be empty (INVALID_ARGUMENT).
        port (int):
            Replacement port, when set.
        path_override (PathOverride):
            Replacement path, when set.
        query_override (QueryOverride):
            Replacement query string, when set.
        uri_override_enforce_mode (UriOverride.UriOverrideEnforceMode):
            Whether the override wins over the task's URL (``ALWAYS``, the
            default) or only fills parts the task leaves out (``IF_NOT_EXISTS``).
    """

    class Scheme(proto.Enum):
        """URL scheme; ``SCHEME_UNSPECIFIED`` (0) means ``HTTPS``.

        Values:
            SCHEME_UNSPECIFIED (0): Not set; HTTPS is used.
            HTTP (1): Plain ``http://``.
            HTTPS (2): ``https://``.
        """

        SCHEME_UNSPECIFIED = 0
        HTTP = 1
        HTTPS = 2

    class UriOverrideEnforceMode(proto.Enum):
        """When the queue's URL override applies to a task.

        Values:
            URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED (0): Not set; same as ``ALWAYS``.
            IF_NOT_EXISTS (1): Only where the task does not set the part itself.
            ALWAYS (2): Always, replacing what the task set.
        """

        URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED = 0
        IF_NOT_EXISTS = 1
        ALWAYS = 2

    scheme: UriOverride.Scheme = proto.Field(proto.ENUM, number=1, enum=Scheme, optional=True)
    host: str = proto.Field(proto.STRING, number=2, optional=True)
    port: int = proto.Field(proto.INT64, number=3, optional=True)
    path_override: PathOverride = proto.Field(proto.MESSAGE, number=4, message=PathOverride)
    query_override: QueryOverride = proto.Field(proto.MESSAGE, number=5, message=QueryOverride)
    uri_override_enforce_mode: UriOverride.UriOverrideEnforceMode = proto.Field(
        proto.ENUM, number=6, enum=UriOverrideEnforceMode
    )


class OAuthToken(proto.Message):
    """Makes Cloud Tasks send an OAuth 2.0 access token as ``Authorization: Bearer``.

    Meant for targets that are Google APIs (``*.googleapis.com``).

    Attributes:
        service_account_email (str):
            Service account the token is minted for; the caller needs
            ``iam.serviceAccounts.actAs`` on it.
        scope (str):
            OAuth scope of the token; empty means
            ``https://www.googleapis.com/auth/cloud-platform``.
    """

    service_account_email: str = proto.Field(proto.STRING, number=1)
    scope: str = proto.Field(proto.STRING, number=2)


class OidcToken(proto.Message):
    """Makes Cloud Tasks send an OpenID Connect ID token as ``Authorization: Bearer``.

    Suits handlers that verify Google-signed ID tokens, such as Cloud Run.

    Attributes:
        service_account_email (str):
            Service account the ID token is issued for; the caller needs
            ``iam.serviceAccounts.actAs`` on it.
        audience (str):
            Audience claim of the token; empty means the target URL.
    """

    service_account_email: str = proto.Field(proto.STRING, number=1)
    audience: str = proto.Field(proto.STRING, number=2)


class HttpTarget(proto.Message):
    """Queue-level settings applied to the request of every HTTP task in the queue.

    Attributes:
        uri_override (UriOverride):
            Rewrites each task's URL; BufferTask needs it to build the URL.
        http_method (HttpMethod):
            When set, replaces each task's HTTP method.
        header_overrides (MutableSequence[HttpTarget.HeaderOverride]):
            Headers set on every task's request, replacing task headers with
            the same name.
        oauth_token (OAuthToken):
            Token that replaces each task's; one of ``authorization_header``.
        oidc_token (OidcToken):
            Token that replaces each task's; one of ``authorization_header``.
    """

    class Header(proto.Message):
        """One HTTP header.

        Attributes:
            key (str):
                Header name.
            value (str):
                Header value.
        """

        key: str = proto.Field(proto.STRING, number=1)
        value: str = proto.Field(proto.STRING, number=2)

    class HeaderOverride(proto.Message):
        """A header the queue sets on each task's request.

        Attributes:
            header (HttpTarget.Header):
                The header's name and value.
        """

        header: HttpTarget.Header = proto.Field(
            proto.MESSAGE, number=1, message="HttpTarget.Header"
        )

    uri_override: UriOverride = proto.Field(proto.MESSAGE, number=1, message=UriOverride)
    http_method: HttpMethod = proto.Field(proto.ENUM, number=2, enum=HttpMethod)
    header_overrides: MutableSequence[HttpTarget.HeaderOverride] = proto.RepeatedField(
        proto.MESSAGE, number=3, message=HeaderOverride
    )
    oauth_token: OAuthToken = proto.Field(
        proto.MESSAGE, number=5, oneof="authorization_header", message=OAuthToken
    )
    oidc_token: OidcToken = proto.Field(
        proto.MESSAGE, number=6, oneof="authorization_header", message=OidcToken
    )


class HttpRequest(proto.Message):
    """The HTTP request a task sends to any URL when it is dispatched.

    The task succeeds when the handler answers 2xx within the task's
    ``dispatch_deadline``; any other outcome is retried.

    Attributes:
        url (str):
            Full target URL starting with ``http://`` or ``https://``; required.
        http_method (HttpMethod):
            Method to send with; ``POST`` when unspecified.
        headers (MutableMapping[str, str]):
            Headers to send, case preserved; no Content-Type is added. Cloud
            Tasks adds ``User-Agent: Google-Cloud-Tasks`` and ``X-CloudTasks-*``.
        body (bytes):
            Request payload, allowed only with POST, PUT or PATCH; left out of
            ``BASIC`` task views.
        oauth_token (OAuthToken):
            Adds an OAuth access token; one of ``authorization_header``.
        oidc_token (OidcToken):
            Adds an OIDC ID token; one of ``authorization_header``.
    """

    url: str = proto.Field(proto.STRING, number=1)
    http_method: HttpMethod = proto.Field(proto.ENUM, number=2, enum=HttpMethod)
    headers: MutableMapping[str, str] = proto.MapField(proto.STRING, proto.STRING, number=3)
    body: bytes = proto.Field(proto.BYTES, number=4)
    oauth_token: OAuthToken = proto.Field(
        proto.MESSAGE, number=5, oneof="authorization_header", message=OAuthToken
    )
    oidc_token: OidcToken = proto.Field(
        proto.MESSAGE, number=6, oneof="authorization_header", message=OidcToken
    )


class AppEngineRouting(proto.Message):
    """Which App Engine service, version and instance receives a task.

    Attributes:
        service (str):
            Service name; empty means the app's default service at dispatch time.
        version (str):
            Version name; empty means the service's default version.
        instance (str):
            Instance name; empty means any available instance.
        host (str):
            Output only. The host the request is sent to, derived from the
            other fields.
    """

    service: str = proto.Field(proto.STRING, number=1)
    version: str = proto.Field(proto.STRING, number=2)
    instance: str = proto.Field(proto.STRING, number=3)
    host: str = proto.Field(proto.STRING, number=4)


class AppEngineHttpRequest(proto.Message):
    """The request a task sends to an App Engine app in the queue's project.

    Attributes:
        http_method (HttpMethod):
            Method to send with; ``POST`` when unspecified.
        app_engine_routing (AppEngineRouting):
            Target service, version and instance; the queue's
            ``app_engine_routing_override`` wins when set.
        relative_uri (str):
            Path and query, starting with ``/``; empty means ``/``.
        headers (MutableMapping[str, str]):
            Headers to send. Cloud Tasks adds ``X-AppEngine-*`` headers, and a
            body without Content-Type is sent as ``application/octet-stream``.
        body (bytes):
            Request payload, allowed only with POST or PUT; left out of
            ``BASIC`` task views.
    """

    http_method: HttpMethod = proto.Field(proto.ENUM, number=1, enum=HttpMethod)
    app_engine_routing: AppEngineRouting = proto.Field(
        proto.MESSAGE, number=2, message=AppEngineRouting
    )
    relative_uri: str = proto.Field(proto.STRING, number=3)
    headers: MutableMapping[str, str] = proto.MapField(proto.STRING, proto.STRING, number=4)
    body: bytes = proto.Field(proto.BYTES, number=5)


__all__ = tuple(sorted(__protobuf__.manifest))
