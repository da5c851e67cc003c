"""The REST side: every HTTP binding of every version's method table, as JSON over HTTP/1.1.

Routes come from the same tables the clients and the gRPC server use: each
row's URI templates (``/v2/{parent=projects/*/locations/*}/queues``) become
patterns; a request's path fields, query parameters and JSON body fill the
version's request message (``google.protobuf.json_format``, camelCase or
snake_case), the same handler as gRPC answers it, and the answer goes back in
the proto3 JSON mapping (enums as numbers when the query asks with
``$alt=json;enum-encoding=int``).  Errors use Google's JSON error format with
the HTTP status of their code, so ``google.api_core`` raises the class it
raises for the real service, and list their ``google.rpc`` details under
``error.details`` (as ``exc.details`` shows them); no input is answered with
a 5xx.  A path no binding has is NOT_FOUND, and so is a known path with a
verb it has no binding for (as Google's front end answers it).

Only moving bytes happens on the event loop: decoding a request, the
service call and encoding the answer run on the application's worker
threads (:func:`~.rest_extras.off_loop`), so a 30 MB request being parsed
holds up neither other calls nor deliveries.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from google.protobuf import any_pb2, json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from google.cloud.tasks._core.spec import Method

from ..service.cloud_tasks import CloudTasksService
from ..service.errors import Code, ServiceError, invalid, shown
from ..versions import Version, versions
from .grpc_routes import check_enums
from .handlers import HANDLERS
from .rest_extras import (
    SURROGATE,
    Extras,
    json_answer,
    json_value,
    off_loop,
    parse_into,
    read_body,
)

log = logging.getLogger("google.cloud.tasks.emulator")

#: query parameters that shape the answer rather than the request
_SYSTEM_PARAMS = frozenset(
    (
        *("$alt", "alt", "$prettyPrint", "prettyPrint", "key", "$fields", "fields"),
        *("quotaUser", "$quotaUser", "access_token", "$.xgafv", "callback", "uploadType"),
        "upload_protocol",
    )
)
_VARIABLE = re.compile(r"\{([^}=]+)(?:=([^}]*))?\}")


@dataclass(frozen=True)
class Route:
    """One HTTP binding of one row: its verb and pattern, and how to answer it."""

    verb: str
    pattern: re.Pattern[str]
    #: path variables in order: (regex group, request field path)
    fields: tuple[tuple[str, str], ...]
    body: str | None
    version: Version
    row: Method


def _pattern(template: str) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]]:
    """A regex for a URI template, and its variables as (group, field path)."""
    out = []
    fields = []
    at = 0
    for index, match in enumerate(_VARIABLE.finditer(template)):
        out.append(re.escape(template[at : match.start()]))
        field, segments = match.group(1), match.group(2) or "*"
        parts = []
        for segment in segments.split("/"):
            if segment == "**":
                parts.append(r".+")
            elif segment == "*":
                parts.append(r"[^/]+")
            else:
                parts.append(re.escape(segment))
        group = f"v{index}"
        out.append(f"(?P<{group}>{'/'.join(parts)})")
        fields.append((group, field))
        at = match.end()
    out.append(re.escape(template[at:]))
    return re.compile("".join(out)), tuple(fields)


def routes() -> list[Route]:
    """Every binding of every served version; a mixin binding several versions list, once."""
    out: list[Route] = []
    seen: set[tuple[str, str]] = set()
    for version in versions().values():
        for row in version.service.methods.values():
            for rule in row.http:
                key = (rule.method.upper(), rule.uri)
                if key in seen:
                    continue
                seen.add(key)
                pattern, fields = _pattern(rule.uri)
                out.append(Route(rule.method.upper(), pattern, fields, rule.body, version, row))
    return out


def error_body(code: Code, message: str, details: Sequence[Message] = ()) -> dict[str, Any]:
    """Google's JSON error format: ``{"error": {"code", "message", "status"}}``, plus
    ``"details"`` when there are any: each ``google.rpc`` message in the proto3 JSON mapping
    of an ``Any`` (its fields and ``"@type": "type.googleapis.com/google.rpc.Help"``)."""
    error: dict[str, Any] = {"code": code.http, "message": message, "status": code.name}
    if details:
        error["details"] = [_detail_json(detail) for detail in details]
    return {"error": error}


def _detail_json(detail: Message) -> dict[str, Any]:
    packed = any_pb2.Any()
    packed.Pack(detail)
    return json_format.MessageToDict(packed)


def error_response(error: ServiceError) -> web.Response:
    """``error`` as a JSON response with the HTTP status of its code."""
    body = error_body(error.code, error.message, error.details)
    return json_answer(body, status=error.code.http)


# -- building a request -----------------------------------------------------------------


def _set_path(message: Message, path: str, value: str) -> None:
    *parents, leaf = path.split(".")
    for name in parents:
        message = getattr(message, name)
    setattr(message, leaf, value)


def _field(descriptor: Any, name: str) -> FieldDescriptor | None:
    """A field by its proto name or its JSON (camelCase) name."""
    fd = descriptor.fields_by_name.get(name)
    if fd is None:
        fd = next((f for f in descriptor.fields if f.json_name == name), None)
    return fd  # type: ignore[no-any-return]


def _query_value(fd: FieldDescriptor, value: str) -> Any:
    """A query parameter's text as the JSON value its field takes."""
    if fd.type == FieldDescriptor.TYPE_BOOL:
        return value.lower() in ("true", "1")
    if fd.type == FieldDescriptor.TYPE_ENUM and value.lstrip("-").isdigit():
        return int(value)
    return value


