"""Create an HTTP task that carries an OIDC ID token (``Authorization: Bearer ...``).

Cloud Tasks signs the token as ``service_account_email``; its audience is
``audience``, or the task's URL when that is not given.  The emulator signs
with its own key: see ``verify_oidc_token_handler.py`` to check such a token.

With the emulator running (``cloud-tasks-emulator start --queue my-queue``):

Run: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 \\
    python samples/snippets/create_http_task_with_oidc_token.py
"""

from __future__ import annotations

from google.cloud import tasks


def main(
    project: str = "my-project",
    location: str = "us-central1",
    queue: str = "my-queue",
    url: str = "http://localhost:8080/tasks",
    service_account_email: str = "tasks-invoker@my-project.iam.gserviceaccount.com",
    audience: str | None = None,
) -> None:
    client = tasks.CloudTasksClient()
    task = tasks.Task(
        http_request=tasks.HttpRequest(
            url=url,
            body=b"with an ID token",
            oidc_token=tasks.OidcToken(
                service_account_email=service_account_email,
                audience=audience or url,
            ),
        )
    )
    created = client.create_task(parent=client.queue_path(project, location, queue), task=task)
    print(f"created {created.name}; OIDC token for {audience or url} as {service_account_email}")


if __name__ == "__main__":
    main()
