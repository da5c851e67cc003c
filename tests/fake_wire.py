"""What the emulator cannot show: exactly what a client sends, and a server that misbehaves.

The client tests talk to the emulator (``google.cloud.tasks.emulator``),
which answers with the real service's rules, through a recording proxy: a
:class:`GrpcProxy` (and ``fake_rest.RestProxy`` for REST) forwards every call
to the emulator unchanged and notes it in the test's :class:`Wire`.  No
service rule lives here.

Through the :class:`Wire` a test reads what arrived (``calls``: method
name, decoded request, headers) and scripts what the emulator would never
do: fail the next calls of a method (``fail_next``), answer late
(``delay_next``), answer with a given message instead (``reply_next``), or
answer a batch as a still running operation that ``GetOperation`` then finds
done (``hold_next``).
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from google.longrunning import operations_pb2

from google.cloud.tasks._core.spec import Method
from google.cloud.tasks_v2._spec import SERVICE as V2
from google.cloud.tasks_v2beta2._spec import SERVICE as V2BETA2
from google.cloud.tasks_v2beta3._spec import SERVICE as V2BETA3

#: every gRPC path of every version (a mixin path several versions share: once)
METHODS: dict[str, Method] = {}
for _service in (V2, V2BETA3, V2BETA2):
    for _method in _service.methods.values():
        METHODS.setdefault(_method.path, _method)


def decode(method: Method, data: bytes) -> Any:
    """The request as the method's request class (proto-plus or protobuf); None if garbage."""
    try:
        pb = method.request_pb.FromString(data)
    except Exception:  # noqa: BLE001 - the server will refuse it; nothing to record
        return None
    return pb if method.raw else method.request.wrap(pb)


@dataclass
class Fault:
    """A scripted failure: the gRPC status and the message the caller gets."""

    code: grpc.StatusCode
    message: str


@dataclass
class Plan:
    """What to do with one arriving call, as the test scripted it."""

    delay: float = 0.0
    fault: Fault | None = None
    reply: Any = None
    hold: bool = False


class Wire:
    """One test's record of the calls that reached the proxies, and its scripted troubles."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: (method name, request, headers) of every call, oldest first
        self.calls: list[tuple[str, Any, dict[str, Any]]] = []
        #: REST only: every HTTP request as it arrived (``fake_rest.Received``)
        self.received: list[Any] = []
        #: REST only: raw answers to send instead of asking the emulator
        self.http_answers: list[Any] = []
        #: set once the test is over: a call still waiting is then not forwarded
        self.closed = False
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._replies: dict[str, deque[Any]] = defaultdict(deque)
        self._holds: dict[str, int] = defaultdict(int)

    # -- scripting ----------------------------------------------------------------------

    def fail_next(
        self,
        method_name: str,
        code: grpc.StatusCode,
        count: int = 1,
        message: str = "injected failure",
    ) -> None:
        """Make the next ``count`` calls of ``method_name`` fail with ``code``."""
        with self.lock:
            self._faults[method_name].extend(Fault(code, message) for _ in range(count))

    def delay_next(self, method_name: str, seconds: float) -> None:
        """Make the next call of ``method_name`` wait ``seconds`` before it is answered."""
        with self.lock:
            self._delays[method_name].append(seconds)

    def reply_next(self, method_name: str, message: Any) -> None:
        """Answer the next gRPC call of ``method_name`` with protobuf ``message`` instead."""
        with self.lock:
            self._replies[method_name].append(message)

    def hold_next(self, method_name: str) -> None:
        """Answer the next call of batch ``method_name`` as an operation still RUNNING.

        The emulator finishes a batch before it answers; this shows the client
        an unfinished operation (no result, metadata RUNNING, no end time), which
        it must complete by polling ``GetOperation``, where the emulator has it done.
        """
        with self.lock:
            self._holds[method_name] += 1

    # -- reading ------------------------------------------------------------------------

    def calls_of(self, method_name: str) -> list[tuple[str, Any, dict[str, Any]]]:
        """The recorded calls of one method, oldest first."""
        with self.lock:
            return [call for call in self.calls if call[0] == method_name]

    # -- the proxies' side --------------------------------------------------------------

    def arrive(self, method_name: str, request: Any, headers: dict[str, Any]) -> Plan:
        """Record one call and return what the test scripted for it."""
        with self.lock:
            self.calls.append((method_name, request, headers))
            plan = Plan()
            if self._delays[method_name]:
                plan.delay = self._delays[method_name].popleft()
            if self._faults[method_name]:
                plan.fault = self._faults[method_name].popleft()
            if self._replies[method_name]:
                plan.reply = self._replies[method_name].popleft()
            if self._holds[method_name]:
                self._holds[method_name] -= 1
                plan.hold = True
            return plan


# -- unfinished operations -----------------------------------------------------------------


def _metadata_class(method: Method) -> Any:
    _, meta = method.lro  # type: ignore[misc]
    return meta.pb() if hasattr(meta, "pb") else meta


def _running_state(meta_class: Any) -> int:
    number: int = (
        meta_class.DESCRIPTOR.fields_by_name["state"].enum_type.values_by_name["RUNNING"].number
    )
    return number


def held_operation(method: Method, data: bytes) -> bytes:
    """A finished batch operation (serialized) as it looked while still running."""
    operation = operations_pb2.Operation.FromString(data)
    meta_class = _metadata_class(method)
    meta = meta_class()
    operation.metadata.Unpack(meta)
    meta.state = _running_state(meta_class)
    meta.ClearField("end_time")
    meta.ClearField("failed_requests")
    running = operations_pb2.Operation(name=operation.name, done=False)
    running.metadata.Pack(meta)
    return running.SerializeToString()


def held_operation_json(method: Method, answer: dict[str, Any]) -> dict[str, Any]:
    """The REST form of :func:`held_operation`, on the operation's JSON object."""
    meta = dict(answer.get("metadata", {}))
    running = _running_state(_metadata_class(method))
    meta["state"] = running if isinstance(meta.get("state"), int) else "RUNNING"
    meta.pop("endTime", None)
    meta.pop("failedRequests", None)
    return {"name": answer["name"], "metadata": meta}


