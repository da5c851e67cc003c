"""One pager for every paged method: iterate items across pages, lazily."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, ClassVar, Generic, TypeVar

import proto

from .calls import DEFAULT, Metadata
from .messages import wrap

ResponseT = TypeVar("ResponseT")
ItemT = TypeVar("ItemT")


def _copy(request: Any) -> Any:
    """A copy of ``request`` for the pager to change the page token of: a protobuf copy
    under a proto-plus message (what ``type(request)(request)`` makes, without its checks)."""
    pb = getattr(request, "_pb", None)
    if isinstance(request, proto.Message) and pb is not None:
        copied = type(pb)()
        copied.CopyFrom(pb)
        return wrap(type(request), copied)
    return type(request)(request)


class _PagerBase(Generic[ResponseT, ItemT]):
    #: the repeated field of the response that holds the items
    _items: ClassVar[str]

    def __init__(
        self,
        method: Callable[..., Any],
        request: Any,
        response: ResponseT,
        *,
        retry: Any = DEFAULT,
        timeout: Any = DEFAULT,
        metadata: Metadata = (),
    ) -> None:
        self._method = method
        self._request = _copy(request)
        self._response = response
        self._retry = retry
        self._timeout = timeout
        self._metadata = metadata

    def __getattr__(self, name: str) -> Any:
        """Fields of the most recent response (``next_page_token``, ...)."""
        return getattr(self._response, name)

    def _next_request(self) -> Any:
        token = self._response.next_page_token  # type: ignore[attr-defined]
        if not token:
            return None
        self._request.page_token = token
        return self._request

    def __repr__(self) -> str:
        return f"{type(self).__name__}<{self._response!r}>"


class Pager(_PagerBase[ResponseT, ItemT]):
    """Iterates the items of every page, fetching the next page when needed.

    Later pages are fetched with the first call's retry, timeout and metadata.
    """

    @property
    def pages(self) -> Iterator[ResponseT]:
        """Each response in turn, starting with the one already received."""
        yield self._response
        while (request := self._next_request()) is not None:
            self._response = self._method(
                request, retry=self._retry, timeout=self._timeout, metadata=self._metadata
            )
            yield self._response

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.pages:
            yield from getattr(page, self._items)


class AsyncPager(_PagerBase[ResponseT, ItemT]):
    """The asyncio twin of :class:`Pager`: ``async for`` over items or ``pages``."""

    @property
    async def pages(self) -> AsyncIterator[ResponseT]:
        """Each response in turn, starting with the one already received."""
        yield self._response
        while (request := self._next_request()) is not None:
            self._response = await self._method(
                request, retry=self._retry, timeout=self._timeout, metadata=self._metadata
            )
            yield self._response

    def __aiter__(self) -> AsyncIterator[ItemT]:
        async def items() -> AsyncIterator[ItemT]:
            async for page in self.pages:
                for item in getattr(page, self._items):
                    yield item

        return items()
