"""Transports of the v2 client: ``grpc``, ``grpc_asyncio`` (and REST when installed)."""

from typing import TYPE_CHECKING

from google.cloud.tasks._core.lazy import exports

if TYPE_CHECKING:
    from .base import CloudTasksTransport as CloudTasksTransport
    from .grpc import CloudTasksGrpcTransport as CloudTasksGrpcTransport
    from .grpc_asyncio import CloudTasksGrpcAsyncIOTransport as CloudTasksGrpcAsyncIOTransport

__getattr__, __dir__ = exports(
    __name__,
    {
        ".base": ["CloudTasksTransport"],
        ".grpc": ["CloudTasksGrpcTransport"],
        ".grpc_asyncio": ["CloudTasksGrpcAsyncIOTransport"],
    },
)
