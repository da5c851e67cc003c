"""The v2beta2 asyncio REST transport (``transport="rest_asyncio"``; needs the async_rest extra)."""

from google.cloud.tasks._core.rest_asyncio import AsyncRestInterceptor, AsyncRestTransport
from google.cloud.tasks_v2beta2._spec import SERVICE

from .base import CloudTasksTransport

__all__ = ("AsyncCloudTasksRestInterceptor", "AsyncCloudTasksRestTransport")


class AsyncCloudTasksRestInterceptor(AsyncRestInterceptor):
    """Coroutine hooks ``pre_<method>``/``post_<method>``/``post_<method>_with_metadata``."""

    _service = SERVICE


class AsyncCloudTasksRestTransport(AsyncRestTransport, CloudTasksTransport):
    """Calls Cloud Tasks v2beta2 over REST from asyncio."""

    _interceptor_type = AsyncCloudTasksRestInterceptor
