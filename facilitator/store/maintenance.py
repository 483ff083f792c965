"""Backup, restore and audit-log verbs."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from facilitator.errors import FacilitatorError
from facilitator.paths import fsync_path, replaceable
from facilitator.store import crypto
from facilitator.store.db import Database, audit_hash, damaged, explain
from facilitator.store.migrations import MIGRATIONS, check_ours, migrate

TEMP_PREFIX = ".backup-"
STALE_AFTER_S = 3600.0
"""A temporary backup file this old was left by a backup that was killed: sweep it."""


_AUDIT_ALL = (
    "SELECT id, at, actor, tbl, row_id, participant_id, action, changes FROM audit "
    "ORDER BY id DESC LIMIT ?"
)
_AUDIT_GROUP = (
    "SELECT id, at, actor, tbl, row_id, participant_id, action, changes FROM audit "
    "WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM audit WHERE "
    "action = 'insert' AND (json_extract(changes, '$.group_id') = ? "
    "OR (tbl = 'groups' AND row_id = ?))) ORDER BY id DESC LIMIT ?"
)


class MaintenanceMixin:
    """Backups, restores and the audit log."""

    db: Database

    def backup(self, target: Path) -> Path:
        """Copy the database to ``target`` (0600) with SQLite's backup API, checked and atomic.

        The copy is written next to ``target``, integrity-checked, fsynced, then renamed over
        it; a failure leaves any earlier file at ``target`` untouched.
        """
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
        ``aside`` first (a verified backup), so nothing is ever lost. Returns ``aside``."""
        _check_source(source, self.db)
        self.backup(aside)
        try:
            with contextlib.closing(_open_source(source, self.db)) as src, self.db.lock:
                src.backup(self.db.conn)
        except crypto.errors() as exc:
            raise explain(exc, self.db.path) from None
        with self.db.lock:
            self.db.conn.execute("PRAGMA journal_mode = WAL")
        migrate(self.db)
        self.db.checkpoint()
        return aside

    def audit_log(self, limit: int = 100, group_id: int | None = None) -> list[dict[str, Any]]:
        """The newest audit rows (who, when, table, row, action, changes), newest first.

        With ``group_id``: only rows about that group's records (its settings, weeks, schedule
        changes, roster, marks, notes and runs), found through the audit's own insert rows, so
        changes to records deleted since (an erased person's marks) are listed too.
        """
        query, args = _AUDIT_ALL, [limit]
        if group_id is not None:
            query, args = _AUDIT_GROUP, [group_id, group_id, limit]
        with self.db.read() as conn:
            cursor = conn.execute(query, args)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]

    def verify_audit(self) -> int | None:
        """Recompute the hash chain; the id of the first row that does not match, or None."""
        prev: str | None = None
        with self.db.read() as conn:
            for row in conn.execute(
                "SELECT id, at, actor, tbl, row_id, participant_id, action, "
                "changes, prev_hash, hash FROM audit ORDER BY id"
            ):
                if row[8] != prev or audit_hash(prev, *row[1:8]) != row[9]:
                    return int(row[0])
                prev = row[9]
        return None


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
        result = dest.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":  # the pages were copied as they are: the live database is damaged
        first = next((x for x in result.splitlines() if not x.startswith("***")), result)
        raise FacilitatorError(
            f"{db.path}: the database is damaged (its copy failed the integrity check: "
            f"{first}); restore a backup with 'facilitator restore'"
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


def _check_source(source: Path, db: Database) -> None:
    if not source.is_file():
        raise FacilitatorError(f"{source}: no such file")
    try:
        with contextlib.closing(_open_source(source, db)) as conn:
            check_ours(conn, str(source))
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
    except crypto.errors() as exc:
        raise FacilitatorError(f"{source} is not a usable database ({exc})") from None
    if result != "ok":
        raise FacilitatorError(f"{source} is damaged ({result}); nothing was restored")
    if version > len(MIGRATIONS) or version == 0:
        raise FacilitatorError(
            f"{source} has schema version {version}; this facilitator "
            f"reads 1 to {len(MIGRATIONS)}; nothing was restored"
        )
