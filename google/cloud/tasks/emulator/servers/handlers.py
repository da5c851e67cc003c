"""One function per RPC: version request in, service call, version response out.

Every handler has the shape ``handler(service, version, request) -> response``
and works for each API version that has the RPC; the version converts between
its messages and the model.  The servers look handlers up by RPC name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.iam.v1 import iam_policy_pb2
from google.protobuf import empty_pb2, field_mask_pb2
from google.protobuf.message import Message

from ..service import model as m
from ..service import rules
from ..service.cloud_tasks import CloudTasksService
from ..service.errors import ServiceError, status
from ..versions import Version

Handler = Callable[[CloudTasksService, Version, Any], Message]
HANDLERS: dict[str, Handler] = {}

_EMPTY = empty_pb2.Empty()


def _rpc(name: str) -> Callable[[Handler], Handler]:
    """Register ``fn`` for RPC ``name``; its refusals name fields as the caller's version does."""

    def register(fn: Handler) -> Handler:
        def answer(service: CloudTasksService, version: Version, request: Any) -> Message:
            try:
                return fn(service, version, request)
            except ServiceError as exc:
                raise version.reworded(exc) from None

        HANDLERS[name] = answer
        return fn

    return register


def _view(request: Any) -> int:
    return m.VIEW_FULL if request.response_view == m.VIEW_FULL else m.VIEW_BASIC


def _read_mask(version: Version, request: Any) -> list[str] | None:
    if "read_mask" not in request.DESCRIPTOR.fields_by_name or not request.HasField("read_mask"):
        return None
    paths = list(request.read_mask.paths)
    version.check_mask(paths, f"{request.DESCRIPTOR.name}.readMask")
    return paths


def _queue_view(
    service: CloudTasksService, version: Version, queue: m.Queue, mask: list[str] | None
) -> Message:
    if mask and "stats" in mask:
        count, oldest = service.queue_stats(queue.name)
        queue.stats.tasks_count = count
        if oldest is not None:
            m.set_us(queue.stats.oldest_estimated_arrival_time, oldest)
        if queue.state == m.RUNNING:
            queue.stats.effective_execution_rate = queue.rate_limits.max_dispatches_per_second
    out = version.queue_out(queue)
    if not mask:
        return out
    shown = type(out)()
    field_mask_pb2.FieldMask(paths=mask).MergeMessage(out, shown)
    return shown


# -- queues ----------------------------------------------------------------------------


@_rpc("ListQueues")
def list_queues(service: CloudTasksService, version: Version, request: Any) -> Message:
    mask = _read_mask(version, request)
    queues, token = service.list_queues(
        request.parent, request.filter, request.page_size, request.page_token
    )
    out = version.pb("ListQueuesResponse")(next_page_token=token)
    out.queues.extend(_queue_view(service, version, q, mask) for q in queues)
    return out  # type: ignore[no-any-return]


@_rpc("GetQueue")
def get_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    mask = _read_mask(version, request)
    return _queue_view(service, version, service.get_queue(request.name), mask)


@_rpc("CreateQueue")
def create_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    queue = service.create_queue(request.parent, version.queue_in(request.queue))
    return version.queue_out(queue)


@_rpc("UpdateQueue")
def update_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    mask = version.mask_in(request.update_mask.paths) if request.HasField("update_mask") else None
    return version.queue_out(service.update_queue(version.queue_in(request.queue), mask))


@_rpc("DeleteQueue")
def delete_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    service.delete_queue(request.name)
    return _EMPTY


@_rpc("PurgeQueue")
def purge_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    return version.queue_out(service.purge_queue(request.name))


@_rpc("PauseQueue")
def pause_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    return version.queue_out(service.pause_queue(request.name))


@_rpc("ResumeQueue")
def resume_queue(service: CloudTasksService, version: Version, request: Any) -> Message:
    return version.queue_out(service.resume_queue(request.name))


@_rpc("UploadQueueYaml")
def upload_queue_yaml(service: CloudTasksService, version: Version, request: Any) -> Message:
    body = request.http_body.data if request.HasField("http_body") else None
    service.upload_queue_yaml(request.app_id, body)
    return _EMPTY


# -- IAM -------------------------------------------------------------------------------


@_rpc("GetIamPolicy")
def get_iam_policy(service: CloudTasksService, version: Version, request: Any) -> Message:
    return service.get_iam_policy(request.resource)


@_rpc("SetIamPolicy")
def set_iam_policy(service: CloudTasksService, version: Version, request: Any) -> Message:
    return service.set_iam_policy(request.resource, request.policy, request.update_mask.paths)


@_rpc("TestIamPermissions")
def test_iam_permissions(service: CloudTasksService, version: Version, request: Any) -> Message:
    granted = service.test_iam_permissions(request.resource, request.permissions)
    return iam_policy_pb2.TestIamPermissionsResponse(permissions=granted)


# -- tasks -----------------------------------------------------------------------------


@_rpc("ListTasks")
def list_tasks(service: CloudTasksService, version: Version, request: Any) -> Message:
    view = _view(request)
    tasks, token = service.list_tasks(request.parent, request.page_size, request.page_token)
    out = version.pb("ListTasksResponse")(next_page_token=token)
    out.tasks.extend(version.task_out(t, view) for t in tasks)
    return out  # type: ignore[no-any-return]


