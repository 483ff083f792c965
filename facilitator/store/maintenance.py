"""Backup, restore and audit-log verbs."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from facilitator.errors import FacilitatorError
from facilitator.model.outputs import Output, OutputKind
from facilitator.paths import fsync_path, replaceable
from facilitator.store import chain, crypto
from facilitator.store import outputs as ledger
from facilitator.store.db import Database, damaged, explain
from facilitator.store.migrations import MIGRATIONS, check_ours, migrate, schema_differences

TEMP_PREFIX = ".backup-"
STALE_AFTER_S = 3600.0
"""A temporary backup file this old was left by a backup that was killed: sweep it."""


class MaintenanceMixin:
    """Backups, restores and the audit log."""

    db: Database

    def backup(self, target: Path) -> Path:
        """Copy the database to ``target`` (0600) with SQLite's backup API, checked and atomic.

        The copy is written next to ``target``, integrity-checked, fsynced, then renamed over
        it; a failure leaves any earlier file at ``target`` untouched. The copy is recorded in
        the output ledger first (it names everyone in the database), so erase can say which
        backups still hold a name.
        """
        self.db.sqlite_only("backup", target)
        if self.db.owns(target):
            raise FacilitatorError(
                f"{target} is the live database itself; back up to a file elsewhere"
            )
        replaceable(target)
        folder = target.parent
        try:
            fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
            os.fchmod(fd, 0o600)
            os.close(fd)
        except OSError as exc:
            raise FacilitatorError(f"cannot write to {folder}: {exc.strerror}") from None
        try:
            if not self.db.readonly:
                people = ledger.everyone(self.db)
                ledger.record(self.db, [Output(target, OutputKind.BACKUP, None, people)])
            _copy(self.db, Path(tmp))
            fsync_path(Path(tmp))
            Path(tmp).replace(target)
            fsync_path(folder)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            if isinstance(exc, OSError):
                raise FacilitatorError(f"cannot write {target}: {exc.strerror}") from None
            if isinstance(exc, crypto.errors()):  # e.g. the disk filled up during the copy
                raise explain(exc, self.db.path if damaged(exc) else target) from None
            raise
        sweep_stale(folder)
        return target

    def restore(self, source: Path, aside: Path) -> Path:
        """Replace the database with ``source`` after checking it; the current data goes to
        ``aside`` first (a verified backup), so nothing is ever lost. Returns ``aside``.

        ``source`` must be exactly one of our schemas (no extra table, trigger, view or index)
        and its audit chain must check out with this computer's key. The restore itself is
        recorded in the log: which file, and the head of the log it replaced.
        """
        self.db.sqlite_only("restore")
        restored = _check_source(source, self.db)
        with self.db.read() as conn:
            replaced = chain.head(conn)
        self.backup(aside)
        written = ledger.listed(self.db)
        try:
            with contextlib.closing(_open_source(source, self.db)) as src, self.db.lock:
                src.backup(self.db.conn)
        except crypto.errors() as exc:
            raise explain(exc, self.db.path) from None
        with self.db.lock:
            self.db.conn.execute("PRAGMA journal_mode = WAL")
            self.db.audit_key = self.db._load_key()  # an encrypted backup brings its own
        migrate(self.db)
        # The backup's ledger replaced ours: bring back every file recorded since, so erase
        # still finds them (people the backup does not know are left out).
        ledger.record(self.db, written)
        if self.db.audit_key is not None:
            changes = {
                "from": source.name,
                "aside": aside.name,
                "restored_head": restored.id,
                "replaced_head": replaced.id,
                "replaced_hash": replaced.hash,
            }
            with self.db.write() as conn:
                chain.append_event(
                    conn, self.db.audit_key, self.db.now(), self.db.actor, "restore", changes
                )
        self.db.checkpoint()
        self.anchor(force=True)
        return aside

    def anchor(self, *, force: bool = False) -> None:
        """Record the log's head outside the database file (see :mod:`chain`).

        The record only moves forward along the same chain: if the row it names is gone or
        different (an older copy was put in place), it is kept, so ``audit --verify`` goes on
        saying so; ``force`` (after a restore, which the log records) moves it anyway.
        """
        if self.db.readonly or self.db.engine != "sqlite":
            return
        with contextlib.suppress(FacilitatorError, *crypto.errors()):
            with self.db.read() as conn:
                now = chain.head(conn)
                if not now.chain:
                    return
                recorded = chain.read_anchor(self.db.path)
                if not force and recorded and recorded.get("chain") == now.chain:
                    row = conn.execute(
                        "SELECT hash FROM audit WHERE id = ?", (recorded.get("id"),)
                    ).fetchone()
                    if row is None or row[0] != recorded.get("hash"):
                        return
            chain.write_anchor(self.db.path, now, self.db.now())

    def audit_log(self, limit: int = 100, group_id: int | None = None) -> list[dict[str, Any]]:
        """The newest audit rows (who, when, table, row, action, changes), newest first.

        With ``group_id``: only rows about that group's records (its settings, weeks, schedule
        changes, roster, marks, notes and runs), found through the audit's own insert rows, so
        changes to records deleted since (an erased person's marks) are listed too.
        """
        query, args = self.db.audit_query(limit, group_id)
        with self.db.read() as conn:
            cursor = conn.execute(query, args)
            names = [d[0] for d in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor]
        for row in rows:
            row["changes"] = self.db.shown_changes(row["changes"])
        return rows

    def audit_check(self) -> chain.Check:
        """Recompute the keyed hash chain, find gaps in the ids, compare the head with the one
        recorded outside the file on earlier runs, and the schema with exactly ours.

        On PostgreSQL the server guards the log (see PgDatabase.check_audit)."""
        if self.db.engine != "sqlite":
            from facilitator.store.pg.db import PgDatabase

            return cast(PgDatabase, self.db).check_audit()
        with self.db.read() as conn:
            result = chain.check_connection(conn, self.db.audit_key, key_file=self.db.key_file())
            chain.check_anchor(result, self.db.path, conn)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            differences = schema_differences(conn, version)
            if differences:  # e.g. the append-only triggers dropped, a trigger copying names
                result.problems.append(
                    f"the database's schema was changed: {', '.join(differences[:4])}"
                )
        return result

    def verify_audit(self) -> int | None:
        """The id of the first audit row that does not match its hash or link, or None."""
        return self.audit_check().altered


def sweep_stale(folder: Path, max_age_s: float = STALE_AFTER_S) -> list[Path]:
    """Delete temporary backup files (and their -wal/-shm/-journal) that a killed backup left.

    Only files older than ``max_age_s`` go, so a backup running in another process right now
    keeps its temporary file. The real backup is never under such a name.
    """
    now = time.time()
    swept = []
    for path in folder.glob(f"{TEMP_PREFIX}*.part*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > max_age_s:
                path.unlink()
                swept.append(path)
    return swept


def _copy(db: Database, path: Path) -> None:
    with contextlib.closing(db.connect_file(path)) as dest:
        with db.lock:
            db.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
        _mark_backup(db, dest, path)
        result = dest.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":  # the pages were copied as they are: the live database is damaged
        first = next((x for x in result.splitlines() if not x.startswith("***")), result)
        raise FacilitatorError(
            f"{db.path}: the database is damaged (its copy failed the integrity check: "
            f"{first}); restore a backup with 'facilitator restore'"
        )


def _mark_backup(db: Database, dest: sqlite3.Connection, path: Path) -> None:
    """End the copy's log with a keyed row naming the head it copied: restored later, the log
    itself shows where it was cut (and ``restore`` adds what it replaced)."""
    if db.audit_key is None:
        return
    current = chain.head(dest)
    if not current.chain:  # not keyed (cannot happen once migrated)
        return
    chain.append_event(
        dest, db.audit_key, db.now(), db.actor, "backup", {"head": current.id, "copy": path.name}
    )


def _open_source(source: Path, db: Database) -> sqlite3.Connection:
    """A read-only connection to a backup; an encrypted one needs an encrypted database."""
    if crypto.is_encrypted(source) != bool(db.passphrase):
        raise FacilitatorError(
            f"{source}: an encrypted backup restores only into an encrypted "
            "database, a plain one only into a plain one; nothing was "
            "restored"
        )
    return db.connect_file(f"{source.resolve().as_uri()}?mode=ro")


def _check_source(source: Path, db: Database) -> chain.Head:
    """Refuse a backup that is not ours, damaged, of an unknown or altered schema, or whose
    audit chain does not check out; return the head of its log."""
    if not source.is_file():
        raise FacilitatorError(f"{source}: no such file")
    try:
        with contextlib.closing(_open_source(source, db)) as conn:
            check_ours(conn, str(source))
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if result != "ok":
                raise FacilitatorError(f"{source} is damaged ({result}); nothing was restored")
            if version > len(MIGRATIONS) or version == 0:
                raise FacilitatorError(
                    f"{source} has schema version {version}; this facilitator "
                    f"reads 1 to {len(MIGRATIONS)}; nothing was restored"
                )
            differences = schema_differences(conn, version)
            if differences:
                raise FacilitatorError(
                    f"{source} is not exactly a facilitator database "
                    f"({', '.join(differences[:4])}); nothing was restored"
                )
            key, where = db.audit_key, db.key_file()
            if db.passphrase:  # an encrypted backup carries its own key
                row = (
                    conn.execute("SELECT secret FROM audit_key WHERE id = 1").fetchone()
                    if version >= 3
                    else None
                )
                key = bytes.fromhex(row[0]) if row else None
            checked = chain.check_connection(conn, key, key_file=where)
    except crypto.errors() as exc:
        raise FacilitatorError(f"{source} is not a usable database ({exc})") from None
    except ValueError:
        raise FacilitatorError(
            f"{source}: its audit key is damaged; nothing was restored"
        ) from None
    if not checked.intact:
        raise FacilitatorError(
            f"{source}: its audit log does not check out ({checked.summary()}); "
            "nothing was restored"
        )
    return checked.head
