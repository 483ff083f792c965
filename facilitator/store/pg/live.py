"""Live sharing on PostgreSQL: the server says which group changed, the app re-reads that group.

``LIVE_NOTIFY`` is a migration of its own: an ``AFTER INSERT OR UPDATE OR DELETE`` row trigger
on each table a co-facilitator's screen shows calls ``pg_notify`` on the channel
``facilitator_changes`` with a payload of two facts, ``{"group": 42, "what": "attendance"}``.
Because the server fires it, every change is announced, whoever made it and however (the app,
the CLI, raw SQL); and since PostgreSQL delivers one notification per distinct payload per
transaction, a roll of twelve marks is one message, sent when the transaction commits (never
for a rolled-back one).

What a payload reveals: any role that can connect to the database can ``LISTEN`` on any
channel (PostgreSQL has no privilege for it), so a staff member who does not facilitate a group
can learn that *some* group with that id changed its attendance, roster, notes, schedule or run,
and when. Never a name, a note's text, a mark or a participant id: those are read through the
verbs, under the server's row-level security. See docs/STORE.md, "Live sharing".

:class:`ChangeFeed` is the listening side: one dedicated connection in autocommit, ``LISTEN``,
then :meth:`ChangeFeed.wait` returns what arrived. A lost connection is made again with backoff;
after a reconnect the feed reports :data:`EVERYTHING` (notifications sent meanwhile are lost, so
the app re-reads what it shows).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

CHANNEL = "facilitator_changes"

WHAT = {
    "groups": ("id", "group"),
    "facilitators": ("group_id", "group"),
    "group_weeks": ("group_id", "schedule"),
    "skips": ("group_id", "schedule"),
    "changes": ("group_id", "schedule"),
    "participants": ("group_id", "roster"),
    "rolls": ("group_id", "attendance"),
    "marks": ("group_id", "attendance"),
    "group_notes": ("group_id", "notes"),
    "participant_notes": ("group_id", "notes"),
    "meeting_runs": ("group_id", "run"),
}
"""Each table whose changes a co-facilitator sees: the column naming its group, and the kind of
change announced (the payload's ``what``)."""

LIVE_NOTIFY: list[str] = [
    # Built only from the literals above, never from user input.
    f"""CREATE FUNCTION live_notify() RETURNS trigger LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp AS $$
    DECLARE
      this_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
      gid text := this_row ->> TG_ARGV[0];
    BEGIN
      IF gid IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}',
                          json_build_object('group', gid::bigint, 'what', TG_ARGV[1])::text);
      END IF;
      RETURN NULL;
    END $$""",
    *(
        f"CREATE TRIGGER live_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION live_notify('{column}', '{what}')"
        for table, (column, what) in WHAT.items()
    ),
]
"""The migration that adds the notifying triggers (PostgreSQL only)."""

EVERYTHING = 0
"""The group id of a :class:`Change` that means "re-read everything": the feed was
disconnected, and what changed meanwhile is unknown."""

BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)


@dataclass(frozen=True, slots=True)
class Change:
    """Something in one group changed (``group_id`` 0: anything may have)."""

    group_id: int
    what: str


def parse(payload: str) -> Change | None:
    """A notification's payload as a :class:`Change` (None if it is not one of ours)."""
    try:
        data = json.loads(payload)
        return Change(int(data["group"]), str(data["what"]))
    except (ValueError, KeyError, TypeError):
        return None


class ChangeFeed:
    """A dedicated listening connection to the server (one thread uses it).

    ``own_pid`` gives the backend pid of the app's own store connection: changes the app made
    itself are left out (it has already shown them).
    """

    def __init__(self, url: str, own_pid: Callable[[], int | None] = lambda: None) -> None:
        self.url = url
        self.own_pid = own_pid
        self.conn: psycopg.Connection[Any] | None = None
        self.connected_once = False
        self.failures = 0
        self.closed = False

    @property
    def connected(self) -> bool:
        return self.conn is not None and not self.conn.closed and not self.conn.broken

    def _connect(self) -> bool:
        import psycopg

        try:
            conn = psycopg.connect(
                self.url, autocommit=True, connect_timeout=10, application_name="facilitator-live"
            )
            conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            self.failures += 1
            return False
        self.conn = conn
        self.failures = 0
        return True

    def wait(self, timeout: float) -> list[Change]:
        """What changed, waiting up to ``timeout`` seconds for the first notification (then
        taking whatever else arrives right after it, so a burst is one answer). Empty when
        nothing came; ``[Change(EVERYTHING, "reconnected")]`` after the connection was made
        again."""
        import psycopg

        if self.closed:
            self._drop()
            return []
        if not self.connected:
            self._drop()
            if not self._connect():
                time.sleep(min(timeout, BACKOFF_S[min(self.failures, len(BACKOFF_S)) - 1]))
                return []
            if self.connected_once:
                return [Change(EVERYTHING, "reconnected")]
            self.connected_once = True
        assert self.conn is not None
        found: list[Change] = []
        try:
            for note in self.conn.notifies(timeout=timeout, stop_after=1):
                self._take(note, found)
            if found:
                for note in self.conn.notifies(timeout=0.05):
                    self._take(note, found)
        except psycopg.Error:
            self._drop()
            return found
        return list(dict.fromkeys(found))

    def _take(self, note: psycopg.Notify, found: list[Change]) -> None:
        if note.channel != CHANNEL or note.pid == self.own_pid():
            return
        change = parse(note.payload)
        if change is not None:
            found.append(change)

    def _drop(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                self.conn.close()
        self.conn = None

    def close(self) -> None:
        """Stop listening: the connection is closed by the listening thread's next
        :meth:`wait` (within its timeout), never under its feet from another thread."""
        self.closed = True
