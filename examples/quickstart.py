"""Quickstart: build the requests an application sends to Cloud Tasks.

Run: ``python examples/quickstart.py``.  (When the bundled emulator is
available this script will also send them to it.)
"""

from google.cloud import tasks


def main() -> None:
    parent = tasks.CloudTasksClient.queue_path("my-project", "us-central1", "my-queue")
    task = tasks.Task(
        http_request=tasks.HttpRequest(
            http_method=tasks.HttpMethod.POST,
            url="https://example.com/task-handler",
            headers={"Content-Type": "application/json"},
            body=b'{"hello": "world"}',
        )
    )
    request = tasks.CreateTaskRequest(parent=parent, task=task)
    print(f"would create in {parent}:")
    print(request)


if __name__ == "__main__":
    main()
