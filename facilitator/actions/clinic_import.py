"""Moving in: copy an embedded (SQLite) database into the clinic's PostgreSQL database.

Everything about its groups is copied in one transaction (all of it, or nothing): the groups,
their facilitators' names, weeks, skip dates and schedule changes, the roster, rolls and marks,
notes and their history, the live runner's records, and the audit rows about them. Rows get new
ids on the server; participants keep their opaque file ids (printed sheets stay valid). The
importing login facilitates every imported group (the server's creation trigger says so).

Imported audit rows keep their story but not their authority: ``actor``, ``login`` and ``at``
are the server's (the importer, now), and ``origin`` holds what the file said (its actor and
time, its ids), so ``audit`` shows them as "ada (imported by bob)". Rows about no group (the
file's keyed and backup rows) stay in the file. The output ledger (files written on that
laptop) stays in the file too: those files are on that laptop.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.actions.clinic import require_server_store
from facilitator.errors import FacilitatorError
from facilitator.store import Store
from facilitator.store.retry import retried

TABLES = (
    "groups",
    "facilitators",
    "group_weeks",
    "skips",
    "changes",
    "participants",
    "rolls",
    "marks",
    "group_notes",
    "participant_notes",
    "note_history",
    "meeting_runs",
)
"""What is copied, parents first."""
REFERENCES = {"group_id": "groups", "participant_id": "participants"}


@dataclass
class ImportResult:
    groups: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped_audit: int = 0


@contextlib.contextmanager
def _embedded(file: Path) -> Iterator[Any]:
    """The file's data, read from a private copy migrated to this version's schema (the file
    itself is never written), as the SQLite store's database object."""
    from facilitator.store.db import Database
    from facilitator.store.migrations import migrate

    if not file.is_file():
        raise FacilitatorError(f"{file}: no such file")
    with tempfile.TemporaryDirectory(prefix="facilitator-import-") as folder:
        copy = Path(folder) / "facilitator.sqlite3"
        try:
            source = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
            try:
                with sqlite3.connect(copy) as target:
                    source.backup(target)
                target.close()
            finally:
                source.close()
        except sqlite3.Error:
            raise FacilitatorError(
                f"{file} is not a facilitator database, or is an encrypted one (clinic import "
                "reads unencrypted files only); nothing was imported"
            ) from None
        try:
            db = Database(copy, actor="import")
        except FacilitatorError as exc:
            raise _about(exc, copy, file) from None
        try:
            try:
                migrate(db)
            except FacilitatorError as exc:
                raise _about(exc, copy, file) from None
            yield db
        finally:
            db.close()


def _about(exc: FacilitatorError, copy: Path, file: Path) -> FacilitatorError:
    """``exc`` about the private copy, told about the file the user named."""
    message = exc.message.replace(str(copy), str(file))
    return FacilitatorError(f"{message}; nothing was imported")


def _columns_sqlite(conn: Any, table: str) -> list[str]:
    return [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]


def import_file(store: Store, file: Path) -> ImportResult:
    """Copy every group of the embedded database ``file`` into ``store`` (PostgreSQL)."""
    require_server_store(store, "clinic import")
    result = ImportResult()
    with _embedded(file) as source:
        with source.read() as conn:
            data = {
                t: (
                    _columns_sqlite(conn, t),
                    conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall(),  # noqa: S608
                )
                for t in TABLES
            }
            group_ids = [row[0] for row in data["groups"][1]]
            audit_rows: dict[int, list[tuple[Any, ...]]] = {}
            for gid in group_ids:
                query, args = source.audit_query(10**9, gid)
                audit_rows[gid] = list(reversed(conn.execute(query, args).fetchall()))
            (total_audit,) = conn.execute("SELECT count(*) FROM audit").fetchone()
        if not group_ids:
            raise FacilitatorError(f"{file} holds no group; nothing was imported")
        _copy(store, file, data, audit_rows, result)
    result.skipped_audit = int(total_audit) - result.counts.get("audit rows", 0)
    return result


@retried
def _copy(
    store: Store,
    file: Path,
    data: dict[str, tuple[list[str], list[Any]]],
    audit_rows: dict[int, list[tuple[Any, ...]]],
    result: ImportResult,
) -> None:
    import psycopg

    ids: dict[str, dict[int, int]] = {t: {} for t in TABLES}
    with store.db.write() as conn:
        server_columns: dict[str, set[str]] = {}
        for table, name in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        ):
            server_columns.setdefault(str(table), set()).add(str(name))
        for table in TABLES:
            columns, rows = data[table]
            keep = [c for c in columns if c != "id" and c in server_columns.get(table, set())]
            statement = (
                f"INSERT INTO {table} ({', '.join(keep)}) "  # noqa: S608 - our own names
                f"VALUES ({', '.join('?' for _ in keep)}) RETURNING id"
            )
            for row in rows:
                record = dict(zip(columns, row, strict=True))
                values = [
                    ids[REFERENCES[c]].get(record[c])
                    if c in REFERENCES and record[c] is not None
                    else record[c]
                    for c in keep
                ]
                try:
                    (new_id,) = conn.execute(statement, values).fetchone()
                except psycopg.errors.UniqueViolation as exc:
                    raise _already_there(exc, table, record, file) from None
                ids[table][record["id"]] = int(new_id)
            result.counts[table] = len(rows)
        result.groups = [
            str(dict(zip(data["groups"][0], r, strict=True))["name"]) for r in data["groups"][1]
        ]
        imported = 0
        for old_gid, rows in audit_rows.items():
            for audit_id, at, actor, tbl, row_id, participant_id, action, changes in rows:
                conn.execute(
                    "INSERT INTO audit (tbl, row_id, group_id, participant_id, action, changes, "
                    "origin) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        tbl,
                        ids.get(tbl, {}).get(row_id),
                        ids["groups"][old_gid],
                        ids["participants"].get(participant_id),
                        action,
                        _json(changes),
                        json.dumps(
                            {
                                "imported_from": file.name,
                                "id": audit_id,
                                "actor": actor,
                                "at": at,
                                "row_id": row_id,
                                "participant_id": participant_id,
                            }
                        ),
                    ),
                )
                imported += 1
        result.counts["audit rows"] = imported


def _json(text: Any) -> str:
    try:
        json.loads(text)
    except (TypeError, ValueError):
        return json.dumps(text)
    return str(text)


def _already_there(exc: Any, table: str, record: dict[str, Any], file: Path) -> FacilitatorError:
    constraint = getattr(getattr(exc, "diag", None), "constraint_name", "") or ""
    if table == "groups" and "calendar_uid" in constraint:
        return FacilitatorError(
            f"group '{record['name']}' of {file} is already in the clinic database (imported "
            "before); nothing was imported"
        )
    if table == "groups":
        return FacilitatorError(
            f"a group named '{record['name']}' is already in the clinic database: rename one "
            "of them first; nothing was imported"
        )
    return FacilitatorError(
        f"a row of {table} from {file} is already in the clinic database (imported before?); "
        "nothing was imported"
    )
