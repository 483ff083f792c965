"""A group's weekly schedule from its dates, skips and changes (pure: no clock, no I/O).

A group meets weekly at a local wall-clock time in an IANA zone. The regular series (the
calendar's RRULE) is produced by :mod:`dateutil.rrule` on *local* dates and times and each
occurrence is then placed in the zone, so 18:30 stays 18:30 across daylight-saving changes while
the UTC offset moves. A start time that does not exist (spring forward) or exists twice (fall
back) on any date of the series is refused, naming the date.

A skipped date (holiday or explicit skip) and a cancelled-and-pushed meeting both leave their
slot empty and push the remaining sessions one week on, so the group still gets every session.
A dropped meeting keeps its slot (cancelled) and the session does not take place. A moved
meeting keeps its slot in the series but happens at another date/time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import WEEKLY, rrule

from facilitator.errors import FacilitatorError
from facilitator.model.group import Meeting, Schedule, Slot, SlotKind

MAX_EXTRA_SLOTS = 104
"""How many skipped or cancelled weeks a series may contain before we refuse it (two years)."""


class ChangeKind(StrEnum):
    """A change a facilitator made to one curriculum week."""

    MOVE = "move"
    """The meeting takes place at ``ScheduleChange.start`` instead of its slot."""
    DROP = "drop"
    """The meeting is cancelled and its session does not take place."""


@dataclass(frozen=True, slots=True)
class ScheduleChange:
    """A change to one curriculum week (a move or a drop)."""

    week: int
    kind: ChangeKind
    start: datetime | None = None
    """For a move: the new local start (naive wall-clock time in the group's zone)."""


@dataclass(frozen=True, slots=True)
class SkipDate:
    """A date without a meeting; the remaining sessions move one week on."""

    day: date
    reason: str = "skipped"
    cancelled: bool = False
    """True when the facilitator cancelled the meeting of this date (shown as CANCELLED)."""


def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``, or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FacilitatorError(
            f"unknown time zone '{name}' (use an IANA name such as "
            "Europe/London or America/New_York)"
        ) from None


def localize(local: datetime, tz: ZoneInfo) -> datetime:
    """Place a naive wall-clock time in ``tz``; refuse one that does not exist or is ambiguous."""
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    when = f"{local:%H:%M} on {local:%Y-%m-%d} ({local:%A}) in {tz.key}"
    back = first.astimezone(ZoneInfo("UTC")).astimezone(tz).replace(tzinfo=None)
    if back != local:
        raise FacilitatorError(
            f"{when} does not exist: the clocks go forward that day. "
            "Choose another start time or skip that date."
        )
    raise FacilitatorError(
        f"{when} happens twice: the clocks go back that day. "
        "Choose another start time or skip that date."
    )


def weekly_series(first_date: date, start_time: time) -> rrule:
    """The regular weekly series of local (naive) start times, without an end."""
    return rrule(WEEKLY, dtstart=datetime.combine(first_date, start_time.replace(tzinfo=None)))


def build_schedule(
    group_id: int,
    *,
    first_date: date,
    start_time: time,
    minutes: int,
    timezone: str,
    session_ids: Sequence[str],
    skips: Sequence[SkipDate] = (),
    changes: Sequence[ScheduleChange] = (),
) -> Schedule:
    """The schedule of a group: every slot of the weekly series and one meeting per week.

    ``session_ids`` are the curriculum's plans in week order. Raises :class:`FacilitatorError`
    for an unknown zone, an impossible local time, or more than ``MAX_EXTRA_SLOTS`` skips.
    """
    tz = zone(timezone)
    skipped = {s.day: s for s in skips}
    by_week = {c.week: c for c in changes}
    slots: list[Slot] = []
    meetings: list[Meeting] = []
    week = 1
    limit = len(session_ids) + MAX_EXTRA_SLOTS
    for index, local in enumerate(weekly_series(first_date, start_time)):
        if week > len(session_ids):
            break
        if index >= limit:
            raise FacilitatorError(
                f"more than {MAX_EXTRA_SLOTS} weeks skipped or cancelled; "
                "the schedule cannot be computed"
            )
        start = localize(local, tz)
        skip = skipped.get(local.date())
        if skip is not None:
            slots.append(_empty_slot(index, start, skip, week))
            continue
        slot, meeting = _place(
            group_id, week, session_ids[week - 1], index, start, minutes, by_week.get(week), tz
        )
        slots.append(slot)
        meetings.append(meeting)
        week += 1
    return Schedule(group_id, timezone, tuple(slots), tuple(meetings))


def _empty_slot(index: int, start: datetime, skip: SkipDate, week: int) -> Slot:
    if skip.cancelled:
        return Slot(index, start, SlotKind.CANCELLED, skip.reason or "cancelled", week)
    return Slot(index, start, SlotKind.SKIPPED, skip.reason or "skipped")


def _place(
    group_id: int,
    week: int,
    session_id: str,
    index: int,
    start: datetime,
    minutes: int,
    change: ScheduleChange | None,
    tz: ZoneInfo,
) -> tuple[Slot, Meeting]:
    if change is not None and change.kind is ChangeKind.DROP:
        return (
            Slot(index, start, SlotKind.CANCELLED, "cancelled (session dropped)", week),
            Meeting(group_id, week, session_id, start, minutes, start, cancelled=True),
        )
    if change is not None and change.start is not None:
        moved = localize(change.start.replace(tzinfo=None), tz)
        return (
            Slot(index, start, SlotKind.MOVED, "moved", week),
            Meeting(group_id, week, session_id, moved, minutes, start),
        )
    return (
        Slot(index, start, SlotKind.MEETING, "", week),
        Meeting(group_id, week, session_id, start, minutes, start),
    )


def holiday_skips(code: str, first_date: date, weeks: int) -> list[SkipDate]:
    """Public holidays falling on the group's weekday, from ``first_date`` for long enough.

    ``code`` is a country code with an optional subdivision ("US", "DE-BY", "GB-SCT"). The span
    covers the course plus ``MAX_EXTRA_SLOTS`` weeks, so later skips never run past it.
    """
    import holidays  # deferred: a large package, only needed when a group is created

    country, _, subdiv = code.strip().upper().partition("-")
    last = first_date + timedelta(weeks=weeks + MAX_EXTRA_SLOTS)
    years = range(first_date.year, last.year + 1)
    try:
        table = holidays.country_holidays(country, subdiv=subdiv or None, years=years)
    except NotImplementedError:
        raise FacilitatorError(
            f"no holiday calendar for '{code}' (use a country code such as "
            "US, GB or DE, optionally with a subdivision: DE-BY)"
        ) from None
    return [
        SkipDate(day, str(name))
        for day, name in sorted(table.items())
        if first_date <= day <= last and day.weekday() == first_date.weekday()
    ]


def week_in_range(week: int, weeks: int) -> None:
    """Refuse a curriculum week outside 1..weeks ("week 9 of 8")."""
    if not 1 <= week <= weeks:
        raise FacilitatorError(f"week {week} of {weeks}: this group has weeks 1 to {weeks}")
