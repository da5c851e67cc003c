"""The v2beta3 method table: the v2 rows under ``google.cloud.tasks.v2beta3`` and ``/v2beta3/``.

Only one fact differs from v2: the CMEK RPCs retry like the other idempotent ones.
"""

from google.cloud.tasks._core.rows import rows
from google.cloud.tasks._core.spec import IDEMPOTENT, Service
from google.cloud.tasks_v2beta3 import types

PACKAGE = "google.cloud.tasks.v2beta3"

SERVICE = Service.of(
    version="v2beta3",
    package=PACKAGE,
    service=PACKAGE + ".CloudTasks",
    default_host="cloudtasks.googleapis.com",
    scopes=("https://www.googleapis.com/auth/cloud-platform",),
    methods=rows(PACKAGE, "v2beta3", types, batch=True, cmek_retry=IDEMPOTENT, operations=True),
    paths={
        "cmek_config_path": "projects/{project}/locations/{location}/cmekConfig",
        "crypto_key_path": (
            "projects/{project}/locations/{location}/keyRings/{key_ring}/cryptoKeys/{crypto_key}"
        ),
        "queue_path": "projects/{project}/locations/{location}/queues/{queue}",
        "task_path": "projects/{project}/locations/{location}/queues/{queue}/tasks/{task}",
    },
)
