"""The v2beta2 blocking gRPC transport."""

from google.cloud.tasks._core.transport import GrpcTransport

from .base import CloudTasksTransport

__all__ = ("CloudTasksGrpcTransport",)


class CloudTasksGrpcTransport(GrpcTransport, CloudTasksTransport):
    """Calls Cloud Tasks v2beta2 over a gRPC channel; ``grpc_channel`` is that channel."""
