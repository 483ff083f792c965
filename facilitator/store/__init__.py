"""The embedded database: groups, roster, schedule changes, attendance and notes.

Everything goes through :class:`Store`, whose verbs take and return model records and plain
Python values only (no sqlite3 or psycopg types): the same verbs run on the SQLite file and on a
PostgreSQL server (:mod:`facilitator.store.pg`). See docs/STORE.md.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from facilitator.store.attendance import AttendanceMixin, ConflictError, mentioned_members
from facilitator.store.db import DB_NAME, Database, Now, utc_now
from facilitator.store.engines import configured_url, is_postgres
from facilitator.store.groups import GroupsMixin
from facilitator.store.maintenance import MaintenanceMixin
from facilitator.store.migrations import migrate
from facilitator.store.outputs import OutputsMixin
from facilitator.store.overview import GroupFacts, OverviewMixin
from facilitator.store.pg.live import ChangeFeed
from facilitator.store.roster import RosterMixin
from facilitator.store.runs import RunsMixin

__all__ = [
    "DB_NAME",
    "ConflictError",
    "GroupFacts",
    "Store",
    "mentioned_members",
    "open_store",
    "server_url",
]


class Store(
    GroupsMixin,
    RosterMixin,
    AttendanceMixin,
    MaintenanceMixin,
    RunsMixin,
    OutputsMixin,
    OverviewMixin,
):
    """The repository: one open database and the verbs that act on it.

    ``where`` is the SQLite file, or a ``postgresql://`` URL for a PostgreSQL server.
    """

    db: Database

    def __init__(
        self,
        where: Path | str,
        *,
        actor: str | None = None,
        clock: Now = utc_now,
        readonly: bool = False,
    ) -> None:
        if isinstance(where, str) and is_postgres(where):
            from facilitator.store.pg.db import PgDatabase
            from facilitator.store.pg.migrations import migrate as migrate_pg

            pg = PgDatabase(where, actor=actor, clock=clock, readonly=readonly)
            self.db = pg  # type: ignore[assignment]
            try:
                migrate_pg(pg)
            except BaseException:
                pg.close()
                raise
            return
        self.db = Database(Path(where), actor=actor, clock=clock, readonly=readonly)
        try:
            migrate(self.db)
        except BaseException:
            self.db.close()
            raise

    @property
    def engine(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.db.engine

    @property
    def where(self) -> str:
        """The database as named to the user: the file, or the URL without its password."""
        return self.db.where

    @property
    def path(self) -> Path:
        """The database file (SQLite only)."""
        self.db.sqlite_only("the database file")
        return self.db.path

    @property
    def readonly(self) -> bool:
        """Opened read-only (a read-only folder or a full disk): every write is refused."""
        return self.db.readonly

    def change_feed(self) -> ChangeFeed | None:
        """On PostgreSQL, a new listening connection that reports which group changed (live
        sharing, store/pg/live.py); None on the SQLite file (one app, nothing to hear)."""
        if self.engine != "postgresql":
            return None
        db = self.db
        return ChangeFeed(str(getattr(db, "url", "")), lambda: getattr(db, "pid", None))

    def checkpoint(self) -> bool:
        """Fold the WAL into the database file and truncate it."""
        return self.db.checkpoint()

    def close(self) -> None:
        """Record the audit log's head outside the file, then close the database."""
        try:
            self.anchor()
        finally:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def server_url(data_dir: Path, url: str | None = None) -> str:
    """The PostgreSQL URL the store would open (``url``, the environment, settings.toml), or
    '' when it opens the SQLite file in ``data_dir``."""
    chosen = configured_url(url, data_dir)
    return chosen if is_postgres(chosen) else ""


def open_store(
    data_dir: Path,
    *,
    url: str | None = None,
    actor: str | None = None,
    clock: Now = utc_now,
    readonly: bool = False,
) -> Store:
    """Open the store: the database ``url`` names (``--database``), else the one in
    ``$FACILITATOR_DATABASE_URL`` or settings.toml's ``database_url``, else the SQLite file in
    ``data_dir`` (created on first use, with no questions)."""
    chosen = configured_url(url, data_dir)
    if is_postgres(chosen):
        return Store(chosen, actor=actor, clock=clock, readonly=readonly)
    return Store(data_dir / DB_NAME, actor=actor, clock=clock, readonly=readonly)
