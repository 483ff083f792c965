"""What the home screen shows: each group with its next meeting, computed from the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from facilitator.model.group import Group, Meeting, Schedule

if TYPE_CHECKING:
    from facilitator.store import GroupFacts, Store


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One line of the overview."""

    group: Group
    members: int
    meeting: Meeting | None
    """The meeting in progress or the next one (None when the course is over)."""
    session_title: str
    in_progress: bool = False
    """``meeting`` is a live run left unfinished (a crash, or the app closed mid-meeting)."""
    held: int = 0
    """Meetings whose roll was taken."""
    rate: float | None = None
    """Attendance rate over the held meetings (attended / counted; None: nothing counted)."""
    last_roll: int | None = None
    """The latest week whose roll was taken."""


RESUMABLE = timedelta(hours=6)
"""An unfinished run saved this recently is a meeting in progress; older ones were abandoned."""


def upcoming(schedule: Schedule, now: datetime) -> Meeting | None:
    """The meeting in progress at ``now``, else the next one; cancelled ones are passed over."""
    for meeting in schedule.meetings:
        if meeting.cancelled:
            continue
        if meeting.start + timedelta(minutes=meeting.minutes) > now:
            return meeting
    return None


def countdown(start: datetime, now: datetime, minutes: int) -> str:
    """A short human phrase: "in 2 days", "in 3 h 05 min", "in 12 min", "now", "ended"."""
    delta = start - now
    if delta.total_seconds() <= 0:
        return "now" if now < start + timedelta(minutes=minutes) else "ended"
    total = int(delta.total_seconds() // 60)
    days, rest = divmod(total, 24 * 60)
    if days >= 2:
        return f"in {days} days"
    hours, mins = divmod(rest + days * 24 * 60, 60)
    return f"in {hours} h {mins:02d} min" if hours else f"in {mins} min"


def group_rows(
    store: Store, now: datetime, group_ids: Sequence[int] | None = None
) -> list[GroupRow]:
    """Every group (or those of ``group_ids``), soonest meeting first, finished and cancelled
    groups last: read with one query (``Store.overview``), whatever the number of groups."""
    return sort_rows([row_of(facts, now) for facts in store.overview(group_ids)], now)


def sort_rows(rows: list[GroupRow], now: datetime) -> list[GroupRow]:
    """Soonest meeting first, finished and cancelled groups last."""
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(
        rows,
        key=lambda r: (
            r.group.cancelled,
            r.meeting is None,
            r.meeting.start if r.meeting else far,
            r.group.name,
        ),
    )


def row_of(facts: GroupFacts, now: datetime) -> GroupRow:
    """One group's line from its facts."""
    schedule = facts.schedule
    meeting = upcoming(schedule, now)
    running = [w for w, at in facts.open_runs if now - at < RESUMABLE]
    if running:  # resume that one, even if the clock says its time is over
        meeting = schedule.meeting(running[0])
    titles = dict(enumerate(facts.titles, start=1))
    title = titles.get(meeting.week, "") if meeting else ""
    return GroupRow(
        facts.group,
        facts.members,
        meeting,
        title,
        bool(running),
        held=facts.held,
        rate=facts.rate,
        last_roll=facts.last_roll,
    )
