"""The PostgreSQL connection: the same interface as :class:`facilitator.store.db.Database`.

``write()`` is one SERIALIZABLE transaction per user action, committed before it returns;
``read()`` is one REPEATABLE READ, READ ONLY snapshot. Serialization failures and deadlocks
become :class:`~facilitator.store.retry.RetryTransaction` (the verb runs again). The shared
verbs' SQL uses ``?`` placeholders; each statement text is translated to psycopg's ``%s`` once
(cached), a literal ``%`` escaped.

Why SERIALIZABLE: SQLite's ``BEGIN IMMEDIATE`` runs writers one at a time, and the verbs rely
on it (read a note's version, then write; count members, then enrol). Under SERIALIZABLE the
server gives the same guarantee without a global lock: transactions on different groups run
side by side, and two that would interleave badly are stopped with 40001, which the verb
answers by running again and seeing the other's result (READ COMMITTED would let two stale
note edits both save).
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import re
import shlex
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator.errors import FacilitatorError, ServerUnreachable
from facilitator.store import crypto
from facilitator.store.chain import Check
from facilitator.store.db import Now, default_actor, utc_now
from facilitator.store.engines import INSTALL_HINT, normalised, scrub, shown_url
from facilitator.store.retry import RetryTransaction

if TYPE_CHECKING:
    import psycopg

# Errors reach the user as one line each (FacilitatorError); the driver's own log lines would
# otherwise land on stderr through logging's last-resort handler.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

CONNECT_TIMEOUT_S = 10
RETRY_STATES = {"40001": "a serialization failure", "40P01": "a deadlock"}
AUDIT_AT = """to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
"""The audit timestamp in the text form the SQLite log uses (UTC, microseconds)."""
AUDIT_WHEN = f"CASE WHEN origin IS NULL THEN {AUDIT_AT} ELSE origin ->> 'at' END"
"""When: the server's time, or an imported row's original time (from the embedded file)."""
AUDIT_WHO = (
    "CASE WHEN origin IS NOT NULL THEN coalesce(origin ->> 'actor', '?') || ' (imported by ' "
    "|| coalesce(login, actor) || ')' WHEN login IS NULL OR login = actor THEN actor "
    "ELSE login || ' (as ' || actor || ')' END"
)
"""Who: the login (session_user), and the role that acted when it differs (SET ROLE); for an
imported row the file's actor and the login that imported it."""


