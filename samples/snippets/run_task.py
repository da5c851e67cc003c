"""Run a task now, whatever its schedule time (even in a paused queue).

Run against the emulator (``cloud-tasks-emulator start --queue my-queue ...``)::

    CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/run_task.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    task: str = "my-task",
) -> None:
    client = tasks.CloudTasksClient()
    ran = client.run_task(name=client.task_path(project, location, queue, task))
    print(f"dispatched {ran.name} (attempt {ran.dispatch_count})")


if __name__ == "__main__":
    main()