@_rpc("GetTask")
def get_task(service: CloudTasksService, version: Version, request: Any) -> Message:
    return version.task_out(service.get_task(request.name), _view(request))


@_rpc("CreateTask")
def create_task(service: CloudTasksService, version: Version, request: Any) -> Message:
    rules.refuse_oversize(request.task.ByteSize(), service.settings)
    task = service.create_task(request.parent, version.task_in(request.task))
    return version.task_out(task, _view(request))


@_rpc("DeleteTask")
def delete_task(service: CloudTasksService, version: Version, request: Any) -> Message:
    service.delete_task(request.name)
    return _EMPTY


@_rpc("RunTask")
def run_task(service: CloudTasksService, version: Version, request: Any) -> Message:
    return version.task_out(service.run_task(request.name), _view(request))


def _batch_state(version: Version, metadata: str, results: list[Any]) -> int:
    failed = sum(isinstance(r, ServiceError) for r in results)
    states = version.pb(metadata).State
    if failed == 0:
        return int(states.SUCCEEDED)
    return int(states.FAILED if failed == len(results) else states.PARTIALLY_SUCCEEDED)


def _operation(
    version: Version, metadata_type: str, name: str, results: list[Any], start: int, end: int
) -> tuple[Any, Any]:
    from google.longrunning import operations_pb2

    metadata = version.pb(metadata_type)(state=_batch_state(version, metadata_type, results))
    m.set_us(metadata.start_time, start)
    m.set_us(metadata.end_time, end)
    for index, result in enumerate(results):
        if isinstance(result, ServiceError):
            metadata.failed_requests[index].CopyFrom(status(result))
    op = operations_pb2.Operation(name=name, done=True)
    op.metadata.Pack(metadata)
    return op, metadata


@_rpc("BatchCreateTasks")
def batch_create_tasks(service: CloudTasksService, version: Version, request: Any) -> Message:
    for one in request.requests:
        rules.refuse_oversize(one.task.ByteSize(), service.settings)
    items = [(r.parent, version.task_in(r.task)) for r in request.requests]
    views = [_view(r) for r in request.requests]

    def pack(name: str, results: list[Any], start: int, end: int) -> Any:
        op, _ = _operation(version, "BatchCreateTasksMetadata", name, results, start, end)
        response = version.pb("BatchCreateTasksResponse")()
        response.tasks.extend(
            version.task_out(r, views[i])
            for i, r in enumerate(results)
            if not isinstance(r, ServiceError)
        )
        op.response.Pack(response)
        return op

    return service.batch_create_tasks(request.parent, items, request.request_id, pack)


@_rpc("BatchDeleteTasks")
def batch_delete_tasks(service: CloudTasksService, version: Version, request: Any) -> Message:
    def pack(name: str, results: list[Any], start: int, end: int) -> Any:
        op, _ = _operation(version, "BatchDeleteTasksMetadata", name, results, start, end)
        op.response.Pack(empty_pb2.Empty())
        return op

    return service.batch_delete_tasks(request.parent, request.names, request.request_id, pack)


# -- pull queues -----------------------------------------------------------------------


def _schedule_time(request: Any) -> Any:
    return request.schedule_time if request.HasField("schedule_time") else None


@_rpc("LeaseTasks")
def lease_tasks(service: CloudTasksService, version: Version, request: Any) -> Message:
    lease = rules.lease_seconds(request)
    tasks = service.lease_tasks(request.parent, request.max_tasks, lease, request.filter)
    view = _view(request)
    out = version.pb("LeaseTasksResponse")()
    out.tasks.extend(version.task_out(t, view) for t in tasks)
    return out  # type: ignore[no-any-return]


@_rpc("AcknowledgeTask")
def acknowledge_task(service: CloudTasksService, version: Version, request: Any) -> Message:
    service.acknowledge_task(request.name, _schedule_time(request))
    return _EMPTY


@_rpc("RenewLease")
def renew_lease(service: CloudTasksService, version: Version, request: Any) -> Message:
    lease = rules.lease_seconds(request)
    task = service.renew_lease(request.name, _schedule_time(request), lease)
    return version.task_out(task, _view(request))


@_rpc("CancelLease")
def cancel_lease(service: CloudTasksService, version: Version, request: Any) -> Message:
    task = service.cancel_lease(request.name, _schedule_time(request))
    return version.task_out(task, _view(request))


# -- CMEK, operations, locations -------------------------------------------------------


@_rpc("GetCmekConfig")
def get_cmek_config(service: CloudTasksService, version: Version, request: Any) -> Message:
    body = service.get_cmek_config(request.name)
    return version.pb("CmekConfig").FromString(body)  # type: ignore[no-any-return]


@_rpc("UpdateCmekConfig")
def update_cmek_config(service: CloudTasksService, version: Version, request: Any) -> Message:
    config = request.cmek_config
    body = service.update_cmek_config(config.name, config.kms_key, request.update_mask.paths)
    return version.pb("CmekConfig").FromString(body)  # type: ignore[no-any-return]


@_rpc("GetOperation")
def get_operation(service: CloudTasksService, version: Version, request: Any) -> Message:
    return service.get_operation(request.name)


@_rpc("ListLocations")
def list_locations(service: CloudTasksService, version: Version, request: Any) -> Message:
    return service.list_locations(request.name, request.page_size, request.page_token)


@_rpc("GetLocation")
def get_location(service: CloudTasksService, version: Version, request: Any) -> Message:
    return service.get_location(request.name)
