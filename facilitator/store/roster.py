"""Roster verbs: enrol, find, leave and erase participants."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from facilitator.email_address import checked_email
from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.model.group import Participant, has_visible
from facilitator.store.db import Connection, Database
from facilitator.store.groups import as_id, clean, plain
from facilitator.store.retry import retried

SELECT_PARTICIPANTS = (
    "SELECT id, group_id, preferred_name, last_initial, email, joined, "
    "left_on, large_print, opaque_id FROM participants"
)


class RosterMixin:
    """Participants of a group."""

    db: Database

    @retried
    def enrol(
        self,
        group_id: int,
        preferred_name: str,
        *,
        last_initial: str = "",
        email: str = "",
        joined: date | None = None,
        large_print: bool = False,
    ) -> Participant:
        """Add a person to a group (names in any script, stored NFC)."""
        name = plain(preferred_name, "the name")
        if not has_visible(name):
            raise FacilitatorError("a participant needs a preferred name (visible characters)")
        initial = plain(last_initial, "the initial").rstrip(".")
        address = checked_email(plain(email, "the e-mail address"))
        with self.db.write() as conn:
            _check_capacity(conn, group_id, joined)
            cursor = conn.execute(
                "INSERT INTO participants (group_id, preferred_name, last_initial, email, joined,"
                " large_print, opaque_id) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    group_id,
                    name,
                    initial,
                    address,
                    joined.isoformat() if joined else None,
                    int(large_print),
                    secrets.token_hex(4),
                ),
            )
            return _fetch(conn, int(cursor.fetchone()[0]))

    def participants(self, group_id: int) -> list[Participant]:
        """Everyone who has been in the group (including those who left), by id."""
        with self.db.read() as conn:
            return [
                participant_from_row(r)
                for r in conn.execute(
                    SELECT_PARTICIPANTS + " WHERE group_id = ? ORDER BY id", (group_id,)
                )
            ]

    def participant(self, participant_id: int) -> Participant:
        """The participant with this id."""
        with self.db.read() as conn:
            return _fetch(conn, participant_id)

    def find_participant(self, group_id: int, ref: str) -> Participant:
        """A participant of the group by id, preferred name or sign-in name ("Ada L.").

        Several matches are an error listing the candidates with their ids.
        """
        wanted = clean(ref).casefold()
        people = self.participants(group_id)
        if (ident := as_id(wanted)) is not None:
            for person in people:
                if person.id == ident:
                    return person
        matches = [
            p
            for p in people
            if wanted
            in (
                p.preferred_name.casefold(),
                p.sign_in_name.casefold(),
                p.sign_in_name.rstrip(".").casefold(),
            )
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFoundError(f"no participant '{clean(ref)}' in this group")
        choices = ", ".join(f"{p.id} ({p.sign_in_name})" for p in matches)
        raise FacilitatorError(f"'{clean(ref)}' is ambiguous: {choices}; use the id")

    @retried
    def leave(self, participant_id: int, on: date) -> Participant:
        """End a membership on ``on`` (from that day the person is no longer expected)."""
        with self.db.write() as conn:
            person = _fetch(conn, participant_id)
            if person.joined and on < person.joined:
                raise FacilitatorError(f"{on} is before the join date {person.joined}")
            conn.execute(
                "UPDATE participants SET left_on = ? WHERE id = ?", (on.isoformat(), participant_id)
            )
            return _fetch(conn, participant_id)

    @retried
    def update_participant(
        self,
        participant_id: int,
        *,
        preferred_name: str | None = None,
        last_initial: str | None = None,
        email: str | None = None,
        large_print: bool | None = None,
    ) -> Participant:
        """Change a person's name, initial, e-mail or large-print flag (None: unchanged)."""
        with self.db.write() as conn:
            person = _fetch(conn, participant_id)
            name = (
                person.preferred_name
                if preferred_name is None
                else plain(preferred_name, "the name")
            )
            if not has_visible(name):
                raise FacilitatorError("a participant needs a preferred name (visible characters)")
            initial = (
                person.last_initial
                if last_initial is None
                else plain(last_initial, "the initial").rstrip(".")
            )
            conn.execute(
                "UPDATE participants SET preferred_name = ?, last_initial = ?, email = ?, "
                "large_print = ? WHERE id = ?",
                (
                    name,
                    initial,
                    person.email
                    if email is None
                    else checked_email(plain(email, "the e-mail address")),
                    int(person.large_print if large_print is None else large_print),
                    participant_id,
                ),
            )
            return _fetch(conn, participant_id)

    @retried
    def erase_participant(self, participant_id: int) -> bool:
        """Remove a person entirely: row, attendance and notes, then checkpoint the WAL.

        With ``secure_delete`` the freed bytes are zeroed, and the TRUNCATE checkpoint empties
        the WAL, so the name is gone from both files. The audit log never held it. Returns
        False when another reader kept the WAL from being truncated (it will be later).
        """
        with self.db.write() as conn:
            _fetch(conn, participant_id)
            conn.execute("DELETE FROM participants WHERE id = ?", (participant_id,))
        return self.db.checkpoint()


def _check_capacity(conn: Connection, group_id: int, joined: date | None) -> None:
    row = conn.execute("SELECT capacity FROM groups WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no group with id {group_id}")
    if row[0] is None:
        return
    day = (joined or date.min).isoformat()
    (members,) = conn.execute(
        "SELECT count(*) FROM participants WHERE group_id = ? AND (left_on IS NULL OR left_on > ?)",
        (group_id, day),
    ).fetchone()
    if members >= row[0]:
        raise FacilitatorError(f"the group is full (capacity {row[0]})")


def _fetch(conn: Connection, participant_id: int) -> Participant:
    row = conn.execute(SELECT_PARTICIPANTS + " WHERE id = ?", (participant_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no participant with id {participant_id}")
    return participant_from_row(row)


def participant_from_row(row: tuple[Any, ...]) -> Participant:
    pid, gid, name, initial, email, joined, left, large, opaque = row
    return Participant(
        id=pid,
        group_id=gid,
        preferred_name=name,
        last_initial=initial,
        email=email,
        joined=date.fromisoformat(joined) if joined else None,
        left=date.fromisoformat(left) if left else None,
        large_print=bool(large),
        opaque_id=opaque,
    )
