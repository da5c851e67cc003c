"""The asyncio flavour of the gRPC transport: same table, awaitable calls."""

from __future__ import annotations

from typing import Any, ClassVar

import grpc

from .calls import AsyncInvoker
from .fast import AsyncFastCall
from .transport import GrpcTransport


def _insecure_channel(host: str, **kwargs: Any) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(host, options=kwargs.get("options"))


class GrpcAsyncIOTransport(GrpcTransport):
    """Sends each RPC over a ``grpc.aio`` channel; every call returns an awaitable."""

    kind = "grpc_asyncio"
    _channel_type: ClassVar[Any] = grpc.aio.Channel
    _helpers_module: ClassVar[str] = "google.api_core.grpc_helpers_async"
    _invoker_type: ClassVar[type] = AsyncInvoker
    _fast_call_type: ClassVar[type] = AsyncFastCall

    def _plain_channel(self) -> bool:
        channel = self._grpc_channel
        return type(channel) is grpc.aio._channel.Channel and not any(
            getattr(channel, kind, True)
            for kind in (
                "_unary_unary_interceptors",
                "_unary_stream_interceptors",
                "_stream_unary_interceptors",
                "_stream_stream_interceptors",
            )
        )

    @classmethod
    def _emulator_kwargs(cls) -> dict[str, Any]:
        return {"channel": _insecure_channel}

    @property
    def operations_client(self) -> Any:
        """A ``google.api_core`` async operations client on this transport's channel."""
        if self._operations_client is None:
            from google.api_core import operations_v1

            self._operations_client = operations_v1.OperationsAsyncClient(self._grpc_channel)
        return self._operations_client

    def close(self) -> Any:
        """A coroutine that closes the channel."""
        return self._grpc_channel.close()
