"""Quickstart: queues and tasks against the bundled Cloud Tasks emulator.

Run: ``python examples/quickstart.py``.  No Google account is needed: the
script starts an emulator in-process, points ``CLOUD_TASKS_EMULATOR_HOST``
at it, and then uses the client exactly as an application would against
the real service.
"""

import os

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator


def main() -> None:
    with Emulator() as emu:
        os.environ["CLOUD_TASKS_EMULATOR_HOST"] = emu.host
        print(f"emulator listening on {emu.host}")

        client = tasks.CloudTasksClient()
        location = client.common_location_path("my-project", "us-central1")
        queue = client.create_queue(
            parent=location, queue=tasks.Queue(name=f"{location}/queues/my-queue")
        )
        print(f"created {queue.name}")
        print(f"  rate limit: {queue.rate_limits.max_dispatches_per_second}/s")

        task = client.create_task(
            parent=queue.name,
            task=tasks.Task(
                http_request=tasks.HttpRequest(
                    http_method=tasks.HttpMethod.POST,
                    url="https://example.com/task-handler",
                    headers={"Content-Type": "application/json"},
                    body=b'{"hello": "world"}',
                )
            ),
        )
        print(f"created {task.name}")
        print(f"  scheduled for {task.schedule_time.isoformat()}")

        client.pause_queue(name=queue.name)
        names = [t.name for t in client.list_tasks(parent=queue.name)]
        print(f"{len(names)} task(s) in the paused queue")

        client.delete_task(name=task.name)
        client.delete_queue(name=queue.name)
        print("cleaned up")
        client.transport.close()


if __name__ == "__main__":
    main()
