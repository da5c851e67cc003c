"""The decisions around one call, made without I/O, plus the two thin invokers.

``coerce`` turns what a caller passed (a message, a dict, ``None`` plus
flattened keyword arguments) into the request to send, and ``metadata``
adds the routing and identity headers to the caller's.
``SyncInvoker`` and ``AsyncInvoker`` apply the default retry and timeout and
translate transport errors to ``google.api_core.exceptions``; they are the
only places where sync and async calls differ.

``DEFAULT`` is what a method's ``retry`` and ``timeout`` default to.  It is
ours rather than ``google.api_core.gapic_v1.method.DEFAULT`` because
importing ``gapic_v1`` costs a cold start more than everything else a first
call needs (it pulls in ``google.auth.transport.grpc``, ``requests`` and
``cryptography``); a caller who passes api_core's ``DEFAULT`` still gets the
method's default, see :func:`is_default`.
"""

from __future__ import annotations

import enum
import re
import sys
import time
from collections.abc import Sequence
from typing import Any, NoReturn
from urllib.parse import quote_plus

import grpc
import proto
from google.api_core import exceptions
from google.protobuf import message

from .messages import wrap
from .spec import Method, RetryPolicy

Metadata = Sequence[tuple[str, str | bytes]]


class _Default(enum.Enum):
    """The one value of :data:`DEFAULT` (an enum member, so it pickles and reprs well)."""

    DEFAULT = "DEFAULT"

    def __repr__(self) -> str:
        return "DEFAULT"


#: "Use the method's own default": the default of every ``retry`` and ``timeout`` argument.
DEFAULT = _Default.DEFAULT
_API_CORE_METHOD = "google.api_core.gapic_v1.method"


def is_default(value: Any) -> bool:
    """Whether ``value`` asks for the method's default: :data:`DEFAULT` or api_core's.

    api_core's ``gapic_v1.method.DEFAULT`` is recognised without importing
    ``gapic_v1``: a caller who holds that value has already imported it.
    """
    if value is DEFAULT:
        return True
    module = sys.modules.get(_API_CORE_METHOD)
    return module is not None and value is getattr(module, "DEFAULT", DEFAULT)


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


class EmulatorAbsent(Exception):
    """Nothing serves at ``CLOUD_TASKS_EMULATOR_HOST``: raised by an attempt, so that no retry
    takes it for a passing failure, and turned into :attr:`error` when it leaves the call."""

    def __init__(self, error: exceptions.ServiceUnavailable) -> None:
        super().__init__(error.message)
        self.error = error


class _Invoker:
    __slots__ = ("stub", "timeout", "emulator", "_policy", "_retry")
    #: whether the default retry is built for ``await`` (``AsyncRetry``)
    _asynchronous = False

    def __init__(self, stub: Any, method: Method, emulator: str | None = None) -> None:
        self.stub = stub
        self.timeout = method.timeout
        #: ``host:port`` of the emulator the client talks to (from CLOUD_TASKS_EMULATOR_HOST)
        self.emulator = emulator
        self._policy: RetryPolicy | None = method.retry
        self._retry: Any = DEFAULT

    @property
    def retry(self) -> Any:
        """The method's default retry object, built on first use (``None``: no retrying).

        Building one imports ``google.api_core.retry`` (and ``requests`` with
        it), so a process whose calls never retry by default (``create_task``,
        or every call given its own ``retry``) never pays for that import.
        """
        if self._retry is DEFAULT:
            policy = self._policy
            self._retry = policy.build(self._asynchronous) if policy else None
        return self._retry

    def choose(self, retry: Any, timeout: Any) -> tuple[Any, Any]:
        """The retry and timeout one call uses: the caller's, or the method's defaults."""
        if retry is not None and is_default(retry):
            retry = self.retry
        if timeout is not None and is_default(timeout):
            timeout = self.timeout
        return retry, timeout

    def probing(self, error: exceptions.GoogleAPICallError, started: float | None) -> bool:
        """Whether to ask if the emulator is there at all after ``error``.

        Only an UNAVAILABLE of an emulator client asks, and only once the call
        has retried for :data:`~.env.EMULATOR_ABSENT_SECONDS` (``started`` is
        when it began; None for a call that does not retry: it asks at once).
        The asking is one TCP connect (:func:`~.env.emulator_absent`), on the
        failure path only.
        """
        if self.emulator is None or not isinstance(error, exceptions.ServiceUnavailable):
            return False
        from .env import EMULATOR_ABSENT_SECONDS  # the failure path only

        return started is None or time.monotonic() - started >= EMULATOR_ABSENT_SECONDS


