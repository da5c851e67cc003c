"""The v2beta3 method table: the v2 rows under ``google.cloud.tasks.v2beta3`` and ``/v2beta3/``.

Only one fact differs from v2: the CMEK RPCs retry like the other idempotent ones.
"""

from google.cloud.tasks._core.rows import rows, service
from google.cloud.tasks._core.spec import IDEMPOTENT
from google.cloud.tasks_v2beta3 import types

PACKAGE = "google.cloud.tasks.v2beta3"

SERVICE = service(
    PACKAGE,
    "v2beta3",
    rows(PACKAGE, "v2beta3", types, batch=True, cmek_retry=IDEMPOTENT, operations=True),
    cmek=True,
)
