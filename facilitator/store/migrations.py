"""Numbered schema migrations (``PRAGMA user_version``) and the audit triggers.

Migrations only ever get appended: migration *n* takes a database from version *n-1* to *n*.
The trigger SQL is generated from the frozen column lists below; change a table only through a
new migration that also recreates its triggers.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from facilitator.errors import FacilitatorError
from facilitator.store import chain
from facilitator.store.db import APPLICATION_ID, Database

Step = Callable[[Database, sqlite3.Connection], None]
"""A migration step in Python: rows only (the schema is always plain SQL statements)."""


@dataclass(frozen=True)
class Audited:
    """How the audit triggers of one table record a row."""

    table: str
    plain: tuple[str, ...]
    """Columns whose values go into the audit log."""
    private: tuple[str, ...] = ()
    """Columns recorded only as '(private)' / '(changed)': names, emails and note text never
    enter the audit log, so erasing a person needs no rewrite of it."""
    participant: str = "NULL"
    """Column naming the participant the row is about (``id`` for participants)."""


AUDITED_V1 = (
    Audited(
        "groups",
        (
            "name",
            "display_name",
            "curriculum_id",
            "first_date",
            "start_time",
            "minutes",
            "timezone",
            "location",
            "is_open",
            "capacity",
            "completion_threshold",
            "holidays",
            "calendar_uid",
            "calendar_sequence",
            "cancelled",
        ),
    ),
    Audited("facilitators", ("group_id", "position", "name", "email")),
    Audited("group_weeks", ("group_id", "week", "session_id", "title")),
    Audited("skips", ("group_id", "day", "reason", "cancelled")),
    Audited("changes", ("group_id", "week", "kind", "start")),
    Audited(
        "participants",
        ("group_id", "joined", "left_on", "large_print", "opaque_id"),
        ("preferred_name", "last_initial", "email"),
        "id",
    ),
    Audited("rolls", ("group_id", "week")),
    Audited("marks", ("group_id", "week", "participant_id", "status"), (), "participant_id"),
    Audited("group_notes", ("group_id", "week", "version"), ("text",)),
    Audited(
        "participant_notes",
        ("group_id", "week", "participant_id", "version"),
        ("text",),
        "participant_id",
    ),
)

SCHEMA_V1 = [
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, tbl TEXT NOT NULL,
        row_id INTEGER, participant_id INTEGER, action TEXT NOT NULL, changes TEXT NOT NULL,
        prev_hash TEXT, hash TEXT NOT NULL)""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TABLE groups (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
        curriculum_id TEXT NOT NULL, first_date TEXT NOT NULL, start_time TEXT NOT NULL,
        minutes INTEGER NOT NULL CHECK (minutes > 0), timezone TEXT NOT NULL,
        location TEXT NOT NULL DEFAULT '', is_open INTEGER NOT NULL DEFAULT 0,
        capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
        completion_threshold REAL NOT NULL CHECK (completion_threshold BETWEEN 0 AND 1),
        holidays TEXT NOT NULL DEFAULT '', calendar_uid TEXT NOT NULL UNIQUE,
        calendar_sequence INTEGER NOT NULL DEFAULT 0, cancelled INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE facilitators (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        position INTEGER NOT NULL, name TEXT NOT NULL, email TEXT NOT NULL DEFAULT '',
        UNIQUE (group_id, position))""",
    """CREATE TABLE group_weeks (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        week INTEGER NOT NULL CHECK (week >= 1), session_id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '', UNIQUE (group_id, week))""",
    """CREATE TABLE skips (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        day TEXT NOT NULL, reason TEXT NOT NULL, cancelled INTEGER NOT NULL DEFAULT 0,
        UNIQUE (group_id, day))""",
    """CREATE TABLE changes (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        week INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('move', 'drop')), start TEXT,
        UNIQUE (group_id, week))""",
    """CREATE TABLE participants (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        preferred_name TEXT NOT NULL CHECK (preferred_name <> ''),
        last_initial TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '', joined TEXT,
        left_on TEXT, large_print INTEGER NOT NULL DEFAULT 0, opaque_id TEXT NOT NULL UNIQUE)""",
    "CREATE INDEX participants_group ON participants (group_id)",
    """CREATE TABLE rolls (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        week INTEGER NOT NULL, UNIQUE (group_id, week))""",
    """CREATE TABLE marks (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        week INTEGER NOT NULL,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN
            ('present', 'late', 'left-early', 'excused', 'absent')),
        UNIQUE (participant_id, week))""",
    "CREATE INDEX marks_group ON marks (group_id, participant_id, week, status)",
    """CREATE TABLE group_notes (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        week INTEGER NOT NULL, text TEXT NOT NULL, version INTEGER NOT NULL,
        UNIQUE (group_id, week))""",
    """CREATE TABLE participant_notes (
        id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        week INTEGER NOT NULL,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        text TEXT NOT NULL, version INTEGER NOT NULL, UNIQUE (participant_id, week))""",
    "CREATE INDEX participant_notes_group ON participant_notes (group_id, week)",
]


