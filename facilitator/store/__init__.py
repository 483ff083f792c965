"""The embedded database: groups, roster, schedule changes, attendance and notes.

Everything goes through :class:`Store`, whose verbs take and return model records and plain
Python values only (no sqlite3 types), so that another backend could stand behind the same API.
See docs/STORE.md.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from facilitator.store.attendance import AttendanceMixin, ConflictError, mentioned_members
from facilitator.store.db import DB_NAME, Database, Now, utc_now
from facilitator.store.groups import GroupsMixin
from facilitator.store.maintenance import MaintenanceMixin
from facilitator.store.migrations import migrate
from facilitator.store.outputs import OutputsMixin
from facilitator.store.roster import RosterMixin
from facilitator.store.runs import RunsMixin

__all__ = ["DB_NAME", "ConflictError", "Store", "mentioned_members", "open_store"]


class Store(GroupsMixin, RosterMixin, AttendanceMixin, MaintenanceMixin, RunsMixin, OutputsMixin):
    """The repository: one open database and the verbs that act on it."""

    def __init__(
        self,
        path: Path,
        *,
        actor: str | None = None,
        clock: Now = utc_now,
        readonly: bool = False,
    ) -> None:
        self.db = Database(path, actor=actor, clock=clock, readonly=readonly)
        try:
            migrate(self.db)
        except BaseException:
            self.db.close()
            raise

    @property
    def path(self) -> Path:
        """The database file."""
        return self.db.path

    @property
    def readonly(self) -> bool:
        """Opened read-only (a read-only folder or a full disk): every write is refused."""
        return self.db.readonly

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


def open_store(
    data_dir: Path, *, actor: str | None = None, clock: Now = utc_now, readonly: bool = False
) -> Store:
    """Open (creating on first use, with no questions) the database in ``data_dir``."""
    return Store(data_dir / DB_NAME, actor=actor, clock=clock, readonly=readonly)
