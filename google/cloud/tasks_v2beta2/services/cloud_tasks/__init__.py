"""The Cloud Tasks v2beta2 service: sync and asyncio clients."""

from typing import TYPE_CHECKING

from google.cloud.tasks._core.lazy import exports

if TYPE_CHECKING:
    from .async_client import CloudTasksAsyncClient as CloudTasksAsyncClient
    from .client import CloudTasksClient as CloudTasksClient

__getattr__, __dir__ = exports(
    __name__, {".client": ["CloudTasksClient"], ".async_client": ["CloudTasksAsyncClient"]}
)
