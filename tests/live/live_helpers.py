"""Helpers for the live-sharing tests: the terminal size and waiting for a condition."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SIZE = (100, 32)


async def until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    """Let ``pilot``'s app run until ``condition`` holds (a bound of about 10 s, not a speed
    requirement: the benchmarks measure how fast)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")
