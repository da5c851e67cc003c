"""Delivery tests: the package's own ``cloud_tasks_emulator`` fixture (it dispatches) and a
real local handler.  Every task URL here points at 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.pytest_plugin import (  # noqa: F401
    _cloud_tasks_emulator_session,
    cloud_tasks_emulator,
)

from .handler import Handler, serving

PARENT = "projects/proj/locations/us-central1"
QUEUE = f"{PARENT}/queues/q"


@pytest.fixture
def handler() -> Iterator[Handler]:
    with serving() as h:
        yield h


@pytest.fixture
def emu(cloud_tasks_emulator: Emulator) -> Emulator:  # noqa: F811
    return cloud_tasks_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[Any]:
    with emu.client() as c:
        yield c


def fast_retries(**extra: Any) -> dict[str, Any]:
    """A retry policy that retries within a test's patience."""
    return {"min_backoff": "0.1s", "max_backoff": "1s", "max_doublings": 2, **extra}


def handler_target(handler: Handler, path: str, **uri: Any) -> dict[str, Any]:
    """A queue-level ``http_target`` whose ``uri_override`` points at ``handler``'s ``path``."""
    override = {"scheme": "HTTP", "host": "127.0.0.1", "port": handler.port}
    return {"uri_override": {**override, "path_override": {"path": path}, **uri}}