def audit_triggers(spec: Audited) -> list[str]:
    """AFTER INSERT/UPDATE/DELETE triggers appending one hash-chained audit row each."""
    return [
        _trigger(spec, "insert", "NEW", _snapshot(spec, "NEW")),
        _trigger(spec, "update", "NEW", _diff(spec)),
        _trigger(spec, "delete", "OLD", _snapshot(spec, "OLD")),
    ]


def _snapshot(spec: Audited, row: str) -> str:
    pairs = [f"'{c}', {row}.{c}" for c in spec.plain]
    pairs += [f"'{c}', '(private)'" for c in spec.private]
    return f"json_object({', '.join(pairs)})"


def _diff(spec: Audited) -> str:
    expr = "'{}'"
    for c in spec.plain:
        expr = (
            f"json_patch({expr}, CASE WHEN OLD.{c} IS NOT NEW.{c} THEN "
            f"json_object('{c}', json_array(OLD.{c}, NEW.{c})) ELSE '{{}}' END)"
        )
    for c in spec.private:
        expr = (
            f"json_patch({expr}, CASE WHEN OLD.{c} IS NOT NEW.{c} THEN "
            f"json_object('{c}', '(changed)') ELSE '{{}}' END)"
        )
    return expr


def _trigger(spec: Audited, action: str, row: str, changes: str) -> str:
    person = "NULL" if spec.participant == "NULL" else f"{row}.{spec.participant}"
    # rowid, not id: it names the row in every table (for INTEGER PRIMARY KEY id it is id).
    fields = f"a.at, a.actor, '{spec.table}', {row}.rowid, {person}, '{action}', a.changes"
    # Built only from the frozen literals in AUDITED_V1, never from user input.
    return f"""CREATE TRIGGER audit_{spec.table}_{action} AFTER {action.upper()} ON {spec.table}
        BEGIN
          INSERT INTO audit (at, actor, tbl, row_id, participant_id, action, changes,
                             prev_hash, hash)
          SELECT {fields}, a.prev, audit_hash(a.prev, {fields})
          FROM (SELECT audit_now() AS at, audit_actor() AS actor, {changes} AS changes,
                       (SELECT hash FROM audit ORDER BY id DESC LIMIT 1) AS prev) AS a;
        END"""  # noqa: S608


def _v1() -> list[str]:
    return SCHEMA_V1 + [sql for spec in AUDITED_V1 for sql in audit_triggers(spec)]


SCHEMA_V2 = [
    """CREATE TABLE meeting_runs (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        week INTEGER NOT NULL,
        record TEXT NOT NULL,
        finished INTEGER NOT NULL DEFAULT 0,
        saved_at TEXT NOT NULL,
        UNIQUE (group_id, week)
    )""",
]
AUDITED_V2 = (
    # The run's JSON (item timings, quick notes) is private: the log says only that it changed.
    Audited("meeting_runs", ("group_id", "week", "finished", "saved_at"), private=("record",)),
)


def _v2() -> list[str]:
    """Live meeting runs: the runner's state after each transition and the fidelity record."""
    return SCHEMA_V2 + [sql for spec in AUDITED_V2 for sql in audit_triggers(spec)]


SCHEMA_V3 = [
    """CREATE TABLE outputs (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        group_id INTEGER REFERENCES groups (id) ON DELETE SET NULL,
        written_at TEXT NOT NULL
    )""",
    """CREATE TABLE output_people (
        id INTEGER PRIMARY KEY,
        output_id INTEGER NOT NULL REFERENCES outputs (id) ON DELETE CASCADE,
        participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
        UNIQUE (output_id, participant_id)
    )""",
    "CREATE INDEX output_people_participant ON output_people (participant_id)",
]
AUDITED_V3 = (
    # A path is the user's choice (--out) and could spell a name: the log says only that one
    # was written, of which kind, for which group; never where.
    Audited("outputs", ("kind", "group_id", "written_at"), private=("path",)),
    Audited("output_people", ("output_id", "participant_id"), (), "participant_id"),
)


def _v3() -> list[str]:
    """The output ledger: every file the tool wrote, and whom each names (erase reads it)."""
    return SCHEMA_V3 + [sql for spec in AUDITED_V3 for sql in audit_triggers(spec)]


