"""Client CPU per ``get_queue`` over REST: ours, a bare ``requests`` call, the reference.

The section ``rest`` (``python benchmarks/run.py --only rest``) starts a
constant-answer HTTP/1.1 server in its own process, then one client process
per library (the same file, run as ``worker``), so each client's
``time.process_time()`` counts only its own work: transcoding, headers,
``requests``/``aiohttp``, and parsing the JSON answer into a ``Queue``.
Rounds interleave the clients; figures are medians over rounds.

``bare`` is ``requests.Session.get`` of the same URL with the same headers,
parsing the answer with ``json_format`` into a raw protobuf ``Queue``: the
floor for a blocking REST client.  The reference library has no asyncio REST
transport, so the ``rest_asyncio`` row has only ours.

    python benchmarks/bench_rest.py serve            # the server (prints {"port": N})
    python benchmarks/bench_rest.py worker IMPL MODE http://127.0.0.1:N
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

QUEUE = "projects/bench/locations/us-central1/queues/bench-queue"
PATH = f"/v2/{QUEUE}"
ANSWER = json.dumps(
    {
        "name": QUEUE,
        "rateLimits": {
            "maxDispatchesPerSecond": 500,
            "maxBurstSize": 100,
            "maxConcurrentDispatches": 1000,
        },
        "retryConfig": {
            "maxAttempts": 100,
            "minBackoff": "0.100s",
            "maxBackoff": "3600s",
            "maxDoublings": 16,
        },
        "state": 1,
    }
).encode()

#: (label, unit, measure, mode) of the rows; the first has the issue's target
ROWS = (
    ("get_queue rest (sync)", "us CPU/call", "cpu", "sync"),
    ("get_queue rest (sync) latency", "us wall/call", "wall", "sync"),
    ("get_queue rest_asyncio", "us CPU/call", "cpu", "async"),
    ("get_queue rest_asyncio latency", "us wall/call", "wall", "async"),
)


# -- the server (its own process) ----------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        # one write: status, headers and body leave in one segment (no delayed-ACK stall)
        self.wfile.write(_RESPONSE)


_RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=UTF-8\r\n"
    + f"Content-Length: {len(ANSWER)}\r\n\r\n".encode()
    + ANSWER
)


def serve() -> None:
    """Answer every GET with the same queue until stdin closes."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    import threading

    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    try:
        sys.stdin.read()
    finally:
        server.shutdown()


# -- a client (its own process) ------------------------------------------------------------


