"""What the CLI and the app both export for a group: print runs, calendar files, CSV.

Each function reads what it needs from the store and the content library and returns plain
results; front ends only choose options and show progress. reportlab and icalendar are
imported inside the functions that need them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator.paths import ensure_private_dir

if TYPE_CHECKING:
    from facilitator.config import Settings
    from facilitator.content import Library
    from facilitator.model.group import Group
    from facilitator.outputs.ics_invites import InviteSet
    from facilitator.outputs.pdf.course import Course, Timings
    from facilitator.outputs.pdf.runs import Job
    from facilitator.store import Store

Progress = Callable[[int, int, str], None]
"""Called after each file: (files done, files in all, file name)."""


def prints_dir(data_dir: Path, group_id: int) -> Path:
    """Where a group's printouts go by default: inside the private data folder."""
    return data_dir / "prints" / f"group-{group_id}"


def invites_dir(data_dir: Path, group_id: int) -> Path:
    """Where a group's calendar files go by default."""
    return data_dir / "invites" / f"group-{group_id}"


def course(store: Store, library: Library, settings: Settings, group: Group) -> Course:
    """Everything printing needs about a group: plans, handouts, roster, schedule, marks."""
    from facilitator.outputs.pdf.course import Course

    schedule = store.schedule(group.id)
    plans = {m.week: library.plan(m.session_id) for m in schedule.meetings}
    return Course(
        group=group,
        curriculum=library.curriculum(group.curriculum_id),
        plans=plans,
        handouts={k: e.model for k, e in library.handouts.items()},
        roster=store.participants(group.id),
        schedule=schedule,
        settings=settings.for_group(group.holidays, group.timezone),
        marks=store.marks(group.id),
        sources={k: e.shown for k, e in library.handouts.items()},
    )


def meeting_notes(store: Store, group_id: int) -> dict[int, str]:
    """Week -> the meeting's group note, for a course record printed with notes (never by
    default: notes about people stay out of every default export)."""
    return {n.week: n.text for n in store.notes(group_id) if n.participant_id is None}


def timings(store: Store, group_id: int) -> Timings:
    """Planned vs actual minutes per agenda item, for each meeting the live runner recorded."""
    return {
        week: [(title, round(planned), round(actual)) for title, planned, actual, _ in items]
        for week, items in store.fidelity(group_id).items()
    }


def write_jobs(
    jobs: Sequence[Job], out: Path, *, progress: Progress | None = None, parallel: bool = False
) -> list[Path]:
    """Make each file and write it (0600, atomically) into ``out``; returns the paths.

    ``parallel`` may use a second process (the CLI does; the app, which runs threads, not).
    """
    from facilitator.outputs.files import write_private
    from facilitator.outputs.pdf.runs import make_all

    ensure_private_dir(out)
    written: list[Path] = []
    for job, data in make_all(jobs, parallel=parallel):
        written.append(write_private(out / job.name, data))
        if progress is not None:
            progress(len(written), len(jobs), job.name)
    return written


def invite_set(
    store: Store,
    library: Library,
    settings: Settings,
    group: Group,
    *,
    stamp: datetime,
    publish: bool = False,
    cancel_week: int | None = None,
) -> InviteSet:
    """Every calendar file of a group (``stamp`` is the DTSTAMP: the caller passes now)."""
    from facilitator.outputs.ics import SessionText
    from facilitator.outputs.ics_invites import Private, build_invites

    schedule = store.schedule(group.id)
    people = store.participants(group.id)
    weeks = store.session_weeks(group.id)
    sessions = {
        n: SessionText(title, agenda_text(library, session_id))
        for n, (session_id, title) in enumerate(weeks, 1)
    }
    entry = library.curricula.get(group.curriculum_id)
    private = Private(entry.model.title if entry else "", sessions)
    return build_invites(
        group,
        schedule,
        people,
        stamp=stamp,
        private=private,
        alarm_minutes=settings.invite_alarm_minutes,
        publish=publish,
        cancel_week=cancel_week,
    )


def write_invites(made: InviteSet, out: Path) -> list[Path]:
    """Write each calendar file (0600, atomically) into ``out``."""
    from facilitator.outputs.files import write_private

    ensure_private_dir(out)
    return [write_private(out / invite.filename, invite.data) for invite in made.invites]


def agenda_text(library: Library, session_id: str) -> str:
    """A plan's agenda as lines of offset, title and minutes (for the facilitators' calendar)."""
    entry = library.sessions.get(session_id)
    if entry is None:
        return ""
    offset, lines = 0, []
    for item in entry.model.agenda:
        lines.append(f"{offset // 60}:{offset % 60:02d}  {item.title} ({item.minutes} min)")
        offset += item.minutes
    return "\n".join(lines)


def attendance_csv(store: Store, group_id: int, path: Path) -> Path:
    """The attendance matrix as formula-safe CSV (notes are never included)."""
    from facilitator.outputs.csv_export import write_attendance_csv

    return write_attendance_csv(store.summary(group_id), path)
