"""Rows shared by every Cloud Tasks version's method table.

The queue, task, IAM, batch, CMEK and mixin RPCs have the same shape in v2,
v2beta3 and v2beta2; only the protobuf package, the URL prefix and the
message classes differ.  The mixin rows (operations, locations) route by
``name`` as the established client does, although the API data lists no
routing fields for them.  :func:`rows` writes those rows once; a version's
table adds what is its own (v2beta2's pull-queue RPCs, for instance).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from google.cloud.location import locations_pb2
from google.iam.v1 import iam_policy_pb2, policy_pb2
from google.longrunning import operations_pb2

from .spec import IDEMPOTENT, HttpRule, Method, RetryPolicy, Service

QUEUE = "projects/*/locations/*/queues/*"
TASK = QUEUE + "/tasks/*"
LOCATION = "projects/*/locations/*"
CMEK = "projects/*/locations/*/cmekConfig"

#: resource-name templates behind the clients' ``*_path`` helpers
QUEUE_PATH = "projects/{project}/locations/{location}/queues/{queue}"
TASK_PATH = QUEUE_PATH + "/tasks/{task}"
CMEK_CONFIG_PATH = "projects/{project}/locations/{location}/cmekConfig"
CRYPTO_KEY_PATH = (
    "projects/{project}/locations/{location}/keyRings/{key_ring}/cryptoKeys/{crypto_key}"
)


def service(package: str, version: str, methods: tuple[Method, ...], *, cmek: bool) -> Service:
    """A Cloud Tasks version's ``Service``: its rows plus the facts every version shares."""
    paths = {"queue_path": QUEUE_PATH, "task_path": TASK_PATH}
    if cmek:
        paths |= {"cmek_config_path": CMEK_CONFIG_PATH, "crypto_key_path": CRYPTO_KEY_PATH}
    return Service.of(
        version=version,
        package=package,
        service=package + ".CloudTasks",
        default_host="cloudtasks.googleapis.com",
        scopes=("https://www.googleapis.com/auth/cloud-platform",),
        methods=methods,
        paths=paths,
    )


class RowMaker:
    """Makes rows for one service: ``make(name, rpc, request, response, ...)``."""

    def __init__(self, package: str, version: str, service: str = "CloudTasks") -> None:
        self.service = f"{package}.{service}"
        self.prefix = f"/{version}/"

    def http(self, verb: str, uri: str, body: str | None = None) -> tuple[HttpRule, ...]:
        """One binding whose URI template is relative to the version prefix."""
        return (HttpRule(verb, self.prefix + uri, body),)

    def make(self, name: str, rpc: str, request: Any, response: Any, **facts: Any) -> Method:
        """A row of this service; a ``service`` fact moves the row to a mixin service."""
        service = facts.pop("service", self.service)
        return Method(name, rpc, f"/{service}/{rpc}", request, response, **facts)


