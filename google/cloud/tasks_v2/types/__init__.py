"""Message and enum classes of Cloud Tasks API v2, importable from one place."""

from google.cloud.tasks._core import messages as _messages

from .cloudtasks import (
    BatchCreateTasksMetadata,
    BatchCreateTasksRequest,
    BatchCreateTasksResponse,
    BatchDeleteTasksMetadata,
    BatchDeleteTasksRequest,
    CreateQueueRequest,
    CreateTaskRequest,
    DeleteQueueRequest,
    DeleteTaskRequest,
    GetCmekConfigRequest,
    GetQueueRequest,
    GetTaskRequest,
    ListQueuesRequest,
    ListQueuesResponse,
    ListTasksRequest,
    ListTasksResponse,
    PauseQueueRequest,
    PurgeQueueRequest,
    ResumeQueueRequest,
    RunTaskRequest,
    UpdateCmekConfigRequest,
    UpdateQueueRequest,
)
from .cmek_config import CmekConfig
from .queue import Queue, RateLimits, RetryConfig, StackdriverLoggingConfig
from .target import (
    AppEngineHttpRequest,
    AppEngineRouting,
    HttpMethod,
    HttpRequest,
    HttpTarget,
    OAuthToken,
    OidcToken,
    PathOverride,
    QueryOverride,
    UriOverride,
)
from .task import Attempt, Task

__all__ = (
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

# every class above builds from plain keyword values without proto-plus's marshal
_messages.install(globals()[name] for name in __all__)
