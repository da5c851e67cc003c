"""The ``client_info`` a client sends when given none: library and runtime versions.

:class:`ClientInfo` is ``google.api_core.client_info.ClientInfo`` plus the
gRPC header it becomes, exactly what ``google.api_core.gapic_v1.client_info``
adds, so it can be made without importing ``gapic_v1`` (which costs a cold
start more than the rest of a first call).  A user's own ``ClientInfo``,
from either module, is used as it is.
"""

from __future__ import annotations

from google.api_core import client_info

#: the header that names the client library and what it runs on
API_CLIENT_HEADER = "x-goog-api-client"


class ClientInfo(client_info.ClientInfo):  # type: ignore[misc]
    """Library and runtime versions for the ``x-goog-api-client`` header.

    The same fields and header value as ``gapic_v1.client_info.ClientInfo``.
    """

    def to_grpc_metadata(self) -> tuple[str, str]:
        """``("x-goog-api-client", <the user agent string>)``, as gRPC metadata."""
        return (API_CLIENT_HEADER, self.to_user_agent())
