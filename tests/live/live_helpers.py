"""Data for the live-sharing tests (invented names only)."""

from __future__ import annotations

from datetime import date, time

from facilitator.model.group import Group

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