def _client(impl: str, mode: str, url: str) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The call to time (a function, or a coroutine function for ``async``) and a closer."""
    if impl == "bare":
        import requests
        from google.protobuf import json_format

        from google.cloud.tasks_v2 import Queue

        session = requests.Session()
        headers = {
            "x-goog-request-params": f"name={QUEUE}",
            "x-goog-api-client": "gl-python/3 rest/2 gax/2 gapic/2",
            "Content-Type": "application/json",
        }
        params = [("$alt", "json;enum-encoding=int")]
        target = url + PATH

        def bare() -> Any:
            answer = session.get(target, params=params, headers=headers, timeout=20)
            return json_format.Parse(answer.content, Queue.pb()(), ignore_unknown_fields=True)

        return bare, session.close
    from google.auth.credentials import AnonymousCredentials

    from google.cloud import tasks_v2

    options = {"api_endpoint": url}
    if mode == "sync":
        client = tasks_v2.CloudTasksClient(
            transport="rest", credentials=AnonymousCredentials(), client_options=options
        )
        return (lambda: client.get_queue(name=QUEUE)), client.transport.close
    made: list[Any] = []

    async def call() -> Any:
        if not made:  # built inside the running loop
            made.append(
                tasks_v2.CloudTasksAsyncClient(
                    transport="rest_asyncio",
                    credentials=AnonymousCredentials(),
                    client_options=options,
                )
            )
        return await made[0].get_queue(name=QUEUE)

    async def close() -> None:
        if made:
            await made[0].transport.close()

    return call, close


def _reply(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def work(impl: str, mode: str, url: str, warmup: int) -> None:
    """The ``_harness.Worker`` protocol: warm up, say ready, then time batches of calls."""
    call, close = _client(impl, mode, url)
    loop = asyncio.new_event_loop()

    def batch(n: int) -> None:
        if mode == "sync":
            for _ in range(n):
                call()
        else:

            async def many() -> None:
                for _ in range(n):
                    await call()

            loop.run_until_complete(many())

    first = call() if mode == "sync" else loop.run_until_complete(call())
    if getattr(first, "name", None) != QUEUE:
        raise RuntimeError(f"unexpected answer: {first!r}")
    batch(warmup)
    info: dict[str, Any] = {"ready": True}
    if impl != "bare":
        from importlib import metadata

        import google.cloud.tasks_v2 as library

        info.update(module=library.__file__, version=metadata.version("google-cloud-tasks"))
    _reply(info)
    for line in sys.stdin:
        if not line.strip():
            continue
        cpu, wall = time.process_time(), time.perf_counter()
        batch(int(line))
        _reply({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall})
    if mode == "sync":
        close()
    else:
        loop.run_until_complete(close())


# -- the section -------------------------------------------------------------------------


def _start_server(ctx: Any) -> str:
    import subprocess

    from _harness import _stop, pin_to

    proc = subprocess.Popen(
        [sys.executable, __file__, "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=pin_to(ctx.cpus("server")),
    )
    ctx.stack.callback(_stop, proc)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        raise RuntimeError("the REST benchmark server did not start")
    return f"http://127.0.0.1:{json.loads(line)['port']}"


def _measure(ctx: Any, url: str, mode: str) -> dict[str, dict[str, float]]:
    from _harness import Worker

    kinds = [("ours", "ours")]
    if mode == "sync":
        kinds.append(("bare", "bare"))
        if ctx.reference is not None:
            kinds.append(("reference", "reference"))
    settings = ctx.settings
    workers: dict[str, Any] = {}
    try:
        for kind, impl in kinds:
            command = ctx.command(
                impl, __file__, "worker", kind, mode, url, "--warmup", str(settings.warmup)
            )
            workers[kind] = Worker(command, ctx.env(impl), ctx.cpus("client"))
        for kind, worker in workers.items():
            info = worker.ready()
            if kind != "bare":
                ctx.log(f"  rest {mode} {kind}: google-cloud-tasks {info['version']}")
        samples: dict[str, list[dict[str, float]]] = {kind: [] for kind in workers}
        order = list(workers)
        for round_ in range(settings.rounds):
            shift = round_ % len(order)
            for kind in order[shift:] + order[:shift]:
                samples[kind].append(workers[kind].run(settings.calls))
    finally:
        for worker in workers.values():
            worker.close()
    per_call = 1e6 / settings.calls
    return {
        kind: {m: statistics.median(s[m] for s in runs) * per_call for m in ("cpu", "wall")}
        for kind, runs in samples.items()
    }


def rest_rows(ctx: Any) -> list[Any]:
    """Rows of the ``rest`` section: ours, bare ``requests`` and the reference, per mode."""
    from _harness import Row, Target

    url = _start_server(ctx)
    got = {}
    for mode in ("sync", "async"):
        ctx.log(f"get_queue rest {mode}: {ctx.settings.rounds} rounds of {ctx.settings.calls}")
        got[mode] = _measure(ctx, url, mode)
    rows = []
    for label, unit, measure, mode in ROWS:
        found = got[mode]
        rows.append(
            Row(
                label,
                unit,
                found["ours"][measure],
                found.get("bare", {}).get(measure),
                found.get("reference", {}).get(measure),
                Target("reference", 1.2) if (measure, mode) == ("cpu", "sync") else None,
            )
        )
    ctx.notes.append(
        "rest: get_queue against a constant-answer HTTP/1.1 server in another process; 'bare' is"
        " requests.Session.get of the same URL and headers plus json_format.Parse into a Queue;"
        " the reference has no asyncio REST transport"
    )
    return rows


def _register() -> None:
    try:
        from _harness import section
    except ImportError:  # run as a script from elsewhere
        return
    section("rest", "get_queue over REST, client process only")(rest_rows)


_register()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="role", required=True)
    sub.add_parser("serve")
    worker = sub.add_parser("worker")
    worker.add_argument("impl", choices=("ours", "reference", "bare"))
    worker.add_argument("mode", choices=("sync", "async"))
    worker.add_argument("url")
    worker.add_argument("--warmup", type=int, default=500)
    args = parser.parse_args(argv)
    if args.role == "serve":
        serve()
        return 0
    try:
        work(args.impl, args.mode, args.url, args.warmup)
    except Exception:
        _reply({"error": traceback.format_exc()})
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
