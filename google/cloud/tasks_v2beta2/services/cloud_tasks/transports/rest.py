"""The v2beta2 REST transport: JSON over HTTP/1.1, transcoded from the method table."""

from google.cloud.tasks._core.rest import RestInterceptor, RestTransport
from google.cloud.tasks_v2beta2._spec import SERVICE

from .base import CloudTasksTransport

__all__ = ("CloudTasksRestInterceptor", "CloudTasksRestTransport")


class CloudTasksRestInterceptor(RestInterceptor):
    """``pre_<method>``/``post_<method>``/``post_<method>_with_metadata`` hooks; override any."""

    _service = SERVICE


class CloudTasksRestTransport(RestTransport, CloudTasksTransport):
    """Calls Cloud Tasks v2beta2 over REST (``transport="rest"``)."""

    _interceptor_type = CloudTasksRestInterceptor
