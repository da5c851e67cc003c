"""The method table: one row per RPC, read by clients, transports and the emulator.

Each API version describes its service once, as a :class:`Service` made of
:class:`Method` rows.  Nothing in a row is I/O: a row names the wire path,
the request and response classes, the flattened and routing fields, the
default retry and timeout, the HTTP bindings and the paging/LRO facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import empty_pb2

from .messages import codec

__all__ = ["HttpRule", "Method", "RetryPolicy", "Service", "IDEMPOTENT"]


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff settings, in seconds, and the errors worth retrying."""

    initial: float
    maximum: float
    multiplier: float
    deadline: float
    retry_on: tuple[str, ...]

    def build(self, asynchronous: bool = False) -> Any:
        """A ``google.api_core`` retry object (``AsyncRetry`` when asked) for this policy."""
        from google.api_core import exceptions
        from google.api_core import retry as retries

        errors = tuple(getattr(exceptions, name) for name in self.retry_on)
        kind = retries.AsyncRetry if asynchronous else retries.Retry
        return kind(
            initial=self.initial,
            maximum=self.maximum,
            multiplier=self.multiplier,
            predicate=retries.if_exception_type(*errors),
            deadline=self.deadline,
        )


#: The policy every idempotent Cloud Tasks RPC uses by default.
IDEMPOTENT = RetryPolicy(0.1, 10.0, 1.3, 20.0, ("DeadlineExceeded", "ServiceUnavailable"))


@dataclass(frozen=True)
class HttpRule:
    """One REST binding: verb, URI template and which request field is the body."""

    method: str
    uri: str
    body: str | None = None

    def as_option(self) -> dict[str, str]:
        """The mapping ``google.api_core.path_template.transcode`` expects."""
        option = {"method": self.method, "uri": self.uri}
        if self.body:
            option["body"] = self.body
        return option


@dataclass(frozen=True)
class Method:
    """One RPC of a service, as every layer needs to know it."""

    name: str
    rpc: str
    path: str
    request: Any
    response: Any | None
    flattened: tuple[str, ...] = ()
    routing: tuple[str, ...] = ()
    retry: RetryPolicy | None = None
    timeout: float | None = 20.0
    http: tuple[HttpRule, ...] = ()
    #: the repeated field a paged response carries its items in
    items: str | None = None
    #: (result type, metadata type) of a long-running operation
    lro: tuple[Any, Any] | None = None
    mixin: bool = False
    #: raw protobuf request (IAM and mixins) rather than a proto-plus message
    raw: bool = field(init=False)
    #: the protobuf class of the request (the request class itself when ``raw``)
    request_pb: Any = field(init=False, repr=False)
    #: ``routing`` with each dotted field name split into its parts
    routing_paths: tuple[tuple[str, tuple[str, ...]], ...] = field(init=False, repr=False)
    #: the answer is returned as it is: not paged, not an operation, not empty
    plain: bool = field(init=False, repr=False)
    serialize: Callable[[Any], bytes] = field(init=False, repr=False)
    deserialize: Callable[[bytes], Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        raw = not hasattr(self.request, "serialize")
        set_(self, "raw", raw)
        set_(self, "request_pb", self.request if raw else self.request.pb())
        set_(self, "routing_paths", tuple((name, tuple(name.split("."))) for name in self.routing))
        set_(self, "plain", not self.items and not self.lro and self.response is not None)
        set_(self, "serialize", codec(self.request)[0])
        set_(self, "deserialize", codec(self.response or empty_pb2.Empty)[1])

    @property
    def service(self) -> str:
        """The fully qualified gRPC service this method belongs to."""
        return self.path.split("/")[1]


@dataclass(frozen=True)
class Service:
    """A whole API version: its identity, its method rows and its resource names."""

    version: str
    package: str
    service: str
    default_host: str
    scopes: tuple[str, ...]
    methods: Mapping[str, Method]
    paths: Mapping[str, str]

    @classmethod
    def of(cls, *, methods: tuple[Method, ...], **kwargs: Any) -> Service:
        """Build a service from its rows, indexing them by Python name."""
        return cls(methods={m.name: m for m in methods}, **kwargs)

    def by_path(self) -> dict[str, Method]:
        """The rows indexed by gRPC path, as a server routes them."""
        return {m.path: m for m in self.methods.values()}
