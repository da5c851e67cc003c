"""Test code that schedules work a day ahead, and retries after ten minutes, in a second.

Run: python samples/snippets/move_the_clock.py

The script starts the emulator in-process with a manual clock, which stands
still until the script moves it, and serves a small HTTP handler.  It then
schedules a task 24 hours ahead and moves the clock 24 hours: the handler has
the task at once.  Next, a queue whose retries wait at least 10 minutes gets
a task whose handler fails once; moving the clock 10 minutes brings the
retry.  The same moves are ``POST /_emulator/clock:advance`` with
``{"seconds": N}`` against ``cloud-tasks-emulator start --clock manual``.
"""

from __future__ import annotations

import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator


class Handler(BaseHTTPRequestHandler):
    """Answers 503 to a path's first request when the path ends in ``/flaky``; else 200."""

    seen: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"] or 0))
        first = self.path not in self.seen
        self.seen.append(self.path)
        status = 503 if first and self.path.endswith("/flaky") else 200
        print(
            f"  handler: {self.path} retry {self.headers['X-CloudTasks-TaskRetryCount']}"
            f" -> {status}",
            flush=True,
        )
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    with Emulator(clock="manual") as emu, emu.client() as client:
        parent = client.common_location_path("my-project", "us-central1")
        queue = client.create_queue(
            parent=parent,
            queue=tasks.Queue(
                name=f"{parent}/queues/slow-retries",
                retry_config=tasks.RetryConfig(min_backoff=datetime.timedelta(minutes=10)),
            ),
        )
        print(f"emulator clock: {emu.clock.now():%Y-%m-%d %H:%M} UTC ({emu.clock.mode})")

        tomorrow = emu.clock.now() + datetime.timedelta(hours=24)
        client.create_task(
            parent=queue.name,
            task=tasks.Task(
                http_request=tasks.HttpRequest(url=f"{url}/report"), schedule_time=tomorrow
            ),
        )
        print("scheduled /report 24 h ahead; moving the clock 24 h")
        started = time.monotonic()
        emu.clock.advance(hours=24, wait=True)
        print(f"delivered {time.monotonic() - started:.2f} s after the move")

        client.create_task(
            parent=queue.name, task=tasks.Task(http_request=tasks.HttpRequest(url=f"{url}/flaky"))
        )
        emu.wait_for_deliveries(2, queue.name)  # the first attempt, answered 503, is recorded
        print("the first attempt failed; the retry waits 10 minutes of the emulator's clock")
        emu.clock.advance(minutes=10, wait=True)
        emu.wait_until_drained(queue.name)
        print(f"all delivered; emulator clock: {emu.clock.now():%Y-%m-%d %H:%M} UTC")
    server.shutdown()


if __name__ == "__main__":
    main()
