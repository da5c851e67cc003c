"""Where a v2beta2 task goes: pull, App Engine and HTTP targets, URL overrides and auth tokens."""

from __future__ import annotations

from collections.abc import MutableMapping, MutableSequence

import proto

__protobuf__ = proto.module(
    package="google.cloud.tasks.v2beta2",
    manifest={
        "PullTarget",
        "PullMessage",
        "AppEngineHttpTarget",
        "AppEngineHttpRequest",
        "AppEngineRouting",
        "HttpRequest",
        "PathOverride",
        "QueryOverride",
        "UriOverride",
        "HttpTarget",
        "OAuthToken",
        "OidcToken",
        "HttpMethod",
    },
)


class HttpMethod(proto.Enum):
    """The HTTP method a task's request is sent with.

    Values:
        HTTP_METHOD_UNSPECIFIED (0): Not set; treated as ``POST``.
        POST (1): POST.
        GET (2): GET.
        HEAD (3): HEAD.
        PUT (4): PUT.
        DELETE (5): DELETE.
        PATCH (6): PATCH.
        OPTIONS (7): OPTIONS.
    """

    HTTP_METHOD_UNSPECIFIED = 0
    POST = 1
    GET = 2
    HEAD = 3
    PUT = 4
    DELETE = 5
    PATCH = 6
    OPTIONS = 7


class PullTarget(proto.Message):
    """Marks a queue as a pull queue; it has no fields."""


class PullMessage(proto.Message):
    """Payload of a pull task, which a worker leases instead of being dispatched.

    Attributes:
        payload (bytes):
            Opaque bytes for the worker.
        tag (str):
            Label that LeaseTasks can filter on (``tag="<tag>"``); under 500 bytes.
    """

    payload: bytes = proto.Field(proto.BYTES, number=1)
    tag: str = proto.Field(proto.STRING, number=2)


class AppEngineRouting(proto.Message):
    """Which App Engine service, version and instance receives a task.

    Attributes:
        service (str):
            Service name; empty means the default service.
        version (str):
            Version name; empty means the version serving traffic.
        instance (str):
            Instance name; empty means any available instance.
        host (str):
            Output only. The host the task is sent to, derived from the other fields and the
            app's domain.
    """

    service: str = proto.Field(proto.STRING, number=1)
    version: str = proto.Field(proto.STRING, number=2)
    instance: str = proto.Field(proto.STRING, number=3)
    host: str = proto.Field(proto.STRING, number=4)


class AppEngineHttpTarget(proto.Message):
    """Queue-level settings that make a queue an App Engine push queue.

    Attributes:
        app_engine_routing_override (AppEngineRouting):
            When set, replaces the routing of every task in the queue.
    """

    app_engine_routing_override: AppEngineRouting = proto.Field(
        proto.MESSAGE, number=1, message=AppEngineRouting
    )


class AppEngineHttpRequest(proto.Message):
    """The request an App Engine task sends to a handler of the app.

    Attributes:
        http_method (HttpMethod):
            Method to send with; unspecified means POST.
        app_engine_routing (AppEngineRouting):
            Service, version and instance to send to; the queue's override wins.
        relative_url (str):
            Path and query of the handler, starting with ``/``; empty means ``/``.
        headers (MutableMapping[str, str]):
            Headers sent with the request; the service sets some itself (e.g.
            ``X-AppEngine-*``).
        payload (bytes):
            Request body; only allowed with POST and PUT.
    """

    http_method: HttpMethod = proto.Field(proto.ENUM, number=1, enum=HttpMethod)
    app_engine_routing: AppEngineRouting = proto.Field(
        proto.MESSAGE, number=2, message=AppEngineRouting
    )
    relative_url: str = proto.Field(proto.STRING, number=3)
    headers: MutableMapping[str, str] = proto.MapField(proto.STRING, proto.STRING, number=4)
    payload: bytes = proto.Field(proto.BYTES, number=5)


class PathOverride(proto.Message):
    """The path part of a :class:`UriOverride`.

    Attributes:
        path (str):
            Path that replaces the task URL's path, e.g. ``/users/1234``; empty clears it.
    """

    path: str = proto.Field(proto.STRING, number=1)


class QueryOverride(proto.Message):
    """The query part of a :class:`UriOverride`.

    Attributes:
        query_params (str):
            Query string without the ``?`` (e.g. ``a=1&b=2``) that replaces the task URL's
            query; empty clears it.
    """

    query_params: str = proto.Field(proto.STRING, number=1)


