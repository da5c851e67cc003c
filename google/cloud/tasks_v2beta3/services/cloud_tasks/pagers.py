"""Pagers of the v2beta3 list methods: iterate items, or ``.pages`` for whole responses."""

from google.cloud.tasks._core.pagers import AsyncPager, Pager
from google.cloud.tasks_v2beta3.types import cloudtasks, queue, task

__all__ = ("ListQueuesAsyncPager", "ListQueuesPager", "ListTasksAsyncPager", "ListTasksPager")


class ListQueuesPager(Pager[cloudtasks.ListQueuesResponse, queue.Queue]):
    """Queues of a ``list_queues`` call, fetched page by page."""

    _items = "queues"


class ListQueuesAsyncPager(AsyncPager[cloudtasks.ListQueuesResponse, queue.Queue]):
    """Queues of an async ``list_queues`` call, fetched page by page."""

    _items = "queues"


class ListTasksPager(Pager[cloudtasks.ListTasksResponse, task.Task]):
    """Tasks of a ``list_tasks`` call, fetched page by page."""

    _items = "tasks"


class ListTasksAsyncPager(AsyncPager[cloudtasks.ListTasksResponse, task.Task]):
    """Tasks of an async ``list_tasks`` call, fetched page by page."""

    _items = "tasks"