def _query_dict(descriptor: Any, params: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query parameters (``a.b=1``, repeated keys for lists) as a JSON object for the request."""
    out: dict[str, Any] = {}
    for key, value in params:
        if key in _SYSTEM_PARAMS:
            continue
        holder, current = out, descriptor
        names = key.split(".")
        for depth, name in enumerate(names):
            fd = _field(current, name) if current is not None else None
            if fd is None:
                raise invalid(
                    f'Invalid JSON payload received. Unknown name "{shown(key)}": Cannot bind'
                    f" query parameter. Field '{shown(name)}' could not be found in request"
                    " message."
                )
            last = depth == len(names) - 1
            if not last:
                if fd.message_type is None:
                    raise invalid(f'Invalid query parameter "{shown(key)}".')
                holder = holder.setdefault(fd.name, {})
                current = fd.message_type
                continue
            if fd.message_type is not None and fd.message_type.full_name not in _WELL_KNOWN:
                raise invalid(f'Invalid query parameter "{shown(key)}": it names a message.')
            item = _query_value(fd, value)
            if fd.is_repeated:
                holder.setdefault(fd.name, []).append(item)
            else:
                holder[fd.name] = item
    return out


#: message types whose JSON form is a string, so a query parameter can carry them
_WELL_KNOWN = frozenset(
    (
        "google.protobuf.FieldMask",
        "google.protobuf.Timestamp",
        "google.protobuf.Duration",
        "google.protobuf.Int32Value",
        "google.protobuf.Int64Value",
        "google.protobuf.StringValue",
        "google.protobuf.BoolValue",
    )
)


def build_request(route: Route, match: re.Match[str], query: Any, data: bytes) -> Message:
    """The request message a REST call describes; INVALID_ARGUMENT when it is not one."""
    row = route.row
    request = row.request_pb()
    if route.body:
        payload = json_value(data)
        if not isinstance(payload, dict):
            raise invalid("Invalid JSON payload received. The body must be a JSON object.")
        if route.body == "*":
            parse_into(payload, request)
        else:
            parse_into(payload, getattr(request, route.body), route.body)
    elif data.strip():
        raise invalid("This method takes no request body.")
    params = _query_dict(request.DESCRIPTOR, query)
    if params:
        parse_into(params, request)
    for group, path in route.fields:
        _set_path(request, path, unquote(match.group(group)))
    check_enums(request)
    return request


# -- the aiohttp side ---------------------------------------------------------------------


class Gateway:
    """Answers REST calls for ``service`` (an aiohttp handler for any path)."""

    def __init__(self, service: CloudTasksService, forget: Callable[[str | None], None]) -> None:
        self.service = service
        self._routes = routes()
        self._extras = Extras(service, forget)

    def match(self, verb: str, path: str) -> tuple[Route | None, re.Match[str] | None, bool]:
        """``(route, match, path known for another verb)`` of a request."""
        other = False
        for route in self._routes:
            found = route.pattern.fullmatch(path)
            if found is None:
                continue
            if route.verb == verb:
                return route, found, True
            other = True
        return None, None, other

    async def handle(self, request: web.Request) -> web.StreamResponse:
        verb = request.method.upper()
        path = request.rel_url.raw_path
        try:
            if SURROGATE.search(request.raw_path):  # bytes that were not UTF-8
                raise invalid("The URL is not valid UTF-8.")
            extra = self._extras.route(verb, path)
            if extra is not None:
                return await extra(request)
            route, found, _ = self.match(verb, path)
            if route is None or found is None:  # also a known path with another verb
                text = f"The URL {shown(path, 200)} was not found."
                return error_response(ServiceError(Code.NOT_FOUND, text))
            data = await read_body(request)
        except ServiceError as exc:
            return self._refused(verb, path, exc)
        except Exception:  # a bug of ours: say so, keep serving
            log.exception("%s %s failed", verb, shown(path, 200))
            return error_response(ServiceError(Code.INTERNAL, "The emulator failed."))
        int_enums = "enum-encoding=int" in request.query.get("$alt", "")
        query = list(request.query.items())
        status, body = await off_loop(
            request, self._answer, verb, path, route, found, query, data, int_enums
        )
        return web.Response(
            body=body, status=status, content_type="application/json", charset="utf-8"
        )

    def _answer(
        self,
        verb: str,
        path: str,
        route: Route,
        found: re.Match[str],
        query: list[tuple[str, str]],
        data: bytes,
        int_enums: bool,
    ) -> tuple[int, bytes]:
        """The status and JSON body answering one call (on a worker thread)."""
        try:
            message = build_request(route, found, query, data)
            answer = HANDLERS[route.row.rpc](self.service, route.version, message)
            body = json_format.MessageToDict(answer, use_integers_for_enums=int_enums)
        except ServiceError as exc:
            error = exc
            log.info("%s %s -> %s: %s", verb, shown(path, 200), exc.code.name, exc.message)
        except Exception:  # a bug of ours: say so, keep serving
            log.exception("%s %s failed", verb, shown(path, 200))
            error = ServiceError(Code.INTERNAL, "The emulator failed.")
        else:
            if log.isEnabledFor(logging.DEBUG):
                log.debug("%s %s -> OK", verb, shown(path, 200))
            return 200, json.dumps(body).encode()
        body = error_body(error.code, error.message, error.details)
        return error.code.http, json.dumps(body).encode()

    @staticmethod
    def _refused(verb: str, path: str, exc: ServiceError) -> web.Response:
        log.info("%s %s -> %s: %s", verb, shown(path, 200), exc.code.name, exc.message)
        # A new error: the caught one's traceback holds the request.
        return error_response(exc.copy())
