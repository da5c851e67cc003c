"""Fixtures for the emulator tests: the plugin's emulator and clients bound to it.

``cloud_tasks_emulator`` comes from the package's pytest plugin; it is
imported here too so the suite also runs where the package's entry points
are not installed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from google.cloud.tasks.emulator import Emulator
from google.cloud.tasks.emulator.pytest_plugin import cloud_tasks_emulator  # noqa: F401

from .helpers import PARENT, QUEUE


@pytest.fixture(scope="session")
def _cloud_tasks_emulator_session() -> Iterator[Emulator]:  # noqa: F811
    """These tests inspect stored tasks: an emulator that never delivers them.

    (Their tasks name example.com; nothing here may send to it.  Delivery has
    its own tests in ``tests/dispatch``.)
    """
    with Emulator(dispatch=False) as emulator:
        yield emulator


@pytest.fixture
def emu(cloud_tasks_emulator: Emulator) -> Emulator:  # noqa: F811
    return cloud_tasks_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[Any]:
    with emu.client() as c:
        yield c


@pytest.fixture
async def aclient(emu: Emulator) -> AsyncIterator[Any]:
    c = emu.async_client()
    yield c
    await c.transport.close()


@pytest.fixture
def queue(client: Any) -> Any:
    """A fresh v2 queue named ``QUEUE``."""
    return client.create_queue(parent=PARENT, queue={"name": QUEUE})
