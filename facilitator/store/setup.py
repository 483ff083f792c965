"""Creating a group from a curriculum: defaults, session titles and holiday skips."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from typing import TYPE_CHECKING

from facilitator.model.group import Facilitator, Group
from facilitator.scheduling import SkipDate, holiday_skips, zone

if TYPE_CHECKING:
    from facilitator.content import Library
    from facilitator.store import Store


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
