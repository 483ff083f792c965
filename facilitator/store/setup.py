"""Creating a group from a curriculum: defaults, session titles and holiday skips."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time
from typing import TYPE_CHECKING

from facilitator.errors import FacilitatorError, Problem
from facilitator.model.group import Facilitator, Group
from facilitator.scheduling import SkipDate, holiday_skips, zone

if TYPE_CHECKING:
    from facilitator.content import Library
    from facilitator.store import Store


def curriculum_problems(library: Library, curriculum_id: str) -> list[Problem]:
    """Problems in the files a group of this curriculum would print from: the curriculum, its
    weeks' plans (and alternates) and their handouts. A group made despite them could not print
    its sheets, so creating one is refused."""
    entry = library.curricula[curriculum_id]
    files = {entry.shown}
    for week in entry.model.weeks:
        for session_id in (week.session, *week.alternates):
            session = library.sessions.get(session_id)
            if session is None:
                continue
            files.add(session.shown)
            files.update(
                library.handouts[h].shown
                for h in session.model.handout_ids()
                if h in library.handouts
            )
    return [p for p in library.problems if p.path in files]


def create_from_curriculum(
    store: Store,
    library: Library,
    *,
    name: str,
    curriculum_id: str,
    first_date: date,
    start_time: time,
    timezone: str,
    minutes: int | None = None,
    display_name: str = "Weekly group",
    location: str = "",
    facilitators: Sequence[Facilitator] = (),
    is_open: bool = False,
    capacity: int | None = None,
    holidays: str = "",
    skip_dates: Sequence[date] = (),
) -> Group:
    """Create a group running ``curriculum_id``; length and completion come from it.

    The curriculum's weeks (session ids and titles) are copied into the group, so its schedule
    never changes under it when content files are edited. Holidays of ``holidays`` ("US",
    "DE-BY") on the meeting weekday become skip dates.
    """
    curriculum = library.curriculum(curriculum_id)
    problems = curriculum_problems(library, curriculum_id)
    if problems:
        raise FacilitatorError(
            f"curriculum '{curriculum_id}' has {len(problems)} problem(s) in its files; fix them "
            f"first ('facilitator validate' lists them all): {problems[0]}"
        )
    zone(timezone)
    weeks = [
        (
            w.session,
            library.sessions[w.session].model.title if w.session in library.sessions else w.session,
        )
        for w in curriculum.weeks
    ]
    skips = [SkipDate(d, "skipped") for d in skip_dates]
    if holidays:
        skips += holiday_skips(holidays, first_date, len(weeks))
    draft = Group(
        id=0,
        name=name,
        display_name=display_name,
        curriculum_id=curriculum.id,
        first_date=first_date,
        start_time=start_time,
        minutes=minutes or curriculum.meeting_minutes,
        timezone=timezone,
        location=location,
        facilitators=tuple(facilitators),
        is_open=is_open,
        capacity=capacity,
        completion_threshold=curriculum.completion_threshold,
        holidays=holidays.upper(),
    )
    return store.create_group(draft, weeks, skips)


def edit_group(store: Store, group_id: int, **changes: object) -> tuple[Group, list[str]]:
    """Change a group's settings (``Group`` field names) and say what follows from it:
    meetings that move, and invitations to send again when calendars would change."""
    before = store.group(group_id)
    old = store.schedule(group_id)
    after = store.update_group(replace(before, **changes))  # type: ignore[arg-type]
    new = store.schedule(group_id)
    said: list[str] = []
    moved = [
        m.week
        for m, n in zip(old.meetings, new.meetings, strict=True)
        if m.start != n.start and not n.cancelled
    ]
    if moved:
        said.append(
            f"{len(moved)} meeting(s) move from {before.start_time:%H:%M} to "
            f"{after.start_time:%H:%M} (weeks {_ranges(moved)}); meetings moved by hand keep "
            "their own time"
        )
    for label, field in (
        ("name", "name"),
        ("shown as", "display_name"),
        ("location", "location"),
        ("capacity", "capacity"),
    ):
        if getattr(before, field) != getattr(after, field):
            said.append(
                f"{label}: {getattr(before, field) or '-'} -> {getattr(after, field) or '-'}"
            )
    if before.is_open != after.is_open:
        said.append("entry: " + ("open (new members may join)" if after.is_open else "closed"))
    if before.facilitators != after.facilitators:
        said.append("facilitators: " + (", ".join(f.name for f in after.facilitators) or "none"))
    if after.calendar_sequence != before.calendar_sequence:
        said.append(
            f"calendar sequence {before.calendar_sequence} -> {after.calendar_sequence}: export "
            "the invitations again so everyone's calendar updates"
        )
    return after, said


def _ranges(weeks: Sequence[int]) -> str:
    """[4, 5, 6, 8] -> "4-6, 8"."""
    parts: list[str] = []
    for week in weeks:
        if parts and week == int(parts[-1].rpartition("-")[2]) + 1:
            parts[-1] = f"{parts[-1].partition('-')[0]}-{week}"
        else:
            parts.append(str(week))
    return ", ".join(parts)


def curriculum_changes(
    store: Store, library: Library, curriculum_id: str
) -> list[tuple[Group, list[tuple[int, str, str]]]]:
    """For each running group of a curriculum: (week, plan now, plan in the curriculum) of the
    weeks not yet held whose plan the curriculum has since changed. Held weeks (a roll taken or
    the meeting run) keep their history and are never listed; so are weeks past either end."""
    curriculum = library.curriculum(curriculum_id)
    wanted = {w.number: w.session for w in curriculum.weeks}
    out = []
    for group in store.groups():
        if group.curriculum_id != curriculum_id or group.cancelled:
            continue
        held = set(store.held_weeks(group.id)) | set(store.run_notes(group.id))
        changes = [
            (week, session, wanted[week])
            for week, (session, _) in enumerate(store.session_weeks(group.id), start=1)
            if week not in held and week in wanted and wanted[week] != session
        ]
        if changes:
            out.append((group, changes))
    return out


def apply_curriculum_changes(
    store: Store, library: Library, changes: Sequence[tuple[Group, list[tuple[int, str, str]]]]
) -> int:
    """Use the curriculum's plans in those weeks (see :func:`curriculum_changes`); returns how
    many weeks changed."""
    done = 0
    for group, weeks in changes:
        for week, _, session in weeks:
            title = library.sessions[session].model.title if session in library.sessions else ""
            store.use_session(group.id, week, session, title or session)
            done += 1
    return done
