"""Note use cases: save a meeting's note (or one about a participant) with its earlier
versions kept, read the notes of a group, and warn when a note about one person names
another."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitator.model.group import Note, NoteVersion, Participant
from facilitator.scheduling import week_in_range

if TYPE_CHECKING:
    from facilitator.store import Store


@dataclass(frozen=True, slots=True)
class Saved:
    """A note just saved."""

    note: Note
    earlier: Note | None
    """The note it replaced (kept as an earlier version when the text changed)."""
    names_others: tuple[Participant, ...] = ()
    """For a note about one person: other members it names."""


@dataclass(frozen=True, slots=True)
class Shown:
    """One note, whom it is about, and its earlier versions (when asked for)."""

    note: Note
    about: str
    """``group``, or the person's sign-in name."""
    earlier: tuple[NoteVersion, ...] = ()


def note(store: Store, group_id: int, week: int, participant_id: int | None = None) -> Note | None:
    """One note (the group's, or about one participant), or ``None``."""
    return store.note(group_id, week, participant_id)


def save(
    store: Store,
    group_id: int,
    week: int,
    text: str,
    *,
    participant_id: int | None = None,
    expected_version: int | None = None,
) -> Saved:
    """Save a meeting's note. ``expected_version`` is the version the editor started from (0
    for a new note): if someone saved since, nothing is overwritten and that is a one-line
    error; ``None`` saves over whatever is there (the earlier text is kept as a version)."""
    current = store.note(group_id, week, participant_id)
    if expected_version is None:
        expected_version = current.version if current else 0
    saved = store.save_note(
        group_id, week, text, participant_id=participant_id, expected_version=expected_version
    )
    others: tuple[Participant, ...] = ()
    if participant_id is not None:
        others = tuple(mentioned(store, group_id, text, participant_id))
    return Saved(saved, current, others)


def mentioned(store: Store, group_id: int, text: str, about: int | None) -> list[Participant]:
    """Members other than ``about`` whose preferred name appears in ``text`` (a note about
    one person should be about that person only)."""
    from facilitator.store import mentioned_members

    return mentioned_members(text, store.participants(group_id), about)


def history(
    store: Store, group_id: int, week: int | None = None, participant_id: int | None = None
) -> list[NoteVersion]:
    """Earlier versions of the group's notes (of one week; of one note)."""
    return store.note_history(group_id, week, participant_id)


def listing(
    store: Store, group_id: int, *, week: int | None = None, with_history: bool = False
) -> list[Shown]:
    """The notes of a group (of one week): group notes first, then per participant, by week;
    with their earlier versions when asked."""
    if week is not None:
        week_in_range(week, len(store.schedule(group_id).meetings))
    names = {p.id: p.sign_in_name for p in store.participants(group_id)}
    earlier = store.note_history(group_id) if with_history else []
    shown = [n for n in store.notes(group_id) if week is None or n.week == week]
    return [
        Shown(
            n,
            "group" if n.participant_id is None else names.get(n.participant_id, ""),
            tuple(o for o in earlier if (o.week, o.participant_id) == (n.week, n.participant_id)),
        )
        for n in shown
    ]
