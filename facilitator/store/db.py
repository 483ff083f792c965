"""The SQLite connection: private files, durable pragmas, one IMMEDIATE transaction per action."""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from facilitator import locations, paths
from facilitator.errors import FacilitatorError
from facilitator.paths import NotARegularFile, check_regular, fsync_path
from facilitator.store import crypto

DB_NAME = locations.DATABASE  # the one module that names every file of the data folder
APPLICATION_ID = 0x46414331  # "FAC1": marks a file as ours (PRAGMA application_id)
BUSY_TIMEOUT_S = 30.0
"""How long a writer waits for another process's transaction before giving up."""
SIDE_FILES = ("-wal", "-shm")
DISK_FULL_BYTES = 1 << 20
"""Below this much free space, an I/O error while writing is reported as a full disk."""


class Cursor(Protocol):
    """What a statement returns on either engine (sqlite3's and psycopg's cursors)."""

    @property
    def rowcount(self) -> int: ...

    @property
    def description(self) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What a transaction block receives on either engine: ``?`` placeholders, one statement
    per call (the shared verbs' SQL is written for both SQLite and PostgreSQL)."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Any: ...


def batched(conn: Connection) -> contextlib.AbstractContextManager[None]:
    """Statements whose results the block does not read, sent to the server together (one
    wait instead of one per statement on PostgreSQL, where their answers and the first error
    arrive with the verb's next read or its COMMIT). SQLite runs in the app's own process:
    there is nothing to wait for, and this is a no-op."""
    batch = getattr(conn, "batched", None)
    return batch() if batch is not None else contextlib.nullcontext()


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

Now = Callable[[], datetime]
"""What the store asks for the current time (aware; :func:`utc_now` unless a test fixes it)."""


def default_actor() -> str:
    """Who is editing: the operating-system user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return "unknown"


def utc_now() -> datetime:
    """The real clock, for audit timestamps only (the core takes time as an argument)."""
    return datetime.now(UTC)


def audit_hash(prev: str | None, *fields: object) -> str:
    """The unkeyed hash of schema 1 and 2 (see :mod:`facilitator.store.chain`)."""
    from facilitator.store.chain import plain_hash

    return plain_hash(prev, *fields)


def make_private(path: Path) -> None:
    """chmod 0600 the database and its -wal/-shm files (whatever the umask was)."""
    for name in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        with contextlib.suppress(OSError):  # a read-only mount: nothing to tighten there
            if name.stat().st_mode & 0o077:
                name.chmod(0o600)


def ensure_private_dir(folder: Path) -> None:
    """Create the data folder 0700 (and tighten it if it exists and is ours to tighten)."""
    try:
        paths.ensure_private_dir(folder)
    except OSError as exc:
        raise FacilitatorError(f"cannot use the data folder {folder}: {exc.strerror}") from None


STALE_CREATE_S = 3600.0
"""A half-made new database this old belongs to a first start that was killed: sweep it."""
PAGE_MULTIPLE = 512
"""SQLite and SQLCipher files are whole pages (512 to 65536 bytes): anything else is foreign."""


def check_database_file(path: Path) -> None:
    """Refuse what cannot be our database before SQLite or SQLCipher touch it: a FIFO, device,
    socket or folder at the path or its -wal/-shm (opening them can block for ever), an empty
    file (a new database is never empty: see :meth:`Database._create`), and a file that is
    neither SQLite nor page-sized encrypted data (a stray document would otherwise be taken
    for an encrypted database)."""
    for name in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        try:
            check_regular(name)
        except FileNotFoundError:
            continue
        except NotARegularFile as exc:
            raise FacilitatorError(f"{exc}; move it away and try again") from None
        except OSError as exc:
            raise FacilitatorError(f"{name}: cannot open: {exc.strerror}") from None
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise FacilitatorError(f"{path}: cannot open: {exc.strerror}") from None
    if size == 0:
        raise FacilitatorError(
            f"{path} is empty (0 bytes), so it is not a facilitator database: restore a backup "
            "with 'facilitator restore', or delete it if facilitator was stopped the first time "
            "it ran"
        )
    if size and head != crypto.SQLITE_HEADER and (size % PAGE_MULTIPLE or _text_like(head)):
        raise FacilitatorError(
            f"{path} is not a facilitator database (neither SQLite nor encrypted); move it "
            "away or restore a backup with 'facilitator restore'"
        )


def _text_like(head: bytes) -> bool:
    """Whether a file starts like text or a known format, which an encrypted file (random
    bytes from its first byte) all but never does."""
    return all(32 <= b < 127 or b in b"\t\n\r" for b in head) or head.startswith(
        (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\x7fELF", b"\x1f\x8b")
    )


def explain(exc: Exception, path: Path) -> FacilitatorError:
    """A clear message for what the database said (disk full, read-only, locked, damaged)."""
    text = str(exc).lower()
    code = str(getattr(exc, "sqlite_errorname", ""))
    if (
        "full" in text
        or code == "SQLITE_FULL"
        or (
            code.startswith(("SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN"))
            and disk_full(path)
        )
    ):
        why = "the disk is full; nothing already saved was lost. Free some space and try again"
    elif "readonly" in text or "read-only" in text or not folder_writable(path.parent):
        why = "the database is read-only here (a read-only folder or disk); nothing was changed"
    elif "locked" in text or "busy" in text:
        why = "another facilitator window kept the database busy too long; try again"
    elif code.startswith("SQLITE_IOERR"):
        why = (
            "the disk reported an error while writing; nothing already saved was lost. "
            "Check the disk and try again"
        )
    elif "unable to open" in text:
        why = "the database file cannot be opened (check the data folder)"
    elif "malformed" in text or "not a database" in text:
        why = "the database file is damaged; restore a backup with 'facilitator restore'"
    else:
        why = f"database error: {exc}"
    return FacilitatorError(f"{path}: {why}")


def damaged(exc: Exception) -> bool:
    """Whether a database error says the file itself is corrupt (not the disk or a lock)."""
    code = str(getattr(exc, "sqlite_errorname", ""))
    text = str(exc).lower()
    return code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text


def disk_full(path: Path) -> bool:
    """Whether the disk under ``path`` has (almost) no room left: SQLite reports a full disk
    while appending to the WAL as a plain I/O error."""
    try:
        return shutil.disk_usage(path.parent).free < DISK_FULL_BYTES
    except OSError:
        return False


def _live_shm(shm: Path) -> bool:
    """Whether a WAL index file of a database in use exists (it is at least 32 KiB)."""
    try:
        return shm.stat().st_size >= 32768
    except OSError:
        return False


def folder_writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (false on a read-only mount, even for root)."""
    return os.access(folder, os.W_OK) or not folder.exists()


class Database:
    """One connection with the pragmas SAFETY.md asks for, shareable between threads."""

    engine = "sqlite"

    def __init__(
        self,
        path: Path,
        *,
        actor: str | None = None,
        clock: Now = utc_now,
        readonly: bool = False,
    ) -> None:
        self.path = path
        self.actor = actor or default_actor()
        self.clock = clock
        self.readonly = readonly
        self.lock = threading.RLock()
        self.passphrase: str | None = None
        """Set when the database is encrypted (SQLCipher); backups are keyed with it."""
        self.audit_key: bytes | None = None
        """The secret of the audit chain (None: not on this computer, or not made yet)."""
        self.conn = self._connect()
        try:
            self.audit_key = self._load_key()
        except BaseException:
            self.conn.close()
            raise

    def _load_key(self) -> bytes | None:
        """The audit key: inside an encrypted database, else the user's key file."""
        from facilitator.store import chain

        if self.passphrase:
            try:
                row = self.conn.execute("SELECT secret FROM audit_key WHERE id = 1").fetchone()
            except crypto.errors():  # before migration 4 made the table
                return None
            return bytes.fromhex(row[0]) if row else None
        return chain.file_key(create=not self.readonly)

    @property
    def where(self) -> str:
        """The database as named to the user: its file."""
        return str(self.path)

    def sqlite_only(self, what: str, target: Path | None = None) -> None:
        """Nothing to refuse: this is the SQLite file (see PgDatabase.sqlite_only)."""

    def audit_query(self, limit: int, group_id: int | None) -> tuple[str, list[object]]:
        """The newest audit rows; with ``group_id``, those about that group's records, found
        through the log's own insert rows (so rows deleted since are listed too)."""
        if group_id is None:
            return _AUDIT_ALL, [limit]
        return _AUDIT_GROUP, [group_id, group_id, limit]

    @staticmethod
    def shown_changes(changes: Any) -> str:
        """An audit row's changes as text: on SQLite, exactly as stored (and hashed)."""
        return str(changes)

    def key_file(self) -> str:
        """Where this database's audit key is kept, as told to the user."""
        from facilitator.store import chain

        return "inside the encrypted database" if self.passphrase else str(chain.key_path())

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            ensure_private_dir(self.path.parent)
            if not os.path.lexists(self.path):
                self._create()
        check_database_file(self.path)
        uri = f"{self.path.resolve().as_uri()}?mode={'ro' if self.readonly else 'rw'}"
        if crypto.is_encrypted(self.path):
            crypto.driver()
            self.passphrase = self.passphrase or crypto.passphrase(self.path)
        try:
            conn = self._open(uri)
        except crypto.errors() as exc:
            shm = self.path.with_name(self.path.name + "-shm")
            if not self.readonly or _live_shm(shm) or not self.path.is_file():
                raise explain(exc, self.path) from None
            # A read-only or full disk, and no other process has the file open (no -shm, or a
            # stub that a failed open left on a full disk):
            # SQLite cannot create the -shm a WAL database needs, so read the file as it is.
            try:
                conn = self._open(uri + "&immutable=1")
            except crypto.errors():
                raise explain(exc, self.path) from None
        make_private(self.path)
        return conn

    def owns(self, path: Path) -> bool:
        """Whether ``path`` is this database's file or its -wal/-shm (by name or by inode)."""
        own = [self.path, *(self.path.with_name(self.path.name + s) for s in SIDE_FILES)]
        try:
            where = path.parent.resolve() / path.name
            if where.resolve() in {p.resolve() for p in own}:
                return True
            return any(path.samefile(p) for p in own if p.exists() and path.exists())
        except OSError:
            return False

    def _create(self) -> None:
        """Make a new database all at once: a 0600 file, marked as ours (and encrypted when a
        passphrase is in the environment) under a temporary name, then linked into place. So
        the database path never holds an empty file, even after kill -9, and two first starts
        at once agree on one file."""
        folder = self.path.parent
        prefix = f".{self.path.name}.new-"
        for stale in folder.glob(f"{prefix}*"):  # left by a first start killed half-way
            with contextlib.suppress(OSError):
                if time.time() - stale.stat().st_mtime > STALE_CREATE_S:
                    stale.unlink()
        try:
            fd, name = tempfile.mkstemp(prefix=prefix, dir=folder)
        except OSError as exc:
            raise FacilitatorError(
                f"cannot create the database {self.path}: {exc.strerror}"
            ) from None
        os.close(fd)  # mkstemp makes it 0600: SQLite's -wal and -shm copy that mode
        tmp = Path(name)
        try:
            if crypto.wants_encryption():
                crypto.driver()
                self.passphrase = crypto.passphrase(self.path)
            conn = self.connect_file(tmp)
            try:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            finally:
                conn.close()
            fsync_path(tmp)
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(tmp, self.path)
            fsync_path(folder)
        except crypto.errors() as exc:
            raise explain(exc, self.path) from None
        except OSError as exc:
            raise FacilitatorError(
                f"cannot create the database {self.path}: {exc.strerror}"
            ) from None
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _open(self, uri: str) -> sqlite3.Connection:
        conn = self.connect_file(uri, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        try:
            self._configure(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def connect_file(self, target: str | Path, **options: object) -> sqlite3.Connection:
        """A connection to ``target`` (a path or a file: URI) like this database's: through
        SQLCipher and keyed with the same passphrase when the database is encrypted."""
        uri = isinstance(target, str) and target.startswith("file:")
        module = crypto.driver() if self.passphrase else sqlite3
        conn: sqlite3.Connection = module.connect(target, uri=uri, isolation_level=None, **options)
        if self.passphrase:
            try:
                crypto.unlock(conn, self.passphrase, self.path)
            except BaseException:
                conn.close()
                raise
        return conn

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        if not self.readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.create_function("audit_actor", 0, lambda: self.actor)
        conn.create_function("audit_now", 0, self._now)
        conn.create_function("audit_hash", -1, self._audit_hash, deterministic=True)

    def _audit_hash(self, prev: str | None, *fields: object) -> str:
        from facilitator.store.chain import keyed_hash

        if self.audit_key is None:
            raise ValueError("no audit key")
        return keyed_hash(self.audit_key, prev, *fields)

    def now(self) -> str:
        """The audit timestamp for now (UTC, microseconds)."""
        return self.clock().astimezone(UTC).isoformat(timespec="microseconds")

    _now = now

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One user action: ``BEGIN IMMEDIATE`` ... ``COMMIT``; all of it lands or none of it."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except crypto.errors() as exc:
                raise explain(exc, self.path) from None
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException as exc:
                with contextlib.suppress(*crypto.errors()):
                    self.conn.execute("ROLLBACK")
                if type(exc).__name__ == "IntegrityError":
                    raise FacilitatorError(f"not saved: {exc}") from None
                if isinstance(exc, crypto.errors()):
                    raise explain(exc, self.path) from None
                raise
        make_private(self.path)

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        with self.lock:
            try:
                self.conn.execute("BEGIN")
                try:
                    yield self.conn
                finally:
                    self.conn.execute("COMMIT")
            except crypto.errors() as exc:
                raise explain(exc, self.path) from None

    def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it; False if a reader kept it busy."""
        with self.lock:
            try:
                busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except crypto.errors() as exc:
                raise explain(exc, self.path) from None
            return not busy

    def close(self) -> None:
        """Close the connection (SQLite checkpoints the WAL when the last one closes)."""
        with self.lock:
            self.conn.close()
