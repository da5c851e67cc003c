"""A pytest plugin: the ``cloud_tasks_emulator`` fixture.

Registered through the ``pytest11`` entry point, so installing the package is
enough.  One emulator serves the whole session; each test gets it freshly
reset, with ``CLOUD_TASKS_EMULATOR_HOST`` pointing at it::

    def test_queue(cloud_tasks_emulator):
        client = cloud_tasks_emulator.client()
        ...

``cloud_tasks_emulator_manual_clock`` is the same with a clock that moves only
when the test moves it (``emulator.clock.advance(hours=24, wait=True)``); a
reset empties it but never turns its clock back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .embed import Emulator


@pytest.fixture(scope="session")
def _cloud_tasks_emulator_session() -> Iterator[Emulator]:
    from .embed import Emulator

    with Emulator() as emulator:
        yield emulator


@pytest.fixture
def cloud_tasks_emulator(
    _cloud_tasks_emulator_session: Emulator, monkeypatch: pytest.MonkeyPatch
) -> Emulator:
    """A running, empty emulator; ``CLOUD_TASKS_EMULATOR_HOST`` is set to it for the test."""
    _cloud_tasks_emulator_session.reset()
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", _cloud_tasks_emulator_session.host)
    return _cloud_tasks_emulator_session


@pytest.fixture(scope="session")
def _cloud_tasks_emulator_manual_session() -> Iterator[Emulator]:
    from .embed import Emulator

    with Emulator(clock="manual") as emulator:
        yield emulator


@pytest.fixture
def cloud_tasks_emulator_manual_clock(
    _cloud_tasks_emulator_manual_session: Emulator, monkeypatch: pytest.MonkeyPatch
) -> Emulator:
    """A running, empty emulator whose clock stands still until the test moves it
    (:attr:`~.embed.Emulator.clock`); ``CLOUD_TASKS_EMULATOR_HOST`` is set to it."""
    emulator = _cloud_tasks_emulator_manual_session
    emulator.reset()
    monkeypatch.setenv("CLOUD_TASKS_EMULATOR_HOST", emulator.host)
    return emulator
