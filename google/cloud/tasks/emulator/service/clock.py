"""The emulator's one clock: every time the service derives from reads it.

Two modes:

- ``system``: the machine's clock plus an offset (0 until the clock is moved);
- ``manual``: a time that stands still, starting at the machine's time when the
  clock is made, and moves only when :meth:`Clock.advance` or :meth:`Clock.set`
  is called.

Either mode can be moved forward, never back: moving adds to the offset in
``system`` mode and to the standing time in ``manual`` mode.  Whoever wants to
know when the clock moved (the dispatcher, to deliver what became due) adds a
listener.  Network timeouts and OIDC token times stay on the machine's clock.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Literal

Mode = Literal["system", "manual"]
MODES: tuple[Mode, ...] = ("system", "manual")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
#: the latest time the clock moves to: a task may still be scheduled 720 h past it
LATEST = datetime(9999, 1, 1, tzinfo=timezone.utc)
_LATEST_US = (LATEST - _EPOCH) // timedelta(microseconds=1)


class ClockError(ValueError):
    """A move the clock refuses: backwards, or not a finite number of seconds."""


class Clock:
    """Service time in microseconds since the epoch; see the module's docstring."""

    def __init__(self, mode: str = "system") -> None:
        if mode not in MODES:
            raise ValueError(f"clock mode must be 'system' or 'manual', not {mode!r}")
        self.mode: Mode = "manual" if mode == "manual" else "system"
        self._lock = threading.Lock()
        self._offset_us = 0
        self._standing_us = time.time_ns() // 1000
        self._listeners: list[Callable[[], None]] = []

    def now_us(self) -> int:
        """The emulator's time, in microseconds since the epoch."""
        if self.mode == "manual":
            return self._standing_us
        return time.time_ns() // 1000 + self._offset_us

    def now(self) -> datetime:
        """The emulator's time as an aware UTC ``datetime``."""
        return _EPOCH + timedelta(microseconds=self.now_us())

    def advance(self, seconds: float | timedelta = 0.0, **parts: float) -> datetime:
        """Move forward by ``seconds`` (a number or a ``timedelta``) plus any
        ``timedelta`` keyword parts (``hours=24``, ``minutes=10``); returns the new time.
        """
        step = _seconds(seconds) + (timedelta(**parts).total_seconds() if parts else 0.0)
        if step != step or step in (float("inf"), float("-inf")):
            raise ClockError("the clock can only move by a finite number of seconds")
        if step < 0:
            raise ClockError(f"the clock only moves forward; {step:g} seconds is backwards")
        with self._lock:
            self._move(self._checked(self.now_us() + round(step * 1_000_000)) - self.now_us())
        return self._moved()

    def set(self, when: datetime) -> datetime:
        """Move forward to ``when`` (an aware ``datetime``; naive means UTC)."""
        if not isinstance(when, datetime):
            raise TypeError(f"the clock is set to a datetime, not {type(when).__name__}")
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        target = (when - _EPOCH) // timedelta(microseconds=1)
        with self._lock:
            now = self.now_us()
            if target < now:
                raise ClockError(
                    f"the clock only moves forward; {when.isoformat()} is before "
                    f"its time, {self.now().isoformat()}"
                )
            self._move(self._checked(target) - now)
        return self._moved()

    def on_move(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener()`` (from the mover's thread) after every move, until the
        returned function is called."""
        self._listeners.append(listener)

        def stop() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    @staticmethod
    def _checked(target_us: int) -> int:
        if target_us > _LATEST_US:
            raise ClockError(f"the clock does not move past {LATEST.isoformat()}")
        return target_us

    def _move(self, micros: int) -> None:
        if self.mode == "manual":
            self._standing_us += micros
        else:
            self._offset_us += micros

    def _moved(self) -> datetime:
        for listener in list(self._listeners):
            listener()
        return self.now()


def _seconds(value: float | timedelta) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"the clock moves by seconds or a timedelta, not {type(value).__name__}")
    return float(value)
