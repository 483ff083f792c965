"""The data folder as a whole: opening the database (read-only where it cannot be written),
unlocking an encrypted one, backing it up and restoring it, and reading its audit log.

The store is imported inside the functions: the app's first frame comes before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator import locations
from facilitator.errors import FacilitatorError

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.store.chain import Check
    from facilitator.store.pg.live import ChangeFeed
    from facilitator.workspace import Workspace

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of a plain (not encrypted) SQLite database."""


@dataclass(frozen=True, slots=True)
class Opened:
    """The workspace's database, and why it is read-only ("" when it is not)."""

    store: Store
    readonly_reason: str = ""


def open_data(ws: Workspace, *, actor: str | None = None, lenient: bool = False) -> Opened:
    """Open the database of the data folder (created on first use).

    When it cannot be written (a read-only mount, a full disk) it opens read-only: reading
    works, and any change then says "read-only" on one line and changes nothing. ``lenient``
    (the app, which would otherwise not open at all) opens read-only after any other error
    too, with the reason to show in a banner; a database that needs its passphrase is never
    opened read-only (it would fail the same way).
    """
    from facilitator.store import open_store, server_url
    from facilitator.store.db import disk_full, folder_writable

    try:
        return Opened(open_store(ws.data_dir, url=ws.database_url, actor=actor))
    except FacilitatorError as exc:
        path = locations.database(ws.data_dir)
        if server_url(ws.data_dir, ws.database_url):
            raise  # a server that cannot be reached or refuses: no file to fall back to
        if lenient:
            if "passphrase" in exc.message or "encrypted" in exc.message:
                raise
        elif not path.is_file() or (folder_writable(ws.data_dir) and not disk_full(path)):
            raise
        store = open_store(ws.data_dir, actor=actor, readonly=True)
        return Opened(store, f"Read-only: {exc.message}")


def encrypted(ws: Workspace) -> bool:
    """Whether the workspace's database is encrypted (read from its header, so that the usual,
    unencrypted start does not import the store)."""
    from facilitator.paths import NotARegularFile, check_regular

    path = locations.database(ws.data_dir)
    try:
        check_regular(path)  # opening a FIFO would wait for ever; the store then refuses it
        with path.open("rb") as handle:
            head = handle.read(16)
    except (OSError, NotARegularFile):
        return False
    return bool(head) and head != SQLITE_HEADER


def unlock(ws: Workspace) -> None:
    """Ask for an encrypted database's passphrase once (the environment's, else a hidden
    prompt), check it by opening the database, and let every later opening reuse it."""
    from facilitator.store import crypto, open_store

    secret = crypto.passphrase(locations.database(ws.data_dir))
    crypto.set_prompt(lambda _message: secret)
    open_store(ws.data_dir, readonly=True).close()


def backup(store: Store, target: Path) -> Path:
    """Copy the database to ``target`` (0600, checked, atomic; recorded in the output ledger:
    it holds everyone's names, even those erased later)."""
    return store.backup(target)


def restore(ws: Workspace, store: Store, source: Path, now: datetime) -> Path:
    """Replace the data with the backup ``source``; the current data is kept aside first (in
    the data folder, named by ``now``, the local time). Returns where it was kept."""
    return store.restore(source, locations.restore_aside(ws.data_dir, now))


def audit_rows(
    store: Store, limit: int, *, group_id: int | None = None, every_save: bool = False
) -> list[dict[str, Any]]:
    """The newest ``limit`` rows of the audit log (of one group's records, or all), newest
    first. Consecutive live-runner saves of one meeting (one per transition) are one row
    unless ``every_save``."""
    if every_save:
        return store.audit_log(limit, group_id=group_id)
    return _fold_runner_saves(store.audit_log(limit * 50, group_id=group_id))[:limit]


def audit_check(store: Store) -> Check:
    """Check the audit log: its keyed hash chain, that no ids are missing, and its head
    against the one recorded outside the file."""
    return store.audit_check()


def _fold_runner_saves(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive live-runner saves of one meeting (one per transition) as one row."""
    out: list[dict[str, Any]] = []
    count = 0
    for row in rows:  # newest first
        last = out[-1] if out else None
        same = (
            last is not None
            and row["tbl"] == last["tbl"] == "meeting_runs"
            and row["action"] == "update"
            and last["action"].startswith("update")
            and row["row_id"] == last["row_id"]
        )
        if not same:
            out.append(dict(row))
            count = 1
            continue
        assert last is not None
        count += 1
        first_at = row["at"][11:19]
        last["action"] = f"update x{count}"
        last["changes"] = f"{count} live-runner saves, {first_at} to {last['at'][11:19]} UTC"
    return out


def change_feed(store: Store) -> ChangeFeed | None:
    """What other people change, as it happens (a listening connection to the PostgreSQL
    server); ``None`` on the SQLite file, which one person uses at a time."""
    return store.change_feed()
