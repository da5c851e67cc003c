"""Errors, retries and deadlines, as a user of either client sees them.

Failures cross the wire as gRPC status codes and must reach the caller as
the matching ``google.api_core.exceptions`` class with the server's message.
Idempotent methods retry UNAVAILABLE and DEADLINE_EXCEEDED by default; the
others never do.
"""

from __future__ import annotations

import time
from typing import Any

import grpc
import pytest
from conftest import PARENT, QUEUE, TASK, URL, call
from fake_wire import Wire
from google.api_core import exceptions, gapic_v1
from google.api_core import retry as retries

from google.cloud.tasks._core import client as core_client
from google.cloud.tasks_v2._spec import SERVICE

Code = grpc.StatusCode

# The real service's messages, word for word.
QUEUE_MISSING = (
    "Queue does not exist. If you just created the queue, wait at least a minute for the queue"
    " to initialize."
)
NOT_FOUND = "Requested entity was not found."
TASK_GONE = (
    "The task no longer exists, though a task with this name existed recently. The task either"
    " successfully completed or was deleted."
)
QUEUE_NAME_FORMAT = (
    'Queue name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/'
    '<QUEUE_ID>".'
)


@pytest.mark.parametrize(
    "code, error",
    [
        (Code.NOT_FOUND, exceptions.NotFound),
        (Code.ALREADY_EXISTS, exceptions.AlreadyExists),
        (Code.INVALID_ARGUMENT, exceptions.InvalidArgument),
        (Code.PERMISSION_DENIED, exceptions.PermissionDenied),
        (Code.FAILED_PRECONDITION, exceptions.FailedPrecondition),
        (Code.UNAUTHENTICATED, exceptions.Unauthenticated),
        (Code.RESOURCE_EXHAUSTED, exceptions.ResourceExhausted),
        (Code.ABORTED, exceptions.Aborted),
        (Code.INTERNAL, exceptions.InternalServerError),
        (Code.UNIMPLEMENTED, exceptions.MethodNotImplemented),
        (Code.UNAVAILABLE, exceptions.ServiceUnavailable),
    ],
)
async def test_status_codes_become_api_core_exceptions(
    any_client: Any, wire: Wire, code: grpc.StatusCode, error: type
) -> None:
    wire.fail_next("create_queue", code, message=f"the server says {code.name}")
    with pytest.raises(error) as caught:
        await call(any_client, "create_queue", parent=PARENT, queue={"name": QUEUE})
    assert type(caught.value) is error
    assert caught.value.message == f"the server says {code.name}"
    assert caught.value.grpc_status_code == code
    assert isinstance(caught.value.__cause__, grpc.RpcError)


# -- the service's own answers -------------------------------------------------------------


async def test_missing_queue_is_not_found_with_the_service_message(any_client: Any) -> None:
    with pytest.raises(exceptions.NotFound) as caught:
        await call(any_client, "get_queue", name=QUEUE)
    assert caught.value.message == QUEUE_MISSING


async def test_creating_a_queue_twice_is_already_exists(any_client: Any, queue: Any) -> None:
    with pytest.raises(exceptions.AlreadyExists, match="Queue already exists"):
        await call(any_client, "create_queue", parent=PARENT, queue={"name": QUEUE})


async def test_recreating_a_deleted_queue_is_failed_precondition(
    any_client: Any, service: Any, queue: Any
) -> None:
    service.delete_queue(name=QUEUE)
    with pytest.raises(exceptions.FailedPrecondition, match="existed too recently"):
        await call(any_client, "create_queue", parent=PARENT, queue={"name": QUEUE})


async def test_malformed_queue_name_is_invalid_argument(any_client: Any) -> None:
    with pytest.raises(exceptions.InvalidArgument) as caught:
        await call(
            any_client, "create_queue", parent=PARENT, queue={"name": f"{PARENT}/queues/a_b"}
        )
    assert caught.value.message == QUEUE_NAME_FORMAT


