"""The decisions around one call, made without I/O, plus the two thin invokers.

``coerce`` turns what a caller passed (a message, a dict, ``None`` plus
flattened keyword arguments) into the request to send, and ``metadata``
adds the routing and identity headers to the caller's.
``SyncInvoker`` and ``AsyncInvoker`` apply the default retry and timeout and
translate transport errors to ``google.api_core.exceptions``; they are the
only places where sync and async calls differ.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote_plus

import grpc
import proto
from google.api_core import exceptions
from google.api_core.gapic_v1.method import DEFAULT
from google.protobuf import message

from .messages import wrap
from .spec import Method

Metadata = Sequence[tuple[str, str | bytes]]
_ROUTING_KEY = "x-goog-request-params"
#: finds a character that a routing value must have percent-encoded
_UNSAFE = re.compile(r"[^A-Za-z0-9_.~/-]").search
#: routing values already encoded: an app names the same few queues again and again
_ENCODED: dict[str, str] = {}
_ENCODED_KEPT = 1024

FLATTENED_WITH_REQUEST = (
    "If the `request` argument is set, then none of the individual field arguments should be set."
)


def coerce(method: Method, request: Any, flattened: Sequence[Any]) -> Any:
    """The request message to send, built from ``request`` and the flattened values.

    Raises ``ValueError`` when both a request and flattened values are given,
    and ``TypeError`` when ``request`` is of an unrelated type.
    """
    cls = method.request
    given = False
    for value in flattened:
        if value is not None:
            given = True
            break
    if request is None:
        if not given:
            return cls()
        if not method.raw:
            fast = _from_fields(method, flattened)
            if fast is not None:
                return fast
    elif given:
        raise ValueError(FLATTENED_WITH_REQUEST)
    elif type(request) is cls:
        return request
    if method.raw:
        if request is None:
            request = cls()
        elif isinstance(request, dict):
            request = cls(**request)
        elif not isinstance(request, cls):
            raise TypeError(f"request must be a {cls.__name__} or a dict, not {type(request)!r}")
        for name, value in zip(method.flattened, flattened, strict=False):
            if value is None:
                continue
            if name == "permissions":
                request.permissions.extend(value)
            else:
                setattr(request, name, value)
        return request
    if request is None:
        return cls(
            **{
                name: value
                for name, value in zip(method.flattened, flattened, strict=False)
                if value is not None
            }
        )
    if isinstance(request, cls):
        return request
    if not isinstance(request, (dict, method.request_pb)):
        raise TypeError(f"request must be a {cls.__name__} or a dict, not {type(request)!r}")
    return cls(request)


def _from_fields(method: Method, values: Sequence[Any]) -> Any:
    """The common case built on the raw protobuf: string and message fields only.

    Returns None when a value needs proto-plus marshalling (dicts, lists,
    datetimes, mismatched types); the caller then takes the general path.
    """
    fields: dict[str, Any] = {}
    for name, value in zip(method.flattened, values, strict=False):
        if value is None:
            continue
        if type(value) is str:
            fields[name] = value
        elif isinstance(value, proto.Message):
            fields[name] = value._pb
        elif isinstance(value, message.Message):
            fields[name] = value
        else:
            return None
    try:
        pb = method.request_pb(**fields)
    except (TypeError, ValueError):
        return None
    return wrap(method.request, pb)


def _encode(value: str) -> str:
    """Form-encode a routing value as Google's frontends expect (space -> ``+``, ``/`` kept)."""
    encoded = _ENCODED.get(value)
    if encoded is None:
        encoded = value if _UNSAFE(value) is None else quote_plus(value, safe="/")
        if len(_ENCODED) >= _ENCODED_KEPT:
            _ENCODED.clear()
        _ENCODED[value] = encoded
    return encoded


def metadata(method: Method, request: Any, extra: Metadata, fixed: Metadata) -> tuple[Any, ...]:
    """Caller metadata, then the routing header, then the client's own headers."""
    if not method.routing_paths:
        return (*extra, *fixed)
    raw = request if method.raw else request._pb
    params = []
    for name, parts in method.routing_paths:
        value = raw
        for part in parts:
            value = getattr(value, part)
        params.append(f"{name}={_encode(str(value))}")
    return (*extra, (_ROUTING_KEY, "&".join(params)), *fixed)


class _Invoker:
    __slots__ = ("stub", "retry", "timeout")

    def __init__(self, stub: Any, method: Method, retry: Any) -> None:
        self.stub = stub
        self.retry = retry
        self.timeout = method.timeout


class SyncInvoker(_Invoker):
    """Calls a blocking stub with the method's defaults and api_core errors."""

    __slots__ = ()

    def __call__(
        self, request: Any, retry: Any = DEFAULT, timeout: Any = DEFAULT, metadata: Metadata = ()
    ) -> Any:
        if retry is DEFAULT:
            retry = self.retry
        if timeout is DEFAULT:
            timeout = self.timeout
        if retry is None:
            try:
                return self.stub(request, timeout=timeout, metadata=metadata)
            except grpc.RpcError as exc:
                raise exceptions.from_grpc_error(exc) from exc
        return retry(self.attempt)(request, timeout, metadata)

    def attempt(self, request: Any, timeout: Any, metadata: Metadata) -> Any:
        try:
            return self.stub(request, timeout=timeout, metadata=metadata)
        except grpc.RpcError as exc:
            raise exceptions.from_grpc_error(exc) from exc


class AsyncInvoker(_Invoker):
    """Awaits an asyncio stub with the method's defaults and api_core errors."""

    __slots__ = ()

    async def __call__(
        self, request: Any, retry: Any = DEFAULT, timeout: Any = DEFAULT, metadata: Metadata = ()
    ) -> Any:
        if retry is DEFAULT:
            retry = self.retry
        if timeout is DEFAULT:
            timeout = self.timeout
        if retry is None:
            try:
                return await self.stub(request, timeout=timeout, metadata=metadata)
            except grpc.RpcError as exc:
                raise exceptions.from_grpc_error(exc) from exc
        return await retry(self.attempt)(request, timeout, metadata)

    async def attempt(self, request: Any, timeout: Any, metadata: Metadata) -> Any:
        try:
            return await self.stub(request, timeout=timeout, metadata=metadata)
        except grpc.RpcError as exc:
            raise exceptions.from_grpc_error(exc) from exc
