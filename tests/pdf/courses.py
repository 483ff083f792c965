"""Courses built from model objects for the PDF tests and benchmarks (no pytest import)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facilitator.config import Settings
from facilitator.content import Library
from facilitator.model.group import (
    AttendanceStatus,
    Group,
    Mark,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)
from facilitator.outputs.pdf.course import Course


def make_course(
    library: Library,
    names: Sequence[str],
    curriculum: str = "example",
    *,
    absent_week: int | None = None,
    large: Sequence[str] = (),
) -> Course:
    """A course over ``curriculum`` with invented participants, meetings at 18:00 weekly."""
    model = library.curriculum(curriculum)
    zone = ZoneInfo("Europe/Berlin")
    first = date(2026, 3, 3)
    group = Group(
        id=7,
        name="Private topic group SECRETTOPIC",
        display_name="Tuesday group",
        curriculum_id=model.id,
        first_date=first,
        start_time=time(18, 0),
        minutes=model.meeting_minutes,
        timezone="Europe/Berlin",
    )
    meetings, slots = [], []
    for week in model.weeks:
        start = datetime.combine(first + timedelta(weeks=week.number - 1), time(18, 0), zone)
        meetings.append(
            Meeting(group.id, week.number, week.session, start, model.meeting_minutes, start)
        )
        slots.append(Slot(week.number - 1, start, SlotKind.MEETING, week=week.number))
    people = [
        Participant(
            id=i + 1,
            group_id=group.id,
            preferred_name=name,
            last_initial="Q",
            opaque_id=f"opaque{i + 1:03d}",
            large_print=name in large,
        )
        for i, name in enumerate(names)
    ]
    marks = []
    if absent_week is not None:
        marks = [
            Mark(p.id, absent_week, AttendanceStatus.ABSENT if i == 0 else AttendanceStatus.PRESENT)
            for i, p in enumerate(people)
        ]
    return Course(
        group=group,
        curriculum=model,
        plans={w.number: library.plan(w.session) for w in model.weeks},
        handouts={k: e.model for k, e in library.handouts.items()},
        roster=people,
        schedule=Schedule(group.id, "Europe/Berlin", tuple(slots), tuple(meetings)),
        settings=Settings(),
        marks=marks,
    )
