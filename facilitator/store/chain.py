"""The audit log's hash chain: keyed, anchored outside the database, checked row by row.

A plain SHA-256 chain stops only naive edits: whoever has the file can drop the triggers, edit
rows and recompute it. So since schema 4 every row's hash is an HMAC-SHA-256 under a secret
that is *not in the database file*:

- a plain database: ``audit.key`` (0600) in the user's config folder (``$FACILITATOR_CONFIG_DIR``
  or platformdirs' user config folder), one per user, made on first use;
- an encrypted database: a row of ``audit_key`` inside it, readable only with the passphrase.

The first keyed row (action ``keyed``) is chained to the last plain one, so rows written before
the upgrade are covered by the key too. The chain's head (last id and hash) is written outside
the file on every run (``anchors/<hash of the path>.json`` in the config folder) and each
backup ends with a keyed ``backup`` row naming the head it copied, so an older copy put in
place of the database, or its newest rows cut off, shows.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator import paths
from facilitator.errors import FacilitatorError

KEY_FILE = "audit.key"
ANCHOR_DIR = "anchors"
KEYED_SINCE = 4
"""The schema version whose migration starts the keyed chain."""
KEYED_ACTION = "keyed"
"""The action of the row that starts the keyed chain (written by migration 4)."""
KEY_BYTES = 32
_MAX_SMALL_FILE = 4096

_ROW_FIELDS = "id, at, actor, tbl, row_id, participant_id, action, changes, prev_hash, hash"


def plain_hash(prev: str | None, *fields: object) -> str:
    """The unkeyed SHA-256 chain of schema 1 and 2 (rows written before the upgrade)."""
    digest = hashlib.sha256((prev or "").encode())
    for value in fields:
        digest.update(_field(value))
    return digest.hexdigest()


def keyed_hash(key: bytes, prev: str | None, *fields: object) -> str:
    """HMAC-SHA-256 of one row chained to the previous row's hash."""
    mac = hmac.new(key, (prev or "").encode(), hashlib.sha256)
    for value in fields:
        mac.update(_field(value))
    return mac.hexdigest()


def _field(value: object) -> bytes:
    return b"\x1f" + ("\x00" if value is None else str(value)).encode()


def fingerprint(key: bytes) -> str:
    """A short public name for a key (says which key, reveals nothing of it)."""
    return hmac.new(key, b"facilitator audit key", hashlib.sha256).hexdigest()[:16]


# -- where the key and the anchors live ---------------------------------------------------------


def key_path() -> Path:
    """The plain databases' audit key file."""
    return paths.config_dir() / KEY_FILE


def _read_small(path: Path) -> bytes | None:
    """A small regular file's bytes; None when it does not exist."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise FacilitatorError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FacilitatorError(f"{path}: not a regular file")
        return os.read(fd, _MAX_SMALL_FILE)
    finally:
        os.close(fd)


def _write_private(path: Path, data: bytes, *, exclusive: bool = False) -> bool:
    """Write ``data`` to ``path`` whole (temp file, fsync, rename or link), 0600 in a 0700
    folder. With ``exclusive``, an existing file wins (returns False)."""
    paths.ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        if exclusive:
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
        else:
            Path(tmp).replace(path)
        paths.fsync_path(path.parent)
        return True
    finally:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            Path(tmp).unlink()


def file_key(*, create: bool) -> bytes | None:
    """The audit key of plain databases, made on first use when ``create``."""
    path = key_path()
    for _ in range(2):
        raw = _read_small(path)
        if raw is not None:
            try:
                key = bytes.fromhex(raw.decode("ascii").strip())
            except (UnicodeDecodeError, ValueError):
                key = b""
            if len(key) != KEY_BYTES:
                raise FacilitatorError(
                    f"{path}: not an audit key; restore it from a backup of your config folder"
                )
            return key
        if not create:
            return None
        try:
            _write_private(
                path, secrets.token_bytes(KEY_BYTES).hex().encode() + b"\n", exclusive=True
            )
        except OSError as exc:
            raise FacilitatorError(
                f"cannot keep the audit key in {path.parent}: {exc.strerror}"
            ) from None
    raise FacilitatorError(f"{path}: cannot read the audit key")  # pragma: no cover


def anchor_path(database: Path) -> Path:
    """Where the head of ``database``'s chain is recorded outside it."""
    name = hashlib.sha256(str(database.resolve()).encode()).hexdigest()[:32]
    return paths.config_dir() / ANCHOR_DIR / f"{name}.json"


