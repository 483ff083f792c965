"""Data for the live-sharing tests (invented names only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from facilitator.model.group import Group

SIZE = (100, 32)

WEEKS = [(f"plan-{n}", f"Session {n}") for n in range(1, 9)]


def draft(name: str = "Tuesday group", **changes: object) -> Group:
    """A group to create (id and uid are assigned by the store)."""
    fields: dict[str, object] = dict(
        id=0,
        name=name,
        display_name="Weekly group",
        curriculum_id="example",
        first_date=date(2026, 9, 1),
        start_time=time(18, 30),
        minutes=90,
        timezone="Europe/Berlin",
    )
    fields.update(changes)
    return Group(**fields)  # type: ignore[arg-type]


async def until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    """Let ``pilot``'s app run until ``condition`` holds (a bound of about 10 s, not a speed
    requirement: the benchmarks measure how fast)."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"never happened: {what}")