async def test_unparseable_parent_is_permission_denied(any_client: Any) -> None:
    with pytest.raises(exceptions.PermissionDenied) as caught:
        await call(any_client, "create_queue", parent="projects/nope", queue={"name": QUEUE})
    assert caught.value.message == "Permission denied on resource project nope."


async def test_recreating_a_deleted_task_is_already_exists(
    any_client: Any, service: Any, task: Any
) -> None:
    service.delete_task(name=TASK)
    with pytest.raises(exceptions.AlreadyExists, match="^409 Requested entity already exists"):
        await call(
            any_client,
            "create_task",
            parent=QUEUE,
            task={"name": TASK, "http_request": {"url": URL}},
        )


async def test_deleted_task_and_missing_task_are_told_apart(
    any_client: Any, service: Any, task: Any
) -> None:
    service.delete_task(name=TASK)
    with pytest.raises(exceptions.NotFound) as gone:
        await call(any_client, "get_task", name=TASK)
    assert gone.value.message == TASK_GONE
    with pytest.raises(exceptions.NotFound) as never:
        await call(any_client, "get_task", name=f"{QUEUE}/tasks/never")
    assert never.value.message == NOT_FOUND


async def test_task_in_another_queue_is_invalid_argument(any_client: Any, queue: Any) -> None:
    other = f"{PARENT}/queues/other/tasks/t"
    with pytest.raises(exceptions.InvalidArgument, match="must be the same as the queue name"):
        await call(any_client, "create_task", parent=QUEUE, task={"name": other})


async def test_stale_policy_etag_is_aborted(any_client: Any, queue: Any) -> None:
    policy = await call(any_client, "set_iam_policy", {"resource": QUEUE, "policy": {}})
    await call(any_client, "set_iam_policy", {"resource": QUEUE, "policy": {"etag": policy.etag}})
    with pytest.raises(exceptions.Aborted):
        await call(
            any_client, "set_iam_policy", {"resource": QUEUE, "policy": {"etag": policy.etag}}
        )


# -- retries -------------------------------------------------------------------------------


def test_default_retry_and_timeout_follow_the_api() -> None:
    idempotent = {name for name, method in SERVICE.methods.items() if method.retry}
    assert idempotent == {
        "list_queues",
        "get_queue",
        "delete_queue",
        "get_iam_policy",
        "test_iam_permissions",
        "list_tasks",
        "get_task",
        "delete_task",
    }
    get_queue = SERVICE.methods["get_queue"]
    assert get_queue.timeout == 20.0
    assert get_queue.retry is not None
    assert (get_queue.retry.initial, get_queue.retry.maximum) == (0.1, 10.0)
    assert (get_queue.retry.multiplier, get_queue.retry.deadline) == (1.3, 20.0)
    assert set(get_queue.retry.retry_on) == {"DeadlineExceeded", "ServiceUnavailable"}
    assert SERVICE.methods["batch_create_tasks"].timeout is None


