"""The output ledger: every file the tool wrote, where, what it is and whom it names.

Erase reads it to find every file that names a person, wherever ``--out`` put it. Paths are
stored absolute; the audit log records that a file was written, never its path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from facilitator.model.outputs import Output, OutputKind
from facilitator.store.db import Connection, Database
from facilitator.store.retry import retried


def ledger_path(path: Path) -> str:
    """How a path is kept in the ledger: absolute, with symbolic links and ``..`` resolved."""
    return str(path.expanduser().resolve())


class OutputsMixin:
    """Record written files; list them by participant or group; forget deleted ones."""

    db: Database

    def record_outputs(self, outputs: Sequence[Output]) -> None:
        """Remember these files in one transaction (a path written again replaces its entry)."""
        record(self.db, outputs)

    def outputs(
        self, *, participant_id: int | None = None, group_id: int | None = None
    ) -> list[Output]:
        """Recorded files (all, those naming one participant, or those of one group)."""
        return listed(self.db, participant_id=participant_id, group_id=group_id)

    @retried
    def forget_outputs(self, paths: Iterable[Path]) -> None:
        """Drop the ledger entries of files that no longer exist (one transaction)."""
        keys = [(ledger_path(p),) for p in paths]
        if not keys:
            return
        with self.db.write() as conn:
            conn.executemany("DELETE FROM outputs WHERE path = ?", keys)


@retried
def record(db: Database, outputs: Sequence[Output]) -> None:
    """Record ``outputs`` in one transaction (participants no longer in the database are left
    out: a restored backup may predate someone)."""
    if not outputs:
        return
    now = db.clock().astimezone(UTC).isoformat(timespec="seconds")
    with db.write() as conn:
        known = {pid for (pid,) in conn.execute("SELECT id FROM participants")}
        for output in outputs:
            _record(conn, output, now, known)


def listed(
    db: Database, *, participant_id: int | None = None, group_id: int | None = None
) -> list[Output]:
    """Recorded files (all, those naming one participant, or those of one group)."""
    query = "SELECT id, path, kind, group_id, written_at FROM outputs"
    args: list[object] = []
    if participant_id is not None:
        query += " WHERE id IN (SELECT output_id FROM output_people WHERE participant_id = ?)"
        args.append(participant_id)
    elif group_id is not None:
        query += " WHERE group_id = ?"
        args.append(group_id)
    with db.read() as conn:
        rows = conn.execute(query + " ORDER BY id", args).fetchall()
        people: dict[int, list[int]] = {}
        for output_id, pid in conn.execute(
            "SELECT output_id, participant_id FROM output_people ORDER BY participant_id"
        ):
            people.setdefault(output_id, []).append(pid)
    return [
        Output(Path(path), OutputKind(kind), gid, tuple(people.get(oid, ())), _when(at))
        for oid, path, kind, gid, at in rows
    ]


def everyone(db: Database) -> tuple[int, ...]:
    """Every participant in the database (whom a backup of it names)."""
    with db.read() as conn:
        return tuple(pid for (pid,) in conn.execute("SELECT id FROM participants ORDER BY id"))


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _record(conn: Connection, output: Output, now: str, known: set[int]) -> None:
    path = ledger_path(output.path)
    at = (
        output.written_at.astimezone(UTC).isoformat(timespec="seconds")
        if output.written_at
        else now
    )
    conn.execute(
        "INSERT INTO outputs (path, kind, group_id, written_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, group_id = excluded.group_id, "
        "written_at = excluded.written_at",
        (path, output.kind.value, output.group_id, at),
    )
    (output_id,) = conn.execute("SELECT id FROM outputs WHERE path = ?", (path,)).fetchone()
    before = {
        pid
        for (pid,) in conn.execute(
            "SELECT participant_id FROM output_people WHERE output_id = ?", (output_id,)
        )
    }
    now_named = set(output.participant_ids) & known
    conn.executemany(
        "DELETE FROM output_people WHERE output_id = ? AND participant_id = ?",
        [(output_id, pid) for pid in sorted(before - now_named)],
    )
    conn.executemany(
        "INSERT INTO output_people (output_id, participant_id) VALUES (?, ?)",
        [(output_id, pid) for pid in sorted(now_named - before)],
    )
