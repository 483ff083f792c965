"""Cross-file rules: references resolve, minutes add up, plans close safely, templates render."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from facilitator import templating
from facilitator.content.library import Entry, Library
from facilitator.content.loader import locate, walk
from facilitator.content.yamltree import Scalar
from facilitator.model.content import AgendaKind, Curriculum, Handout, SessionPlan


def check_library(library: Library, *, only_curricula: bool = False) -> None:
    """Add a Problem to ``library.problems`` for every broken cross-file rule."""
    for curriculum in library.curricula.values():
        _check_curriculum(library, curriculum)
    if only_curricula:
        return
    for entry in library.sessions.values():
        _check_plan(library, entry)
    for handout in library.handouts.values():
        _check_handout(library, handout)


def _add(library: Library, entry: Entry[Any], loc: tuple[int | str, ...], message: str) -> None:
    line, key = locate(entry.tree, loc)
    library.problems.add(entry.shown, line, key, message)


def _check_plan(library: Library, entry: Entry[SessionPlan]) -> None:
    plan = entry.model
    seen: set[str] = set()
    for i, item in enumerate(plan.agenda):
        if item.id in seen:
            _add(library, entry, ("agenda", i, "id"), f"agenda item id '{item.id}' is used twice")
        seen.add(item.id)
        if item.sensitive and not item.content_note.strip():
            _add(
                library,
                entry,
                ("agenda", i, "content_note"),
                "a sensitive item needs a content note (what it touches, said beforehand)",
            )
        if item.sensitive and not item.opt_out.strip():
            _add(
                library,
                entry,
                ("agenda", i, "opt_out"),
                "a sensitive item needs an opt-out (what someone can do instead)",
            )
        for j, handout in enumerate(item.handouts):
            if handout not in library.handouts:
                _add(
                    library, entry, ("agenda", i, "handouts", j), f"no handout with id '{handout}'"
                )
    total = sum(item.minutes for item in plan.agenda)
    if total != plan.minutes:
        _add(
            library,
            entry,
            ("minutes",),
            f"agenda items add up to {total} minutes but the plan says {plan.minutes}",
        )
    _check_closing(library, entry)


def _check_closing(library: Library, entry: Entry[SessionPlan]) -> None:
    agenda = entry.model.agenda
    last = max(
        (i for i, item in enumerate(agenda) if item.kind is not AgendaKind.BUFFER),
        default=len(agenda) - 1,
    )
    item = agenda[last]
    if item.kind is not AgendaKind.CLOSING or not item.protected:
        _add(
            library,
            entry,
            ("agenda", last),
            "a plan must end with a protected closing item (kind: closing, protected: true)",
        )


def _check_curriculum(library: Library, entry: Entry[Curriculum]) -> None:
    _check_review_order(library, entry)
    curriculum = entry.model
    for i, week in enumerate(curriculum.weeks):
        if week.number != i + 1:
            _add(
                library,
                entry,
                ("weeks", i, "number"),
                f"weeks must be numbered 1, 2, 3, ... in order; expected {i + 1}",
            )
        for key, ident in [("session", week.session)] + [
            ("alternates", alt) for alt in week.alternates
        ]:
            loc: tuple[int | str, ...] = ("weeks", i, key)
            if key == "alternates":
                loc += (week.alternates.index(ident),)
            plan = library.sessions.get(ident)
            if plan is None:
                _add(library, entry, loc, f"no session plan with id '{ident}'")
            elif plan.model.minutes > curriculum.meeting_minutes:
                _add(
                    library,
                    entry,
                    loc,
                    f"plan '{ident}' takes {plan.model.minutes} minutes but meetings are "
                    f"{curriculum.meeting_minutes}",
                )
    weekly = {week.session for week in curriculum.weeks}
    for i, follow_up in enumerate(curriculum.follow_ups):
        loc = ("follow_ups", i, "session")
        plan = library.sessions.get(follow_up.session)
        if plan is None:
            _add(library, entry, loc, f"no session plan with id '{follow_up.session}'")
        elif follow_up.session in weekly:
            _add(library, entry, loc, f"'{follow_up.session}' is already a week of this course")
        elif plan.model.minutes > curriculum.meeting_minutes:
            _add(
                library,
                entry,
                loc,
                f"plan '{follow_up.session}' takes {plan.model.minutes} minutes but meetings "
                f"are {curriculum.meeting_minutes}",
            )
    _check_reviews(library, entry)


def _unmet_review(
    library: Library, sessions: list[str], start: int
) -> tuple[int, str, str, str] | None:
    """The first review, in weeks ``start`` onwards, of a sheet no earlier week hands out:
    (week index, plan id, item id, handout id)."""
    given: set[str] = set()
    for index, ident in enumerate(sessions):
        plan = library.sessions[ident].model
        if index >= start:
            for item_id, handout in plan.reviewed_handouts():
                if handout not in given:
                    return index, ident, item_id, handout
        given.update(plan.handout_ids())
    return None


def _meeting(index: int, weeks: int) -> str:
    return f"week {index + 1}" if index < weeks else "the follow-up meeting"


def _check_reviews(library: Library, entry: Entry[Curriculum]) -> None:
    """A review item goes back over sheets handed out in an earlier week; so must it still
    when any week's alternate is swapped in (an alternate that drops a sheet breaks it)."""
    weeks = entry.model.weeks
    # follow-up meetings come after the last week: they may review any sheet of the course
    sessions = [week.session for week in weeks] + [f.session for f in entry.model.follow_ups]
    alternates = [alt for week in weeks for alt in week.alternates]
    if any(ident not in library.sessions for ident in sessions + alternates):
        return  # a missing plan is already a problem of its own
    found = _unmet_review(library, sessions, 0)
    if found is not None:
        index, ident, item_id, handout = found
        where = (
            ("weeks", index, "session")
            if index < len(weeks)
            else ("follow_ups", index - len(weeks), "session")
        )
        _add(
            library,
            entry,
            where,
            f"{_meeting(index, len(weeks))}'s plan '{ident}' reviews handout '{handout}' "
            f"(item '{item_id}') that no earlier week hands out",
        )
    for i, week in enumerate(weeks):
        for k, alt in enumerate(week.alternates):
            swapped = [*sessions[:i], alt, *sessions[i + 1 :]]
            found = _unmet_review(library, swapped, i)
            if found is None or found == _unmet_review(library, sessions, i):
                continue
            index, ident, item_id, handout = found
            what = "it" if index == i else f"{_meeting(index, len(weeks))}'s plan '{ident}'"
            _add(
                library,
                entry,
                ("weeks", i, "alternates", k),
                f"with '{alt}' swapped into week {i + 1}, {what} reviews handout "
                f"'{handout}' (item '{item_id}') that no earlier week hands out",
            )


