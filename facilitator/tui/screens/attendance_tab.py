"""The group screen's attendance tab: the grid, cycling a mark, clearing a week's roll."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from facilitator.actions import attendance
from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    AttendanceStatus,
    AttendanceSummary,
    Completion,
    ParticipantAttendance,
    Schedule,
)
from facilitator.tui.widgets.dialogs import ConfirmDialog
from facilitator.tui.widgets.door import next_mark, status_text
from facilitator.tui.widgets.grid import AttendanceGrid

if TYPE_CHECKING:
    from textual.screen import Screen

    from facilitator.tui.app import FacilitatorApp

    _Base = Screen[None]
else:
    _Base = object

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


class AttendanceTab(_Base):
    """Mixed into the group screen: fills the grid and acts on its cells."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    schedule: Schedule | None
    group_id: int
    grid_ids: list[int]
    _selected_week: Callable[[], int | None]
    _selected_participant: Callable[[], int | None]
    _tab: Callable[[], str]
    _guard: Callable[[str], bool]

    def _grid(self) -> AttendanceGrid:
        return self.query_one("#grid", AttendanceGrid)

    def _fill_grid(self) -> None:
        assert self.schedule is not None
        summary = attendance.summary(self.fapp.store, self.group_id)
        weeks = [m.week for m in self.schedule.meetings]
        name_width = min(18, max([4, *(len(r.participant.sign_in_name) for r in summary.rows)]))
        headers = ["Name", *(f"W{w}" for w in weeks), "Rate", "Completion", "Risk", "Weeks"]
        widths = [name_width, *([4] * len(weeks)), 4, 13, 7, max(5, len(weeks))]
        self.grid_ids = [row.participant.id for row in summary.rows]
        self._grid().set_table(
            headers, widths, [self._grid_cells(row, summary) for row in summary.rows]
        )
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
        assert self.schedule is not None
        person = row.participant
        cells: list[Text | str] = [Text(person.sign_in_name)]
        for meeting in self.schedule.meetings:
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

    def action_cycle(self) -> None:
        """Cycle the selected cell's mark (present, late, absent, excused, left early, not
        taken) and save it; a future meeting's first mark asks first."""
        if self._tab() != "tab-attendance" or not self._guard("take attendance"):
            return
        week, pid = self._selected_week(), self._selected_participant()
        grid = self._grid()
        if week is None or pid is None or grid.cursor_column == 0:
            return
        assert self.schedule is not None
        roll = attendance.roll(self.fapp.store, self.group_id, week)
        marks, taken = roll.marks, roll.taken
        new = next_mark(marks.get(pid)) if taken else AttendanceStatus.PRESENT
        meeting = self.schedule.meeting(week)
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
        if first or not left:  # a column of marks appeared or went: repaint the whole grid
            self._fill_grid()
            if first:
                self.notify(
                    f"Week {week}'s roll taken: everyone present. Space changes a mark; "
                    "Delete clears the week's roll."
                )
            else:
                self.notify(f"Week {week}'s roll cleared: its last mark was taken away.")
            return
        summary = attendance.summary(store, self.group_id)
        row = next(r for r in summary.rows if r.participant.id == pid)
        grid = self._grid()
        grid.update_row(grid.cursor_row, self._grid_cells(row, summary))

    def action_clear_roll(self) -> None:
        """Clear the selected week's whole roll, after asking (the meeting is then not held)."""
        if self._tab() != "tab-attendance" or not self._guard("clear a roll"):
            return
        week = self._selected_week()
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
            self._fill_grid()
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
