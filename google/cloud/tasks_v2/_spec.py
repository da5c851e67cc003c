"""The v2 method table: every RPC of ``google.cloud.tasks.v2.CloudTasks`` and its mixins."""

from google.cloud.tasks._core.rows import rows, service
from google.cloud.tasks_v2 import types

PACKAGE = "google.cloud.tasks.v2"

SERVICE = service(
    PACKAGE,
    "v2",
    rows(PACKAGE, "v2", types, batch=True, cmek_retry=None, operations=True),
    cmek=True,
)
