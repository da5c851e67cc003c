"""A gRPC server that answers every Cloud Tasks call it knows with the same bytes.

Run as its own process so that its CPU is never counted against a client:
``python benchmarks/_server.py`` prints ``{"port": N}`` on one line once it
listens on 127.0.0.1, and stops when its standard input closes (so it never
outlives the benchmark that started it).  Requests are not even parsed.
"""

from __future__ import annotations

import json
import sys
from concurrent import futures
from typing import Any

import grpc
from _wire import ANSWERS, SERVICE


def _answer(data: bytes) -> grpc.RpcMethodHandler:
    def handle(request: bytes, context: Any) -> bytes:
        return data

    # no (de)serializers: requests arrive and answers leave as raw bytes
    return grpc.unary_unary_rpc_method_handler(handle)


def serve(workers: int = 4) -> None:
    """Serve until stdin reaches end of file."""
    handlers = {path.rsplit("/", 1)[1]: _answer(data) for path, data in ANSWERS.items()}
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(json.dumps({"port": port}), flush=True)
    try:
        sys.stdin.read()
    finally:
        server.stop(grace=None)


if __name__ == "__main__":
    serve()
