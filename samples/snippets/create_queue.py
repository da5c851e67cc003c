"""Create a queue with rate limits and a retry policy.

``my-new-queue`` by default, as ``cloud-tasks-emulator start --queue my-queue``
already made ``my-queue``; a queue that exists is left as it is.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_queue.py
"""

from __future__ import annotations

from google.api_core import exceptions

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-new-queue"
) -> None:
    client = tasks.CloudTasksClient()
    name = client.queue_path(project, location, queue)
    try:
        created = client.create_queue(
            parent=client.common_location_path(project, location),
            queue=tasks.Queue(
                name=name,
                rate_limits=tasks.RateLimits(max_dispatches_per_second=10),
                retry_config=tasks.RetryConfig(max_attempts=5),
            ),
        )
    except exceptions.AlreadyExists:
        print(f"{name} already exists")
    else:
        print(f"created {created.name} ({created.state.name})")


if __name__ == "__main__":
    main()
