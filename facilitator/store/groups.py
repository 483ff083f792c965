"""Group and schedule verbs: create, find, cancel; skip, move and cancel meetings."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any

from facilitator.email_address import checked_email
from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.model.group import Facilitator, Group, Meeting, Schedule, SlotKind
from facilitator.scheduling import (
    ChangeKind,
    ScheduleChange,
    SkipDate,
    build_schedule,
    localize,
    week_in_range,
    zone,
)
from facilitator.store.db import Connection, Database
from facilitator.store.retry import retried
from facilitator.text import refuse_controls

_SELECT = (
    "SELECT id, name, display_name, curriculum_id, first_date, start_time, minutes, "
    "timezone, location, is_open, capacity, completion_threshold, holidays, "
    "calendar_uid, calendar_sequence, cancelled FROM groups"
)


def clean(text: str) -> str:
    """User text as stored: NFC, without surrounding blanks."""
    return unicodedata.normalize("NFC", text).strip()


def as_id(ref: str) -> int | None:
    """``ref`` as a row id if it is one: ASCII digits ("²" and "٣" are digits to Python, not
    ids) within SQLite's 64-bit range; otherwise None."""
    if ref.isascii() and ref.isdigit() and len(ref) <= 18:
        return int(ref)
    return None


def plain(text: str, what: str) -> str:
    """Typed text as stored (see :func:`clean`); a control character in it is refused."""
    return refuse_controls(clean(text), what)


