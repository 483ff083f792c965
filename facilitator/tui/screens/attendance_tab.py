"""The group screen's attendance tab (``AttendancePane``): the grid, cycling a mark, clearing a
week's roll; a person or a week chosen in the grid for the roster, schedule or notes tab."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from facilitator.actions import attendance
from facilitator.actions.overview import GroupView
from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    AttendanceStatus,
    AttendanceSummary,
    Completion,
    ParticipantAttendance,
)
from facilitator.tui.screens.pane import (
    GroupPane,
    MeetingAction,
    PersonAction,
    next_meeting,
)
from facilitator.tui.widgets.dialogs import ConfirmDialog
from facilitator.tui.widgets.door import next_mark, status_text
from facilitator.tui.widgets.grid import AttendanceGrid

SPARK = {
    AttendanceStatus.PRESENT: "█",
    AttendanceStatus.LATE: "▆",
    AttendanceStatus.LEFT_EARLY: "▆",
    AttendanceStatus.EXCUSED: "▂",
    AttendanceStatus.ABSENT: "▁",
}
COMPLETION_STYLE = {
    Completion.COMPLETED: "bold green",
    Completion.NOT_COMPLETED: "bold red",
    Completion.ON_TRACK: "green",
    Completion.BEHIND: "yellow",
    Completion.OUT_OF_REACH: "red",
    Completion.IN_PROGRESS: "dim",
}
LEGEND = (
    "pres present · late · ABS absent · exc excused · left left early · · not taken · blank: "
    "not a member. Space cycles a cell's mark (back to not taken); Delete clears the week's "
    "roll. Completion stays a forecast (on track, behind, out of reach) until the last meeting "
    "is held."
)


def sparkline(marks: dict[int, AttendanceStatus], weeks: list[int]) -> Text:
    """One character per week held: full block attended, low block absent, space not a member."""
    text = Text()
    for week in weeks:
        status = marks.get(week)
        text.append(
            SPARK[status] if status else " ",
            style="red" if status is AttendanceStatus.ABSENT else "green",
        )
    return text


def completion_text(row: ParticipantAttendance) -> Text:
    """A coloured completion cell: final only once no meeting is left for the person."""
    completion = row.completion
    label = "✓ completed" if completion is Completion.COMPLETED else completion.value
    return Text(label, style=COMPLETION_STYLE[completion])


class AttendancePane(GroupPane):
    """The participant x week grid: marks are taken here; a person or a meeting chosen here is
    handed up for the roster, schedule or notes tab to act on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "cycle", "Mark"),
        Binding("delete,backspace", "clear_roll", "Clear roll", show=False),
        Binding("n", "note", "Note"),
        Binding("N", "person_note", "Person note"),
        Binding("e", "person('edit')", "Edit person", show=False),
        Binding("L", "person('large_print')", "Large print", show=False),
        Binding("l", "person('leave')", "Leaves", show=False),
        Binding("x", "person('erase')", "Erase person", show=False),
        Binding("m", "meeting('move')", "Move", show=False),
        Binding("c", "meeting('cancel')", "Cancel meeting", show=False),
        Binding("k", "meeting('skip')", "Skip week", show=False),
        Binding("U", "meeting('use_plan')", "Use another plan", show=False),
    ]
    MAIN = "#grid"
    SELECTS_WEEK = True

    class RollSaved(Message):
        """A mark was saved, or a week's roll taken or cleared.

        ``summary`` is the new attendance summary when one mark changed (the grid already
        shows it); None when a whole column appeared or went (the screen reads everything
        again).
        """

        def __init__(self, week: int, summary: AttendanceSummary | None) -> None:
            super().__init__()
            self.week = week
            self.summary = summary

    def __init__(self, group_id: int) -> None:
        super().__init__("Attendance", group_id, id="tab-attendance")
        self.grid_ids: list[int] = []
        """Participant ids in the grid's row order."""
        self._placed = False

    def compose(self) -> ComposeResult:
        yield AttendanceGrid(id="grid")
        yield Static("", id="grid-legend", markup=False)

    def _grid(self) -> AttendanceGrid:
        return self.query_one("#grid", AttendanceGrid)

    def paint(self, view: GroupView) -> None:
        summary = view.summary
        weeks = [m.week for m in view.schedule.meetings]
        name_width = min(18, max([4, *(len(r.participant.sign_in_name) for r in summary.rows)]))
        headers = ["Name", *(f"W{w}" for w in weeks), "Rate", "Completion", "Risk", "Weeks"]
        widths = [name_width, *([4] * len(weeks)), 4, 13, 7, max(5, len(weeks))]
        self.grid_ids = [row.participant.id for row in summary.rows]
        grid = self._grid()
        grid.set_table(headers, widths, [self._grid_cells(row, summary) for row in summary.rows])
        if not self._placed:  # start on the next meeting's column: the roll at the door
            self._placed = True
            upcoming = next_meeting(self.fapp, view.schedule)
            if upcoming is not None:
                grid.move_cursor(column=upcoming.week)
        legend = self.query_one("#grid-legend", Static)
        dropped = ", ".join(str(w) for w in summary.dropped)
        legend.update(
            f"Meetings: {summary.held_text}"
            + (f" (week {dropped} cancelled)" if dropped else "")
            + ". "
            + LEGEND
        )

    def _grid_cells(
        self, row: ParticipantAttendance, summary: AttendanceSummary
    ) -> list[Text | str]:
        """One participant's row: name, a mark per week, rate, completion, risk, sparkline."""
        assert self.view is not None
        person = row.participant
        cells: list[Text | str] = [Text(person.sign_in_name)]
        for meeting in self.view.schedule.meetings:
            if meeting.cancelled:
                cells.append(Text("cxl", style="dim strike"))
            elif person.enrolled_on(meeting.start.date()):
                cells.append(status_text(row.marks.get(meeting.week), short=True))
            else:
                cells.append(Text(""))
        rate = f"{row.rate:.0%}" if row.rate is not None else "–"
        cells += [
            rate,
            completion_text(row),
            Text("at risk", style="bold red") if row.at_risk else "",
            sparkline(row.marks, list(summary.weeks)),
        ]
        return cells

    # -- selection --------------------------------------------------------------------------

    def selected_week(self) -> int | None:
        """The week of the grid's column; on the name column (or after it) the next meeting."""
        if self.view is None:
            return None
        column = self._grid().cursor_column
        weeks = [m.week for m in self.view.schedule.meetings]
        if 1 <= column <= len(weeks):
            return weeks[column - 1]
        meeting = next_meeting(self.fapp, self.view.schedule)
        return meeting.week if meeting else None

    def selected_participant(self) -> int | None:
        row = self._grid().cursor_row
        return self.grid_ids[row] if 0 <= row < len(self.grid_ids) else None

    # -- handed up: a person, a meeting, a note ------------------------------------------

    def action_person(self, action: PersonAction) -> None:
        """Edit, large print, leave or erase the grid row's person (the roster tab does it)."""
        pid = self.selected_participant()
        if pid is not None:
            self.post_message(self.PersonActionRequested(action, pid))

    def action_meeting(self, action: MeetingAction) -> None:
        """Move, cancel, skip or re-plan the column's meeting (the schedule tab does it)."""
        self.post_message(self.MeetingActionRequested(action, self.selected_week()))

    def action_note(self) -> None:
        """The group note of the column's meeting."""
        week = self.selected_week()
        if week is not None:
            self.post_message(self.NoteRequested(week, None))

    def action_person_note(self) -> None:
        """A short note about the selected person at the selected meeting.

        Such a note should be about that person only: if it names another member, the app
        says so (the note is still saved as written).
        """
        week, pid = self.selected_week(), self.selected_participant()
        if week is None or pid is None:
            self.notify("Choose a person and a week in the attendance grid first.")
            return
        self.post_message(self.NoteRequested(week, pid))

    # -- marks ------------------------------------------------------------------------------

    def action_cycle(self) -> None:
        """Cycle the selected cell's mark (present, late, absent, excused, left early, not
        taken) and save it; a future meeting's first mark asks first."""
        if self.view is None or not self._guard("take attendance"):
            return
        week, pid = self.selected_week(), self.selected_participant()
        grid = self._grid()
        if week is None or pid is None or grid.cursor_column == 0:
            return
        store = self.fapp.store
        roll = attendance.roll(store, self.group_id, week)
        marks, taken = roll.marks, roll.taken
        new = next_mark(marks.get(pid)) if taken else AttendanceStatus.PRESENT
        meeting = self.view.schedule.meeting(week)
        today = self.fapp.clock.now().astimezone(meeting.start.tzinfo).date()
        if not taken and meeting.start.date() > today:

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self._save_mark(week, pid, new, first=True)

            self.app.push_screen(
                ConfirmDialog(
                    f"Week {week} meets on {meeting.start:%a %d %b %Y}, in the future. "
                    "Take its roll now?",
                    "Everyone is marked present and this person's mark can then be changed. "
                    "Delete on the week clears the roll again.",
                    yes="Take the roll",
                ),
                confirmed,
            )
            return
        self._save_mark(week, pid, new, first=not taken)

    def _save_mark(
        self, week: int, pid: int, status: AttendanceStatus | None, *, first: bool
    ) -> None:
        store = self.fapp.store
        try:
            left = attendance.set_mark(store, self.group_id, week, pid, status)
        except FacilitatorError as exc:
            self.notify(exc.message, title="Could not save the roll", severity="error")
            return
        if first or not left:  # a column of marks appeared or went: every tab reads again
            self.post_message(self.RollSaved(week, None))
            if first:
                self.notify(
                    f"Week {week}'s roll taken: everyone present. Space changes a mark; "
                    "Delete clears the week's roll."
                )
            else:
                self.notify(f"Week {week}'s roll cleared: its last mark was taken away.")
            return
        summary = attendance.summary(store, self.group_id)  # one row repaints: the grid stays quick
        row = next(r for r in summary.rows if r.participant.id == pid)
        grid = self._grid()
        grid.update_row(grid.cursor_row, self._grid_cells(row, summary))
        self.post_message(self.RollSaved(week, summary))

    def action_clear_roll(self) -> None:
        """Clear the selected week's whole roll, after asking (the meeting is then not held)."""
        if not self._guard("clear a roll"):
            return
        week = self.selected_week()
        store = self.fapp.store
        roll = attendance.roll(store, self.group_id, week) if week is not None else None
        if week is None or roll is None or not roll.taken:
            self.notify("No roll taken for this week: nothing to clear.", severity="warning")
            return
        count = len(roll.marks)

        def done(ok: bool | None) -> None:
            if not ok:
                return
            try:
                attendance.clear_roll(store, self.group_id, week)
            except FacilitatorError as exc:
                self.notify(exc.message, title="Could not clear the roll", severity="error")
                return
            self.post_message(self.RollSaved(week, None))
            self.notify(f"Week {week}'s roll cleared ({count} mark(s) removed).")

        self.app.push_screen(
            ConfirmDialog(
                f"Clear week {week}'s roll?",
                f"All {count} mark(s) of week {week} are removed and the meeting counts as not "
                "held until a roll is taken again.",
                yes="Clear the roll",
            ),
            done,
        )
