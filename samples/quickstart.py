"""Quickstart: tasks delivered to a real HTTP handler by the bundled Cloud Tasks emulator.

Run: python samples/quickstart.py

No Google account is needed: the
script starts the emulator in-process, points ``CLOUD_TASKS_EMULATOR_HOST``
at it, starts a small HTTP handler on this machine, and then uses the client
exactly as an application would against the real service.  Three tasks are
enqueued: one for now, one whose handler fails once (so it is retried), and
one scheduled a few seconds ahead.  Each delivery is printed with the headers
Cloud Tasks adds to it.

Against a real project, set ``GOOGLE_CLOUD_PROJECT`` (ordinary credentials
are used, no emulator is started) and ``TASK_HANDLER_URL``, a public URL that
reaches the handler this script serves on ``127.0.0.1:$PORT`` (8080 by
default).  The queue is then named ``quickstart-<time>``, as a deleted
queue's name cannot be used again for a while.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator

STARTED = time.monotonic()
_PRINTING = threading.Lock()


def say(line: str) -> None:
    """Print one whole line (the handler prints from its own threads)."""
    with _PRINTING:
        print(line, flush=True)


class TaskHandler(BaseHTTPRequestHandler):
    """Answers 200, except the first delivery of a task marked ``fail_once``."""

    failed: set[str] = set()
    done: set[str] = set()
    attempts = 0
    all_done = threading.Event()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"] or 0)))
        name = self.headers["X-CloudTasks-TaskName"]
        fail = body.get("fail_once") and name not in self.failed
        status = 503 if fail else 200
        if fail:
            self.failed.add(name)
        say(
            f"  +{time.monotonic() - STARTED:4.1f}s  {name:<6} {body['message']!r:<20}"
            f" retry count {self.headers['X-CloudTasks-TaskRetryCount']},"
            f" previous response {self.headers.get('X-CloudTasks-TaskPreviousResponse', '-')}"
            f" -> answered {status}"
        )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
        with _PRINTING:
            TaskHandler.attempts += 1
            if status == 200:
                self.done.add(name)
            if len(self.done) == 3:
                self.all_done.set()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    real = "GOOGLE_CLOUD_PROJECT" in os.environ  # a real project: no emulator
    port = int(os.environ.get("PORT", 8080)) if real else 0
    handler = ThreadingHTTPServer(("127.0.0.1", port), TaskHandler)
    threading.Thread(target=handler.serve_forever, daemon=True).start()

    with contextlib.ExitStack() as stack:
        if real:
            project, url = os.environ["GOOGLE_CLOUD_PROJECT"], os.environ["TASK_HANDLER_URL"]
            queue_id = f"quickstart-{int(time.time())}"
            say(f"using project {project}; handler at {url}")
        else:
            emu = stack.enter_context(Emulator())
            os.environ["CLOUD_TASKS_EMULATOR_HOST"] = emu.host
            project, queue_id = "my-project", "my-queue"
            url = f"http://127.0.0.1:{handler.server_address[1]}/tasks"
            say(f"emulator listening on {emu.host}; handler at {url}")

        client = tasks.CloudTasksClient()
        location = client.common_location_path(project, "us-central1")
        queue = client.create_queue(
            parent=location,
            queue=tasks.Queue(
                name=f"{location}/queues/{queue_id}",
                retry_config=tasks.RetryConfig(
                    min_backoff=datetime.timedelta(seconds=1), max_attempts=5
                ),
            ),
        )
        say(f"created {queue.name}")
        say(f"  rate limit: {queue.rate_limits.max_dispatches_per_second:g}/s")

        def enqueue(task_id: str, message: str, delay: float = 0, fail_once: bool = False) -> None:
            payload = {"message": message, "fail_once": fail_once}
            task = tasks.Task(
                name=f"{queue.name}/tasks/{task_id}",
                http_request=tasks.HttpRequest(
                    http_method=tasks.HttpMethod.POST,
                    url=url,
                    headers={"Content-Type": "application/json"},
                    body=json.dumps(payload).encode(),
                ),
                schedule_time=datetime.datetime.now(datetime.timezone.utc)
                + datetime.timedelta(seconds=delay),
            )
            client.create_task(parent=queue.name, task=task)

        say("enqueuing 3 tasks; deliveries:")
        enqueue("hello", "hello, world")
        enqueue("flaky", "fails once", fail_once=True)
        enqueue("later", "three seconds on", delay=3)

        if not TaskHandler.all_done.wait(timeout=60):
            raise TimeoutError("the tasks were not all delivered within a minute")
        if not real:  # let the emulator finish recording the last answer
            emu.wait_until_drained(queue.name, timeout=10)
        say(f"all tasks delivered ({TaskHandler.attempts} attempts)")
        client.delete_queue(name=queue.name)
        client.transport.close()
    handler.shutdown()


if __name__ == "__main__":
    main()