def driver() -> Any:
    """psycopg, or a one-line error saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise FacilitatorError(
            f"a postgresql:// database needs the PostgreSQL driver: {INSTALL_HINT}"
        ) from None
    return psycopg


@functools.lru_cache(maxsize=1024)
def placeholders(sql: str) -> str:
    """``?`` -> ``%s`` outside quoted text; every literal ``%`` doubled (psycopg's format)."""
    out = []
    quote = ""
    for ch in sql:
        if ch == "%":
            out.append("%%")
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        out.append(ch)
    return "".join(out)


_ONE_ROW = re.compile(r"^(\s*INSERT\b.*?\bVALUES\s*)(\((?:\s*\?\s*,)*\s*\?\s*\))(.*)$", re.S | re.I)


@functools.lru_cache(maxsize=256)
def multi_row(sql: str, count: int) -> str:
    """``INSERT ... VALUES (?, ?) rest`` as one statement for ``count`` rows (psycopg's
    placeholders), or "" for any other statement."""
    found = _ONE_ROW.match(sql)
    if found is None or "?" in found.group(3) or "?" in found.group(1):
        return ""
    head, one, rest = found.groups()
    return placeholders(head + ", ".join([one] * count) + rest)


class PgConnection:
    """What a transaction block receives: ``execute``/``executemany`` taking ``?`` SQL.

    Inside :meth:`batched`, statements are sent without waiting for their answers (psycopg's
    pipeline mode); the answers, and the first error among them, arrive with the next statement
    outside a batch, or with the COMMIT. A statement outside a batch waits for its answer, so
    its ``rowcount`` and rows are there when the verb reads them."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn
        self._pipeline: contextlib.ExitStack | None = None
        self._batching = False

    @contextlib.contextmanager
    def batched(self) -> Iterator[None]:
        """Send the block's statements together, with the ones that follow up to the next
        wait (the verb reads none of their results)."""
        if self._pipeline is None:
            stack = contextlib.ExitStack()
            stack.enter_context(self.raw.pipeline())
            self._pipeline = stack
        self._batching = True
        try:
            yield
        finally:
            self._batching = False

    def settle(self) -> None:
        """Wait for the answers of the statements sent in a batch (raising the first error)."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.close()

    def abandon(self, exc: BaseException) -> None:
        """Leave pipeline mode after ``exc`` (the transaction is rolled back next)."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            with contextlib.suppress(Exception):
                pipeline.__exit__(type(exc), exc, exc.__traceback__)

    def commit(self) -> str | None:
        """COMMIT, sent with any batched statements: what the server answered."""
        done = self.raw.execute("COMMIT")
        self.settle()
        return done.statusmessage

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> psycopg.Cursor[Any]:
        if not self._batching:
            self.settle()
        if params is None:
            return self.raw.execute(sql)
        return self.raw.execute(placeholders(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> psycopg.Cursor[Any]:
        """Every row in one round trip: an ``INSERT ... VALUES (?, ...)`` becomes one statement
        with a row of values each (a roll's dozen marks: one statement, so a save from a busy
        clinic waits for the server once); anything else runs once per row. The rows of one
        call never conflict with each other on an ``ON CONFLICT ... DO UPDATE`` key (PostgreSQL
        refuses that in one statement): every caller passes distinct keys. Not psycopg's
        executemany: its pipeline, when the server stops the transaction (a serialization
        failure to re-run), logs a warning to stderr besides raising."""
        if not self._batching:
            self.settle()
        cursor = self.raw.cursor()
        rows = list(rows)
        if len(rows) > 1 and (text := multi_row(sql, len(rows))):
            cursor.execute(text, [value for row in rows for value in row])
            return cursor
        text = placeholders(sql)
        for row in rows:
            cursor.execute(text, row)
        return cursor


class PgDatabase:
    """One connection to a PostgreSQL database, shareable between threads (one at a time)."""

    engine = "postgresql"

    def __init__(
        self,
        url: str,
        *,
        actor: str | None = None,
        clock: Now = utc_now,
        readonly: bool = False,
    ) -> None:
        self.url = normalised(url)
        self.shown = shown_url(self.url)
        self.actor = actor or default_actor()
        """Who the app says is editing (the server's audit records the database role)."""
        self.clock = clock
        self.readonly = readonly
        self.lock = threading.RLock()
        if crypto.wants_encryption():
            raise FacilitatorError(
                f"{crypto.PASSPHRASE_ENV} is set, but encryption at rest is for the SQLite file; "
                f"on the PostgreSQL server {self.shown} use TLS and the server's disk "
                f"encryption, and unset {crypto.PASSPHRASE_ENV}"
            )
        self.pid: int | None = None
        """The server process of the current connection (a notification it sent is ours)."""
        self.conn: psycopg.Connection[Any] = self._connect()

    @property
    def where(self) -> str:
        """The database as named to the user (no password)."""
        return self.shown

    def _connect(self) -> psycopg.Connection[Any]:
        pg = driver()
        try:
            pg.conninfo.conninfo_to_dict(self.url)
        except pg.ProgrammingError as exc:
            raise FacilitatorError(
                f"database URL '{self.shown}' is not usable: {self._said(exc)}"
            ) from None
        try:
            conn: psycopg.Connection[Any] = pg.connect(
                self.url,
                autocommit=True,  # transactions are explicit: BEGIN ... COMMIT per action
                connect_timeout=CONNECT_TIMEOUT_S,
                application_name="facilitator",
                **_dead_peer_limits(self.url),
            )
        except pg.Error as exc:
            raise ServerUnreachable(
                f"cannot connect to the database {self.shown}: {self._said(exc)}"
            ) from None
        if self.readonly:
            conn.execute("SET default_transaction_read_only = on")
        self.pid = conn.info.backend_pid
        return conn

    def _ready(self) -> psycopg.Connection[Any]:
        """The connection, made again if the server closed it (a restart, a network cut)."""
        if self.conn.closed or self.conn.broken:
            with contextlib.suppress(Exception):
                self.conn.close()
            try:
                self.conn = self._connect()
            except FacilitatorError as exc:  # the server is still away: nothing was saved
                raise ServerUnreachable(
                    f"{exc.message}; nothing of this change was saved", maybe_saved=False
                ) from None
        return self.conn

    def now(self) -> str:
        """The app's timestamp for now (UTC, microseconds), as the SQLite store gives it."""
        return self.clock().astimezone(UTC).isoformat(timespec="microseconds")

    @contextlib.contextmanager
    def write(self) -> Iterator[PgConnection]:
        """One user action: a SERIALIZABLE transaction; all of it is committed or none."""
        if self.readonly:
            raise FacilitatorError(
                f"{self.shown}: the database is open read-only here; nothing was changed"
            )
        with self.lock:
            conn = PgConnection(self._begin("BEGIN ISOLATION LEVEL SERIALIZABLE"))
            committing = False
            try:
                yield conn
                committing = True
                if conn.commit() != "COMMIT":  # the transaction had failed: rolled back
                    raise FacilitatorError(f"{self.shown}: not saved (the server rolled back)")
            except BaseException as exc:
                conn.abandon(exc)
                self._rollback()
                raise self._explain(exc, committing) from None

    @contextlib.contextmanager
    def read(self) -> Iterator[PgConnection]:
        """A consistent snapshot for several SELECTs."""
        with self.lock:
            conn = PgConnection(self._begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            try:
                yield conn
                conn.commit()  # with any batched statement's answer
            except BaseException as exc:
                conn.abandon(exc)
                self._rollback()
                error = self._explain(exc, False)
                if isinstance(error, RetryTransaction):  # reads are not re-run: say so plainly
                    error = FacilitatorError(f"{self.shown}: the server was busy; try again")
                raise error from None

    @contextlib.contextmanager
    def session_lock(self, key: int) -> Iterator[None]:
        """Hold a session-level advisory lock (outside any transaction) for the block."""
        with self.lock:
            conn = self._ready()
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                with contextlib.suppress(Exception):
                    conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def _begin(self, statement: str) -> psycopg.Connection[Any]:
        psycopg = driver()
        for attempt in (1, 2):
            conn = self._ready()
            try:
                conn.execute(statement)
                return conn
            except psycopg.OperationalError as exc:
                if attempt == 2 or not conn.broken:  # a stale connection: reconnect once
                    raise self._explain(exc, False) from None
        raise AssertionError("unreachable")

    def _rollback(self) -> None:
        with contextlib.suppress(Exception):
            if not self.conn.closed and not self.conn.broken:
                self.conn.execute("ROLLBACK")

    def _explain(self, exc: BaseException, committing: bool) -> BaseException:
        """What to raise for ``exc``: our own errors as they are, the server's as one line."""
        psycopg = driver()
        if not isinstance(exc, psycopg.Error):
            return exc
        state = getattr(exc, "sqlstate", None) or ""
        message = self._said(exc)
        if state in RETRY_STATES:
            return RetryTransaction(RETRY_STATES[state])
        if isinstance(exc, psycopg.IntegrityError):
            return FacilitatorError(f"not saved: {message}")
        if state == "25006":  # read_only_sql_transaction
            return FacilitatorError(
                f"{self.shown}: the database is read-only for you here; nothing was changed"
            )
        if state == "42501":  # insufficient_privilege: a grant or a row-level security policy
            return FacilitatorError(self._not_allowed(message))
        if isinstance(exc, psycopg.OperationalError) or self.conn.broken:
            outcome = (
                "the last change may or may not have been saved; check it"
                if committing
                else "nothing of this change was saved"
            )
            return ServerUnreachable(
                f"{self.shown}: the connection to the server was lost ({message}); {outcome}, "
                "then try again",
                maybe_saved=committing,
            )
        return FacilitatorError(f"{self.shown}: database error: {message}")

    def _said(self, exc: BaseException) -> str:
        """The first line of what the driver or server said, without the URL's password."""
        return scrub(_first_line(exc), self.url)

    def _not_allowed(self, message: str) -> str:
        """The one line for a write the server refused: the role and what it may do."""
        from facilitator.store.pg.clinic_schema import role_of

        who = role_of(self)
        hint = ""
        if message.startswith(("must be owner of", "permission denied for schema")):
            # DDL: a migration, which only the owner can run
            hint = " (the database needs an upgrade: its owner runs 'facilitator clinic init')"
        return f"{self.shown}: not allowed{who}: {message}{hint}; nothing was changed"

    # -- engine-specific pieces the shared verbs ask for ---------------------------------------

    def sqlite_only(self, what: str, target: Path | None = None) -> None:
        """Refuse an action that exists only for the SQLite file (a backup: say how the
        server's own tool makes one; its password never appears here)."""
        if what == "backup":
            file = shlex.quote(str(target or "facilitator.dump"))
            raise FacilitatorError(
                f"backup copies the SQLite file; this data is on the PostgreSQL server "
                f"{self.shown}: back it up with the server's tool: pg_dump --format=custom "
                "--enable-row-security "
                f"--file={file} --dbname={shlex.quote(self.shown)} (pg_restore restores it; "
                "a password comes from ~/.pgpass, never the command line)"
            )
        raise FacilitatorError(
            f"{what} works on the SQLite database file only; this data is on the PostgreSQL "
            f"server {self.shown}"
        )

    def audit_query(self, limit: int, group_id: int | None) -> tuple[str, list[object]]:
        """The newest audit rows (about one group's records), in the SQLite log's columns."""
        select = (
            f"SELECT id, {AUDIT_WHEN} AS at, {AUDIT_WHO} AS actor, tbl, row_id, "  # noqa: S608
            "participant_id, action, changes FROM audit"
        )
        if group_id is None:
            return select + " ORDER BY id DESC LIMIT ?", [limit]
        return select + " WHERE group_id = ? ORDER BY id DESC LIMIT ?", [group_id, limit]

    def check_audit(self) -> Check:
        """What can be checked of the server's log: its guard triggers and every table's audit
        trigger present and enabled (only the owner could drop or disable them). There is no
        hash chain: the server, not a file on a laptop, keeps the log."""
        from facilitator.store.pg.migrations import AUDITED

        wanted = {("audit", n) for n in ("audit_stamp", "audit_no_update", "audit_no_truncate")}
        wanted |= {(s.table, f"audit_{s.table}") for s in AUDITED}
        with self.read() as conn:
            found = {
                (str(table), str(name)): str(enabled)
                for table, name, enabled in conn.execute(
                    "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
                    "JOIN pg_class c ON c.oid = t.tgrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND NOT t.tgisinternal"
                )
            }
            counted = conn.execute("SELECT count(*) FROM audit").fetchone()
            from facilitator.store.pg.clinic_schema import unguarded

            exposed = unguarded(conn)
        rows = counted[0] if counted else 0
        result = Check(rows=int(rows), kind="server")
        missing = sorted(f"{n} on {t}" for t, n in wanted if (t, n) not in found)
        disabled = sorted(
            f"{n} on {t}" for (t, n), e in found.items() if (t, n) in wanted and e == "D"
        )
        if missing:
            result.problems.append(f"audit trigger(s) dropped: {', '.join(missing[:4])}")
        if disabled:
            result.problems.append(f"audit trigger(s) disabled: {', '.join(disabled[:4])}")
        if exposed:
            result.problems.append(exposed)
        return result

    @staticmethod
    def shown_changes(changes: Any) -> str:
        """An audit row's changes (jsonb, read as a dict) as compact JSON text, as SQLite's
        ``json_object`` writes it."""
        return json.dumps(changes, ensure_ascii=False, separators=(",", ":"))

    def checkpoint(self) -> bool:
        """Nothing to fold on a server (its WAL and VACUUM are the server's business)."""
        return True

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()


DEAD_PEER = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 20000,
}
"""Over TCP, a server that vanished (a cut cable, a suspended laptop's Wi-Fi) is noticed within
about 25 s instead of the kernel's many minutes, so a save waiting on it fails and is retried
(a Unix socket ignores these)."""


def _dead_peer_limits(url: str) -> dict[str, int]:
    """The keepalive settings the URL does not set itself."""
    given = driver().conninfo.conninfo_to_dict(url)
    return {k: v for k, v in DEAD_PEER.items() if k not in given}


def _first_line(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = str(primary or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
