"""The v2beta3 asyncio gRPC transport."""

from google.cloud.tasks._core.grpc_asyncio import GrpcAsyncIOTransport

from .base import CloudTasksTransport

__all__ = ("CloudTasksGrpcAsyncIOTransport",)


class CloudTasksGrpcAsyncIOTransport(GrpcAsyncIOTransport, CloudTasksTransport):
    """Calls Cloud Tasks v2beta3 over a ``grpc.aio`` channel."""
