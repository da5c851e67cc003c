"""Delete a queue and its tasks.

Cloud Tasks keeps a deleted queue's name unusable for a while (7 days on the
real service), so do not delete queues you mean to make again soon.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/delete_queue.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    name = client.queue_path(project, location, queue)
    client.delete_queue(name=name)
    print(f"deleted {name}")


if __name__ == "__main__":
    main()
