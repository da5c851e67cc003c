"""The abstract v2beta2 transport every concrete one derives from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from google.cloud.tasks._core.transport import Transport, default_client_info
from google.cloud.tasks_v2beta2._spec import SERVICE

if TYPE_CHECKING:
    from google.cloud.tasks._core.transport import ClientInfo

__all__ = ("CloudTasksTransport", "DEFAULT_CLIENT_INFO")

#: the ``client_info`` of a client given none (made on first use)
DEFAULT_CLIENT_INFO: ClientInfo

# Not for type checkers: to them a module __getattr__ makes every misspelt name Any.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> Any:
        if name == "DEFAULT_CLIENT_INFO":
            return default_client_info()
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CloudTasksTransport(Transport):
    """Base of the v2beta2 transports: each method of the table is an attribute."""

    _service = SERVICE