def _start_keyed_chain(db: Database, conn: sqlite3.Connection) -> None:
    """Migration 4's row: from here on every hash is keyed (see :mod:`chain`).

    An encrypted database keeps its key inside (a copy of the file is no use without the
    passphrase anyway); a plain one uses the key file in the user's config folder.
    """
    if db.passphrase:
        key = secrets.token_bytes(chain.KEY_BYTES)
        conn.execute("INSERT INTO audit_key (id, secret) VALUES (1, ?)", (key.hex(),))
        db.audit_key = key
    if db.audit_key is None:
        raise FacilitatorError(f"{db.path}: no audit key ({db.key_file()})")
    changes = {
        "chain": "hmac-sha256",
        "id": uuid.uuid4().hex,
        "key": chain.fingerprint(db.audit_key),
    }
    chain.append_event(conn, db.audit_key, db.now(), db.actor, chain.KEYED_ACTION, changes)


SCHEMA_V4: list[str | Step] = [
    # The audit chain's key, used only when the database is encrypted (else it stays empty:
    # a plain file must not hold the key that checks it).
    """CREATE TABLE audit_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        secret TEXT NOT NULL
    )""",
    """CREATE TRIGGER audit_key_no_update BEFORE UPDATE ON audit_key
        BEGIN SELECT RAISE(ABORT, 'the audit key cannot be changed'); END""",
    """CREATE TRIGGER audit_key_no_delete BEFORE DELETE ON audit_key
        BEGIN SELECT RAISE(ABORT, 'the audit key cannot be changed'); END""",
    _start_keyed_chain,
]


SCHEMA_V5_NOTE_HISTORY = [
    """CREATE TABLE note_history (
        id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        week INTEGER NOT NULL,
        participant_id INTEGER REFERENCES participants (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        replaced_at TEXT NOT NULL
    )""",
    "CREATE INDEX note_history_group ON note_history (group_id, week)",
]
AUDITED_V5_NOTE_HISTORY = (
    Audited(
        "note_history",
        ("group_id", "week", "participant_id", "version", "replaced_at"),
        private=("text",),
        participant="participant_id",
    ),
)


def _v5_note_history() -> list[str]:
    """Earlier versions of every note: a second note for a meeting never silently replaces
    the first (the text stays out of the audit log, as the notes' own does)."""
    return SCHEMA_V5_NOTE_HISTORY + [
        sql for spec in AUDITED_V5_NOTE_HISTORY for sql in audit_triggers(spec)
    ]


MIGRATIONS: Sequence[list[str | Step]] = (
    list(_v1()),
    list(_v2()),
    list(_v3()),
    SCHEMA_V4,
    list(_v5_note_history()),
)
"""Statements of migration 1, 2, ... (index 0 is migration 1)."""


def schema_version(db: Database) -> int:
    """The database's ``user_version``."""
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Bring the database up to the newest schema, each step in its own transaction."""
    check_ours(db.conn, str(db.path))
    latest = len(MIGRATIONS)
    if schema_version(db) > latest:
        raise FacilitatorError(
            f"{db.path} was written by a newer version of facilitator "
            f"(schema {schema_version(db)}, this one knows {latest}); "
            "please upgrade"
        )
    while (version := schema_version(db)) < latest:
        if db.readonly:
            raise FacilitatorError(f"{db.path} needs an upgrade but is open read-only")
        with db.write() as conn:
            if schema_version(db) != version:  # another process migrated meanwhile
                continue
            for statement in MIGRATIONS[version]:
                if isinstance(statement, str):
                    conn.execute(statement)
                else:
                    statement(db, conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
    return latest


SchemaEntry = tuple[str, str, str, str | None]


def schema_of(conn: sqlite3.Connection) -> frozenset[SchemaEntry]:
    """Every table, index, trigger and view in a database: (type, name, table, SQL)."""
    return frozenset(
        (str(kind), str(name), str(table), sql)
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema"
        )
    )


@functools.cache
def expected_schema(version: int) -> frozenset[SchemaEntry]:
    """The schema migrations 1..``version`` make, exactly (built in memory)."""
    with contextlib.closing(sqlite3.connect(":memory:")) as conn:
        for statements in MIGRATIONS[:version]:
            for statement in statements:
                if isinstance(statement, str):
                    conn.execute(statement)
        return schema_of(conn)


def schema_differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """How a database's schema differs from ours at ``version`` (empty: exactly ours)."""
    found, wanted = schema_of(conn), expected_schema(version)
    out = []
    names = {(kind, name) for kind, name, _, _ in wanted}
    for kind, name, _, _ in sorted(found - wanted, key=lambda e: (e[0], e[1])):
        verb = "a changed" if (kind, name) in names else "an extra"
        out.append(f"{verb} {kind} '{name}'")
    have = {(kind, name) for kind, name, _, _ in found}
    out.extend(
        f"no {kind} '{name}'" for kind, name, _, _ in sorted(wanted) if (kind, name) not in have
    )
    return out


def check_ours(conn: sqlite3.Connection, shown: str) -> None:
    """Refuse a database that another program made."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    tables = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise FacilitatorError(f"{shown} is not a facilitator database")
