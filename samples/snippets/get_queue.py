"""Get a queue and print its settings.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/get_queue.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    found = client.get_queue(name=client.queue_path(project, location, queue))
    print(f"{found.name}: {found.state.name}")
    print(f"  max dispatches per second: {found.rate_limits.max_dispatches_per_second:g}")
    print(f"  max concurrent dispatches: {found.rate_limits.max_concurrent_dispatches}")
    print(f"  max attempts: {found.retry_config.max_attempts}")


if __name__ == "__main__":
    main()
