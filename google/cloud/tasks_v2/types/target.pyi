# Written by scripts/gen_stubs.py from the classes of target.py; do not edit.
# Run `python scripts/gen_stubs.py` after changing them.

import enum as _enum
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any, Literal, TypeAlias

from google.cloud.tasks import _message

class HttpMethod(_enum.IntEnum):
    HTTP_METHOD_UNSPECIFIED = 0
    POST = 1
    GET = 2
    HEAD = 3
    PUT = 4
    DELETE = 5
    PATCH = 6
    OPTIONS = 7

class PathOverride(_message.Message):
    def __init__(
        self,
        mapping: PathOverride | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        path: str = ...,
    ) -> None: ...
    path: str

class QueryOverride(_message.Message):
    def __init__(
        self,
        mapping: QueryOverride | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        query_params: str = ...,
    ) -> None: ...
    query_params: str

class UriOverride(_message.Message):
    class Scheme(_enum.IntEnum):
        SCHEME_UNSPECIFIED = 0
        HTTP = 1
        HTTPS = 2

    class UriOverrideEnforceMode(_enum.IntEnum):
        URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED = 0
        IF_NOT_EXISTS = 1
        ALWAYS = 2

    def __init__(
        self,
        mapping: UriOverride | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        scheme: _UriOverrideSchemeArg | None = ...,
        host: str | None = ...,
        port: int | None = ...,
        path_override: PathOverride | dict[str, Any] | None = ...,
        query_override: QueryOverride | dict[str, Any] | None = ...,
        uri_override_enforce_mode: _UriOverrideUriOverrideEnforceModeArg = ...,
    ) -> None: ...
    @property
    def scheme(self) -> UriOverride.Scheme: ...
    @scheme.setter
    def scheme(self, value: _UriOverrideSchemeArg | None) -> None: ...
    @property
    def host(self) -> str: ...
    @host.setter
    def host(self, value: str | None) -> None: ...
    @property
    def port(self) -> int: ...
    @port.setter
    def port(self, value: int | None) -> None: ...
    @property
    def path_override(self) -> PathOverride: ...
    @path_override.setter
    def path_override(self, value: PathOverride | dict[str, Any] | None) -> None: ...
    @property
    def query_override(self) -> QueryOverride: ...
    @query_override.setter
    def query_override(self, value: QueryOverride | dict[str, Any] | None) -> None: ...
    @property
    def uri_override_enforce_mode(self) -> UriOverride.UriOverrideEnforceMode: ...
    @uri_override_enforce_mode.setter
    def uri_override_enforce_mode(self, value: _UriOverrideUriOverrideEnforceModeArg) -> None: ...

class OAuthToken(_message.Message):
    def __init__(
        self,
        mapping: OAuthToken | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        service_account_email: str = ...,
        scope: str = ...,
    ) -> None: ...
    service_account_email: str
    scope: str

class OidcToken(_message.Message):
    def __init__(
        self,
        mapping: OidcToken | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        service_account_email: str = ...,
        audience: str = ...,
    ) -> None: ...
    service_account_email: str
    audience: str

class HttpTarget(_message.Message):
    class Header(_message.Message):
        def __init__(
            self,
            mapping: HttpTarget.Header | Mapping[str, Any] | None = None,
            *,
            ignore_unknown_fields: bool = False,
            key: str = ...,
            value: str = ...,
        ) -> None: ...
        key: str
        value: str

    class HeaderOverride(_message.Message):
        def __init__(
            self,
            mapping: HttpTarget.HeaderOverride | Mapping[str, Any] | None = None,
            *,
            ignore_unknown_fields: bool = False,
            header: HttpTarget.Header | dict[str, Any] | None = ...,
        ) -> None: ...
        @property
        def header(self) -> HttpTarget.Header: ...
        @header.setter
        def header(self, value: HttpTarget.Header | dict[str, Any] | None) -> None: ...

    def __init__(
        self,
        mapping: HttpTarget | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        uri_override: UriOverride | dict[str, Any] | None = ...,
        http_method: _HttpMethodArg = ...,
        header_overrides: Sequence[HttpTarget.HeaderOverride | dict[str, Any]] = ...,
        oauth_token: OAuthToken | dict[str, Any] | None = ...,
        oidc_token: OidcToken | dict[str, Any] | None = ...,
    ) -> None: ...
    @property
    def uri_override(self) -> UriOverride: ...
    @uri_override.setter
    def uri_override(self, value: UriOverride | dict[str, Any] | None) -> None: ...
    @property
    def http_method(self) -> HttpMethod: ...
    @http_method.setter
    def http_method(self, value: _HttpMethodArg) -> None: ...
    @property
    def header_overrides(self) -> MutableSequence[HttpTarget.HeaderOverride]: ...
    @header_overrides.setter
    def header_overrides(
        self,
        value: Sequence[HttpTarget.HeaderOverride | dict[str, Any]],
    ) -> None: ...
    @property
    def oauth_token(self) -> OAuthToken: ...
    @oauth_token.setter
    def oauth_token(self, value: OAuthToken | dict[str, Any] | None) -> None: ...
    @property
    def oidc_token(self) -> OidcToken: ...
    @oidc_token.setter
    def oidc_token(self, value: OidcToken | dict[str, Any] | None) -> None: ...

