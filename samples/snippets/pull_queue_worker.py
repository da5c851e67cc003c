"""A pull-queue worker with the v2beta2 API: lease tasks, renew, acknowledge, cancel.

Pull queues do not deliver: workers lease tasks, do the work and acknowledge
them.  A lease that runs out (or is cancelled) puts the task back for the
next worker.  Every lease call names the lease by the task's ``schedule_time``,
which the lease sets to its expiry.

With the emulator running (``cloud-tasks-emulator start``; the sample makes its own queue):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/pull_queue_worker.py
"""

from __future__ import annotations

import datetime

from google.api_core import exceptions

from google.cloud import tasks_v2beta2 as tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-pull-queue",
    count: int = 3,
) -> None:
    client = tasks.CloudTasksClient()
    parent = client.queue_path(project, location, queue)
    try:
        queue_spec = tasks.Queue(name=parent, pull_target=tasks.PullTarget())
        client.create_queue(parent=client.common_location_path(project, location), queue=queue_spec)
    except exceptions.AlreadyExists:
        pass

    # a producer adds tasks that carry a payload and a tag
    for i in range(count):
        message = tasks.PullMessage(payload=f"job {i}".encode(), tag="reports")
        client.create_task(parent=parent, task=tasks.Task(pull_message=message))

    # a worker leases them: each is its own for 60 s
    leased = client.lease_tasks(
        request={
            "parent": parent,
            "max_tasks": count,
            "lease_duration": datetime.timedelta(seconds=60),
            "response_view": tasks.Task.View.FULL,  # FULL includes the payloads
            "filter": 'tag="reports"',
        }
    ).tasks
    print(f"leased {len(leased)} task(s)")

    first, *rest = leased
    # work takes longer than planned: extend the lease, then acknowledge (done, deleted)
    first = client.renew_lease(
        request={
            "name": first.name,
            "schedule_time": first.schedule_time,
            "lease_duration": datetime.timedelta(seconds=120),
            "response_view": tasks.Task.View.FULL,  # keep the payload in the answer
        }
    )
    print(f"renewed {first.name} until {first.schedule_time}")
    client.acknowledge_task(name=first.name, schedule_time=first.schedule_time)
    print(f"acknowledged {first.name} ({first.pull_message.payload.decode()})")

    for task in rest:
        if task is rest[-1]:  # give the last one back: another worker can lease it at once
            client.cancel_lease(name=task.name, schedule_time=task.schedule_time)
            print(f"cancelled the lease of {task.name}")
        else:
            client.acknowledge_task(name=task.name, schedule_time=task.schedule_time)
            print(f"acknowledged {task.name} ({task.pull_message.payload.decode()})")


if __name__ == "__main__":
    main()
