"""Purge a queue: delete every task in it (the queue itself stays).

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/purge_queue.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    purged = client.purge_queue(name=client.queue_path(project, location, queue))
    print(f"purged {purged.name}; tasks created before {purged.purge_time} are gone")


if __name__ == "__main__":
    main()
