"""Group use cases: create a group from a curriculum, edit it (saying what follows), list,
show and cancel groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING

from facilitator.model.group import Facilitator, Group, SlotKind

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.workspace import Workspace


@dataclass(frozen=True, slots=True)
class CurriculumChoice:
    """A curriculum a new group may run."""

    id: str
    title: str
    weeks: int


@dataclass(frozen=True, slots=True)
class Created:
    """A new group, and how many dates its holidays took out of the schedule."""

    group: Group
    holidays_skipped: int = 0


@dataclass(frozen=True, slots=True)
class Edited:
    """A group after an edit, and what follows from it (moved meetings, invitations to send
    again), one sentence each."""

    group: Group
    said: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Shown:
    """A group and how many members it has now."""

    group: Group
    members: int


def curricula(ws: Workspace) -> list[CurriculumChoice]:
    """Every curriculum of the library, by id."""
    return [
        CurriculumChoice(e.model.id, e.model.title, len(e.model.weeks))
        for e in sorted(ws.library.curricula.values(), key=lambda e: e.model.id)
    ]


def create(
    ws: Workspace,
    store: Store,
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
) -> Created:
    """Create a group running ``curriculum_id`` with a weekly schedule (public holidays of
    ``holidays`` and ``skip_dates`` left out); refused when the curriculum's files have
    problems (the group could not print its sheets)."""
    from facilitator.store.setup import create_from_curriculum

    group = create_from_curriculum(
        store,
        ws.library,
        name=name,
        curriculum_id=curriculum_id,
        first_date=first_date,
        start_time=start_time,
        timezone=timezone,
        minutes=minutes,
        display_name=display_name,
        location=location,
        facilitators=facilitators,
        is_open=is_open,
        capacity=capacity,
        holidays=holidays,
        skip_dates=skip_dates,
    )
    skipped = sum(1 for s in store.schedule(group.id).slots if s.kind is SlotKind.SKIPPED)
    return Created(group, skipped)


def edit(store: Store, group_id: int, **changes: object) -> Edited:
    """Change a group's settings (``Group`` field names: name, display_name, location,
    start_time, facilitators, capacity, is_open) and say what follows."""
    from facilitator.store.setup import edit_group

    after, said = edit_group(store, group_id, **changes)
    return Edited(after, tuple(said))


def get(store: Store, group_id: int) -> Group:
    """One group by id."""
    return store.group(group_id)


def find(store: Store, ref: str) -> Group:
    """A group by exact name, else by id (a one-line error naming the groups there are)."""
    return store.find_group(ref)


def listing(store: Store) -> list[Group]:
    """Every group, cancelled ones too."""
    return store.groups()


def show(store: Store, ref: str) -> Shown:
    """A group by name or id, with its current number of members."""
    group = store.find_group(ref)
    members = sum(1 for p in store.participants(group.id) if p.left is None)
    return Shown(group, members)


def cancel(store: Store, group_id: int) -> Group:
    """Cancel a whole group: its calendar files become cancellations (the sequence goes up)."""
    return store.cancel_group(group_id)
