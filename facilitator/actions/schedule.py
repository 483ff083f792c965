"""Schedule use cases: show a group's meetings, hold another plan in a week, move, cancel or
skip a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from facilitator.model.group import Meeting, Schedule

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Shown:
    """A group's schedule and the title of each week's session (its id when it has none)."""

    schedule: Schedule
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanUsed:
    """A week that now holds another plan."""

    week: int
    plan_id: str
    title: str
    old_id: str
    old_title: str
    alternate: bool
    """The plan is one of the curriculum's alternates for the week (or the same plan)."""


@dataclass(frozen=True, slots=True)
class PlanChoices:
    """What a week could hold instead: the curriculum's alternates first, then every other
    plan by title; each (id, title)."""

    current: str
    alternates: tuple[tuple[str, str], ...]
    others: tuple[tuple[str, str], ...]


def show(store: Store, group_id: int) -> Shown:
    """Every slot of the weekly series and the session of each meeting."""
    titles = tuple(t or s for s, t in store.session_weeks(group_id))
    return Shown(store.schedule(group_id), titles)


def plan_choices(ws: Workspace, store: Store, group_id: int, week: int) -> PlanChoices:
    """The plans a week may hold instead of its current one."""
    library = ws.library
    group = store.group(group_id)
    entry = library.curricula.get(group.curriculum_id)
    current = store.session_weeks(group_id)[week - 1][0]
    spec = next((w for w in entry.model.weeks if w.number == week), None) if entry else None
    alternates = tuple(
        (a, library.sessions[a].model.title)
        for a in (spec.alternates if spec else ())
        if a in library.sessions
    )
    taken = {a for a, _ in alternates}
    others = tuple(
        sorted(
            ((i, e.model.title) for i, e in library.sessions.items() if i not in taken),
            key=lambda pair: pair[1].casefold(),
        )
    )
    return PlanChoices(current, alternates, others)


def use_plan(ws: Workspace, store: Store, group_id: int, week: int, session_id: str) -> PlanUsed:
    """Hold another session plan (an alternate, say) in a week not yet held; the
    facilitators' calendar changes with it (export the invitations again)."""
    plan = ws.library.plan(session_id)
    group = store.group(group_id)
    old_id, old_title = store.use_session(group_id, week, plan.id, plan.title)
    entry = ws.library.curricula.get(group.curriculum_id)
    weeks = entry.model.weeks if entry else ()
    alternates = next((w.alternates for w in weeks if w.number == week), ())
    return PlanUsed(
        week, plan.id, plan.title, old_id, old_title, plan.id in alternates or plan.id == old_id
    )


def move(store: Store, group_id: int, week: int, to: datetime) -> Meeting:
    """Move one meeting to another local date and time; the others keep theirs."""
    return store.move_meeting(group_id, week, to).meeting(week)


def cancel(store: Store, group_id: int, week: int, *, drop: bool = False) -> Schedule:
    """Cancel one meeting: it and every later session move one week on, or with ``drop`` its
    session is not held at all and later weeks keep their dates."""
    return store.cancel_meeting(group_id, week, drop=drop)


def skip(store: Store, group_id: int, day: date) -> Schedule:
    """No meeting on ``day`` (like a holiday): the remaining sessions move one week on."""
    return store.skip_date(group_id, day)
