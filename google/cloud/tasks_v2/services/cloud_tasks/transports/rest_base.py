"""The REST transports' common base, under the module name the reference library uses.

Code that imports ``rest_base`` keeps working; the base class itself is the
shared :class:`~google.cloud.tasks._core.rest.RestTransport`.
"""

from google.cloud.tasks._core.rest import RestTransport as _BaseCloudTasksRestTransport

__all__ = ("_BaseCloudTasksRestTransport",)
