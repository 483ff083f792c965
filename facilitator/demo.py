"""A demo group with invented participants, some attendance and notes, to try the app on."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from facilitator.errors import FacilitatorError
from facilitator.model.group import AttendanceStatus, Facilitator, Group

if TYPE_CHECKING:
    from facilitator.content import Library
    from facilitator.store import Store

DEMO_NAME = "Demo group"
CURRICULA = ("sexual-self-compassion", "example")
"""The curriculum the demo runs, with a fallback if the first is not loadable."""
FALLBACK_ZONE = "Europe/London"

# Obviously invented people: (preferred name, last initial, joins in week).
PEOPLE = (
    ("Ada", "L", 1),
    ("Bo", "K", 1),
    ("Chidi", "O", 1),
    ("Dana", "R", 1),
    ("Zoë", "Ø", 1),
    ("Ξένια", "Π", 1),
    ("美咲", "T", 1),
    ("Omar", "F", 2),
    ("Priya", "S", 1),
)
# Exceptions to "everyone present", per held week.
ROLLS: dict[int, dict[str, AttendanceStatus]] = {
    1: {"Bo": AttendanceStatus.LATE},
    2: {"Chidi": AttendanceStatus.ABSENT, "Dana": AttendanceStatus.EXCUSED},
    3: {"Chidi": AttendanceStatus.ABSENT, "Zoë": AttendanceStatus.LEFT_EARLY},
}
GROUP_NOTES = {
    1: "Agreements read and accepted. Settling-in took longer than planned.",
    2: "Good energy in the body-awareness practice; two people chose the opt-out.",
    3: "Quieter meeting. Check in with those who were absent before next week.",
}


def local_zone_name() -> str:
    """This machine's IANA zone if it has a valid one, else Europe/London."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
        candidates.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    for name in candidates:
        if name and "/" in name:
            try:
                ZoneInfo(name)
            except (ValueError, KeyError):
                continue
            return name
    return FALLBACK_ZONE


def demo_curriculum(library: Library) -> str:
    """The first demo curriculum the library can load."""
    for ident in CURRICULA:
        if ident in library.curricula:
            return ident
    raise FacilitatorError(f"no demo curriculum found (expected one of: {', '.join(CURRICULA)})")


def create_demo(
    store: Store, library: Library, today: date, timezone: str | None = None
) -> Group | None:
    """Create the demo group, started three meetings before ``today``; None if it exists."""
    if any(g.name == DEMO_NAME for g in store.groups()):
        return None
    from facilitator.store.setup import create_from_curriculum

    first = today - timedelta(days=18)
    curriculum = demo_curriculum(library)

    def make(zone_name: str) -> Group:
        return create_from_curriculum(
            store,
            library,
            name=DEMO_NAME,
            curriculum_id=curriculum,
            first_date=first,
            start_time=time(18, 30),
            timezone=zone_name,
            location="Room 2, Community Centre",
            facilitators=[Facilitator("Sam Facilitator", "sam@example.org")],
            capacity=12,
        )

    try:
        group = make(timezone or local_zone_name())
    except FacilitatorError:  # e.g. 18:30 does not exist on some date in this zone
        group = make(FALLBACK_ZONE)
    _fill(store, group, first)
    return group


def _fill(store: Store, group: Group, first: date) -> None:
    ids = {}
    for name, initial, week in PEOPLE:
        joined = first + timedelta(weeks=week - 1)
        ids[name] = store.enrol(group.id, name, last_initial=initial, joined=joined).id
    weeks = len(store.schedule(group.id).meetings)
    for week, exceptions in ROLLS.items():
        if week > weeks:
            break
        store.mark_roll(group.id, week, {ids[n]: s for n, s in exceptions.items()})
        store.save_note(group.id, week, GROUP_NOTES[week], expected_version=0)
    if weeks >= 2:
        store.save_note(
            group.id,
            2,
            "Asked for large-print handouts from now on.",
            participant_id=ids["Dana"],
            expected_version=0,
        )
