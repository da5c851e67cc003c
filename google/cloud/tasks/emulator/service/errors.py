"""Domain errors of the emulator and the one table that maps them onto the wire.

The service raises :class:`ServiceError` with a :class:`Code` and the exact
message the real Cloud Tasks service gives.  Each :class:`Code` knows its gRPC
status code and the HTTP status a REST gateway answers with, so every server
translates errors the same way.

An error may also carry ``google.rpc`` detail messages (``Help``,
``ErrorInfo``, ``LocalizedMessage``, ...) where the real service attaches
them; :func:`status` is the ``google.rpc.Status`` both gRPC engines send in
``grpc-status-details-bin`` and batch operations record, and the REST gateway
lists the same messages under ``error.details``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import grpc
from google.protobuf.message import Message
from google.rpc import error_details_pb2, status_pb2


class Code(enum.Enum):
    """A canonical error code with its gRPC and HTTP renderings."""

    INVALID_ARGUMENT = (grpc.StatusCode.INVALID_ARGUMENT, 400)
    FAILED_PRECONDITION = (grpc.StatusCode.FAILED_PRECONDITION, 400)
    OUT_OF_RANGE = (grpc.StatusCode.OUT_OF_RANGE, 400)
    PERMISSION_DENIED = (grpc.StatusCode.PERMISSION_DENIED, 403)
    NOT_FOUND = (grpc.StatusCode.NOT_FOUND, 404)
    ALREADY_EXISTS = (grpc.StatusCode.ALREADY_EXISTS, 409)
    ABORTED = (grpc.StatusCode.ABORTED, 409)
    RESOURCE_EXHAUSTED = (grpc.StatusCode.RESOURCE_EXHAUSTED, 429)
    UNIMPLEMENTED = (grpc.StatusCode.UNIMPLEMENTED, 501)
    UNAVAILABLE = (grpc.StatusCode.UNAVAILABLE, 503)
    DEADLINE_EXCEEDED = (grpc.StatusCode.DEADLINE_EXCEEDED, 504)
    INTERNAL = (grpc.StatusCode.INTERNAL, 500)

    @property
    def grpc(self) -> grpc.StatusCode:
        """The gRPC status code."""
        return self.value[0]  # type: ignore[no-any-return]

    @property
    def http(self) -> int:
        """The HTTP status a REST answer carries."""
        return self.value[1]  # type: ignore[no-any-return]

    @property
    def number(self) -> int:
        """The ``google.rpc.Code`` number, as stored in ``google.rpc.Status.code``."""
        return self.grpc.value[0]  # type: ignore[no-any-return]


#: longest message an error carries (gRPC sends it in a header, limited to a few KB)
MAX_MESSAGE = 1024
#: longest piece of user input a message repeats
MAX_QUOTED = 100
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)} | {
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}


def shown(value: object, limit: int = MAX_QUOTED) -> str:
    """User input as a message or log line may repeat it: bounded, one line, no secrets.

    Control characters are escaped (so a newline cannot forge a log line), a
    URL's ``user:password@`` is masked, and text past ``limit`` characters is
    cut with an ellipsis.
    """
    text = masked(str(value))
    cut = text[:limit].translate(_CONTROL)
    return cut + "..." if len(text) > limit else cut


_CREDENTIALS = re.compile(r"(//)[^/@\s]*@")


def masked(text: str) -> str:
    """``text`` with the ``user:password@`` of any URL in it shown as ``***@``."""
    return _CREDENTIALS.sub(r"\1***@", text) if "@" in text and "//" in text else text


class ServiceError(Exception):
    """A request the service refuses: a code, the message the caller sees, and details.

    The message is kept to one line of at most :data:`MAX_MESSAGE` characters.
    ``details`` are ``google.rpc`` messages (from ``google.rpc.error_details_pb2``)
    that reach the caller as ``exc.details``, in this order, on both transports.
    """

    def __init__(self, code: Code, message: str, details: Iterable[Message] = ()) -> None:
        message = shown(message, MAX_MESSAGE)
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: tuple[Message, ...] = tuple(details)

    def __repr__(self) -> str:
        if self.details:
            kinds = ", ".join(d.DESCRIPTOR.full_name for d in self.details)
            return f"ServiceError({self.code.name}, {self.message!r}, [{kinds}])"
        return f"ServiceError({self.code.name}, {self.message!r})"

    def copy(self) -> ServiceError:
        """The same refusal as a new exception, free of this one's traceback (which
        holds the frames, and so the request, it was raised through)."""
        return ServiceError(self.code, self.message, self.details)


def status(error: ServiceError) -> status_pb2.Status:
    """``error`` as a ``google.rpc.Status``: its code number, message and packed details.

    Its serialized form is what gRPC's ``grpc-status-details-bin`` trailer carries.
    """
    out = status_pb2.Status(code=error.code.number, message=error.message)
    for detail in error.details:
        out.details.add().Pack(detail)
    return out


class ListenError(OSError):
    """The emulator cannot listen on an address; ``side`` is ``"grpc"`` or ``"http"``."""

    def __init__(self, side: str, message: str) -> None:
        super().__init__(message)
        self.side = side


def invalid(message: str, details: Iterable[Message] = ()) -> ServiceError:
    """An INVALID_ARGUMENT error."""
    return ServiceError(Code.INVALID_ARGUMENT, message, details)


def not_found(message: str) -> ServiceError:
    """A NOT_FOUND error."""
    return ServiceError(Code.NOT_FOUND, message)


def precondition(message: str) -> ServiceError:
    """A FAILED_PRECONDITION error."""
    return ServiceError(Code.FAILED_PRECONDITION, message)


# The real service's messages, word for word.
QUEUE_NAME_FORMAT = (
    'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/'
    '<QUEUE_ID>".'
)
TASK_ID_FORMAT = (
    'Task ID "{id}" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or'
    " underscores (_). Task ID must between 1 and 500 characters."
)
TASK_QUEUE_MISMATCH = (
    "The queue name from request ('{parent}') must be the same as the queue name in the named"
    " task ('{other}')."
)
PERMISSION_DENIED_PROJECT = "Permission denied on resource project {project}."
QUEUE_EXISTS = "Queue already exists"
QUEUE_TOO_RECENT = (
    "The queue cannot be created because a queue with this name existed too recently."
)
QUEUE_MISSING = (
    "Queue does not exist. If you just created the queue, wait at least a minute for the queue"
    " to initialize."
)
ENTITY_MISSING = "Requested entity was not found."
ENTITY_EXISTS = "Requested entity already exists"
TASK_GONE = (
    "The task no longer exists, though a task with this name existed recently. The task either"
    " successfully completed or was deleted."
)


# The real service's details, fact for fact.
_REFERENCE = "https://cloud.google.com/tasks/docs/reference/rest/v2/"
QUEUE_NAME_HELP_URL = _REFERENCE + "projects.locations.queues#Queue.FIELDS.name"
TASK_ID_HELP_URL = _REFERENCE + "projects.locations.queues.tasks#Task.FIELDS.name"
SERVICE_NAME = "cloudtasks.googleapis.com"


def help_link(description: str, url: str) -> error_details_pb2.Help:
    """A ``google.rpc.Help`` with one link."""
    return error_details_pb2.Help(
        links=[error_details_pb2.Help.Link(description=description, url=url)]
    )


def queue_name_help() -> error_details_pb2.Help:
    """The link an invalid queue name comes with (the v2 reference, in every version)."""
    return help_link("Definition of queue name", QUEUE_NAME_HELP_URL)


def task_id_help() -> error_details_pb2.Help:
    """The link an invalid task id comes with (the v2 reference, in every version)."""
    return help_link("Definition of task ID", TASK_ID_HELP_URL)


def project_denied(project: str) -> ServiceError:
    """PERMISSION_DENIED on ``project``, as the service answers a parent it cannot parse:
    the message, plus ``ErrorInfo`` (reason ``CONSUMER_INVALID``), the message again as a
    ``LocalizedMessage`` (en-US) and a ``Help`` link to the developers console."""
    project = shown(project)
    message = PERMISSION_DENIED_PROJECT.format(project=project)
    info = error_details_pb2.ErrorInfo(
        reason="CONSUMER_INVALID",
        domain="googleapis.com",
        metadata={
            "consumer": f"projects/{project}",
            "containerInfo": project,
            "service": SERVICE_NAME,
        },
    )
    localized = error_details_pb2.LocalizedMessage(locale="en-US", message=message)
    console = help_link("Google developers console", "https://console.developers.google.com")
    return ServiceError(Code.PERMISSION_DENIED, message, (info, localized, console))
