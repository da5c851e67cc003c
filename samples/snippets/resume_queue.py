"""Resume a paused queue: delivery of its tasks starts again.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/resume_queue.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    resumed = client.resume_queue(name=client.queue_path(project, location, queue))
    print(f"{resumed.name} is now {resumed.state.name}")


if __name__ == "__main__":
    main()
