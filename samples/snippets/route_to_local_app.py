"""Deliver tasks made for a production URL to an app running in the test's own process.

Production code creates tasks for its Cloud Run service's URL.  In a test,
``Emulator(routes={PRODUCTION_URL: app})`` hands every task whose URL starts
with ``PRODUCTION_URL`` to ``app`` in-process, without a socket: a WSGI app
(Flask, as here, or Django) or an ASGI app (Starlette, FastAPI).  The app gets
the request Cloud Tasks would send, with the production ``Host`` and the
``X-CloudTasks-*`` headers; a 2xx answer completes the task, anything else is
retried.  ``emu.route(prefix, target)`` adds or changes a route while the
emulator runs.

From the command line, a route sends such tasks to a server on this machine
instead: ``cloud-tasks-emulator start --route
https://worker-abc-uc.a.run.app=http://127.0.0.1:8080``.

Run: python samples/snippets/route_to_local_app.py
"""

from __future__ import annotations

from flask import Flask, request

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

PRODUCTION_URL = "https://worker-abc-uc.a.run.app"


def create_app() -> Flask:
    """The worker: ``POST /jobs/<job>`` runs a job; what it handled is in ``config["HANDLED"]``."""
    app = Flask(__name__)
    handled: list[dict[str, str]] = []
    app.config["HANDLED"] = handled

    @app.post("/jobs/<job>")
    def run_job(job: str) -> tuple[str, int]:
        handled.append(
            {
                "job": job,
                "host": request.host,
                "task": request.headers.get("X-CloudTasks-TaskName", ""),
                "body": request.get_data(as_text=True),
            }
        )
        return "", 204

    return app


def enqueue_job(client: tasks.CloudTasksClient, queue: str, job: str, body: bytes) -> tasks.Task:
    """What the production code does: a task for the worker's public URL."""
    task = tasks.Task(http_request=tasks.HttpRequest(url=f"{PRODUCTION_URL}/jobs/{job}", body=body))
    return client.create_task(parent=queue, task=task)


def main() -> list[dict[str, str]]:
    app = create_app()
    queue = "projects/my-project/locations/us-central1/queues/jobs"
    with Emulator(queues=[queue], routes={PRODUCTION_URL: app}) as emu:
        client = emu.client()
        created = enqueue_job(client, queue, "resize-42", b"photo.jpg")
        print(f"created {created.name} for {created.http_request.url}")
        emu.wait_until_drained(queue)
    for entry in app.config["HANDLED"]:
        print(f"handled job {entry['job']} for {entry['host']}: {entry['body']!r}")
    return list(app.config["HANDLED"])


if __name__ == "__main__":
    main()