def rows(
    package: str,
    version: str,
    types: ModuleType,
    *,
    batch: bool,
    cmek_retry: RetryPolicy | None | bool,
    operations: bool,
) -> tuple[Method, ...]:
    """The rows every version has, plus batch/CMEK/operations ones when the version has them.

    ``types`` is the version's ``types`` package.  ``cmek_retry=False`` means
    the version has no CMEK RPCs; otherwise it is their default retry.
    """
    r = RowMaker(package, version)
    t = types
    queue_in_parent = f"{{parent={LOCATION}}}/queues"
    # fmt: off
    out = [
        r.make("list_queues", "ListQueues", t.ListQueuesRequest, t.ListQueuesResponse,
               flattened=("parent",), routing=("parent",), retry=IDEMPOTENT,
               http=r.http("get", queue_in_parent), items="queues"),
        r.make("get_queue", "GetQueue", t.GetQueueRequest, t.Queue,
               flattened=("name",), routing=("name",), retry=IDEMPOTENT,
               http=r.http("get", f"{{name={QUEUE}}}")),
        r.make("create_queue", "CreateQueue", t.CreateQueueRequest, t.Queue,
               flattened=("parent", "queue"), routing=("parent",),
               http=r.http("post", queue_in_parent, "queue")),
        r.make("update_queue", "UpdateQueue", t.UpdateQueueRequest, t.Queue,
               flattened=("queue", "update_mask"), routing=("queue.name",),
               http=r.http("patch", f"{{queue.name={QUEUE}}}", "queue")),
        r.make("delete_queue", "DeleteQueue", t.DeleteQueueRequest, None,
               flattened=("name",), routing=("name",), retry=IDEMPOTENT,
               http=r.http("delete", f"{{name={QUEUE}}}")),
    ]
    for verb in ("purge", "pause", "resume"):
        rpc = verb.capitalize() + "Queue"
        out.append(
            r.make(f"{verb}_queue", rpc, getattr(t, rpc + "Request"), t.Queue,
                   flattened=("name",), routing=("name",),
                   http=r.http("post", f"{{name={QUEUE}}}:{verb}", "*"))
        )
    iam = iam_policy_pb2
    out += [
        r.make("get_iam_policy", "GetIamPolicy", iam.GetIamPolicyRequest, policy_pb2.Policy,
               flattened=("resource",), routing=("resource",), retry=IDEMPOTENT,
               http=r.http("post", f"{{resource={QUEUE}}}:getIamPolicy", "*")),
        r.make("set_iam_policy", "SetIamPolicy", iam.SetIamPolicyRequest, policy_pb2.Policy,
               flattened=("resource",), routing=("resource",),
               http=r.http("post", f"{{resource={QUEUE}}}:setIamPolicy", "*")),
        r.make("test_iam_permissions", "TestIamPermissions", iam.TestIamPermissionsRequest,
               iam.TestIamPermissionsResponse, flattened=("resource", "permissions"),
               routing=("resource",), retry=IDEMPOTENT,
               http=r.http("post", f"{{resource={QUEUE}}}:testIamPermissions", "*")),
        r.make("list_tasks", "ListTasks", t.ListTasksRequest, t.ListTasksResponse,
               flattened=("parent",), routing=("parent",), retry=IDEMPOTENT,
               http=r.http("get", f"{{parent={QUEUE}}}/tasks"), items="tasks"),
        r.make("get_task", "GetTask", t.GetTaskRequest, t.Task,
               flattened=("name",), routing=("name",), retry=IDEMPOTENT,
               http=r.http("get", f"{{name={TASK}}}")),
        r.make("create_task", "CreateTask", t.CreateTaskRequest, t.Task,
               flattened=("parent", "task"), routing=("parent",),
               http=r.http("post", f"{{parent={QUEUE}}}/tasks", "*")),
        r.make("delete_task", "DeleteTask", t.DeleteTaskRequest, None,
               flattened=("name",), routing=("name",), retry=IDEMPOTENT,
               http=r.http("delete", f"{{name={TASK}}}")),
        r.make("run_task", "RunTask", t.RunTaskRequest, t.Task,
               flattened=("name",), routing=("name",),
               http=r.http("post", f"{{name={TASK}}}:run", "*")),
    ]
    if batch:
        out += [
            r.make("batch_create_tasks", "BatchCreateTasks", t.BatchCreateTasksRequest,
                   operations_pb2.Operation, flattened=("parent", "requests"),
                   routing=("parent",), timeout=None,
                   http=r.http("post", f"{{parent={QUEUE}}}/tasks:batchCreate", "*"),
                   lro=(t.BatchCreateTasksResponse, t.BatchCreateTasksMetadata)),
            r.make("batch_delete_tasks", "BatchDeleteTasks", t.BatchDeleteTasksRequest,
                   operations_pb2.Operation, flattened=("parent", "names"),
                   routing=("parent",), timeout=None,
                   http=r.http("post", f"{{parent={QUEUE}}}/tasks:batchDelete", "*"),
                   lro=(None, t.BatchDeleteTasksMetadata)),
        ]
    if cmek_retry is not False:
        retry = cmek_retry if isinstance(cmek_retry, RetryPolicy) else None
        out += [
            r.make("update_cmek_config", "UpdateCmekConfig", t.UpdateCmekConfigRequest,
                   t.CmekConfig, flattened=("cmek_config", "update_mask"),
                   routing=("cmek_config.name",), retry=retry,
                   http=r.http("patch", f"{{cmek_config.name={CMEK}}}", "cmek_config")),
            r.make("get_cmek_config", "GetCmekConfig", t.GetCmekConfigRequest, t.CmekConfig,
                   flattened=("name",), routing=("name",), retry=retry,
                   http=r.http("get", f"{{name={CMEK}}}")),
        ]
    if operations:
        out.append(
            r.make("get_operation", "GetOperation", operations_pb2.GetOperationRequest,
                   operations_pb2.Operation, timeout=None, mixin=True, routing=("name",),
                   service="google.longrunning.Operations",
                   http=r.http("get", "{name=projects/*/locations/*/operations/*}"))
        )
    locations = "google.cloud.location.Locations"
    out += [
        r.make("get_location", "GetLocation", locations_pb2.GetLocationRequest,
               locations_pb2.Location, timeout=None, mixin=True, service=locations,
               routing=("name",),
               http=r.http("get", f"{{name={LOCATION}}}")),
        r.make("list_locations", "ListLocations", locations_pb2.ListLocationsRequest,
               locations_pb2.ListLocationsResponse, timeout=None, mixin=True,
               service=locations, routing=("name",),
               http=r.http("get", "{name=projects/*}/locations")),
    ]
    # fmt: on
    return tuple(out)
