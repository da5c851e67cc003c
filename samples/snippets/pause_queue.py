"""Pause a queue: its tasks stay in it but are not delivered until it is resumed.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/pause_queue.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    paused = client.pause_queue(name=client.queue_path(project, location, queue))
    print(f"{paused.name} is now {paused.state.name}")


if __name__ == "__main__":
    main()
