"""Calendar invites: every file for a 12-person group, built in-process."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from uuid import UUID
from zoneinfo import ZoneInfo

from benchmarks.harness import Bench
from facilitator.model.group import (
    Facilitator,
    Group,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)

ZONE = "Europe/Berlin"


def _inputs() -> tuple[Group, Schedule, list[Participant]]:
    tz = ZoneInfo(ZONE)
    group = Group(
        id=1,
        name="Bench group",
        display_name="Weekly group",
        curriculum_id="ssc",
        first_date=date(2027, 3, 2),
        start_time=clock(18, 30),
        minutes=90,
        timezone=ZONE,
        location="Room 1",
        facilitators=(
            Facilitator("Fay F", "fay@example.org"),
            Facilitator("Cody C", "cody@example.org"),
        ),
        calendar_uid=str(UUID(int=42)),
        calendar_sequence=3,
    )
    slots, meetings = [], []
    for index in range(13):
        start = datetime(2027, 3, 2, 18, 30, tzinfo=tz) + timedelta(weeks=index)
        if index == 3:
            slots.append(Slot(index, start, SlotKind.SKIPPED, "holiday"))
            continue
        week = len(meetings) + 1
        moved = start.replace(hour=19) if week == 6 else start
        slots.append(
            Slot(index, start, SlotKind.MOVED if week == 6 else SlotKind.MEETING, "", week)
        )
        meetings.append(Meeting(1, week, f"s{week}", moved, 90, start))
    people = [
        Participant(i, 1, f"Person{i}", "X", f"p{i}@example.org", opaque_id=f"op{i:04d}")
        for i in range(1, 13)
    ]
    return group, Schedule(1, ZONE, tuple(slots), tuple(meetings)), people


def _all_files() -> float:
    from facilitator.outputs.ics import SessionText
    from facilitator.outputs.ics_invites import Private, build_invites

    group, schedule, people = _inputs()
    private = Private(
        "Curriculum", {w: SessionText(f"Session {w}", "0:00 Welcome") for w in range(1, 13)}
    )
    start = time.perf_counter()
    made = build_invites(
        group,
        schedule,
        people,
        stamp=datetime(2026, 11, 22, tzinfo=UTC),
        private=private,
        alarm_minutes=30,
    )
    took = time.perf_counter() - start
    assert len(made.invites) == 14
    return took


BENCHMARKS = [
    Bench("invites: 12 participant files + facilitator + public", _all_files, target=0.100),
]
