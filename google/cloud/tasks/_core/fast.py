"""What the generated fast paths of the gRPC clients call: one :class:`FastCall` per method.

A client method takes its fast path only for the commonest call: no
``request``, the default ``retry`` and ``timeout``, no extra ``metadata``, and
flattened arguments of exactly the expected types (``str``, or the method's
own proto-plus message class).  Everything else, and every transport that
is not one of our gRPC transports on a channel without interceptors, takes
the general path (:meth:`~.client.BaseClient._call`).  Both paths send the
same bytes with the same metadata and deadline through the same stub; the
fast one skips the decisions whose outcome is known in advance, builds the
request's protobuf itself (the stub's serializer takes it as it takes the
proto-plus message, which compares equal to it), and keeps the metadata of
each routing value (the routing header and ``x-goog-api-client``) ready made.

A failure leaves the fast path at once: :meth:`FastCall.failed` maps it as
the general path does and, for a method that retries by default, goes on
with that retry as if the first attempt had been made inside it (same
predicate, same backoff, the deadline counted from the call's start).
"""

from __future__ import annotations

import time
from time import monotonic
from typing import Any

import grpc
from grpc import RpcError

from .calls import EmulatorAbsent, Metadata, _encode
from .messages import wrap
from .spec import Method

__all__ = ["AsyncFastCall", "FastCall", "RpcError", "monotonic", "wrap"]

#: how many routing values' metadata each method keeps (an app names the same few queues)
ROUTED_KEPT = 256
_ROUTING_KEY = "x-goog-request-params"


class FastCall:
    """One method's fast path on one transport: its stub, invoker and ready metadata."""

    __slots__ = ("stub", "invoker", "pb", "request", "routed", "_field", "_fixed", "_deadline")

    def __init__(self, transport: Any, method: Method) -> None:
        #: the very stub the general path calls (so patching it catches both paths)
        self.stub = getattr(transport, method.name)
        #: the general path's invoker: error mapping, the default retry, later pages
        self.invoker = transport._invoker(method)
        self.pb = method.request_pb
        self.request = method.request
        #: routing value -> the call's whole metadata
        self.routed: dict[str, Any] = {}
        self._field = method.routing[0]
        self._fixed: tuple[tuple[str, str], ...] = transport._fixed_metadata
        self._deadline = method.retry.deadline if method.retry else 0.0
        if method.retry:  # built now, as by the general path's first call, not mid-failure
            self.invoker.retry  # noqa: B018

    def _metadata(self, pairs: tuple[tuple[str, str], ...]) -> Any:
        return pairs

    def route(self, value: str) -> Any:
        """The metadata of a call routed by ``value``, as the general path builds it."""
        md = self._metadata(((_ROUTING_KEY, f"{self._field}={_encode(value)}"), *self._fixed))
        if len(self.routed) >= ROUTED_KEPT:
            self.routed.clear()
        self.routed[value] = md
        return md

    def _remaining(self, started: float) -> float:
        return max(0.0, self._deadline - (time.monotonic() - started))

    def failed(self, exc: grpc.RpcError, sent: Any, md: Metadata, started: float | None) -> Any:
        """Raise the error of a failed first attempt, or retry it by the method's default.

        ``started`` is when the call began, None for a method without a default retry.
        """
        invoker = self.invoker
        retry = None if started is None else invoker.retry
        try:
            invoker.failed(exc, started)
        except EmulatorAbsent as absent:
            raise absent.error from None
        except Exception as error:  # noqa: BLE001 - handed to the retry, or raised as it is
            if retry is None:
                raise
            first: list[BaseException] = [error]
        assert started is not None and retry is not None

        def attempt(*args: Any) -> Any:
            if first:
                raise first.pop()
            return invoker.attempt(*args)

        try:
            return retry.with_timeout(self._remaining(started))(attempt)(
                sent, invoker.timeout, md, started
            )
        except EmulatorAbsent as absent:
            raise absent.error from None


class AsyncFastCall(FastCall):
    """The asyncio flavour: metadata ready as ``grpc.aio.Metadata``, a coroutine on failure."""

    __slots__ = ()

    def _metadata(self, pairs: tuple[tuple[str, str], ...]) -> Any:
        return grpc.aio.Metadata(*pairs)

    async def failed(  # type: ignore[override]
        self, exc: grpc.RpcError, sent: Any, md: Metadata, started: float | None
    ) -> Any:
        """What :meth:`FastCall.failed` does, awaiting the invoker."""
        invoker = self.invoker
        retry = None if started is None else invoker.retry
        try:
            await invoker.failed(exc, started)
        except EmulatorAbsent as absent:
            raise absent.error from None
        except Exception as error:  # noqa: BLE001 - handed to the retry, or raised as it is
            if retry is None:
                raise
            first: list[BaseException] = [error]
        assert started is not None and retry is not None

        async def attempt(*args: Any) -> Any:
            if first:
                raise first.pop()
            return await invoker.attempt(*args)

        try:
            return await retry.with_timeout(self._remaining(started))(attempt)(
                sent, invoker.timeout, md, started
            )
        except EmulatorAbsent as absent:
            raise absent.error from None
