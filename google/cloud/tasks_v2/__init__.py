"""Cloud Tasks API v2: the clients and every message and enum.

Names are imported on first use, so importing this package is cheap.
"""

from typing import TYPE_CHECKING

from google.cloud.tasks._core.lazy import exports

from .gapic_version import __version__

if TYPE_CHECKING:
    from .services.cloud_tasks import CloudTasksAsyncClient as CloudTasksAsyncClient
    from .services.cloud_tasks import CloudTasksClient as CloudTasksClient
    from .types import *  # noqa: F403

_TYPES = (
    "AppEngineHttpRequest",
    "AppEngineRouting",
    "Attempt",
    "BatchCreateTasksMetadata",
    "BatchCreateTasksRequest",
    "BatchCreateTasksResponse",
    "BatchDeleteTasksMetadata",
    "BatchDeleteTasksRequest",
    "CmekConfig",
    "CreateQueueRequest",
    "CreateTaskRequest",
    "DeleteQueueRequest",
    "DeleteTaskRequest",
    "GetCmekConfigRequest",
    "GetQueueRequest",
    "GetTaskRequest",
    "HttpMethod",
    "HttpRequest",
    "HttpTarget",
    "ListQueuesRequest",
    "ListQueuesResponse",
    "ListTasksRequest",
    "ListTasksResponse",
    "OAuthToken",
    "OidcToken",
    "PathOverride",
    "PauseQueueRequest",
    "PurgeQueueRequest",
    "QueryOverride",
    "Queue",
    "RateLimits",
    "ResumeQueueRequest",
    "RetryConfig",
    "RunTaskRequest",
    "StackdriverLoggingConfig",
    "Task",
    "UpdateCmekConfigRequest",
    "UpdateQueueRequest",
    "UriOverride",
)

__getattr__, __dir__, __all__ = exports(
    __name__,
    {
        ".types": _TYPES,
        ".services.cloud_tasks.client": ("CloudTasksClient",),
        ".services.cloud_tasks.async_client": ("CloudTasksAsyncClient",),
    },
)
__all__ += ("__version__",)
