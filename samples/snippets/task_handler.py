"""The smallest task handler: it answers 200 to every task and prints what it got.

Cloud Tasks (and the emulator) deliver a task as an HTTP request to its URL,
with the task's method (POST unless it says otherwise); any 2xx answer
completes the task, anything else is a failed attempt that is retried.
``python -m http.server`` will not do as a handler: it answers POST with 501.

Serve it, then create a task for ``http://localhost:8080/...`` (with the emulator running:
``cloud-tasks-emulator start --queue my-queue``):

Serve: python samples/snippets/task_handler.py
Then: CLOUD_TASKS_EMULATOR_HOST=127.0.0.1:8123 python samples/snippets/create_http_task.py
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class TaskHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        task = self.headers.get("X-CloudTasks-TaskName", "")  # added by Cloud Tasks
        print(f"task {task}: {self.command} {self.path} {body!r}", flush=True)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # tasks may use any of these methods
    do_GET = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_POST


def make_server(host: str = "127.0.0.1", port: int = 8080) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), TaskHandler)


def main(port: int = 8080) -> None:
    server = make_server(port=port)
    print(f"handling tasks at http://localhost:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
