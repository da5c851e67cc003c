"""List the queues of a location, all of them or those in one state.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/list_queues.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", state_filter: str = ""
) -> None:
    """``state_filter`` is empty (every queue) or e.g. ``"state: PAUSED"``."""
    client = tasks.CloudTasksClient()
    parent = client.common_location_path(project, location)
    count = 0
    # the pager fetches further pages as the loop needs them
    for queue in client.list_queues(request={"parent": parent, "filter": state_filter}):
        print(f"{queue.name} ({queue.state.name})")
        count += 1
    print(f"{count} queue(s)")


if __name__ == "__main__":
    main()
