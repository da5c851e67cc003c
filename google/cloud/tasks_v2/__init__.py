"""Cloud Tasks API v2: the clients and every message and enum.

Names are imported on first use, so importing this package is cheap.
"""

from typing import TYPE_CHECKING

from google.cloud.tasks._core.lazy import exports

from .gapic_version import __version__ as __version__

if TYPE_CHECKING:
    from .services.cloud_tasks import CloudTasksAsyncClient as CloudTasksAsyncClient
    from .services.cloud_tasks import CloudTasksClient as CloudTasksClient
    from .types import *  # noqa: F403

# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:
    __getattr__, __dir__ = exports(
        __name__,
        {
            ".types": "*",
            ".services.cloud_tasks.client": ("CloudTasksClient",),
            ".services.cloud_tasks.async_client": ("CloudTasksAsyncClient",),
        },
    )
