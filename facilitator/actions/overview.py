"""What the home screen and a group's screen show: each group with its next meeting, and
one group with its schedule and the title of each week's session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from facilitator import overview
from facilitator.model.group import (
    AttendanceSummary,
    Group,
    Meeting,
    Note,
    NoteVersion,
    Participant,
    Schedule,
)
from facilitator.overview import GroupRow

if TYPE_CHECKING:
    from facilitator.store import Store

__all__ = ["GroupRow", "GroupView", "countdown", "group", "rows", "sort_rows", "upcoming"]


@dataclass(frozen=True)
class GroupView:
    """Everything a group's screen shows about one group, read from the store in one go."""

    group: Group
    schedule: Schedule
    session_titles: tuple[str, ...]
    """Each curriculum week's session title, as stored when the group was created."""
    participants: tuple[Participant, ...]
    """Everyone who has been in the group (those who left too), by id."""
    summary: AttendanceSummary
    notes: tuple[Note, ...]
    note_history: tuple[NoteVersion, ...]
    fidelity: dict[int, list[tuple[str, float, float, str]]]
    """Per week run: (item, planned minutes, actual minutes, state)."""
    run_notes: dict[int, list[str]]
    """Per week run: the quick notes taken during it."""

    @property
    def titles(self) -> tuple[str, ...]:
        """Each curriculum week's session title (the same as ``session_titles``)."""
        return self.session_titles

    def title(self, week: int) -> str:
        """The session title of a curriculum week ("" outside the course)."""
        return self.session_titles[week - 1] if 0 < week <= len(self.session_titles) else ""

    def counts(self, summary: AttendanceSummary | None = None) -> str:
        """The header's counts: members, meetings held, people at risk."""
        summary = summary or self.summary
        members = sum(1 for p in self.participants if p.left is None)
        at_risk = sum(1 for row in summary.rows if row.at_risk)
        return f"{members} member{'' if members == 1 else 's'} · {summary.held_text}" + (
            f" · {at_risk} at risk" if at_risk else ""
        )


def rows(store: Store, now: datetime, group_ids: Sequence[int] | None = None) -> list[GroupRow]:
    """Every group (or those of ``group_ids``: one the server does not show this user reads as
    none), soonest meeting first, finished and cancelled groups last; one query."""
    return overview.group_rows(store, now, group_ids)


def sort_rows(shown: list[GroupRow], now: datetime) -> list[GroupRow]:
    """Rows in the overview's order (after some were read again)."""
    return overview.sort_rows(shown, now)


def group(store: Store, group_id: int) -> GroupView:
    """One group as its screen shows it, all tabs at once (NotFoundError if it is gone)."""
    return GroupView(
        group=store.group(group_id),
        schedule=store.schedule(group_id),
        session_titles=tuple(t for _, t in store.session_weeks(group_id)),
        participants=tuple(store.participants(group_id)),
        summary=store.summary(group_id),
        notes=tuple(store.notes(group_id)),
        note_history=tuple(store.note_history(group_id)),
        fidelity=store.fidelity(group_id),
        run_notes=store.run_notes(group_id),
    )


def upcoming(schedule: Schedule, now: datetime) -> Meeting | None:
    """The meeting in progress at ``now``, else the next one (cancelled ones passed over)."""
    return overview.upcoming(schedule, now)


def countdown(start: datetime, now: datetime, minutes: int) -> str:
    """A short phrase: "in 2 days", "in 3 h 05 min", "in 12 min", "now", "ended"."""
    return overview.countdown(start, now, minutes)
