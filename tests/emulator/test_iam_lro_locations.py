"""IAM policies, batch operations as LROs, CMEK configs and locations."""

from __future__ import annotations

from typing import Any

import pytest
from google.api_core import exceptions
from google.iam.v1 import policy_pb2

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator, Settings

from .helpers import PARENT, QUEUE, http_task


def test_iam_policy_round_trip_with_etags(client: Any, queue: Any) -> None:
    empty = client.get_iam_policy(resource=QUEUE)
    assert list(empty.bindings) == [] and empty.etag
    binding = policy_pb2.Binding(role="roles/cloudtasks.enqueuer", members=["user:a@example.com"])
    stored = client.set_iam_policy(
        request={"resource": QUEUE, "policy": {"bindings": [binding], "etag": empty.etag}}
    )
    assert list(stored.bindings) == [binding] and stored.etag != empty.etag
    assert client.get_iam_policy(resource=QUEUE) == stored
    with pytest.raises(exceptions.Aborted):
        client.set_iam_policy(request={"resource": QUEUE, "policy": {"etag": empty.etag}})
    with pytest.raises(exceptions.InvalidArgument):
        client.set_iam_policy(
            request={"resource": QUEUE, "policy": {"bindings": [{"role": "owner"}]}}
        )
    assert client.get_iam_policy(resource=QUEUE) == stored
    granted = client.test_iam_permissions(
        resource=QUEUE, permissions=["cloudtasks.tasks.create", "storage.objects.get"]
    )
    assert list(granted.permissions) == ["cloudtasks.tasks.create"]
    with pytest.raises(exceptions.NotFound):
        client.get_iam_policy(resource=f"{PARENT}/queues/none")
    with pytest.raises(exceptions.InvalidArgument):
        client.get_iam_policy(resource="bad")


def test_batch_create_and_delete_are_operations(client: Any, queue: Any) -> None:
    names = [f"{QUEUE}/tasks/b{i}" for i in range(3)]
    requests = [{"parent": QUEUE, "task": http_task(n)} for n in names]
    requests.append({"parent": QUEUE, "task": http_task(f"{QUEUE}/tasks/bad id")})
    op = client.batch_create_tasks(parent=QUEUE, requests=requests)
    result = op.result(timeout=5)
    assert [t.name for t in result.tasks] == names
    assert op.metadata.state == tasks_v2.BatchCreateTasksMetadata.State.PARTIALLY_SUCCEEDED
    assert list(op.metadata.failed_requests) == [3]
    assert op.metadata.failed_requests[3].code == 3  # INVALID_ARGUMENT
    again = client.get_operation(request={"name": op.operation.name})
    assert again.done and again.name == op.operation.name
    assert sorted(t.name for t in client.list_tasks(parent=QUEUE)) == names
    delete = client.batch_delete_tasks(parent=QUEUE, names=[*names, f"{QUEUE}/tasks/none"])
    delete.result(timeout=5)
    assert delete.metadata.state == tasks_v2.BatchDeleteTasksMetadata.State.PARTIALLY_SUCCEEDED
    assert delete.metadata.failed_requests[3].code == 5  # NOT_FOUND
    assert list(client.list_tasks(parent=QUEUE)) == []
    with pytest.raises(exceptions.NotFound):
        client.get_operation(request={"name": f"{PARENT}/operations/none"})


def test_batch_request_id_is_idempotent(client: Any, queue: Any) -> None:
    request = {"parent": QUEUE, "requests": [{"task": http_task()}], "request_id": "r-1"}
    first = client.batch_create_tasks(request=request).result(timeout=5)
    second = client.batch_create_tasks(request=request).result(timeout=5)
    assert first == second
    assert len(list(client.list_tasks(parent=QUEUE))) == 1


def test_cmek_config(client: Any) -> None:
    name = f"{PARENT}/cmekConfig"
    assert client.get_cmek_config(name=name).kms_key == ""
    key = "projects/proj/locations/us-central1/keyRings/r/cryptoKeys/k"
    updated = client.update_cmek_config(cmek_config={"name": name, "kms_key": key})
    assert updated.kms_key == key and client.get_cmek_config(name=name).kms_key == key
    with pytest.raises(exceptions.InvalidArgument):
        client.update_cmek_config(cmek_config={"name": name, "kms_key": "nope"})
    with pytest.raises(exceptions.InvalidArgument):
        client.get_cmek_config(name="projects/p/cmekConfig")


def test_locations(client: Any) -> None:
    listed = list(client.list_locations(request={"name": "projects/proj"}).locations)
    assert "us-central1" in [loc.location_id for loc in listed]
    assert listed[0].name == f"projects/proj/locations/{listed[0].location_id}"
    got = client.get_location(request={"name": "projects/proj/locations/europe-west1"})
    assert got.location_id == "europe-west1"
    with pytest.raises(exceptions.NotFound):
        client.get_location(request={"name": "projects/proj/locations/mars-north1"})


def test_location_list_is_configurable() -> None:
    with Emulator(dispatch=False, settings=Settings(locations=("here", "there"))) as emu:
        response = emu.client().list_locations(request={"name": "projects/x"})
        assert [loc.location_id for loc in response.locations] == ["here", "there"]
