"""The asyncio REST transport: the same transcoding and errors, awaited over aiohttp.

Requests go through ``google.auth``'s ``AsyncAuthorizedSession`` when the
installed google-auth has one that accepts the transport's credentials;
otherwise straight through an ``aiohttp.ClientSession``, the credentials
adding their header (a token refresh runs in a worker thread).  Either way
the session is opened on the first call, inside the running event loop,
and errors map exactly as for the blocking transport (see :mod:`.rest`).
The interceptor's hooks are coroutines.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from google.auth import credentials as ga_credentials

try:
    import aiohttp
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "the rest_asyncio transport needs aiohttp: pip install 'google-cloud-tasks[async_rest]'"
    ) from exc

from .calls import AsyncInvoker
from .rest import RestCall, RestInterceptor, RestTransport, deadline, http_error, parse, unavailable
from .spec import Method

__all__ = ["AsyncRestInterceptor", "AsyncRestTransport", "AsyncRestCall"]

#: (status, response headers, body) of one HTTP exchange
Exchange = tuple[int, list[tuple[str, str]], bytes]


class AsyncRestInterceptor(RestInterceptor):
    """:class:`~.rest.RestInterceptor` whose hooks are coroutine functions (``async def``)."""

    _asynchronous: ClassVar[bool] = True


def _timeout(seconds: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=seconds)


def _str_headers(headers: dict[str, Any]) -> dict[str, str]:
    return {
        key: value.decode("latin-1") if isinstance(value, bytes) else value
        for key, value in headers.items()
    }


class _AiohttpSender:
    """Sends through one ``aiohttp.ClientSession``, adding the credentials' header itself."""

    def __init__(self, credentials: Any) -> None:
        self._credentials = credentials
        self._session: aiohttp.ClientSession | None = None
        self._refresh_request: Any = None

    async def _authorize(self, verb: str, url: str, headers: dict[str, str]) -> None:
        credentials = self._credentials
        if credentials is None or isinstance(credentials, ga_credentials.AnonymousCredentials):
            return
        if self._refresh_request is None:
            from google.auth.transport.requests import Request

            self._refresh_request = Request()
        await asyncio.to_thread(
            credentials.before_request, self._refresh_request, verb, url, headers
        )

    async def send(
        self,
        verb: str,
        url: str,
        body: bytes | None,
        params: list[tuple[str, str]],
        headers: dict[str, str],
        timeout: float | None,
    ) -> Exchange:
        await self._authorize(verb, url, headers)
        if self._session is None:
            self._session = aiohttp.ClientSession()
        async with self._session.request(
            verb, url, data=body, params=params, headers=headers, timeout=_timeout(timeout)
        ) as response:
            content = await response.read()
            return response.status, list(response.headers.items()), content

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()


class _GoogleAuthSender:
    """Sends through ``google.auth.aio.transport.sessions.AsyncAuthorizedSession``."""

    def __init__(self, session: Any) -> None:
        self._session = session

    async def send(
        self,
        verb: str,
        url: str,
        body: bytes | None,
        params: list[tuple[str, str]],
        headers: dict[str, str],
        timeout: float | None,
    ) -> Exchange:
        from google.auth import exceptions as auth_exceptions

        try:
            response = await self._session.request(
                verb,
                url,
                data=body,
                headers=headers,
                max_allowed_time=timeout,
                timeout=_timeout(timeout),
                total_attempts=1,  # retrying is the api_core Retry's decision, as for gRPC
                params=params,
            )
        except auth_exceptions.TimeoutError as exc:
            raise asyncio.TimeoutError(str(exc)) from exc
        except auth_exceptions.TransportError as exc:
            raise aiohttp.ClientConnectionError(str(exc)) from exc
        try:
            content = await response.read()
        except auth_exceptions.ResponseError as exc:
            raise aiohttp.ClientPayloadError(str(exc)) from exc
        return response.status_code, list(response.headers.items()), content

    async def close(self) -> None:
        await self._session.close()


def open_sender(credentials: Any) -> Any:
    """The google-auth session when it can carry ``credentials``, else plain aiohttp."""
    try:
        from google.auth.aio import credentials as aio_credentials
        from google.auth.aio.transport.sessions import AsyncAuthorizedSession
    except ImportError:  # google-auth without asyncio support
        return _AiohttpSender(credentials)
    if credentials is None or isinstance(credentials, ga_credentials.AnonymousCredentials):
        credentials = aio_credentials.AnonymousCredentials()
    try:
        return _GoogleAuthSender(AsyncAuthorizedSession(credentials))
    except Exception:  # an older google-auth that only takes its asyncio credentials
        return _AiohttpSender(credentials)


class AsyncRestTransport(RestTransport):
    """Sends each RPC as JSON over HTTP/1.1 from asyncio (``transport="rest_asyncio"``).

    Takes the same arguments as the blocking REST transport, except that a
    client certificate (``client_cert_source_for_mtls``) is not supported.
    ``close()`` returns a coroutine.
    """

    kind = "rest_asyncio"
    _invoker_type: ClassVar[type] = AsyncInvoker
    _interceptor_type: ClassVar[type[RestInterceptor]] = AsyncRestInterceptor
    _operations_classes: ClassVar[tuple[str, str]] = (
        "AsyncOperationsRestTransport",
        "AsyncOperationsRestClient",
    )

    def _open_session(self, cert_source: Callable[[], tuple[bytes, bytes]] | None) -> Any:
        if cert_source:
            raise NotImplementedError(
                f"{type(self).__name__} does not support client certificates (mTLS);"
                " use the blocking REST transport or gRPC"
            )
        return open_sender(self._credentials)

    def _make_stub(self, method: Method) -> Callable[..., Any]:
        return AsyncRestCall(self, method)

    async def close(self) -> None:  # type: ignore[override]
        """Close the HTTP session."""
        await self._session.close()


class AsyncRestCall(RestCall):
    """One method of the asyncio REST transport: ``await stub(request, timeout=..., ...)``."""

    __slots__ = ()

    async def __call__(  # type: ignore[override]
        self,
        request: Any,
        *,
        timeout: float | None = None,
        metadata: Sequence[tuple[str, str | bytes]] = (),
        **_: Any,
    ) -> Any:
        transport = self._transport
        interceptor = transport._interceptor
        request, metadata = await getattr(interceptor, self._pre)(request, metadata)
        verb, url, body, params, headers = self._prepare(request, metadata)
        data = body.encode() if body is not None else None
        try:
            status, headers_out, content = await transport._session.send(
                verb, url, data, params, _str_headers(headers), timeout
            )
        except asyncio.TimeoutError as exc:
            raise deadline(verb, url, timeout, exc) from exc
        except aiohttp.ClientError as exc:
            raise unavailable(verb, url, exc) from exc
        if not 200 <= status < 300:
            raise http_error(status, content, verb, url, _Answer(status, headers_out, content))
        result = parse(self._method, content, f"{verb} {url}")
        if self._post is None:
            return result
        post, post_md = self._post
        result = await getattr(interceptor, post)(result)
        result, _ = await getattr(interceptor, post_md)(result, headers_out)
        return result


class _Answer:
    """The response kept on an exception raised by the asyncio transport (``exc.response``)."""

    __slots__ = ("status_code", "headers", "content")

    def __init__(self, status_code: int, headers: list[tuple[str, str]], content: bytes) -> None:
        self.status_code = status_code
        self.headers = dict(headers)
        self.content = content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")
