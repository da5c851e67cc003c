"""One state behind v2, v2beta3 and v2beta2, and v2beta2's pull queues."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from google.api_core import exceptions
from google.protobuf import field_mask_pb2

from google.cloud import tasks_v2beta2, tasks_v2beta3
from google.cloud.tasks.emulator import Emulator

from .helpers import PARENT, QUEUE, http_task

PULL = f"{PARENT}/queues/pull"


def test_a_v2_queue_is_seen_through_every_version(emu: Emulator, client: Any) -> None:
    client.create_queue(
        parent=PARENT,
        queue={
            "name": QUEUE,
            "rate_limits": {"max_dispatches_per_second": 20},
            "retry_config": {"max_attempts": -1},
            "app_engine_routing_override": {"service": "worker"},
        },
    )
    task = client.create_task(parent=QUEUE, task=http_task(body=b"b"))
    beta3 = emu.client("v2beta3")
    q3 = beta3.get_queue(name=QUEUE)
    assert q3.rate_limits.max_dispatches_per_second == 20
    assert q3.app_engine_http_queue.app_engine_routing_override.service == "worker"
    assert q3.type_ == tasks_v2beta3.Queue.Type.PUSH
    assert [q.name for q in beta3.list_queues(parent=PARENT)] == [QUEUE]
    t3 = beta3.get_task(request={"name": task.name, "response_view": 2})
    assert t3.http_request.body == b"b" and t3.dispatch_deadline == datetime.timedelta(minutes=10)
    beta2 = emu.client("v2beta2")
    q2 = beta2.get_queue(name=QUEUE)
    assert q2.rate_limits.max_tasks_dispatched_per_second == 20
    assert q2.retry_config.unlimited_attempts
    assert q2.app_engine_http_target.app_engine_routing_override.service == "worker"
    [t2] = list(beta2.list_tasks(parent=QUEUE))
    assert t2.name == task.name and t2.http_request.url == "https://example.com/work"


def test_beta_changes_show_in_v2(emu: Emulator, client: Any) -> None:
    beta2 = emu.client("v2beta2")
    beta2.create_queue(
        parent=PARENT,
        queue={"name": QUEUE, "rate_limits": {"max_concurrent_tasks": 9}},
    )
    assert client.get_queue(name=QUEUE).rate_limits.max_concurrent_dispatches == 9
    beta2.update_queue(
        queue={"name": QUEUE, "rate_limits": {"max_tasks_dispatched_per_second": 3}},
        update_mask=field_mask_pb2.FieldMask(paths=["rate_limits.max_tasks_dispatched_per_second"]),
    )
    v2 = client.get_queue(name=QUEUE)
    assert v2.rate_limits.max_dispatches_per_second == 3
    assert v2.rate_limits.max_concurrent_dispatches == 9
    beta3 = emu.client("v2beta3")
    stats = beta3.get_queue(request={"name": QUEUE, "read_mask": {"paths": ["name", "stats"]}})
    assert stats.stats.tasks_count == 0 and not stats.rate_limits


def test_pull_queue_lease_cycle(emu: Emulator) -> None:
    beta2 = emu.client("v2beta2")
    q = beta2.create_queue(parent=PARENT, queue={"name": PULL, "pull_target": {}})
    assert "pull_target" in tasks_v2beta2.Queue.pb(q).DESCRIPTOR.fields_by_name
    assert tasks_v2beta2.Queue.pb(q).WhichOneof("target_type") == "pull_target"
    assert emu.client("v2beta3").get_queue(name=PULL).type_ == tasks_v2beta3.Queue.Type.PULL
    for i, tag in enumerate(["a", "b", "a"]):
        beta2.create_task(
            parent=PULL,
            task={"name": f"{PULL}/tasks/t{i}", "pull_message": {"payload": b"p", "tag": tag}},
        )
    with pytest.raises(exceptions.InvalidArgument):
        beta2.create_task(parent=PULL, task=http_task())
    leased = beta2.lease_tasks(
        request={
            "parent": PULL,
            "max_tasks": 10,
            "lease_duration": {"seconds": 60},
            "filter": 'tag="a"',
            "response_view": 2,
        }
    ).tasks
    assert [t.name.rsplit("/", 1)[1] for t in leased] == ["t0", "t2"]
    assert leased[0].pull_message.payload == b"p"
    assert leased[0].status.attempt_dispatch_count == 1
    now = datetime.datetime.now(datetime.timezone.utc)
    assert leased[0].schedule_time > now + datetime.timedelta(seconds=50)
    again = beta2.lease_tasks(parent=PULL, lease_duration={"seconds": 60})
    assert [t.name.rsplit("/", 1)[1] for t in again.tasks] == ["t1"]
    t0, t2 = leased
    with pytest.raises(exceptions.FailedPrecondition):
        beta2.acknowledge_task(name=t0.name, schedule_time=now)
    beta2.acknowledge_task(name=t0.name, schedule_time=t0.schedule_time)
    with pytest.raises(exceptions.NotFound):
        beta2.get_task(name=t0.name)
    renewed = beta2.renew_lease(
        name=t2.name, schedule_time=t2.schedule_time, lease_duration={"seconds": 120}
    )
    assert renewed.schedule_time > t2.schedule_time
    cancelled = beta2.cancel_lease(name=t2.name, schedule_time=renewed.schedule_time)
    assert cancelled.schedule_time <= datetime.datetime.now(datetime.timezone.utc)
    oldest = beta2.lease_tasks(
        request={
            "parent": PULL,
            "lease_duration": {"seconds": 1},
            "max_tasks": 5,
            "filter": "tag_function=oldest_tag()",
        }
    )
    assert [t.name.rsplit("/", 1)[1] for t in oldest.tasks] == ["t2"]
    time.sleep(1.1)  # the lease expires: the task can be leased again
    relet = beta2.lease_tasks(parent=PULL, lease_duration={"seconds": 30})
    assert "t2" in [t.name.rsplit("/", 1)[1] for t in relet.tasks]


def test_pull_queue_errors(emu: Emulator, client: Any) -> None:
    beta2 = emu.client("v2beta2")
    beta2.create_queue(parent=PARENT, queue={"name": PULL, "pull_target": {}})
    for request in (
        {"parent": PULL},
        {"parent": PULL, "lease_duration": {"seconds": 8 * 24 * 3600}},
        {"parent": PULL, "lease_duration": {"seconds": 5}, "max_tasks": 1001},
        {"parent": PULL, "lease_duration": {"seconds": 5}, "filter": "colour=red"},
    ):
        with pytest.raises(exceptions.InvalidArgument):
            beta2.lease_tasks(request=request)
    beta2.pause_queue(name=PULL)
    with pytest.raises(exceptions.FailedPrecondition):
        beta2.lease_tasks(parent=PULL, lease_duration={"seconds": 5})
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    with pytest.raises(exceptions.FailedPrecondition):
        beta2.lease_tasks(parent=QUEUE, lease_duration={"seconds": 5})
    with pytest.raises(exceptions.InvalidArgument, match="httpBody is required"):
        beta2.upload_queue_yaml(request={"app_id": "x"})
