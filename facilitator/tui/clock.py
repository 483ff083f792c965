"""The app's clock: monotonic seconds for timers, aware wall time for dates. Tests pass a fake."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Where the app reads time; the core never reads it itself."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going backwards."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to (for tests and demos)."""

    def __init__(self, start: datetime, monotonic: float = 1000.0) -> None:
        self._now = start
        self._mono = monotonic

    def advance(self, seconds: float) -> None:
        """Move both readings forward."""
        from datetime import timedelta

        self._mono += seconds
        self._now += timedelta(seconds=seconds)

    def monotonic(self) -> float:
        return self._mono

    def now(self) -> datetime:
        return self._now
