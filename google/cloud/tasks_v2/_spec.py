"""The v2 method table: every RPC of ``google.cloud.tasks.v2.CloudTasks`` and its mixins."""

from google.cloud.tasks._core.rows import rows
from google.cloud.tasks._core.spec import Service
from google.cloud.tasks_v2 import types

PACKAGE = "google.cloud.tasks.v2"

SERVICE = Service.of(
    version="v2",
    package=PACKAGE,
    service=PACKAGE + ".CloudTasks",
    default_host="cloudtasks.googleapis.com",
    scopes=("https://www.googleapis.com/auth/cloud-platform",),
    methods=rows(PACKAGE, "v2", types, batch=True, cmek_retry=None, operations=True),
    paths={
        "cmek_config_path": "projects/{project}/locations/{location}/cmekConfig",
        "crypto_key_path": (
            "projects/{project}/locations/{location}/keyRings/{key_ring}/cryptoKeys/{crypto_key}"
        ),
        "queue_path": "projects/{project}/locations/{location}/queues/{queue}",
        "task_path": "projects/{project}/locations/{location}/queues/{queue}/tasks/{task}",
    },
)
