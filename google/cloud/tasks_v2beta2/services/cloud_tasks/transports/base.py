"""The abstract v2beta2 transport every concrete one derives from."""

from google.cloud.tasks._core.transport import DEFAULT_CLIENT_INFO, Transport
from google.cloud.tasks_v2beta2._spec import SERVICE

__all__ = ("CloudTasksTransport", "DEFAULT_CLIENT_INFO")


class CloudTasksTransport(Transport):
    """Base of the v2beta2 transports: each method of the table is an attribute."""

    _service = SERVICE