def read_anchor(database: Path) -> dict[str, Any] | None:
    """The head last recorded for ``database`` (None if none was, or it is unreadable)."""
    try:
        raw = _read_small(anchor_path(database))
        data = json.loads(raw) if raw is not None else None
    except (FacilitatorError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_anchor(database: Path, head: Head, at: str) -> None:
    """Record the chain's head outside the database (best effort: never fails a command)."""
    if head.id == 0:
        return
    body = {"database": str(database.resolve()), "chain": head.chain, "id": head.id}
    body |= {"hash": head.hash, "at": at}
    with contextlib.suppress(OSError, FacilitatorError):
        previous = read_anchor(database)
        if previous and all(previous.get(k) == v for k, v in body.items() if k != "at"):
            return
        _write_private(anchor_path(database), json.dumps(body).encode() + b"\n")


# -- reading and appending ---------------------------------------------------------------------


@dataclass(frozen=True)
class Head:
    """The newest row of a chain, and the id of the chain (from its keyed row)."""

    id: int = 0
    hash: str | None = None
    chain: str = ""


def head(conn: sqlite3.Connection) -> Head:
    """The newest audit row's id and hash, and the chain id."""
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    keyed = conn.execute(
        "SELECT changes FROM audit WHERE action = ? AND tbl = 'audit' ORDER BY id LIMIT 1",
        (KEYED_ACTION,),
    ).fetchone()
    chain = ""
    if keyed:
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            chain = str(json.loads(keyed[0]).get("id", ""))
    return Head(int(row[0]), str(row[1]), chain) if row else Head(chain=chain)


def append_event(
    conn: sqlite3.Connection, key: bytes, at: str, actor: str, action: str, changes: dict[str, Any]
) -> Head:
    """Append one keyed row about the log itself (keyed, backup, restore); inside a transaction."""
    prev = conn.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = prev[0] if prev else None
    text = json.dumps(changes, sort_keys=True, separators=(",", ":"))
    fields = (at, actor, "audit", None, None, action, text)
    digest = keyed_hash(key, prev_hash, *fields)
    cursor = conn.execute(
        "INSERT INTO audit (at, actor, tbl, row_id, participant_id, action, changes, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*fields, prev_hash, digest),
    )
    return Head(int(cursor.lastrowid or 0), digest)


# -- checking ----------------------------------------------------------------------------------


@dataclass
class Check:
    """What checking a chain found; ``intact`` when nothing."""

    rows: int = 0
    altered: int | None = None
    """The first row whose hash or link does not match."""
    missing: list[tuple[int, int]] = field(default_factory=list)
    """Ranges of ids absent from the log (ids are never skipped by SQLite: rows were removed)."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    head: Head = field(default_factory=Head)
    kind: str = "chain"
    """"chain": the SQLite file's keyed hash chain; "server": PostgreSQL's triggers."""

    def verdict(self) -> str:
        """What an intact log's check established, in one line."""
        if self.kind == "server":
            return (
                f"audit log intact ({self.rows} rows; kept by the PostgreSQL server, its "
                "append-only and audit triggers all in place)"
            )
        return (
            f"audit log intact ({self.rows} rows; keyed hash chain verified, no ids missing, "
            "head as recorded)"
        )

    @property
    def intact(self) -> bool:
        """Nothing altered, nothing missing, no other problem."""
        return self.altered is None and not self.missing and not self.problems

    def summary(self) -> str:
        """One line saying what is wrong (empty when intact)."""
        parts = []
        if self.altered is not None:
            parts.append(f"the audit log was altered at row {self.altered}")
        for first, last in self.missing[:3]:
            gone = f"row {first}" if first == last else f"rows {first} to {last}"
            parts.append(f"{gone} {'is' if first == last else 'are'} missing")
        if len(self.missing) > 3:
            parts.append(f"and {len(self.missing) - 3} more gap(s)")
        parts.extend(self.problems)
        return "; ".join(parts)


def check(
    rows: Iterable[tuple[Any, ...]], key: bytes | None, *, version: int, key_file: str
) -> Check:
    """Recompute the chain over ``rows`` (``_ROW_FIELDS`` order, by id)."""
    result = Check()
    prev: str | None = None
    expected = 1
    keyed = False
    for row in rows:
        ident = int(row[0])
        result.rows += 1
        if ident != expected and ident > expected:
            result.missing.append((expected, ident - 1))
        expected = ident + 1
        if not keyed and row[6] == KEYED_ACTION and row[3] == "audit":
            keyed = True
            if key is None:
                result.problems.append(
                    f"the audit log is keyed but there is no audit key here ({key_file}); "
                    "it cannot be checked"
                )
                break
            if _key_of(row[7]) not in ("", fingerprint(key)):
                result.problems.append(
                    "the audit log was keyed with another audit key than this computer's "
                    f"({key_file}); copy the key of the computer that made it"
                )
                break
        fields = row[1:8]
        digest = keyed_hash(key, prev, *fields) if keyed and key else plain_hash(prev, *fields)
        if result.altered is None and (row[8] != prev or digest != row[9]):
            result.altered = ident
            break
        prev = row[9]
        result.head = Head(ident, prev)
    if version >= KEYED_SINCE and not keyed and not result.problems and result.altered is None:
        result.problems.append("the row that starts the keyed chain is missing")
    return result


def _key_of(changes: object) -> str:
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        return str(json.loads(str(changes)).get("key", ""))
    return ""


def check_connection(conn: sqlite3.Connection, key: bytes | None, *, key_file: str) -> Check:
    """Check the chain of the database behind ``conn``."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    cursor = conn.execute(f"SELECT {_ROW_FIELDS} FROM audit ORDER BY id")  # noqa: S608
    result = check(cursor, key, version=version, key_file=key_file)
    result.head = Head(result.head.id, result.head.hash, head(conn).chain)
    return result


def check_anchor(result: Check, database: Path, conn: sqlite3.Connection) -> None:
    """Compare the chain with the head recorded outside the file on earlier runs."""
    anchor = read_anchor(database)
    if anchor is None:
        result.notes.append("no earlier head recorded for this database (first check here)")
        return
    current = head(conn)
    if anchor.get("chain") != current.chain:
        result.notes.append(
            f"the head recorded on {str(anchor.get('at', '?'))[:19]} belongs to another "
            "database that was at this path"
        )
        return
    try:
        ident = int(anchor["id"])
    except (KeyError, TypeError, ValueError):
        return
    row = conn.execute("SELECT hash FROM audit WHERE id = ?", (ident,)).fetchone()
    when = str(anchor.get("at", "?"))[:19]
    if row is None:
        result.problems.append(
            f"the log ends at row {current.id}, but row {ident} was recorded on {when} UTC: "
            "an older copy was put in place or the newest rows were cut off"
        )
    elif row[0] != anchor.get("hash"):
        result.problems.append(
            f"row {ident} is not the one recorded on {when} UTC: the log was rewritten"
        )
