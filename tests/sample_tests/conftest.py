"""Fixtures for the sample tests: the package's dispatching emulator, a recording handler
on 127.0.0.1, the default queue the samples name, and a loader for the snippet files.

Every URL a task is delivered to here is on 127.0.0.1.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from dispatch.handler import Handler, serving

from google.cloud import tasks
from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.pytest_plugin import (  # noqa: F401
    _cloud_tasks_emulator_session,
    cloud_tasks_emulator,
)

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "samples" / "snippets"
LOCATION = "projects/my-project/locations/us-central1"
QUEUE = f"{LOCATION}/queues/my-queue"


def load_snippet(name: str) -> ModuleType:
    """The module ``samples/snippets/<name>.py``, freshly imported."""
    spec = importlib.util.spec_from_file_location(f"snippet_{name}", SNIPPETS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def snippet() -> Callable[[str], ModuleType]:
    return load_snippet


@pytest.fixture
def emu(cloud_tasks_emulator: Emulator) -> Emulator:  # noqa: F811
    """The emulator, empty, with ``CLOUD_TASKS_EMULATOR_HOST`` pointing at it."""
    return cloud_tasks_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[tasks.CloudTasksClient]:
    """An ordinary client (it finds the emulator through the environment)."""
    c = tasks.CloudTasksClient()
    yield c
    c.transport.close()


@pytest.fixture
def handler() -> Iterator[Handler]:
    with serving() as h:
        yield h


@pytest.fixture
def queue(client: tasks.CloudTasksClient) -> str:
    """``my-queue``, the samples' default, retrying quickly."""
    client.create_queue(
        parent=LOCATION,
        queue={
            "name": QUEUE,
            "retry_config": {"min_backoff": "0.1s", "max_backoff": "1s", "max_attempts": 5},
        },
    )
    return QUEUE
