"""The v2beta2 asyncio gRPC transport."""

from google.cloud.tasks._core.grpc_asyncio import GrpcAsyncIOTransport

from .base import CloudTasksTransport

__all__ = ("CloudTasksGrpcAsyncIOTransport",)


class CloudTasksGrpcAsyncIOTransport(GrpcAsyncIOTransport, CloudTasksTransport):
    """Calls Cloud Tasks v2beta2 over a ``grpc.aio`` channel."""