async def test_idempotent_method_retries_unavailable(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    wire.fail_next("get_queue", Code.UNAVAILABLE, count=2)
    got = await call(any_client, "get_queue", name=QUEUE)
    assert got.name == QUEUE
    assert len(wire.calls_of("get_queue")) == 3


async def test_idempotent_method_does_not_retry_other_errors(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    wire.fail_next("get_queue", Code.INTERNAL)
    with pytest.raises(exceptions.InternalServerError):
        await call(any_client, "get_queue", name=QUEUE)
    assert len(wire.calls_of("get_queue")) == 1


async def test_create_task_is_not_retried(
    any_client: Any, wire: Wire, service: Any, queue: Any
) -> None:
    wire.fail_next("create_task", Code.UNAVAILABLE)
    with pytest.raises(exceptions.ServiceUnavailable):
        await call(any_client, "create_task", parent=QUEUE, task={"http_request": {"url": URL}})
    assert len(wire.calls_of("create_task")) == 1
    assert list(service.list_tasks(parent=QUEUE)) == []


async def test_retry_none_disables_the_default_retry(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    wire.fail_next("get_queue", Code.UNAVAILABLE)
    with pytest.raises(exceptions.ServiceUnavailable):
        await call(any_client, "get_queue", name=QUEUE, retry=None)
    assert len(wire.calls_of("get_queue")) == 1


@pytest.mark.parametrize(
    "default",
    [core_client.DEFAULT, gapic_v1.method.DEFAULT],
    ids=["signature-default", "api_core-DEFAULT"],
)
async def test_passing_default_asks_for_the_method_defaults(
    any_client: Any, wire: Wire, queue: Any, default: Any
) -> None:
    # ``retry=gapic_v1.method.DEFAULT`` (the reference library's idiom) is not a retry
    # object: it means "this method's own retry and timeout", exactly as leaving them out
    wire.fail_next("get_queue", Code.UNAVAILABLE, count=2)
    got = await call(any_client, "get_queue", name=QUEUE, retry=default, timeout=default)
    assert got.name == QUEUE
    assert len(wire.calls_of("get_queue")) == 3
    wire.fail_next("create_task", Code.UNAVAILABLE)
    with pytest.raises(exceptions.ServiceUnavailable):
        await call(
            any_client,
            "create_task",
            parent=QUEUE,
            task={"http_request": {"url": URL}},
            retry=default,
            timeout=default,
        )
    assert len(wire.calls_of("create_task")) == 1


def _quick_retry(asynchronous: bool, *errors: type) -> Any:
    kind = retries.AsyncRetry if asynchronous else retries.Retry
    return kind(initial=0.01, maximum=0.01, predicate=retries.if_exception_type(*errors), timeout=5)


async def test_a_caller_retry_replaces_the_default(any_client: Any, wire: Wire, queue: Any) -> None:
    asynchronous = type(any_client).__name__.endswith("AsyncClient")
    wire.fail_next("create_task", Code.ABORTED, count=2)
    made = await call(
        any_client,
        "create_task",
        parent=QUEUE,
        task={"http_request": {"url": URL}},
        retry=_quick_retry(asynchronous, exceptions.Aborted),
    )
    assert made.name.startswith(QUEUE)
    assert len(wire.calls_of("create_task")) == 3


async def test_a_caller_retry_gives_up_on_errors_outside_its_predicate(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    asynchronous = type(any_client).__name__.endswith("AsyncClient")
    wire.fail_next("get_queue", Code.UNAVAILABLE)
    with pytest.raises(exceptions.ServiceUnavailable):
        await call(
            any_client,
            "get_queue",
            name=QUEUE,
            retry=_quick_retry(asynchronous, exceptions.Aborted),
        )
    assert len(wire.calls_of("get_queue")) == 1


# -- deadlines -----------------------------------------------------------------------------


async def test_slow_answer_past_the_timeout_is_deadline_exceeded(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    wire.delay_next("get_queue", 0.6)
    started = time.monotonic()
    with pytest.raises(exceptions.DeadlineExceeded):
        await call(any_client, "get_queue", name=QUEUE, timeout=0.1, retry=None)
    assert time.monotonic() - started < 0.5


async def test_deadline_exceeded_is_retried_for_idempotent_methods(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    # the first attempt times out; the default retry then tries again and succeeds
    wire.delay_next("get_queue", 0.6)
    got = await call(any_client, "get_queue", name=QUEUE, timeout=0.1)
    assert got.name == QUEUE
    assert len(wire.calls_of("get_queue")) == 2


async def test_a_timeout_long_enough_lets_the_call_finish(
    any_client: Any, wire: Wire, queue: Any
) -> None:
    wire.delay_next("pause_queue", 0.1)
    paused = await call(any_client, "pause_queue", name=QUEUE, timeout=5)
    assert paused.name == QUEUE
