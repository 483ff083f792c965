"""Attendance use cases: take a meeting's roll, change one mark, clear a roll, the summary,
and the roll at the door."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    AttendanceStatus,
    AttendanceSummary,
    Mark,
    Meeting,
    Participant,
)
from facilitator.scheduling import week_in_range

if TYPE_CHECKING:
    from facilitator.store import Store


@dataclass(frozen=True, slots=True)
class Roll:
    """One week's roll as it stands."""

    week: int
    taken: bool
    """A roll was taken (the meeting counts as held)."""
    marks: Mapping[int, AttendanceStatus]
    """Participant id -> mark."""


@dataclass(frozen=True, slots=True)
class Door:
    """Who is expected at a meeting and their marks so far (the roll at the door)."""

    members: tuple[Participant, ...]
    marks: Mapping[int, AttendanceStatus]


def exceptions(
    store: Store, group_id: int, named: Iterable[tuple[AttendanceStatus, str]]
) -> dict[int, AttendanceStatus]:
    """The people named (by id or name) with their mark; one person given two different
    marks is a one-line error."""
    found: dict[int, AttendanceStatus] = {}
    for status, ref in named:
        person = store.find_participant(group_id, ref)
        earlier = found.setdefault(person.id, status)
        if earlier is not status:
            raise FacilitatorError(
                f"{person.sign_in_name} is given two marks: --{earlier.value} and "
                f"--{status.value}; give each person one"
            )
    return found


def future_meeting(store: Store, group_id: int, week: int, now: datetime) -> Meeting | None:
    """The meeting of ``week`` when it is on a later day than ``now`` (in its own zone): taking
    its roll now deserves a question first. ``None`` when it is today or past."""
    plan = store.schedule(group_id)
    week_in_range(week, len(plan.meetings))
    meeting = plan.meeting(week)
    today = now.astimezone(meeting.start.tzinfo).date()
    return meeting if meeting.start.date() > today else None


def take_roll(
    store: Store, group_id: int, week: int, marks: Mapping[int, AttendanceStatus] | None = None
) -> list[Mark]:
    """Save a meeting's roll: everyone enrolled that day present but the ``marks`` given.
    Taking it again replaces the earlier one."""
    return store.mark_roll(group_id, week, marks)


def roll(store: Store, group_id: int, week: int) -> Roll:
    """One week's roll as it stands."""
    taken = week in store.held_weeks(group_id)
    marks = {m.participant_id: m.status for m in store.marks(group_id) if m.week == week}
    return Roll(week, taken, marks)


def set_mark(
    store: Store, group_id: int, week: int, participant_id: int, status: AttendanceStatus | None
) -> list[Mark]:
    """Change one person's mark (``None``: not taken); a week without a roll gets one, and
    the roll goes when its last mark does. Returns the week's marks afterwards."""
    return store.set_mark(group_id, week, participant_id, status)


def clear_roll(store: Store, group_id: int, week: int) -> int:
    """Remove a week's whole roll (the meeting then counts as not held); returns how many
    marks went."""
    return store.clear_roll(group_id, week)


def summary(store: Store, group_id: int) -> AttendanceSummary:
    """Participant x week, each one's rate, completion and whether they are at risk."""
    return store.summary(group_id)


def door(store: Store, group_id: int, meeting: Meeting) -> Door:
    """The members enrolled on the meeting's day and their marks so far."""
    day = meeting.start.date()
    members = tuple(p for p in store.participants(group_id) if p.enrolled_on(day))
    marks = {m.participant_id: m.status for m in store.marks(group_id) if m.week == meeting.week}
    return Door(members, marks)
