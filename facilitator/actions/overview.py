"""What the home screen and a group's screen show: each group with its next meeting, and
one group with its schedule and the title of each week's session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from facilitator import overview
from facilitator.model.group import Group, Meeting, Schedule
from facilitator.overview import GroupRow

if TYPE_CHECKING:
    from facilitator.store import Store

__all__ = ["GroupRow", "GroupView", "countdown", "group", "rows", "upcoming"]


@dataclass(frozen=True, slots=True)
class GroupView:
    """One group, its schedule and each week's session title."""

    group: Group
    schedule: Schedule
    titles: tuple[str, ...]


def rows(store: Store, now: datetime) -> list[GroupRow]:
    """Every group, soonest meeting first, finished and cancelled groups last."""
    return overview.group_rows(store, now)


def group(store: Store, group_id: int) -> GroupView:
    """One group as its screen shows it."""
    titles = tuple(t for _, t in store.session_weeks(group_id))
    return GroupView(store.group(group_id), store.schedule(group_id), titles)


def upcoming(schedule: Schedule, now: datetime) -> Meeting | None:
    """The meeting in progress at ``now``, else the next one (cancelled ones passed over)."""
    return overview.upcoming(schedule, now)


def countdown(start: datetime, now: datetime, minutes: int) -> str:
    """A short phrase: "in 2 days", "in 3 h 05 min", "in 12 min", "now", "ended"."""
    return overview.countdown(start, now, minutes)