class UriOverride(proto.Message):
    """Queue-level changes to the URL of each HTTP task; unset parts are kept.

    Attributes:
        scheme (UriOverride.Scheme):
            Replaces the scheme; presence is tracked.
        host (str):
            Replaces the host name; presence is tracked.
        port (int):
            Replaces the port (0 clears it); presence is tracked.
        path_override (PathOverride):
            Replaces the path.
        query_override (QueryOverride):
            Replaces the query string.
        uri_override_enforce_mode (UriOverride.UriOverrideEnforceMode):
            Whether the override applies to every task or only fills in what a task lacks.
    """

    class Scheme(proto.Enum):
        """URL scheme for an override.

        Values:
            SCHEME_UNSPECIFIED (0): Not set.
            HTTP (1): ``http``.
            HTTPS (2): ``https``.
        """

        SCHEME_UNSPECIFIED = 0
        HTTP = 1
        HTTPS = 2

    class UriOverrideEnforceMode(proto.Enum):
        """When a queue's URL override applies.

        Values:
            URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED (0): Not set; treated as ``ALWAYS``.
            IF_NOT_EXISTS (1): Only where the task does not set that part itself.
            ALWAYS (2): Always, replacing the task's own values.
        """

        URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED = 0
        IF_NOT_EXISTS = 1
        ALWAYS = 2

    scheme: UriOverride.Scheme = proto.Field(proto.ENUM, number=1, optional=True, enum=Scheme)
    host: str = proto.Field(proto.STRING, number=2, optional=True)
    port: int = proto.Field(proto.INT64, number=3, optional=True)
    path_override: PathOverride = proto.Field(proto.MESSAGE, number=4, message=PathOverride)
    query_override: QueryOverride = proto.Field(proto.MESSAGE, number=5, message=QueryOverride)
    uri_override_enforce_mode: UriOverride.UriOverrideEnforceMode = proto.Field(
        proto.ENUM, number=6, enum=UriOverrideEnforceMode
    )


class OAuthToken(proto.Message):
    """Asks for an OAuth access token in the ``Authorization`` header.

    Attributes:
        service_account_email (str):
            Service account the token is minted for; the caller needs
            ``iam.serviceAccounts.actAs`` on it.
        scope (str):
            OAuth scope; default ``https://www.googleapis.com/auth/cloud-platform``.
    """

    service_account_email: str = proto.Field(proto.STRING, number=1)
    scope: str = proto.Field(proto.STRING, number=2)


class OidcToken(proto.Message):
    """Asks for an OpenID Connect ID token in the ``Authorization`` header.

    Attributes:
        service_account_email (str):
            Service account the token is minted for; the caller needs
            ``iam.serviceAccounts.actAs`` on it.
        audience (str):
            Token audience; defaults to the target URL.
    """

    service_account_email: str = proto.Field(proto.STRING, number=1)
    audience: str = proto.Field(proto.STRING, number=2)


class HttpRequest(proto.Message):
    """The HTTP request an HTTP task sends.

    Attributes:
        url (str):
            Full ``http://`` or ``https://`` URL, at most 2083 characters.
        http_method (HttpMethod):
            Method to send with; unspecified means POST.
        headers (MutableMapping[str, str]):
            Headers sent with the request, case preserved; the service sets some itself
            (e.g. ``User-Agent``, ``X-CloudTasks-*``).
        body (bytes):
            Request body; only allowed with POST, PUT and PATCH.
        oauth_token (OAuthToken):
            Adds an OAuth access token, for targets on ``*.googleapis.com``; one of
            ``authorization_header``.
        oidc_token (OidcToken):
            Adds an OIDC ID token, for other targets such as Cloud Run; one of
            ``authorization_header``.
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


class HttpTarget(proto.Message):
    """Queue-level settings applied to every HTTP task of the queue.

    Attributes:
        uri_override (UriOverride):
            Changes to each task's URL.
        http_method (HttpMethod):
            When set, replaces each task's HTTP method.
        header_overrides (MutableSequence[HttpTarget.HeaderOverride]):
            Headers set on every task, replacing ones of the same name.
        oauth_token (OAuthToken):
            Sends an OAuth access token; one of ``authorization_header``.
        oidc_token (OidcToken):
            Sends an OIDC ID token; one of ``authorization_header``.
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
        """A header that every task of the queue is sent with.

        Attributes:
            header (HttpTarget.Header):
                The header to set.
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


__all__ = tuple(sorted(__protobuf__.manifest))
