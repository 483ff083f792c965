"""Live sharing in the app: what a co-facilitator changed shows here within a moment.

On a PostgreSQL store, a thread worker listens on a dedicated connection
(``Store.change_feed()``, LISTEN/NOTIFY) and posts :class:`GroupChanged` to the screen on top;
the group screen re-reads that group only (``GroupScreen.reload``), the home screen that
group's row. Nothing polls: without a notification nothing is read. After the listening
connection was lost and made again, the message says "everything" (what changed meanwhile is
unknown) and the outbox is told to try its waiting saves now. On the SQLite file there is no
listener.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from facilitator.actions import data
from facilitator.errors import FacilitatorError

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp

EVERYTHING = 0
"""``GroupChanged.group_id`` when anything may have changed (the feed reconnected)."""

WAIT_S = 0.5
"""How long one wait for a notification lasts (how soon the worker sees the app closing)."""


class GroupChanged(Message):
    """Someone else changed a group (``group_id`` 0: any group may have changed)."""

    def __init__(self, group_ids: frozenset[int], what: frozenset[str]) -> None:
        super().__init__()
        self.group_ids = group_ids
        self.what = what

    def concerns(self, group_id: int) -> bool:
        return EVERYTHING in self.group_ids or group_id in self.group_ids

    @property
    def reason(self) -> str:
        """For ``reload(reason)``: "shared: attendance, notes"."""
        return "shared: " + ", ".join(sorted(self.what))


def start(app: FacilitatorApp) -> None:
    """Listen for other people's changes, if the store is on a server."""
    app.run_worker(lambda: _listen(app), thread=True, group="live", exit_on_error=False)


def _listen(app: FacilitatorApp) -> None:
    try:
        feed = data.change_feed(app.store)
    except FacilitatorError:
        return  # the home screen says why the database did not open
    if feed is None:
        return
    worker = get_current_worker()
    try:
        while not worker.is_cancelled and app.is_running:
            changes = feed.wait(WAIT_S)
            if changes:
                message = GroupChanged(
                    frozenset(c.group_id for c in changes), frozenset(c.what for c in changes)
                )
                app.call_from_thread(_deliver, app, message)
    except RuntimeError:  # the app closed while a message was on its way
        pass
    finally:
        feed.close()
        feed.wait(0)


def _deliver(app: FacilitatorApp, message: GroupChanged) -> None:
    if EVERYTHING in message.group_ids and app.outbox_started:
        app.outbox.kick()
    shown = top_screen(app)
    if shown is not None:
        shown.post_message(message)


def top_screen(app: FacilitatorApp) -> Screen[object] | None:
    """The screen the user sees (under any dialog on top of it)."""
    for screen in reversed(app.screen_stack):
        if not screen.is_modal:
            found: Screen[object] = screen
            return found
    return None
