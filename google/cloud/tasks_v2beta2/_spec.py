"""The v2beta2 method table: the shared rows plus the pull-queue and queue.yaml RPCs.

v2beta2 has neither batch, CMEK nor operations RPCs.  Its own rows are the
pull-queue lease cycle (lease, acknowledge, renew, cancel) and
``UploadQueueYaml``, which has no REST binding and so works over gRPC only.
"""

from google.cloud.tasks._core.rows import QUEUE, TASK, RowMaker, rows, service
from google.cloud.tasks_v2beta2 import types as t

PACKAGE = "google.cloud.tasks.v2beta2"

_r = RowMaker(PACKAGE, "v2beta2")
# fmt: off
_PULL_QUEUE_ROWS = (
    _r.make("upload_queue_yaml", "UploadQueueYaml", t.UploadQueueYamlRequest, None),
    _r.make("lease_tasks", "LeaseTasks", t.LeaseTasksRequest, t.LeaseTasksResponse,
            flattened=("parent", "lease_duration"), routing=("parent",),
            http=_r.http("post", f"{{parent={QUEUE}}}/tasks:lease", "*")),
    _r.make("acknowledge_task", "AcknowledgeTask", t.AcknowledgeTaskRequest, None,
            flattened=("name", "schedule_time"), routing=("name",),
            http=_r.http("post", f"{{name={TASK}}}:acknowledge", "*")),
    _r.make("renew_lease", "RenewLease", t.RenewLeaseRequest, t.Task,
            flattened=("name", "schedule_time", "lease_duration"), routing=("name",),
            http=_r.http("post", f"{{name={TASK}}}:renewLease", "*")),
    _r.make("cancel_lease", "CancelLease", t.CancelLeaseRequest, t.Task,
            flattened=("name", "schedule_time"), routing=("name",),
            http=_r.http("post", f"{{name={TASK}}}:cancelLease", "*")),
)
# fmt: on

SERVICE = service(
    PACKAGE,
    "v2beta2",
    rows(PACKAGE, "v2beta2", t, batch=False, cmek_retry=False, operations=False) + _PULL_QUEUE_ROWS,
    cmek=False,
)
