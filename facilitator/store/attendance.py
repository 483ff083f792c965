"""Attendance and notes verbs: take a roll, report on it, keep versioned notes."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    AttendanceStatus,
    AttendanceSummary,
    Mark,
    Meeting,
    Note,
    NoteVersion,
    Participant,
    ParticipantAttendance,
)
from facilitator.store.db import Connection, Database, batched
from facilitator.store.groups import meeting_of, schedule_of
from facilitator.store.retry import retried
from facilitator.store.roster import SELECT_PARTICIPANTS, participant_from_row


class ConflictError(FacilitatorError):
    """A stale edit: someone saved a newer version since this one was read."""


class AttendanceMixin:
    """Rolls, attendance reports and notes."""

    db: Database

    @retried
    def mark_roll(
        self, group_id: int, week: int, exceptions: Mapping[int, AttendanceStatus] | None = None
    ) -> list[Mark]:
        """Save the roll of one meeting in one transaction: everyone present but the exceptions.

        Only people enrolled on the meeting's date get a mark (someone not yet enrolled, or who
        already left, is never "absent"). Taking a roll again replaces the earlier one.
        """
        exceptions = dict(exceptions or {})
        with self.db.write() as conn:
            meeting = meeting_of(conn, group_id, week)
            if meeting.cancelled:
                raise FacilitatorError(f"week {week} was cancelled; there is no roll to take")
            day = meeting.start.date()
            members = [p for p in _members(conn, group_id) if p.enrolled_on(day)]
            _check_exceptions(exceptions, members, day.isoformat())
            marks = [
                Mark(p.id, week, exceptions.get(p.id, AttendanceStatus.PRESENT)) for p in members
            ]
            _replace_roll(conn, group_id, week, marks)
            return marks

    @retried
    def set_mark(
        self, group_id: int, week: int, participant_id: int, status: AttendanceStatus | None
    ) -> list[Mark]:
        """Change one person's mark in one week and leave everyone else's as it is.

        A week without a roll gets one (everyone present, this person ``status``); ``None``
        takes this person's mark away ("not taken"), and the week's roll goes when its last
        mark does. Returns the week's marks afterwards.
        """
        with self.db.write() as conn:
            meeting = meeting_of(conn, group_id, week)
            if meeting.cancelled:
                raise FacilitatorError(f"week {week} was cancelled; there is no roll to take")
            day = meeting.start.date()
            members = [p for p in _members(conn, group_id) if p.enrolled_on(day)]
            _check_exceptions({participant_id: AttendanceStatus.PRESENT}, members, str(day))
            current = _week_marks(conn, group_id, week)
            if not _has_roll(conn, group_id, week):
                if status is None:
                    return []
                current = {p.id: AttendanceStatus.PRESENT for p in members}
            if status is None:
                current.pop(participant_id, None)
            else:
                current[participant_id] = status
            if not current:
                _delete_roll(conn, group_id, week)
                return []
            marks = [Mark(pid, week, st) for pid, st in sorted(current.items())]
            _replace_roll(conn, group_id, week, marks)
            return marks

    @retried
    def clear_roll(self, group_id: int, week: int) -> int:
        """Take a week's roll away entirely (the meeting counts as not held again).

        Returns how many marks were removed; a week without a roll is an error.
        """
        with self.db.write() as conn:
            meeting_of(conn, group_id, week)
            if not _has_roll(conn, group_id, week):
                raise FacilitatorError(f"week {week} has no roll to clear")
            removed = len(_week_marks(conn, group_id, week))
            _delete_roll(conn, group_id, week)
            return removed

    def marks(self, group_id: int) -> list[Mark]:
        """Every mark of the group, by week then participant."""
        with self.db.read() as conn:
            return [
                Mark(p, w, AttendanceStatus(s))
                for p, w, s in conn.execute(
                    "SELECT participant_id, week, status FROM marks WHERE group_id = ? "
                    "ORDER BY week, participant_id",
                    (group_id,),
                )
            ]

    def held_weeks(self, group_id: int) -> list[int]:
        """The weeks whose roll was taken (the meetings held), in order."""
        with self.db.read() as conn:
            return [
                w
                for (w,) in conn.execute(
                    "SELECT week FROM rolls WHERE group_id = ? ORDER BY week", (group_id,)
                )
            ]

    def summary(self, group_id: int) -> AttendanceSummary:
        """The participant x week matrix with rate, completion and at-risk flags."""
        with self.db.read() as conn:
            (threshold,) = conn.execute(
                "SELECT completion_threshold FROM groups WHERE id = ?", (group_id,)
            ).fetchone() or (0.75,)
            weeks = [
                w
                for (w,) in conn.execute(
                    "SELECT week FROM rolls WHERE group_id = ? ORDER BY week", (group_id,)
                )
            ]
            people = _members(conn, group_id)
            rows = conn.execute(
                "SELECT participant_id, week, status FROM marks "
                "WHERE group_id = ? ORDER BY participant_id, week",
                (group_id,),
            ).fetchall()
            meetings = schedule_of(conn, group_id).meetings
        return summarize(group_id, weeks, people, rows, threshold, meetings)

    @retried
    def save_note(
        self,
        group_id: int,
        week: int,
        text: str,
        *,
        expected_version: int,
        participant_id: int | None = None,
    ) -> Note:
        """Save a group note (or a note about one participant) for one meeting.

        ``expected_version`` is the version the editor started from (0 for a new note); if
        someone saved since, :class:`ConflictError` is raised and nothing is overwritten.
        """
        text = note_text(text)
        with self.db.write() as conn:
            meeting_of(conn, group_id, week)
            current = _note(conn, group_id, week, participant_id)
            found = current.version if current else 0
            if found != expected_version:
                raise ConflictError(
                    f"this note was changed elsewhere (now version {found}, "
                    f"yours started from {expected_version}); reload it, "
                    "then edit again"
                )
            if current is not None and current.text != text:
                _keep_version(conn, current, self.db.clock())
            _write_note(conn, group_id, week, participant_id, text)
            note = _note(conn, group_id, week, participant_id)
            assert note is not None
            return note

    @retried
    def append_note(self, group_id: int, week: int, line: str) -> Note:
        """Add a line to the group note of a meeting (the live runner's quick notes).

        One transaction: the note as it was is kept as an earlier version.
        """
        line = note_text(line)
        with self.db.write() as conn:
            meeting_of(conn, group_id, week)
            current = _note(conn, group_id, week, None)
            text = f"{current.text}\n{line}" if current and current.text else line
            if current is not None:
                _keep_version(conn, current, self.db.clock())
            _write_note(conn, group_id, week, None, text)
            note = _note(conn, group_id, week, None)
            assert note is not None
            return note

    def note_history(
        self, group_id: int, week: int | None = None, participant_id: int | None = None
    ) -> list[NoteVersion]:
        """Earlier versions of the group's notes (of one week; of the group note or one
        person's), oldest first."""
        query = (
            "SELECT week, text, version, replaced_at, participant_id FROM note_history "
            "WHERE group_id = ?"
        )
        args: list[object] = [group_id]
        if week is not None:
            query += " AND week = ? AND participant_id IS NOT DISTINCT FROM ?"
            args += [week, participant_id]
        with self.db.read() as conn:
            return [
                NoteVersion(group_id, w, t, v, datetime.fromisoformat(at), p)
                for w, t, v, at, p in conn.execute(
                    query + " ORDER BY week, participant_id, version", args
                )
            ]

    def note(self, group_id: int, week: int, participant_id: int | None = None) -> Note | None:
        """One note, or None if there is none."""
        with self.db.read() as conn:
            return _note(conn, group_id, week, participant_id)

    def notes(self, group_id: int) -> list[Note]:
        """Every note of the group: group notes first, then per participant, by week."""
        with self.db.read() as conn:
            group = [
                Note(group_id, w, t, v)
                for w, t, v in conn.execute(
                    "SELECT week, text, version FROM group_notes WHERE group_id = ? ORDER BY week",
                    (group_id,),
                )
            ]
            personal = [
                Note(group_id, w, t, v, p)
                for w, t, v, p in conn.execute(
                    "SELECT week, text, version, participant_id FROM participant_notes "
                    "WHERE group_id = ? ORDER BY week, participant_id",
                    (group_id,),
                )
            ]
        return group + personal


def note_text(text: str) -> str:
    """A note as stored: NFC, trimmed. A NUL character is refused (it is no text, and a
    PostgreSQL text column cannot hold it: both engines keep the same notes)."""
    if "\x00" in text:
        raise FacilitatorError("a note cannot contain a NUL character (\\x00); nothing was saved")
    return unicodedata.normalize("NFC", text).strip()


def summarize(
    group_id: int,
    weeks: Sequence[int],
    people: Sequence[Participant],
    rows: Iterable[tuple[int, int, str]],
    threshold: float,
    meetings: Sequence[Meeting] = (),
) -> AttendanceSummary:
    """Build the report from raw marks (participant id, week, status); pure.

    ``meetings`` is the course's schedule: a dropped week never counts as held, and each
    person's completion stays a forecast while a meeting of theirs is still to be held.
    Without it every roll counts and completion is final.
    """
    dropped = tuple(m.week for m in meetings if m.cancelled)
    held = tuple(w for w in weeks if w not in dropped)
    to_come = [m for m in meetings if not m.cancelled and m.week not in held]
    by_person: dict[int, dict[int, AttendanceStatus]] = {p.id: {} for p in people}
    for pid, week, status in rows:
        if week not in dropped:
            by_person[pid][week] = AttendanceStatus(status)
    return AttendanceSummary(
        group_id,
        held,
        tuple(
            _row(
                p,
                by_person[p.id],
                threshold,
                sum(p.enrolled_on(m.start.date()) for m in to_come),
            )
            for p in people
        ),
        planned=len(meetings) - len(dropped) if meetings else len(held),
        dropped=dropped,
    )


def _row(
    person: Participant, marks: dict[int, AttendanceStatus], threshold: float, remaining: int
) -> ParticipantAttendance:
    attended = sum(s.attended for s in marks.values())
    counted = sum(s.counts_in_rate for s in marks.values())
    meets = counted > 0 and attended >= math.ceil(threshold * counted - 1e-9)
    recent = [marks[w] for w in sorted(marks)][-2:]
    at_risk = len(recent) == 2 and all(s is AttendanceStatus.ABSENT for s in recent)
    return ParticipantAttendance(
        person, marks, attended, counted, meets, at_risk, remaining, threshold
    )


def mentioned_members(
    text: str, people: Sequence[Participant], about: int | None = None
) -> list[Participant]:
    """Members other than ``about`` whose preferred name appears (as a word) in ``text``.

    A participant's note should be about that participant only; the CLI warns on a match.
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    return [
        p
        for p in people
        if p.id != about
        and re.search(rf"(?<!\w){re.escape(p.preferred_name.casefold())}(?!\w)", folded)
    ]


def _members(conn: Connection, group_id: int) -> list[Participant]:
    return [
        participant_from_row(r)
        for r in conn.execute(SELECT_PARTICIPANTS + " WHERE group_id = ? ORDER BY id", (group_id,))
    ]


def _check_exceptions(
    exceptions: Mapping[int, AttendanceStatus], members: Sequence[Participant], day: str
) -> None:
    known = {p.id for p in members}
    strangers = sorted(set(exceptions) - known)
    if strangers:
        ids = ", ".join(str(i) for i in strangers)
        raise FacilitatorError(f"not a member of the group on {day}: participant id {ids}")


def _has_roll(conn: Connection, group_id: int, week: int) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM rolls WHERE group_id = ? AND week = ?", (group_id, week)
        ).fetchone()
        is not None
    )


def _week_marks(conn: Connection, group_id: int, week: int) -> dict[int, AttendanceStatus]:
    return {
        pid: AttendanceStatus(status)
        for pid, status in conn.execute(
            "SELECT participant_id, status FROM marks WHERE group_id = ? AND week = ?",
            (group_id, week),
        )
    }


def _delete_roll(conn: Connection, group_id: int, week: int) -> None:
    conn.execute("DELETE FROM marks WHERE group_id = ? AND week = ?", (group_id, week))
    conn.execute("DELETE FROM rolls WHERE group_id = ? AND week = ?", (group_id, week))


def _replace_roll(conn: Connection, group_id: int, week: int, marks: Sequence[Mark]) -> None:
    """The week's roll is ``marks``: three statements, sent together (their answers come with
    the COMMIT)."""
    keep = sorted({m.participant_id for m in marks})
    # the marks of people no longer on the roll go, without reading the week's marks first
    held = f" AND participant_id NOT IN ({', '.join('?' * len(keep))})" if keep else ""
    with batched(conn):
        conn.execute(
            "INSERT INTO rolls (group_id, week) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (group_id, week),
        )
        conn.execute(
            "DELETE FROM marks WHERE group_id = ? AND week = ?" + held,  # noqa: S608 - placeholders only
            (group_id, week, *keep),
        )
        conn.executemany(
            "INSERT INTO marks (group_id, week, participant_id, status) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (participant_id, week) DO UPDATE SET status = excluded.status "
            "WHERE marks.status IS DISTINCT FROM excluded.status",
            [(group_id, m.week, m.participant_id, m.status.value) for m in marks],
        )


def _note(conn: Connection, group_id: int, week: int, participant_id: int | None) -> Note | None:
    row: Any
    if participant_id is None:
        row = conn.execute(
            "SELECT text, version FROM group_notes WHERE group_id = ? AND week = ?",
            (group_id, week),
        ).fetchone()
    else:
        row = conn.execute(
            "SELECT text, version FROM participant_notes WHERE group_id = ? AND "
            "week = ? AND participant_id = ?",
            (group_id, week, participant_id),
        ).fetchone()
    return Note(group_id, week, row[0], row[1], participant_id) if row else None


def _keep_version(conn: Connection, note: Note, now: datetime) -> None:
    conn.execute(
        "INSERT INTO note_history (group_id, week, participant_id, version, text, replaced_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            note.group_id,
            note.week,
            note.participant_id,
            note.version,
            note.text,
            now.astimezone(UTC).isoformat(timespec="seconds"),
        ),
    )


def _write_note(
    conn: Connection, group_id: int, week: int, participant_id: int | None, text: str
) -> None:
    if participant_id is None:
        conn.execute(
            "INSERT INTO group_notes (group_id, week, text, version) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (group_id, week) DO UPDATE SET text = excluded.text, "
            "version = group_notes.version + 1",
            (group_id, week, text),
        )
        return
    row = conn.execute(
        "SELECT group_id FROM participants WHERE id = ?", (participant_id,)
    ).fetchone()
    if row is None or row[0] != group_id:
        raise FacilitatorError(f"participant {participant_id} is not in this group")
    conn.execute(
        "INSERT INTO participant_notes (group_id, week, participant_id, text, version) "
        "VALUES (?, ?, ?, ?, 1) ON CONFLICT (participant_id, week) DO UPDATE SET "
        "text = excluded.text, version = participant_notes.version + 1",
        (group_id, week, participant_id, text),
    )