# -- the gRPC proxy ------------------------------------------------------------------------

#: headers the gRPC library sets itself: recorded, not forwarded
_OWN_HEADERS = ("user-agent",)


class _Router(grpc.GenericRpcHandler):
    def __init__(self, proxy: GrpcProxy) -> None:
        self._proxy = proxy

    def service(self, details: grpc.HandlerCallDetails) -> grpc.RpcMethodHandler | None:
        method = METHODS.get(details.method)  # type: ignore[attr-defined]
        if method is None:
            return None
        proxy = self._proxy

        def answer(data: bytes, context: grpc.ServicerContext) -> bytes:
            return proxy.answer(method, data, context)

        return grpc.unary_unary_rpc_method_handler(answer)  # bytes in, bytes out


class GrpcProxy:
    """A gRPC server on 127.0.0.1 passing every Cloud Tasks call on to ``target``.

    Each call is recorded in :attr:`wire` (replace it for every test) and
    meets what the test scripted there before it is forwarded.
    """

    def __init__(self, target: str) -> None:
        self.wire = Wire()
        self._channel = grpc.insecure_channel(target)
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=32))
        self._server.add_generic_rpc_handlers([_Router(self)])
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{self.port}"
        self._server.start()

    def answer(self, method: Method, data: bytes, context: grpc.ServicerContext) -> bytes:
        wire = self.wire
        headers = dict(context.invocation_metadata())
        plan = wire.arrive(method.name, decode(method, data), headers)
        if plan.delay:
            time.sleep(plan.delay)
        if wire.closed or not context.is_active():  # the caller gave up
            context.abort(grpc.StatusCode.CANCELLED, "the caller gave up")
        if plan.fault is not None:
            context.abort(plan.fault.code, plan.fault.message)
        if plan.reply is not None:  # a protobuf message (not proto-plus)
            return plan.reply.SerializeToString()  # type: ignore[no-any-return]
        forwarded = [
            (key, value)
            for key, value in context.invocation_metadata()
            if key not in _OWN_HEADERS and not key.startswith(("grpc-", ":"))
        ]
        remaining = context.time_remaining()  # huge when the caller set no deadline
        timeout = remaining if remaining is not None and remaining < 3600 else None
        try:
            answer: bytes = self._channel.unary_unary(method.path)(
                data, metadata=forwarded, timeout=timeout
            )
        except grpc.RpcError as error:
            context.abort(error.code(), error.details())  # type: ignore[attr-defined]
        return held_operation(method, answer) if plan.hold else answer

    def stop(self) -> None:
        self._server.stop(None)
        self._channel.close()
