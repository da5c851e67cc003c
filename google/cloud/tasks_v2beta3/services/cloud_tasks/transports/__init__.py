"""Transports of the v2beta3 client: ``grpc``, ``grpc_asyncio``, ``rest`` and ``rest_asyncio``.

Each is imported on first use, so the REST ones cost nothing until touched
(``rest_asyncio`` needs the ``async_rest`` extra: aiohttp).
"""

from typing import TYPE_CHECKING

from google.cloud.tasks._core.lazy import exports

if TYPE_CHECKING:
    from .base import CloudTasksTransport as CloudTasksTransport
    from .grpc import CloudTasksGrpcTransport as CloudTasksGrpcTransport
    from .grpc_asyncio import CloudTasksGrpcAsyncIOTransport as CloudTasksGrpcAsyncIOTransport
    from .rest import CloudTasksRestInterceptor as CloudTasksRestInterceptor
    from .rest import CloudTasksRestTransport as CloudTasksRestTransport
    from .rest_asyncio import AsyncCloudTasksRestInterceptor as AsyncCloudTasksRestInterceptor
    from .rest_asyncio import AsyncCloudTasksRestTransport as AsyncCloudTasksRestTransport

# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = exports(
        __name__,
        {
            ".base": ["CloudTasksTransport"],
            ".grpc": ["CloudTasksGrpcTransport"],
            ".grpc_asyncio": ["CloudTasksGrpcAsyncIOTransport"],
            ".rest": ["CloudTasksRestTransport", "CloudTasksRestInterceptor"],
            ".rest_asyncio": ["AsyncCloudTasksRestTransport", "AsyncCloudTasksRestInterceptor"],
        },
    )
