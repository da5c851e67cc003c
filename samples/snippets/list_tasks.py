"""List the tasks of a queue with the FULL view (bodies and headers included).

The default BASIC view leaves out each task's body and headers, which may be
large or sensitive; FULL needs the ``cloudtasks.tasks.fullView`` permission.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/list_tasks.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project", location: str = "us-central1", queue: str = "my-queue"
) -> None:
    client = tasks.CloudTasksClient()
    request = tasks.ListTasksRequest(
        parent=client.queue_path(project, location, queue),
        response_view=tasks.Task.View.FULL,
    )
    count = 0
    for task in client.list_tasks(request=request):
        if "app_engine_http_request" in task:  # an App Engine task: a path of the app
            app = task.app_engine_http_request
            print(f"{task.name}: {app.http_method.name} {app.relative_uri} body={app.body!r}")
        else:
            http = task.http_request
            print(f"{task.name}: {http.http_method.name} {http.url} body={http.body!r}")
        count += 1
    print(f"{count} task(s)")


if __name__ == "__main__":
    main()
