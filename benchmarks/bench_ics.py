"""Calendar invites: every file for a 12-person group, built in-process."""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from benchmarks import data
from benchmarks.harness import Bench
from facilitator.model.group import Facilitator, Group, Participant, Schedule

ZONE = "Europe/Berlin"
FIRST, AT = date(2027, 3, 2), time(18, 30)


def _inputs() -> tuple[Group, Schedule, list[Participant]]:
    """12 weeks with a holiday in slot 3 and week 6 moved to 19:00; 12 participants."""
    moved = datetime.combine(FIRST + timedelta(weeks=6), time(19), tzinfo=ZoneInfo(ZONE))
    schedule = data.schedule(ZONE, FIRST, AT, 12, skip=(3,), move={6: moved})
    group = data.group(
        "Canarytopic Recovery Circle",
        ZONE,
        id=1,
        display_name="Tuesday group",
        curriculum_id="ssc",
        first_date=FIRST,
        location="Room 4, 12 Example Street",
        facilitators=(
            Facilitator("Fayola Facil", "fayola@example.org"),
            Facilitator("Corwin Cofac", "corwin@example.org"),
        ),
        calendar_uid="6f1c2a9e-3b7d-4c1e-9a55-0d2f4e8b7c61",
        calendar_sequence=3,
    )
    return group, schedule, data.participants(12)


def _all_files() -> float:
    from facilitator.outputs.ics import SessionText
    from facilitator.outputs.ics_invites import Private, build_invites

    group, schedule, people = _inputs()
    private = Private(
        "Curriculum", {w: SessionText(f"Session {w}", "0:00 Welcome") for w in range(1, 13)}
    )
    start = timer.perf_counter()
    made = build_invites(
        group,
        schedule,
        people,
        stamp=datetime(2026, 11, 22, tzinfo=UTC),
        private=private,
        alarm_minutes=30,
    )
    took = timer.perf_counter() - start
    assert len(made.invites) == 14
    return took


BENCHMARKS = [
    Bench("invites: 12 participant files + facilitator + public", _all_files, target=0.100),
]
