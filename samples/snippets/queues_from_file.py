"""Start the emulator with queues declared in a file, and replace them with an upload.

``Emulator(queues=["queue.yaml"])`` (or ``cloud-tasks-emulator start --queues
FILE``) creates or updates, at start, the queues a file declares: App
Engine's ``queue.yaml`` (here ``queue.yaml`` next to this sample) or a list
of ``Queue`` resources in their JSON form.  Queue ids go in ``project`` and
``location``.  A mistake in the file stops the start with one line naming the
file, the line and the field.

``UploadQueueYaml`` (v2beta2, gRPC) takes a queue.yaml as App Engine deploys
do: the queues it names are created or updated, and every other queue of the
app is DISABLED (it keeps its tasks and delivers none).

Run: python samples/snippets/queues_from_file.py
"""

from __future__ import annotations

from pathlib import Path

from google.cloud import tasks, tasks_v2beta2
from google.cloud.tasks.emulator import Emulator

QUEUE_YAML = Path(__file__).with_name("queue.yaml")
PARENT = "projects/my-app/locations/us-central1"


def describe(queue: tasks.Queue) -> str:
    """One line: the queue's id, state, rate and retry limit."""
    limits, attempts = queue.rate_limits, queue.retry_config.max_attempts
    return (
        f"{queue.name.rsplit('/', 1)[1]}: {queue.state.name},"
        f" {limits.max_dispatches_per_second * 60:g}/min (burst {limits.max_burst_size}),"
        f" attempts: {'unlimited' if attempts == -1 else attempts}"
    )


def upload(client: tasks_v2beta2.CloudTasksClient, app_id: str, queue_yaml: str) -> None:
    """Replace the app's queue configuration with ``queue_yaml``, as a deploy does."""
    client.upload_queue_yaml(request={"app_id": app_id, "http_body": {"data": queue_yaml.encode()}})


def main() -> None:
    with Emulator(queues=[QUEUE_YAML], project="my-app", dispatch=False) as emu:
        with emu.client() as client, emu.client("v2beta2") as beta2:
            for queue in client.list_queues(parent=PARENT):
                print(describe(queue))
            upload(beta2, "my-app", "queue:\n- name: reports\n  rate: 2/s\n")
            print("after uploading a queue.yaml without emails:")
            for queue in client.list_queues(parent=PARENT):
                print(describe(queue))


if __name__ == "__main__":
    main()
