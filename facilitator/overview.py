"""What the home screen shows: each group with its next meeting, computed from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from facilitator.model.group import Group, Meeting, Schedule

if TYPE_CHECKING:
    from facilitator.store import Store


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


def group_rows(store: Store, now: datetime) -> list[GroupRow]:
    """Every group that is not cancelled, soonest meeting first, finished groups last."""
    rows = []
    for group in store.groups():
        schedule = store.schedule(group.id)
        meeting = upcoming(schedule, now)
        running = [w for w, at in store.open_runs(group.id) if now - at < RESUMABLE]
        if running:  # resume that one, even if the clock says its time is over
            meeting = schedule.meeting(running[0])
        titles = dict(enumerate((t for _, t in store.session_weeks(group.id)), start=1))
        members = sum(1 for p in store.participants(group.id) if p.left is None)
        title = titles.get(meeting.week, "") if meeting else ""
        rows.append(GroupRow(group, members, meeting, title, bool(running)))
    far = datetime.max.replace(tzinfo=now.tzinfo)
    rows.sort(
        key=lambda r: (
            r.group.cancelled,
            r.meeting is None,
            r.meeting.start if r.meeting else far,
            r.group.name,
        )
    )
    return rows
