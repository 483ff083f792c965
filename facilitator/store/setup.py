"""Creating a group from a curriculum: defaults, session titles and holiday skips."""

from __future__ import annotations

from collections.abc import Sequence
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
