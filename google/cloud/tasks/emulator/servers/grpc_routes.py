"""The calls both gRPC engines answer: every version's method table as routes of bytes.

Each row of each version's table becomes an :data:`Invoke` (request bytes in,
answer bytes or a refusal out); a mixin path (locations, operations) that
several versions list is routed once.  Requests arrive as bytes and are
parsed here, so garbage on the wire is an INVALID_ARGUMENT like any other bad
input; every refusal is logged and no error escapes as UNKNOWN.  The REST
gateway shares the enum check and the request size bound.  :func:`trailers`
is how both engines send a refusal's ``google.rpc`` details.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from google.protobuf.descriptor import Descriptor
from google.protobuf.message import DecodeError, Message

from google.cloud.tasks._core.spec import Method

from ..service import rules
from ..service.cloud_tasks import CloudTasksService
from ..service.errors import Code, ServiceError, invalid, status
from ..versions import Version, versions
from .handlers import HANDLERS

log = logging.getLogger("google.cloud.tasks.emulator")

#: Largest request the server reads: well above the task size limit, so an oversize task
#: gets the service's INVALID_ARGUMENT rather than a transport error.
MAX_REQUEST_BYTES = 32 << 20


Check = Callable[[Any, str], None]


_BUILDING: set[str] = set()


@cache
def _checker(descriptor: Descriptor) -> Check | None:
    """A function refusing undefined enum numbers anywhere in a message (None: no enums).

    Recursive message types are checked down to their first repetition.
    """
    if descriptor.full_name in _BUILDING:
        return None
    _BUILDING.add(descriptor.full_name)
    try:
        checks: list[Check] = []
        for fd in descriptor.fields:
            if fd.enum_type is not None:
                checks.append(_enum_check(fd))
                continue
            target = fd.message_type
            if target is not None and target.GetOptions().map_entry:
                target = target.fields_by_name["value"].message_type
            inner = _checker(target) if target is not None else None
            if inner is not None:
                checks.append(_message_check(fd, inner))
    finally:
        _BUILDING.discard(descriptor.full_name)
    if not checks:
        return None

    def check(message: Any, path: str) -> None:
        for one in checks:
            one(message, path)

    return check


def _enum_check(fd: Any) -> Check:
    name, valid = fd.name, frozenset(fd.enum_type.values_by_number)

    if fd.is_repeated:

        def check_all(message: Any, path: str) -> None:
            for number in getattr(message, name):
                if number not in valid:
                    raise invalid(f"Invalid value {number} for enum field {path}{name}.")

        return check_all

    def check(message: Any, path: str) -> None:
        number = getattr(message, name)
        if number not in valid:
            raise invalid(f"Invalid value {number} for enum field {path}{name}.")

    return check


def _message_check(fd: Any, inner: Check) -> Check:
    name = fd.name
    is_map = fd.message_type.GetOptions().map_entry
    repeated = fd.is_repeated

    if is_map or repeated:

        def check_all(message: Any, path: str) -> None:
            items: Iterable[Any] = getattr(message, name)
            if is_map:
                items = items.values()  # type: ignore[attr-defined]
            for item in items:
                inner(item, f"{path}{name}.")

        return check_all

    def check(message: Any, path: str) -> None:
        if message.HasField(name):
            inner(getattr(message, name), f"{path}{name}.")

    return check


def check_enums(message: Message) -> None:
    """INVALID_ARGUMENT when any enum field holds a number its enum does not define."""
    check = _checker(message.DESCRIPTOR)
    if check is not None:
        check(message, "")


def _no_enums(message: Any, path: str) -> None:
    """The check of a message without enum fields: nothing to refuse."""


#: What a route does with a request's bytes: the response's bytes, or the refusal.
Invoke = Callable[[bytes], "tuple[bytes, None] | tuple[None, ServiceError]"]


def _invoker(service: CloudTasksService, version: Version, row: Method) -> Invoke:
    request_type = row.request if row.raw else row.request.pb()
    parse = request_type.FromString
    check = _checker(request_type.DESCRIPTOR) or _no_enums
    handler = HANDLERS[row.rpc]
    path = row.path
    # Decoding a CreateTask of many MB holds the interpreter for seconds: one larger than
    # any task may be is refused from its length alone.
    settings = service.settings if row.rpc == "CreateTask" else None

    def invoke(data: bytes) -> tuple[bytes, None] | tuple[None, ServiceError]:
        try:
            if settings is not None:
                rules.refuse_oversize(len(data), settings, rules.REQUEST_OVERHEAD)
            request = parse(data)
            check(request, "")
            answer = handler(service, version, request).SerializeToString()
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s -> OK", path)
            return answer, None
        except DecodeError as exc:
            error = invalid(f"Invalid request: the message could not be parsed ({exc}).")
        except ServiceError as exc:
            # A new error: the caught one's traceback holds this frame and the request.
            error = exc.copy()
        except Exception:  # a bug of ours: say so, keep serving
            log.exception("%s failed", path)
            error = ServiceError(Code.INTERNAL, f"The emulator failed to handle {path}.")
        log.info("%s -> %s: %s", path, error.code.name, error.message)
        return None, error

    return invoke


#: the trailer carrying a serialized ``google.rpc.Status`` with a refusal's details
STATUS_DETAILS_KEY = "grpc-status-details-bin"


def trailers(error: ServiceError) -> tuple[tuple[str, bytes], ...]:
    """The trailing metadata that answers with ``error``: none when it has no details, else
    :data:`STATUS_DETAILS_KEY` holding its ``google.rpc.Status`` (the code and message of
    the call's status, as ``grpc_status.rpc_status.from_call`` requires, plus the details
    packed as ``Any``), which ``google.api_core`` turns into ``exc.details``."""
    if not error.details:
        return ()
    return ((STATUS_DETAILS_KEY, status(error).SerializeToString()),)


def routes(service: CloudTasksService) -> dict[str, Invoke]:
    """Every gRPC path the emulator answers, from every version's method table.

    A mixin path (locations, operations) that several versions list is routed once.
    """
    out: dict[str, Invoke] = {}
    for version in versions().values():
        for row in version.service.methods.values():
            if row.path not in out:
                out[row.path] = _invoker(service, version, row)
    return out


def address(host: str, port: int) -> str:
    """``host:port``, bracketing IPv6 literals."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


SERVER_OPTIONS = (
    ("grpc.max_receive_message_length", MAX_REQUEST_BYTES),
    ("grpc.max_send_message_length", -1),
    # Clients repeat names in the x-goog-request-params header: a name far over the
    # service's limits must reach the rules (and get their INVALID_ARGUMENT), not be cut
    # off as oversized metadata.
    ("grpc.max_metadata_size", MAX_REQUEST_BYTES),
    ("grpc.absolute_max_metadata_size", MAX_REQUEST_BYTES),
    ("grpc.so_reuseport", 0),
)
