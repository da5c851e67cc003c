"""One address: gRPC and REST on the port CLOUD_TASKS_EMULATOR_HOST names, and a front door
that no client can jam."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest
import requests

from google.cloud import tasks_v2
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.servers import front_door

from .helpers import PARENT, QUEUE, http_task


def test_grpc_and_rest_clients_share_one_address_and_one_state(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", emu.host)
    grpc_client = tasks_v2.CloudTasksClient()
    rest_client = tasks_v2.CloudTasksClient(transport="rest")
    grpc_client.create_queue(parent=PARENT, queue={"name": QUEUE})
    task = rest_client.create_task(parent=QUEUE, task=http_task())
    assert grpc_client.get_task(name=task.name).name == task.name
    rest_client.pause_queue(name=QUEUE)
    assert grpc_client.get_queue(name=QUEUE).state == tasks_v2.Queue.State.PAUSED
    discovery = requests.get(f"http://{emu.host}/.well-known/openid-configuration", timeout=5)
    assert discovery.json()["jwks_uri"] == f"http://{emu.host}/oauth2/v3/certs"
    assert emu.http_url == f"http://{emu.host}"
    grpc_client.transport.close()
    rest_client.transport.close()


def _connect(emu: Emulator) -> socket.socket:
    host, port = emu.host.rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=5)


def test_garbage_bytes_get_an_http_error_and_the_port_keeps_serving(
    emu: Emulator, client: Any
) -> None:
    with _connect(emu) as sock:
        sock.sendall(b"\x00\xff\x13garbage that is no protocol at all\r\n\r\n")
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.") and b" 400 " in answer.split(b"\r\n")[0]
    with _connect(emu) as sock:
        sock.sendall(b"PRI * HTTP/2.0\r\n\r\nnot really http/2 after all")
        sock.settimeout(5)
        while sock.recv(4096):  # the gRPC engine hangs up on it
            pass
    assert client.list_queues(parent=PARENT).queues == []


def test_silent_and_slow_connections_starve_nobody(
    emu: Emulator, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(front_door, "UNDECIDED_SECONDS", 1.0)
    silent = [_connect(emu) for _ in range(100)]
    slow = _connect(emu)
    slow.sendall(b"G")  # a request line, one byte now and the rest later
    client.create_queue(parent=PARENT, queue={"name": QUEUE})
    assert requests.get(f"{emu.http_url}/v2/{QUEUE}", timeout=5).json()["name"] == QUEUE
    slow.sendall(b"ET /v2/" + QUEUE.encode() + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
    assert slow.recv(4096).startswith(b"HTTP/1.1 200")
    slow.close()
    time.sleep(2.5)  # past the limit: silent connections are closed
    for sock in silent:
        sock.settimeout(5)
        assert sock.recv(16) == b""
        sock.close()
    assert client.get_queue(name=QUEUE).name == QUEUE
