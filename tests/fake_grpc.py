"""A real gRPC server in front of a :class:`FakeCloudTasks`, routed by method tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent import futures
from typing import Any

import grpc
import proto
from fake_service import FakeCloudTasks, FakeError

from google.cloud.tasks._core.spec import Method, Service


def _request_decoder(cls: Any) -> Callable[[bytes], Any]:
    if isinstance(cls, type) and issubclass(cls, proto.Message):
        return cls.deserialize  # type: ignore[no-any-return]
    return cls.FromString  # type: ignore[no-any-return]


def _encode_response(message: Any) -> bytes:
    if isinstance(message, proto.Message):
        return type(message).serialize(message)  # type: ignore[no-any-return]
    return message.SerializeToString()  # type: ignore[no-any-return]


def _behaviour(fake: FakeCloudTasks, method: Method) -> Callable[[Any, grpc.ServicerContext], Any]:
    def answer(request: Any, context: grpc.ServicerContext) -> Any:
        metadata = {key: value for key, value in context.invocation_metadata()}
        try:
            return fake.handle(method, request, metadata)
        except FakeError as error:
            context.abort(error.code, error.message)

    return answer


def serve(fake: FakeCloudTasks, *services: Service) -> tuple[grpc.Server, int]:
    """Start a server on 127.0.0.1 answering every method of ``services`` from ``fake``.

    With no ``services``, the fake's own service is served.  A path that two
    services share (the mixins) is served by the first.  Returns the running
    server and its port; stop it with ``server.stop(None)``.
    """
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    handlers: dict[str, dict[str, grpc.RpcMethodHandler]] = defaultdict(dict)
    for service in services or (fake.service,):
        for method in service.methods.values():
            handlers[method.service].setdefault(
                method.rpc,
                grpc.unary_unary_rpc_method_handler(
                    _behaviour(fake, method),
                    request_deserializer=_request_decoder(method.request),
                    response_serializer=_encode_response,
                ),
            )
    server.add_generic_rpc_handlers(
        [grpc.method_handlers_generic_handler(name, rpcs) for name, rpcs in handlers.items()]
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    return server, port
