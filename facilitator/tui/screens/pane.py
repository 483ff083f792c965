"""The group screen's tabs: ``GroupView`` (what the screen reads and hands down), ``GroupPane``
(the base of each tab's widget) and the requests a tab posts up for a sibling to carry out.

Attributes down, messages up: the screen sets every pane's ``view`` reactive; a pane that changed
something posts its own past-tense message (``RosterPane.Changed``, ``SchedulePane.Changed``,
``AttendancePane.RollSaved``, ``NotesPane.NoteSaved``) and never repaints another tab itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual.coordinate import Coordinate
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, TabPane

from facilitator.actions.overview import GroupView
from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    Meeting,
    Schedule,
)

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp

PersonAction = Literal["edit", "large_print", "leave", "erase"]
MeetingAction = Literal["move", "cancel", "skip", "use_plan"]


def next_meeting(app: FacilitatorApp, schedule: Schedule) -> Meeting | None:
    """The meeting in progress now, else the next one (the default of week-wise keys)."""
    from facilitator.actions.overview import upcoming

    return upcoming(schedule, app.clock.now())


class GroupPane(TabPane):
    """One tab of the group screen: shows ``view`` (set by the screen), owns its keys."""

    view: reactive[GroupView | None] = reactive(None, always_update=True, init=False)
    """What to show, set by the screen whenever it reads the group (data down)."""

    MAIN = ""
    """The selector of the widget the keyboard goes to when the tab is shown."""
    SELECTS_WEEK = False
    """True for a tab with a meeting selection of its own (print and make-up packs use it)."""

    class PersonActionRequested(Message):
        """A person was chosen on this tab for an action the roster tab carries out."""

        def __init__(self, action: PersonAction, participant_id: int) -> None:
            super().__init__()
            self.action: PersonAction = action
            self.participant_id = participant_id

    class MeetingActionRequested(Message):
        """A meeting was chosen on this tab for an action the schedule tab carries out
        (``week`` None: the next meeting)."""

        def __init__(self, action: MeetingAction, week: int | None) -> None:
            super().__init__()
            self.action: MeetingAction = action
            self.week = week

    class NoteRequested(Message):
        """A meeting (and a person) was chosen on this tab for a note the notes tab edits."""

        def __init__(self, week: int, participant_id: int | None) -> None:
            super().__init__()
            self.week = week
            self.participant_id = participant_id

    def __init__(self, title: str, group_id: int, *, id: str) -> None:
        super().__init__(title, id=id)
        self.group_id = group_id

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    def watch_view(self, view: GroupView | None) -> None:
        if view is not None:
            self.paint(view)

    def paint(self, view: GroupView) -> None:
        """Show ``view`` (each tab fills its table; a table keeps its cursor)."""

    def focus_main(self) -> None:
        """Put the keyboard in this tab's table or grid."""
        if self.MAIN:
            self.query_one(self.MAIN).focus()

    def selected_week(self) -> int | None:
        """The curriculum week selected on this tab (None: this tab selects no meeting)."""
        return None

    def selected_participant(self) -> int | None:
        """The participant selected on this tab (None: this tab selects no person)."""
        return None

    def _guard(self, action: str) -> bool:
        if self.fapp.readonly_reason:
            self.notify(f"Cannot {action}: {self.fapp.readonly_reason}", severity="error")
            return False
        return True

    def _do(self, what: str, job: Callable[[], object]) -> bool:
        """Run a store call; on failure (a full disk, a conflict) say so and return False.

        Nothing saved before is touched: each store call is one transaction. On success the
        caller posts its message, and the screen reloads what every tab shows.
        """
        try:
            job()
        except FacilitatorError as exc:
            self.notify(exc.message, title=f"Could not {what}", severity="error", timeout=10)
            return False
        return True


def fill_table(
    table: DataTable[str | Text], columns: tuple[str, ...], fill: Callable[[], None]
) -> None:
    """Empty a table and fill it again (its columns added on first use), keeping its cursor."""
    if not table.columns:
        table.add_columns(*columns)
    cursor: Coordinate = table.cursor_coordinate
    table.clear()
    fill()
    if table.row_count:
        table.cursor_coordinate = table.validate_cursor_coordinate(cursor)


def row_key(table: DataTable[str | Text]) -> str:
    """The key of the row under a table's cursor ("" for none)."""
    if table.row_count == 0:
        return ""
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