class GroupsMixin:
    """Groups and their schedules."""

    db: Database

    @retried
    def create_group(
        self, draft: Group, weeks: Sequence[tuple[str, str]], skips: Sequence[SkipDate] = ()
    ) -> Group:
        """Store a new group; ``weeks`` are (session id, title) per curriculum week.

        ``draft.id``, ``calendar_uid`` and ``calendar_sequence`` are ignored: the store assigns
        an id and a fresh uuid4 that is never regenerated. The schedule is checked first, so a
        start time that does not exist on some date is refused before anything is saved.
        """
        name = plain(draft.name, "the group's name")
        plain(draft.display_name, "the name participants see")
        plain(draft.location, "the location")
        for person in draft.facilitators:
            plain(person.name, "a facilitator's name")
            plain(person.email, "a facilitator's e-mail")
        if not name:
            raise FacilitatorError("a group needs a name")
        if not weeks:
            raise FacilitatorError("a group needs at least one week")
        build_schedule(
            0,
            first_date=draft.first_date,
            start_time=draft.start_time,
            minutes=draft.minutes,
            timezone=draft.timezone,
            session_ids=[s for s, _ in weeks],
            skips=skips,
        )
        with self.db.write() as conn:
            if conn.execute("SELECT 1 FROM groups WHERE name = ?", (name,)).fetchone():
                raise FacilitatorError(f"a group named '{name}' already exists")
            group_id = _insert_group(conn, draft, name)
            conn.executemany(
                "INSERT INTO facilitators (group_id, position, name, email) VALUES (?, ?, ?, ?)",
                [
                    (group_id, i, clean(f.name), checked_email(f.email))
                    for i, f in enumerate(draft.facilitators)
                ],
            )
            conn.executemany(
                "INSERT INTO group_weeks (group_id, week, session_id, title) VALUES (?, ?, ?, ?)",
                [(group_id, i, s, t) for i, (s, t) in enumerate(weeks, 1)],
            )
            conn.executemany(
                "INSERT INTO skips (group_id, day, reason, cancelled) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(group_id, s.day.isoformat(), s.reason, int(s.cancelled)) for s in skips],
            )
        return self.group(group_id)

    @retried
    def update_group(self, edited: Group) -> Group:
        """Save a group's editable settings from ``edited`` (same id): names, location, start
        time, facilitators, capacity, open or closed.

        The curriculum, first date and time zone stay as created. A change participants'
        calendars show (time, location, shown name, facilitators) bumps the SEQUENCE.
        """
        name = clean(edited.name)
        if not name:
            raise FacilitatorError("a group needs a name")
        with self.db.write() as conn:
            row = conn.execute(_SELECT + " WHERE id = ?", (edited.id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no group with id {edited.id}")
            before = _group(conn, row)
            if conn.execute(
                "SELECT 1 FROM groups WHERE name = ? AND id <> ?", (name, edited.id)
            ).fetchone():
                raise FacilitatorError(f"a group named '{name}' already exists")
            members = conn.execute(
                "SELECT count(*) FROM participants WHERE group_id = ? AND left_on IS NULL",
                (edited.id,),
            ).fetchone()[0]
            if edited.capacity is not None and edited.capacity < members:
                raise FacilitatorError(
                    f"capacity {edited.capacity} is below the {members} current members"
                )
            conn.execute(
                "UPDATE groups SET name = ?, display_name = ?, location = ?, start_time = ?, "
                "is_open = ?, capacity = ? WHERE id = ?",
                (
                    name,
                    clean(edited.display_name) or "Weekly group",
                    clean(edited.location),
                    edited.start_time.strftime("%H:%M"),
                    int(edited.is_open),
                    edited.capacity,
                    edited.id,
                ),
            )
            people = [
                (clean(f.name), f.email.strip()) for f in edited.facilitators if f.name.strip()
            ]
            if people != [(f.name, f.email) for f in before.facilitators]:
                conn.execute("DELETE FROM facilitators WHERE group_id = ?", (edited.id,))
                conn.executemany(
                    "INSERT INTO facilitators (group_id, position, name, email) "
                    "VALUES (?, ?, ?, ?)",
                    [(edited.id, i, n, e) for i, (n, e) in enumerate(people)],
                )
            _schedule(conn, edited.id)  # a start time that does not exist on a date: refused
            after = _group(conn, conn.execute(_SELECT + " WHERE id = ?", (edited.id,)).fetchone())
            shown = ("display_name", "location", "start_time", "facilitators")
            if any(getattr(before, f) != getattr(after, f) for f in shown):
                _bump(conn, edited.id)
        return self.group(edited.id)

    def groups(self) -> list[Group]:
        """Every group, in creation order."""
        with self.db.read() as conn:
            rows = conn.execute(_SELECT + " ORDER BY id").fetchall()
            return [_group(conn, row) for row in rows]

    def group(self, group_id: int) -> Group:
        """The group with this id (NotFoundError otherwise)."""
        with self.db.read() as conn:
            row = conn.execute(_SELECT + " WHERE id = ?", (group_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no group with id {group_id}")
            return _group(conn, row)

    def find_group(self, ref: str) -> Group:
        """A group by exact name, else by id; NotFoundError naming the groups there are."""
        ref = clean(ref)
        with self.db.read() as conn:
            row = conn.execute(_SELECT + " WHERE name = ?", (ref,)).fetchone()
            if row is None and (ident := as_id(ref)) is not None:
                row = conn.execute(_SELECT + " WHERE id = ?", (ident,)).fetchone()
            if row is not None:
                return _group(conn, row)
            names = [n for (n,) in conn.execute("SELECT name FROM groups ORDER BY id LIMIT 10")]
        known = ", ".join(f"'{n}'" for n in names) or "none yet; create one with 'group create'"
        raise NotFoundError(f"no group '{ref}' (groups: {known})")

    @retried
    def cancel_group(self, group_id: int) -> Group:
        """Cancel the whole group (its invitations become cancellations)."""
        with self.db.write() as conn:
            _bump(conn, group_id, cancel=True)
        return self.group(group_id)

    def session_weeks(self, group_id: int) -> list[tuple[str, str]]:
        """(session id, title) of each curriculum week, as stored when the group was created."""
        with self.db.read() as conn:
            return [
                (s, t)
                for s, t in conn.execute(
                    "SELECT session_id, title FROM group_weeks WHERE group_id = ? ORDER BY week",
                    (group_id,),
                )
            ]

    def schedule(self, group_id: int) -> Schedule:
        """The group's schedule with every skip and change applied."""
        with self.db.read() as conn:
            return _schedule(conn, group_id)

    @retried
    def use_session(self, group_id: int, week: int, session_id: str, title: str) -> tuple[str, str]:
        """Hold another plan (an alternate, or any plan) in week ``week``; returns the
        (session id, title) it replaces.

        A week already held (its roll taken or its meeting run) keeps its plan: that is the
        group's history. The calendar SEQUENCE is bumped (the facilitators' invitations list
        each week's session).
        """
        with self.db.write() as conn:
            schedule = _schedule(conn, group_id)
            week_in_range(week, len(schedule.meetings))
            held = [
                what
                for what, table in (("its roll was taken", "rolls"), ("it was run", "meeting_runs"))
                if conn.execute(
                    f"SELECT 1 FROM {table} WHERE group_id = ? AND week = ?",  # noqa: S608
                    (group_id, week),
                ).fetchone()
            ]
            if held:
                raise FacilitatorError(
                    f"week {week} was held ({' and '.join(held)}): its plan stays as it was"
                )
            old = conn.execute(
                "SELECT session_id, title FROM group_weeks WHERE group_id = ? AND week = ?",
                (group_id, week),
            ).fetchone()
            conn.execute(
                "UPDATE group_weeks SET session_id = ?, title = ? WHERE group_id = ? AND week = ?",
                (session_id, clean(title), group_id, week),
            )
            _bump(conn, group_id)
            return str(old[0]), str(old[1])

    @retried
    def skip_date(self, group_id: int, day: date, reason: str = "skipped") -> Schedule:
        """No meeting on ``day``: the remaining sessions move one week on."""
        with self.db.write() as conn:
            schedule = _schedule(conn, group_id)
            if not any(
                s.start.date() == day and s.kind is not SlotKind.SKIPPED for s in schedule.slots
            ):
                raise FacilitatorError(f"{day} is not a meeting date of this group")
            conn.execute(
                "INSERT INTO skips (group_id, day, reason) VALUES (?, ?, ?)",
                (group_id, day.isoformat(), plain(reason, "the reason") or "skipped"),
            )
            _bump(conn, group_id)
            return _schedule(conn, group_id)

    @retried
    def move_meeting(self, group_id: int, week: int, start: datetime) -> Schedule:
        """Hold week ``week`` at ``start`` (local wall-clock time in the group's zone)."""
        with self.db.write() as conn:
            schedule = _schedule(conn, group_id)
            week_in_range(week, len(schedule.meetings))
            localize(start.replace(tzinfo=None), zone(schedule.timezone))
            _set_change(conn, group_id, ScheduleChange(week, ChangeKind.MOVE, start))
            _bump(conn, group_id)
            return _schedule(conn, group_id)

    @retried
    def cancel_meeting(self, group_id: int, week: int, *, drop: bool = False) -> Schedule:
        """Cancel week ``week``'s meeting: push it and the rest one week on, or drop the session."""
        with self.db.write() as conn:
            meeting = meeting_of(conn, group_id, week)
            if meeting.cancelled:
                raise FacilitatorError(f"week {week} is already cancelled")
            if drop:
                _set_change(conn, group_id, ScheduleChange(week, ChangeKind.DROP))
            else:
                conn.execute(
                    "DELETE FROM changes WHERE group_id = ? AND week = ?", (group_id, week)
                )
                conn.execute(
                    "INSERT INTO skips (group_id, day, reason, cancelled) "
                    "VALUES (?, ?, 'cancelled', 1)",
                    (group_id, meeting.slot_start.date().isoformat()),
                )
            _bump(conn, group_id)
            return _schedule(conn, group_id)


def _insert_group(conn: Connection, draft: Group, name: str) -> int:
    cursor = conn.execute(
        "INSERT INTO groups (name, display_name, curriculum_id, first_date, start_time, minutes,"
        " timezone, location, is_open, capacity, completion_threshold, holidays, calendar_uid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            name,
            clean(draft.display_name) or "Weekly group",
            draft.curriculum_id,
            draft.first_date.isoformat(),
            draft.start_time.strftime("%H:%M"),
            draft.minutes,
            draft.timezone,
            clean(draft.location),
            int(draft.is_open),
            draft.capacity,
            draft.completion_threshold,
            draft.holidays,
            str(uuid.uuid4()),
        ),
    )
    return int(cursor.fetchone()[0])


def _group(conn: Connection, row: tuple[Any, ...]) -> Group:
    (
        gid,
        name,
        display,
        curriculum,
        first,
        start,
        minutes,
        tz,
        location,
        is_open,
        capacity,
        threshold,
        holidays,
        uid,
        sequence,
        cancelled,
    ) = row
    facilitators = tuple(
        Facilitator(n, e)
        for n, e in conn.execute(
            "SELECT name, email FROM facilitators WHERE group_id = ? ORDER BY position", (gid,)
        )
    )
    return Group(
        id=gid,
        name=name,
        display_name=display,
        curriculum_id=curriculum,
        first_date=date.fromisoformat(first),
        start_time=time.fromisoformat(start),
        minutes=minutes,
        timezone=tz,
        location=location,
        facilitators=facilitators,
        is_open=bool(is_open),
        capacity=capacity,
        completion_threshold=threshold,
        holidays=holidays,
        calendar_uid=uid,
        calendar_sequence=sequence,
        cancelled=bool(cancelled),
    )


_SCHEDULE_PARTS = (
    "SELECT 0, first_date, start_time, timezone, minutes FROM groups WHERE id = ? "
    "UNION ALL SELECT 1, session_id, NULL, NULL, week FROM group_weeks WHERE group_id = ? "
    "UNION ALL SELECT 2, day, reason, NULL, cancelled FROM skips WHERE group_id = ? "
    "UNION ALL SELECT 3, kind, start, NULL, week FROM changes WHERE group_id = ? "
    "ORDER BY 1, 5, 2"
)
"""Everything a schedule is built from, in one statement (one wait for the server, which a
clinic's busy PostgreSQL makes count): the group's row (part 0), its weeks' sessions in order
(1), skipped dates (2) and moved or dropped weeks (3)."""


def _schedule(conn: Connection, group_id: int) -> Schedule:
    parts: tuple[list[Any], ...] = ([], [], [], [])
    for part, a, b, c, n in conn.execute(_SCHEDULE_PARTS, (group_id,) * 4):
        parts[part].append((a, b, c, n))
    head, weeks, skipped, changed = parts
    if not head:
        raise NotFoundError(f"no group with id {group_id}")
    ((first, start, timezone, minutes),) = head
    return build_schedule(
        group_id,
        first_date=date.fromisoformat(first),
        start_time=time.fromisoformat(start),
        minutes=minutes,
        timezone=timezone,
        session_ids=[session for session, _, _, _ in weeks],
        skips=[SkipDate(date.fromisoformat(d), r, bool(c)) for d, r, _, c in skipped],
        changes=[
            ScheduleChange(w, ChangeKind(k), datetime.fromisoformat(s) if s else None)
            for k, s, _, w in changed
        ],
    )


def schedule_of(conn: Connection, group_id: int) -> Schedule:
    """The group's schedule, read inside a transaction another verb already holds."""
    return _schedule(conn, group_id)


def meeting_of(conn: Connection, group_id: int, week: int) -> Meeting:
    schedule = _schedule(conn, group_id)
    week_in_range(week, len(schedule.meetings))
    return schedule.meeting(week)


def _set_change(conn: Connection, group_id: int, change: ScheduleChange) -> None:
    start = (
        change.start.replace(tzinfo=None).isoformat(timespec="minutes") if change.start else None
    )
    conn.execute(
        "INSERT INTO changes (group_id, week, kind, start) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (group_id, week) DO UPDATE SET kind = excluded.kind, "
        "start = excluded.start",
        (group_id, change.week, change.kind.value, start),
    )


def _bump(conn: Connection, group_id: int, *, cancel: bool = False) -> None:
    """Every schedule change bumps the calendar SEQUENCE the invitations use."""
    done = conn.execute(
        "UPDATE groups SET calendar_sequence = calendar_sequence + 1, "
        "cancelled = CASE WHEN ? THEN 1 ELSE cancelled END WHERE id = ?",
        (cancel, group_id),
    )
    if done.rowcount == 0:
        raise NotFoundError(f"no group with id {group_id}")
