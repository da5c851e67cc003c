"""Create an HTTP task that carries an OAuth access token, for calling Google APIs.

Use an OAuth token when the target is a Google API (``*.googleapis.com``)
and an OIDC token for your own handlers.  The emulator puts a token of its
own making in the ``Authorization`` header.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 \\
    python samples/snippets/create_http_task_with_oauth_token.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
    service_account_email: str = "tasks-invoker@my-project.iam.gserviceaccount.com",
    scope: str = "https://www.googleapis.com/auth/cloud-platform",
) -> None:
    client = tasks.CloudTasksClient()
    task = tasks.Task(
        http_request=tasks.HttpRequest(
            http_method=tasks.HttpMethod.GET,
            url=url,
            oauth_token=tasks.OAuthToken(service_account_email=service_account_email, scope=scope),
        )
    )
    created = client.create_task(parent=client.queue_path(project, location, queue), task=task)
    print(f"created {created.name}; OAuth token ({scope}) as {service_account_email}")


if __name__ == "__main__":
    main()
