"""Domain errors of the emulator and the one table that maps them onto the wire.

The service raises :class:`ServiceError` with a :class:`Code` and the exact
message the real Cloud Tasks service gives.  Each :class:`Code` knows its gRPC
status code and the HTTP status a REST gateway answers with, so every server
translates errors the same way.
"""

from __future__ import annotations

import enum
import re

import grpc


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
    text = str(value)
    if "@" in text and "//" in text:
        text = _CREDENTIALS.sub(r"\1***@", text)
    cut = text[:limit].translate(_CONTROL)
    return cut + "..." if len(text) > limit else cut


_CREDENTIALS = re.compile(r"(//)[^/@\s]*@")


class ServiceError(Exception):
    """A request the service refuses: a code and the message the caller sees.

    The message is kept to one line of at most :data:`MAX_MESSAGE` characters.
    """

    def __init__(self, code: Code, message: str) -> None:
        message = shown(message, MAX_MESSAGE)
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"ServiceError({self.code.name}, {self.message!r})"


class ListenError(OSError):
    """The emulator cannot listen on an address; ``side`` is ``"grpc"`` or ``"http"``."""

    def __init__(self, side: str, message: str) -> None:
        super().__init__(message)
        self.side = side


def invalid(message: str) -> ServiceError:
    """An INVALID_ARGUMENT error."""
    return ServiceError(Code.INVALID_ARGUMENT, message)


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
