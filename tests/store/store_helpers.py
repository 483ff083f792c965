"""Shared test data for the store tests (obviously invented names only)."""

from __future__ import annotations

from datetime import date, datetime, time

from facilitator.model.group import Group

HOSTILE = [
    "[/]",
    "<img src=x>",
    "😀 Joy",
    "美咲",
    "مريم",
    "x" * 300,
    "[@click=app.quit]",
    "=HYPERLINK(1)",
    "Ξένια",
    "Zoë",
    "\u200fرسالة\u200e",  # bidi marks (not overrides) are ordinary text in right-to-left names
]
"""Names that must be stored and shown literally."""

REFUSED = [
    "\u202eevil",
    "\x1b[31mred",
    "\x1b]0;pwned\x07x",
    "\x9b2J",
    "\x9d0;title\x9c",
    "a\nb",
    "a\rb",
    "a\u2028b",
    "\u2066isolated\u2069",
    "del\x7f",
]
"""Names with control characters, bidi overrides or isolates, or line breaks: refused at input
with a one-line error (SAFETY.md rule 7)."""

WEEKS = [(f"plan-{n}", f"Session {n}") for n in range(1, 9)]


def draft(name: str = "Tuesday group", **changes: object) -> Group:
    """A group to create (id and uid are assigned by the store)."""
    fields: dict[str, object] = dict(
        id=0,
        name=name,
        display_name="Weekly group",
        curriculum_id="example",
        first_date=date(2026, 9, 1),
        start_time=time(18, 30),
        minutes=90,
        timezone="Europe/Berlin",
    )
    fields.update(changes)
    return Group(**fields)  # type: ignore[arg-type]


def fixed_clock() -> datetime:
    """A frozen audit clock."""
    return datetime.fromisoformat("2026-11-22T12:00:00+00:00")
