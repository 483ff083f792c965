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
from facilitator.text import offset_clock

if TYPE_CHECKING:
    from facilitator.config import Settings
    from facilitator.content import Library
    from facilitator.files import Ledger
    from facilitator.model.group import Group
    from facilitator.outputs.ics_invites import InviteSet
    from facilitator.outputs.pdf.course import Course, Timings
    from facilitator.outputs.pdf.runs import Job
    from facilitator.store import Store

Progress = Callable[[int, int, str], None]
"""Called after each file: (files done, files in all, file name)."""


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
    ledger: Ledger,
    jobs: Sequence[Job],
    out: Path,
    *,
    group_id: int | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
) -> list[Path]:
    """Make each file and write it (0600, atomically) into ``out``; returns the paths.

    Every file is recorded in the output ledger (kind, group, whom it names) before it is
    written. ``parallel`` may use a second process (the CLI does; the app, which runs threads,
    not).
    """
    from facilitator.files import write_outputs
    from facilitator.model.outputs import Output
    from facilitator.outputs.pdf.runs import make_all

    ensure_private_dir(out)
    outputs = [Output(out / job.name, job.kind, group_id, job.names) for job in jobs]
    made = (data for _, data in make_all(jobs, parallel=parallel))
    return write_outputs(ledger, outputs, made, progress=progress)


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


def write_invites(store: Store, made: InviteSet, out: Path, group_id: int) -> list[Path]:
    """Write each calendar file (0600, atomically) into ``out``, each recorded in the output
    ledger with the participant it is for (``<opaque id>.ics``)."""
    from facilitator.files import write_outputs
    from facilitator.model.outputs import Output, OutputKind

    ensure_private_dir(out)
    by_key = {p.file_id: p.id for p in store.participants(group_id)}
    outputs = []
    for invite in made.invites:
        keys = {Path(invite.filename).stem, *(r.key for r in invite.recipients)}
        named = tuple(sorted({by_key[k] for k in keys if k in by_key}))
        outputs.append(Output(out / invite.filename, OutputKind.INVITE, group_id, named))
    return write_outputs(store, outputs, [invite.data for invite in made.invites])


def agenda_text(library: Library, session_id: str) -> str:
    """A plan's agenda as lines of offset, title and minutes (for the facilitators' calendar)."""
    entry = library.sessions.get(session_id)
    if entry is None:
        return ""
    return "\n".join(
        f"{offset_clock(start)}  {item.title} ({item.minutes} min)"
        for start, item in entry.model.timeline()
    )


def attendance_csv(store: Store, group_id: int, path: Path) -> Path:
    """The attendance matrix as formula-safe CSV (notes are never included), recorded in the
    output ledger with everyone it lists."""
    from facilitator.files import write_outputs
    from facilitator.model.outputs import Output, OutputKind
    from facilitator.outputs.csv_export import attendance_rows, csv_bytes

    summary = store.summary(group_id)
    named = tuple(row.participant.id for row in summary.rows)
    output = Output(path, OutputKind.CSV, group_id, named)
    return write_outputs(store, [output], [csv_bytes(attendance_rows(summary))])[0]
