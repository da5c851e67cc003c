"""REST transports, read from the same method table as the gRPC ones.

Each row's :class:`~.spec.HttpRule` list says how its request becomes an HTTP
request (``google.api_core.path_template.transcode``: path parameters, a body,
the remaining fields as query parameters in the proto3 JSON mapping).  The
answer is parsed with ``google.protobuf.json_format`` ignoring unknown fields.

What can go wrong on the wire surfaces as ``google.api_core.exceptions``,
never as a JSON or socket error:

========================================  =========================================
what happened                             raised
========================================  =========================================
a non-2xx answer                          the class of its HTTP status
                                          (``from_http_status``), with the Google
                                          error body's message and details, or the
                                          page's text when the body is not JSON
a 2xx answer whose body is not the        ``InternalServerError`` (as gRPC reports
expected JSON message                     a reply it cannot decode: ``INTERNAL``)
no connection, or the connection broke    ``ServiceUnavailable`` (gRPC's
before the whole answer arrived           ``UNAVAILABLE``; idempotent methods retry)
no answer within ``timeout``              ``DeadlineExceeded``
========================================  =========================================

:class:`RestInterceptor` gives every method of the table ``pre_<method>``,
``post_<method>`` and ``post_<method>_with_metadata`` hooks that do nothing;
subclasses override the ones they need.  The asyncio transport
(:mod:`.rest_asyncio`) shares every step here except sending.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import requests
from google.api_core import exceptions, path_template, rest_helpers
from google.auth import credentials as ga_credentials
from google.protobuf import json_format

from .spec import Method, Service
from .transport import Transport

if TYPE_CHECKING:
    from .transport import ClientInfo

__all__ = ["RestInterceptor", "RestTransport", "RestCall", "prepare", "parse", "http_error"]

#: What every REST request asks for: JSON answers with enums as numbers.
ALT = ("$alt", "json;enum-encoding=int")
_SCHEME = re.compile(r"^https?://")


# -- interceptors ------------------------------------------------------------------------


def _hook_names(method: Method) -> tuple[str, ...]:
    name = method.name
    if method.response is None:
        return (f"pre_{name}",)
    return (f"pre_{name}", f"post_{name}", f"post_{name}_with_metadata")


def _make_hooks(method: Method, asynchronous: bool) -> dict[str, Callable[..., Any]]:
    """Identity hooks for one method: plain functions, or coroutine functions."""

    def pre(self: Any, request: Any, metadata: Sequence[tuple[str, str | bytes]]) -> Any:
        return request, metadata

    def post(self: Any, response: Any) -> Any:
        return response

    def post_with_metadata(self: Any, response: Any, metadata: Any) -> Any:
        return response, metadata

    async def apre(self: Any, request: Any, metadata: Sequence[tuple[str, str | bytes]]) -> Any:
        return request, metadata

    async def apost(self: Any, response: Any) -> Any:
        return response

    async def apost_with_metadata(self: Any, response: Any, metadata: Any) -> Any:
        return response, metadata

    funcs: tuple[Callable[..., Any], ...] = (
        (apre, apost, apost_with_metadata) if asynchronous else (pre, post, post_with_metadata)
    )
    docs = (
        f"Called before ``{method.name}`` is sent: return the request and metadata to send.",
        f"Called with the answer of ``{method.name}``: return the answer the caller gets.",
        f"Called with the answer of ``{method.name}`` and the HTTP response headers:"
        " return the answer and the headers.",
    )
    hooks: dict[str, Callable[..., Any]] = {}
    for hook_name, func, doc in zip(_hook_names(method), funcs, docs, strict=False):
        func.__name__ = hook_name
        func.__qualname__ = hook_name
        func.__doc__ = doc
        hooks[hook_name] = func
    return hooks


class RestInterceptor:
    """Hooks around every REST call; each does nothing until a subclass overrides it.

    For each method ``m`` of the service: ``pre_m(request, metadata)`` returns
    the ``(request, metadata)`` to send; ``post_m(response)`` returns the
    response the caller gets; ``post_m_with_metadata(response, metadata)``
    (``metadata`` being the HTTP response headers) returns ``(response,
    metadata)``.  Methods without a response (the deletes) only have ``pre_m``.
    The hooks are real methods generated from the table, so ``super()`` calls
    and ``mock.patch.object`` work on them.
    """

    _service: ClassVar[Service]
    #: whether the generated hooks are coroutine functions
    _asynchronous: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        service = cls.__dict__.get("_service")
        if service is None:
            return
        for method in service.methods.values():
            for hook_name, hook in _make_hooks(method, cls._asynchronous).items():
                if hook_name not in cls.__dict__:
                    hook.__qualname__ = f"{cls.__qualname__}.{hook_name}"
                    setattr(cls, hook_name, hook)

    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Any: ...


# -- request and response ----------------------------------------------------------------


def _options(method: Method) -> list[dict[str, str]]:
    if not method.http:
        raise NotImplementedError(
            f"Method {method.rpc} is not available over REST transport: it has no HTTP"
            " binding; call it over gRPC."
        )
    return [rule.as_option() for rule in method.http]


def prepare(
    method: Method,
    options: list[dict[str, str]],
    request: Any,
    metadata: Sequence[tuple[str, str | bytes]],
) -> tuple[str, str, str | None, list[tuple[str, str]], dict[str, Any]]:
    """``(verb, path, body, query, headers)`` of one call, by the method's HTTP bindings.

    The first binding the request fits is used (``ValueError`` if none does).
    The body and the query are in the proto3 JSON mapping; the query also
    carries ``$alt=json;enum-encoding=int``.  ``metadata`` becomes the headers.
    """
    pb = request if method.raw else type(request).pb(request)
    transcoded = path_template.transcode(options, pb)
    body = transcoded.get("body")
    text = None
    if body is not None:
        text = json_format.MessageToJson(body, use_integers_for_enums=True, indent=None)
    query = transcoded.get("query_params")
    params: list[tuple[str, str]] = []
    if query is not None and query.ByteSize():
        fields = json_format.MessageToDict(query, use_integers_for_enums=True)
        params = rest_helpers.flatten_query_params(fields, strict=True)
    params.append(ALT)
    headers = dict(metadata)
    headers["Content-Type"] = "application/json"
    return transcoded["method"].upper(), transcoded["uri"], text, params, headers


def parse(method: Method, content: bytes, where: str) -> Any:
    """The response message in ``content``; ``InternalServerError`` when it is not one."""
    cls = method.response
    if cls is None:
        return None
    raw = not hasattr(cls, "pb")
    message = cls() if raw else cls.pb()()
    try:
        json_format.Parse(content, message, ignore_unknown_fields=True)
    except Exception as exc:  # ParseError, UnicodeDecodeError, or JSON of the wrong shape
        excerpt = content[:200].decode("utf-8", "replace")
        raise exceptions.InternalServerError(
            f"{where}: the answer is not a {message.DESCRIPTOR.full_name} in JSON ({exc}): "
            f"{excerpt!r}"
        ) from exc
    return message if raw else cls.wrap(message)


def http_error(status: int, content: bytes, verb: str, url: str, response: Any) -> Exception:
    """The ``google.api_core`` exception for a non-2xx answer.

    A Google error body (``{"error": {"code", "message", "status", "details"}}``)
    gives the message and details; any other body (an HTML page, plain text,
    broken JSON) becomes the message as text.
    """
    text = content.decode("utf-8", "replace")
    try:
        payload = json.loads(text)
    except ValueError:
        payload = None
    if not (isinstance(payload, dict) and isinstance(payload.get("error"), dict)):
        payload = {"error": {"message": text.strip() or f"HTTP {status}"}}
    error = payload["error"]
    if not isinstance(error.get("details", ()), list):
        error["details"] = ()
    return exceptions.format_http_response_error(  # type: ignore[no-any-return]
        _Status(status, response), verb, url, payload
    )


def response_error(response: Any, content: bytes, verb: str, url: str) -> Exception:
    """The ``google.api_core`` exception for a non-2xx ``requests`` response.

    ``from_http_response`` reads it as the rest of the ecosystem does (so a test's
    mocked response works too); an error body of an unexpected shape falls back
    to :func:`http_error`.
    """
    try:
        return exceptions.from_http_response(response)  # type: ignore[no-any-return]
    except (AttributeError, TypeError, KeyError):
        return http_error(response.status_code, content, verb, url, response)


class _Status:
    """What ``format_http_response_error`` reads of a response: its status code."""

    __slots__ = ("status_code", "response")

    def __init__(self, status_code: int, response: Any) -> None:
        self.status_code = status_code
        self.response = response


def unavailable(verb: str, url: str, exc: BaseException) -> exceptions.GoogleAPICallError:
    """No connection, or it broke mid-answer."""
    return exceptions.ServiceUnavailable(f"{verb} {url}: {exc}")


def deadline(
    verb: str, url: str, timeout: Any, exc: BaseException
) -> exceptions.GoogleAPICallError:
    """No answer in time."""
    return exceptions.DeadlineExceeded(f"{verb} {url}: no answer within {timeout} s ({exc})")


# -- the transport -----------------------------------------------------------------------


class RestTransport(Transport):
    """Sends each RPC as JSON over HTTP/1.1 through a ``google.auth`` authorized session.

    ``host`` may carry a scheme; otherwise ``url_scheme`` (``https`` unless
    told) is put in front.  ``interceptor`` (an instance of the version's
    ``CloudTasksRestInterceptor``) sees every request and response.
    """

    kind = "rest"
    _interceptor_type: ClassVar[type[RestInterceptor]] = RestInterceptor

    def __init__(
        self,
        *,
        host: str | None = None,
        credentials: ga_credentials.Credentials | None = None,
        credentials_file: str | None = None,
        scopes: Sequence[str] | None = None,
        client_cert_source_for_mtls: Callable[[], tuple[bytes, bytes]] | None = None,
        quota_project_id: str | None = None,
        client_info: ClientInfo | None = None,
        always_use_jwt_access: bool | None = False,
        url_scheme: str = "https",
        interceptor: RestInterceptor | None = None,
        api_audience: str | None = None,
    ) -> None:
        host = host or self.DEFAULT_HOST
        if not _SCHEME.match(host):
            host = f"{url_scheme}://{host}"
        super().__init__(
            host=host,
            credentials=credentials,
            credentials_file=credentials_file,
            scopes=scopes,
            quota_project_id=quota_project_id,
            client_info=client_info,
            always_use_jwt_access=always_use_jwt_access,
            api_audience=api_audience,
        )
        self._interceptor = interceptor or self._interceptor_type()
        self._operations_client: Any = None
        self._session = self._open_session(client_cert_source_for_mtls)

    #: api_core's operations transport and client classes (the async transport names its own)
    _operations_classes: ClassVar[tuple[str, str]] = (
        "OperationsRestTransport",
        "AbstractOperationsClient",
    )

    def _open_session(self, cert_source: Callable[[], tuple[bytes, bytes]] | None) -> Any:
        from google.auth.transport.requests import AuthorizedSession

        session = AuthorizedSession(self._credentials, default_host=self.DEFAULT_HOST)
        if cert_source:
            session.configure_mtls_channel(cert_source)
        return session

    @classmethod
    def _emulator_kwargs(cls) -> dict[str, Any]:
        return {"url_scheme": "http"}

    def _make_stub(self, method: Method) -> Callable[..., Any]:
        return RestCall(self, method)

    @property
    def operations_client(self) -> Any:
        """A ``google.api_core`` operations client speaking REST to the same host."""
        if self._operations_client is None:
            from google.api_core import operations_v1

            method = self._service.methods.get("get_operation")
            rules = [rule.as_option() for rule in method.http] if method else []
            transport_name, client_name = self._operations_classes
            transport = getattr(operations_v1, transport_name)(
                host=self._host,
                credentials=self._credentials,
                scopes=self._scopes,
                http_options={"google.longrunning.Operations.GetOperation": rules},
                path_prefix=self._service.version,
            )
            self._operations_client = getattr(operations_v1, client_name)(transport=transport)
        return self._operations_client

    def close(self) -> None:
        self._session.close()


class RestCall:
    """One method of a REST transport: ``stub(request, timeout=..., metadata=...)``.

    Runs the interceptor's ``pre`` hook, transcodes, sends, checks the
    status, parses the answer and runs the ``post`` hooks.
    """

    __slots__ = ("_transport", "_method", "_options", "_pre", "_post")

    def __init__(self, transport: RestTransport, method: Method) -> None:
        self._transport = transport
        self._method = method
        self._options = _options(method) if method.http else None
        names = _hook_names(method)
        self._pre = names[0]
        #: the names of the post hooks; None for methods without an answer
        self._post = (names[1], names[2]) if len(names) == 3 else None

    @property
    def method(self) -> Method:
        """The table row this callable sends."""
        return self._method

    def _prepare(self, request: Any, metadata: Any) -> tuple[str, str, str | None, Any, Any]:
        if self._options is None:
            _options(self._method)  # raises NotImplementedError naming the method
        verb, path, body, params, headers = prepare(
            self._method, self._options or [], request, metadata
        )
        return verb, self._transport._host + path, body, params, headers

    def __call__(
        self,
        request: Any,
        *,
        timeout: float | None = None,
        metadata: Sequence[tuple[str, str | bytes]] = (),
        **_: Any,
    ) -> Any:
        transport = self._transport
        interceptor = transport._interceptor
        request, metadata = getattr(interceptor, self._pre)(request, metadata)
        verb, url, body, params, headers = self._prepare(request, metadata)
        try:
            response = transport._session.request(
                verb, url, data=body, params=params, headers=headers, timeout=timeout
            )
            content = response.content
        except requests.Timeout as exc:
            raise deadline(verb, url, timeout, exc) from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise unavailable(verb, url, exc) from exc
        status = response.status_code
        if not 200 <= status < 300:
            raise response_error(response, content, verb, url)
        result = parse(self._method, content, f"{verb} {url}")
        if self._post is None:
            return result
        post, post_md = self._post
        result = getattr(interceptor, post)(result)
        headers_out = [(key, str(value)) for key, value in response.headers.items()]
        result, _ = getattr(interceptor, post_md)(result, headers_out)
        return result

    def __repr__(self) -> str:
        return f"<RestCall {self._method.rpc}>"