def _check_review_order(library: Library, entry: Entry[Curriculum]) -> None:
    """A review item looks back at a handout: one first handed out in a later week is a
    problem (after a reorder: "week 5 reviews the forgiveness script, first handed out in
    week 6")."""
    first: dict[str, int] = {}
    reviews: list[tuple[int, int, str]] = []  # (week index, week number, handout id)
    for i, week in enumerate(entry.model.weeks):
        plan = library.sessions.get(week.session)
        if plan is None:
            continue
        for item in plan.model.agenda:
            for handout in item.handouts:
                if item.kind is AgendaKind.REVIEW and handout not in first:
                    reviews.append((i, week.number, handout))
                elif item.kind is not AgendaKind.REVIEW:
                    first.setdefault(handout, week.number)
    for i, number, handout in reviews:
        known = library.handouts.get(handout)
        name = f"the {known.model.title}" if known else f"'{handout}'"
        later = first.get(handout)
        # Handed out earlier in the same meeting is fine; never handed out in this course is
        # left alone (a plan shared by two courses may review what only one of them uses).
        if later is None or later <= number:
            continue
        _add(
            library,
            entry,
            ("weeks", i, "session"),
            f"week {number} reviews {name}, first handed out in week {later}",
        )


def _check_handout(library: Library, entry: Entry[Handout]) -> None:
    for loc, text in _texts(entry.model, ()):
        try:
            templating.check(text)
        except templating.TemplateProblem as exc:
            _template_problem(library, entry, loc, exc.message, exc.line)
        except (RecursionError, MemoryError) as exc:  # never let one handout stop the others
            _template_problem(
                library, entry, loc, f"template cannot be checked ({type(exc).__name__})", 0
            )


def _template_problem(
    library: Library, entry: Entry[Handout], loc: tuple[int | str, ...], message: str, at: int
) -> None:
    line, key, node = walk(entry.tree, loc)
    if at and isinstance(node, Scalar):
        # a block scalar's text starts on the line after its "|" or ">"
        block = not node.plain and "\n" in node.text
        line = node.line + at - (0 if block else 1)
    library.problems.add(entry.shown, line, key, message)


def _texts(value: Any, loc: tuple[int | str, ...]) -> Iterator[tuple[tuple[int | str, ...], str]]:
    """Every string inside a model, with its location."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*loc, name))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, (*loc, i))
    elif isinstance(value, str):
        yield loc, value