class HttpRequest(_message.Message):
    def __init__(
        self,
        mapping: HttpRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        url: str = ...,
        http_method: _HttpMethodArg = ...,
        headers: Mapping[str, str] = ...,
        body: bytes = ...,
        oauth_token: OAuthToken | dict[str, Any] | None = ...,
        oidc_token: OidcToken | dict[str, Any] | None = ...,
    ) -> None: ...
    url: str
    @property
    def http_method(self) -> HttpMethod: ...
    @http_method.setter
    def http_method(self, value: _HttpMethodArg) -> None: ...
    @property
    def headers(self) -> MutableMapping[str, str]: ...
    @headers.setter
    def headers(self, value: Mapping[str, str]) -> None: ...
    body: bytes
    @property
    def oauth_token(self) -> OAuthToken: ...
    @oauth_token.setter
    def oauth_token(self, value: OAuthToken | dict[str, Any] | None) -> None: ...
    @property
    def oidc_token(self) -> OidcToken: ...
    @oidc_token.setter
    def oidc_token(self, value: OidcToken | dict[str, Any] | None) -> None: ...

class AppEngineRouting(_message.Message):
    def __init__(
        self,
        mapping: AppEngineRouting | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        service: str = ...,
        version: str = ...,
        instance: str = ...,
        host: str = ...,
    ) -> None: ...
    service: str
    version: str
    instance: str
    host: str

class AppEngineHttpRequest(_message.Message):
    def __init__(
        self,
        mapping: AppEngineHttpRequest | Mapping[str, Any] | None = None,
        *,
        ignore_unknown_fields: bool = False,
        http_method: _HttpMethodArg = ...,
        app_engine_routing: AppEngineRouting | dict[str, Any] | None = ...,
        relative_uri: str = ...,
        headers: Mapping[str, str] = ...,
        body: bytes = ...,
    ) -> None: ...
    @property
    def http_method(self) -> HttpMethod: ...
    @http_method.setter
    def http_method(self, value: _HttpMethodArg) -> None: ...
    @property
    def app_engine_routing(self) -> AppEngineRouting: ...
    @app_engine_routing.setter
    def app_engine_routing(self, value: AppEngineRouting | dict[str, Any] | None) -> None: ...
    relative_uri: str
    @property
    def headers(self) -> MutableMapping[str, str]: ...
    @headers.setter
    def headers(self, value: Mapping[str, str]) -> None: ...
    body: bytes

_HttpMethodName: TypeAlias = Literal[
    "HTTP_METHOD_UNSPECIFIED",
    "POST",
    "GET",
    "HEAD",
    "PUT",
    "DELETE",
    "PATCH",
    "OPTIONS",
]
_HttpMethodArg: TypeAlias = HttpMethod | int | _HttpMethodName
_UriOverrideSchemeName: TypeAlias = Literal["SCHEME_UNSPECIFIED", "HTTP", "HTTPS"]
_UriOverrideSchemeArg: TypeAlias = UriOverride.Scheme | int | _UriOverrideSchemeName
_UriOverrideUriOverrideEnforceModeName: TypeAlias = Literal[
    "URI_OVERRIDE_ENFORCE_MODE_UNSPECIFIED",
    "IF_NOT_EXISTS",
    "ALWAYS",
]
_UriOverrideUriOverrideEnforceModeArg: TypeAlias = (
    UriOverride.UriOverrideEnforceMode | int | _UriOverrideUriOverrideEnforceModeName
)
