"""The benchmarks' own input data, built from model objects: a group draft, an invite schedule
and participants, a course to print. Benchmarks never import from ``tests/`` (neither its
builders nor a conftest): they run from a plain ``python -m benchmarks``, without pytest, and a
change to a test helper must not change what a benchmark measures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from facilitator.model.group import (
    Group,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)

if TYPE_CHECKING:
    from facilitator.content import Library
    from facilitator.outputs.pdf.course import Course

WEEKS = [(f"plan-{n}", f"Session {n}") for n in range(1, 9)]
"""Eight weeks of (plan, title), what ``Store.create_group`` takes."""

NAMES = (
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
)
"""Invented names."""


def group(name: str = "Tuesday group", zone: str = "Europe/Berlin", **changes: object) -> Group:
    """A weekly group on Tuesdays at 18:30 from 1 September 2026 (id and uid are assigned by the
    store when it is created there)."""
    fields: dict[str, object] = dict(
        id=0,
        name=name,
        display_name="Weekly group",
        curriculum_id="example",
        first_date=date(2026, 9, 1),
        start_time=time(18, 30),
        minutes=90,
        timezone=zone,
    )
    fields.update(changes)
    return Group(**fields)  # type: ignore[arg-type]


def schedule(
    zone: str,
    first: date,
    at: time,
    weeks: int,
    *,
    skip: tuple[int, ...] = (),
    move: dict[int, datetime] | None = None,
) -> Schedule:
    """A weekly schedule: ``skip`` holds slot indexes (sessions move on past them); ``move`` maps
    week -> start."""
    tz = ZoneInfo(zone)
    move = move or {}
    slots: list[Slot] = []
    meetings: list[Meeting] = []
    week, index = 1, 0
    while week <= weeks:
        start = datetime.combine(first + timedelta(weeks=index), at, tzinfo=tz)
        if index in skip:
            slots.append(Slot(index, start, SlotKind.SKIPPED, "holiday"))
        else:
            moved = move.get(week)
            kind = SlotKind.MOVED if moved else SlotKind.MEETING
            slots.append(Slot(index, start, kind, "", week))
            meetings.append(Meeting(1, week, f"plan-{week}", moved or start, 90, start))
            week += 1
        index += 1
    return Schedule(1, zone, tuple(slots), tuple(meetings))


def participants(n: int) -> list[Participant]:
    """``n`` invented people with e-mail addresses (n <= 12)."""
    return [
        Participant(
            id=i + 1,
            group_id=1,
            preferred_name=NAMES[i],
            last_initial="Q",
            email=f"{NAMES[i].lower()}@example.org",
            opaque_id=f"p{i + 1:02d}x7k",
        )
        for i in range(n)
    ]


def course(library: Library, names: Sequence[str], curriculum: str) -> Course:
    """A course over ``curriculum`` for ``names``, meeting weekly at 18:00 from 3 March 2026."""
    from facilitator.config import Settings
    from facilitator.outputs.pdf.course import Course

    model = library.curriculum(curriculum)
    zone = ZoneInfo("Europe/Berlin")
    first = date(2026, 3, 3)
    made = group(
        "Private topic group",
        id=7,
        display_name="Tuesday group",
        curriculum_id=model.id,
        first_date=first,
        start_time=time(18, 0),
        minutes=model.meeting_minutes,
    )
    meetings, slots = [], []
    for week in model.weeks:
        start = datetime.combine(first + timedelta(weeks=week.number - 1), time(18, 0), zone)
        meetings.append(Meeting(7, week.number, week.session, start, model.meeting_minutes, start))
        slots.append(Slot(week.number - 1, start, SlotKind.MEETING, week=week.number))
    people = [
        Participant(
            id=i + 1,
            group_id=7,
            preferred_name=name,
            last_initial="Q",
            opaque_id=f"opaque{i + 1:03d}",
        )
        for i, name in enumerate(names)
    ]
    return Course(
        group=made,
        curriculum=model,
        plans={w.number: library.plan(w.session) for w in model.weeks},
        handouts={k: e.model for k, e in library.handouts.items()},
        roster=people,
        schedule=Schedule(7, "Europe/Berlin", tuple(slots), tuple(meetings)),
        settings=Settings(),
        marks=[],
    )
