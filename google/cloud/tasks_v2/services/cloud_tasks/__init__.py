"""The Cloud Tasks v2 service: sync and asyncio clients."""

from typing import TYPE_CHECKING

from google.cloud.tasks._core.lazy import exports

if TYPE_CHECKING:
    from .async_client import CloudTasksAsyncClient as CloudTasksAsyncClient
    from .client import CloudTasksClient as CloudTasksClient

# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = exports(
        __name__, {".client": ["CloudTasksClient"], ".async_client": ["CloudTasksAsyncClient"]}
    )