def _absent_error(why: str, error: exceptions.GoogleAPICallError) -> EmulatorAbsent:
    """The refusal to retry, carrying the one-line ``ServiceUnavailable`` the caller gets."""
    return EmulatorAbsent(exceptions.ServiceUnavailable(why, response=error.response))


class SyncInvoker(_Invoker):
    """Calls a blocking stub with the method's defaults and api_core errors."""

    __slots__ = ()

    def __call__(
        self, request: Any, retry: Any = DEFAULT, timeout: Any = DEFAULT, metadata: Metadata = ()
    ) -> Any:
        retry, timeout = self.choose(retry, timeout)
        try:
            if retry is None:
                return self.attempt(request, timeout, metadata)
            return retry(self.attempt)(request, timeout, metadata, time.monotonic())
        except EmulatorAbsent as absent:
            raise absent.error from None

    def attempt(
        self, request: Any, timeout: Any, metadata: Metadata, started: float | None = None
    ) -> Any:
        try:
            return self.stub(request, timeout=timeout, metadata=metadata)
        except grpc.RpcError as exc:
            self.failed(exc, started)
        except exceptions.ServiceUnavailable as exc:  # the REST transport's
            why = self._absent(exc, started)
            if why is not None:
                raise _absent_error(why, exc) from None
            raise

    def failed(self, exc: grpc.RpcError, started: float | None) -> NoReturn:
        """Raise what a failed gRPC attempt means: its ``google.api_core`` error (caused by
        ``exc``), or :class:`EmulatorAbsent` when nothing serves the emulator address."""
        error = exceptions.from_grpc_error(exc)
        why = self._absent(error, started)
        if why is not None:
            raise _absent_error(why, error) from None
        raise error from exc

    def _absent(self, error: exceptions.GoogleAPICallError, started: float | None) -> str | None:
        """Why to stop retrying after ``error`` (the emulator is not there), or None."""
        if not self.probing(error, started):
            return None
        from .env import emulator_absent

        assert self.emulator is not None
        return emulator_absent(self.emulator)


class AsyncInvoker(_Invoker):
    """Awaits an asyncio stub with the method's defaults and api_core errors."""

    __slots__ = ()
    _asynchronous = True

    async def __call__(
        self, request: Any, retry: Any = DEFAULT, timeout: Any = DEFAULT, metadata: Metadata = ()
    ) -> Any:
        retry, timeout = self.choose(retry, timeout)
        try:
            if retry is None:
                return await self.attempt(request, timeout, metadata)
            return await retry(self.attempt)(request, timeout, metadata, time.monotonic())
        except EmulatorAbsent as absent:
            raise absent.error from None

    async def attempt(
        self, request: Any, timeout: Any, metadata: Metadata, started: float | None = None
    ) -> Any:
        try:
            return await self.stub(request, timeout=timeout, metadata=metadata)
        except grpc.RpcError as exc:
            await self.failed(exc, started)
        except exceptions.ServiceUnavailable as exc:  # the REST transports'
            why = await self._absent(exc, started)
            if why is not None:
                raise _absent_error(why, exc) from None
            raise

    async def failed(self, exc: grpc.RpcError, started: float | None) -> NoReturn:
        """What :meth:`SyncInvoker.failed` does, probing the emulator off the event loop."""
        error = exceptions.from_grpc_error(exc)
        why = await self._absent(error, started)
        if why is not None:
            raise _absent_error(why, error) from None
        raise error from exc

    async def _absent(
        self, error: exceptions.GoogleAPICallError, started: float | None
    ) -> str | None:
        """Why to stop retrying after ``error`` (the emulator is not there), or None; the
        connect runs off the event loop."""
        if not self.probing(error, started):
            return None
        import asyncio

        from .env import emulator_absent

        assert self.emulator is not None
        return await asyncio.to_thread(emulator_absent, self.emulator)
