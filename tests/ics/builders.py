"""Invite test data built by hand (no store): a schedule, a group with a topic-revealing private
name, invented participants. Plain functions (no fixtures), so benchmarks use them too."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facilitator.model.group import (
    Facilitator,
    Group,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)

STAMP = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
UID = "6f1c2a9e-3b7d-4c1e-9a55-0d2f4e8b7c61"

TOPIC = "Canarytopic Recovery Circle"
"""Private group name: must never reach a participant."""
CURRICULUM_TITLE = "Canarycurriculum Of Secrets"
SESSION_TITLES = {w: f"Canarysession {w} Title" for w in range(1, 13)}


def make_schedule(
    zone: str,
    first: date,
    at: time,
    weeks: int,
    *,
    skip: tuple[int, ...] = (),
    cancel: tuple[int, ...] = (),
    move: dict[int, datetime] | None = None,
    minutes: int = 90,
) -> Schedule:
    """A weekly schedule: ``skip``/``cancel`` are slot indexes; ``move`` maps week -> start.

    Like the store's scheduler, sessions are pushed on past skipped and cancelled slots.
    """
    tz = ZoneInfo(zone)
    move = move or {}
    slots: list[Slot] = []
    meetings: list[Meeting] = []
    week, index = 1, 0
    while week <= weeks:
        start = datetime.combine(first + timedelta(weeks=index), at, tzinfo=tz)
        if index in skip:
            slots.append(Slot(index, start, SlotKind.SKIPPED, "holiday"))
        elif index in cancel:
            slots.append(Slot(index, start, SlotKind.CANCELLED, "cancelled", week))
        else:
            moved = move.get(week)
            kind = SlotKind.MOVED if moved else SlotKind.MEETING
            slots.append(Slot(index, start, kind, "", week))
            meetings.append(Meeting(1, week, f"plan-{week}", moved or start, minutes, start))
            week += 1
        index += 1
    return Schedule(1, zone, tuple(slots), tuple(meetings))


def make_group(zone: str = "Europe/Berlin", **changes: object) -> Group:
    """A group with a topic-revealing private name and a neutral display name."""
    group = Group(
        id=1,
        name=TOPIC,
        display_name="Tuesday group",
        curriculum_id="ssc",
        first_date=date(2027, 3, 2),
        start_time=time(18, 30),
        minutes=90,
        timezone=zone,
        location="Room 4, 12 Example Street",
        facilitators=(
            Facilitator("Fayola Facil", "fayola@example.org"),
            Facilitator("Corwin Cofac", "corwin@example.org"),
        ),
        calendar_uid=UID,
        calendar_sequence=0,
    )
    return replace(group, **changes)  # type: ignore[arg-type]


def make_participants(n: int = 4) -> list[Participant]:
    """Invented canary names; every one unique enough to grep for."""
    names = [
        "Zephyrine",
        "Quillon",
        "Marisolde",
        "Thaddeo",
        "Ysoldine",
        "Brannoc",
        "Elowyn",
        "Kestrin",
        "Orlaith",
        "Peregrin",
        "Sabelle",
        "Wendeline",
    ]
    return [
        Participant(
            id=i + 1,
            group_id=1,
            preferred_name=names[i],
            last_initial="Q",
            email=f"{names[i].lower()}@example.org",
            opaque_id=f"p{i + 1:02d}x7k",
        )
        for i in range(n)
    ]
