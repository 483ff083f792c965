"""Running a meeting live: what to open (and whether to ask first), the run's saved state,
and quick notes taken during it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from facilitator.agenda import AgendaRun, resume
from facilitator.model.content import SessionPlan
from facilitator.model.group import Group, Meeting, Note

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Record:
    """What the live runner recorded of one meeting."""

    week: int
    items: tuple[tuple[str, float, float, str], ...]
    """(agenda item, planned minutes, actual minutes, state) of each item."""
    quick_notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ToRun:
    """A meeting to open in the live runner."""

    group: Group
    meeting: Meeting
    plan: SessionPlan
    days_ahead: int
    """How many days from today it meets (0 or less: today or past)."""
    started: bool
    """A run of it was saved before (it resumes)."""

    @property
    def ask_first(self) -> bool:
        """A meeting on a later day that was never started: ask before running it now."""
        return self.days_ahead > 0 and not self.started


def prepare(ws: Workspace, store: Store, group_id: int, week: int, now: datetime) -> ToRun:
    """The group, meeting and session plan of one week (a one-line error when the plan cannot
    be loaded), and how far ahead it is."""
    group = store.group(group_id)
    meeting = store.schedule(group_id).meeting(week)
    session_id = store.session_weeks(group_id)[week - 1][0]
    plan = ws.library.plan(session_id)
    today = now.astimezone(meeting.start.tzinfo).date()
    days = (meeting.start.date() - today).days
    return ToRun(group, meeting, plan, days, store.load_run(group_id, week) is not None)


def started(store: Store, group_id: int, week: int) -> bool:
    """Whether a run of the meeting was saved."""
    return store.load_run(group_id, week) is not None


def resumed(
    store: Store, group_id: int, week: int, *, monotonic: float, now: datetime
) -> AgendaRun | None:
    """The saved run of a meeting, carried on from where it was (the time that passed since
    it was saved added), or ``None`` when there is none."""
    saved = store.load_run(group_id, week)
    if saved is None:
        return None
    record, saved_at = saved
    return resume(record, monotonic, (now - saved_at).total_seconds())


def save(
    store: Store, group_id: int, week: int, run: AgendaRun, *, monotonic: float, now: datetime
) -> None:
    """Save the run's state (one transaction per transition), so that a crash loses nothing."""
    save_snapshot(store, group_id, week, run.snapshot(monotonic), at=now, finished=run.finished)


def save_snapshot(
    store: Store, group_id: int, week: int, record: dict[str, Any], *, at: datetime, finished: bool
) -> None:
    """Save a run's state taken earlier (``run.snapshot(monotonic)``): the runner takes it when
    the change happens and saves it when the server can be reached."""
    store.save_run(group_id, week, record, saved_at=at, finished=finished)


def quick_note_line(meeting: Meeting, text: str, at: datetime) -> str:
    """A quick note's line: the time it was taken (in the meeting's own zone), then the text."""
    return f"{at.astimezone(meeting.start.tzinfo):%H:%M} {text.strip()}"


def append_line(store: Store, group_id: int, week: int, line: str) -> Note:
    """Add a line to a meeting's group note."""
    return store.append_note(group_id, week, line)


def has_line(store: Store, group_id: int, week: int, line: str) -> bool:
    """Whether the meeting's group note has ``line`` (after a connection lost during COMMIT,
    whether the note was saved after all)."""
    note = store.note(group_id, week)
    return note is not None and line in note.text.splitlines()


def quick_note(store: Store, group_id: int, meeting: Meeting, text: str, at: datetime) -> Note:
    """Add a line to the meeting's group note, with the time it was taken (in the meeting's
    own zone)."""
    return append_line(store, group_id, meeting.week, quick_note_line(meeting, text, at))


def records(store: Store, group_id: int) -> list[Record]:
    """Each run meeting's timings and quick notes, by week."""
    quick = store.run_notes(group_id)
    return [
        Record(week, tuple(items), tuple(quick.get(week, [])))
        for week, items in store.fidelity(group_id).items()
    ]
