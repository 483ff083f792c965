"""Attendance at the door: everyone present by default; the facilitator marks exceptions."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Label, Static

from facilitator.model.group import AttendanceStatus, Participant
from facilitator.tui.widgets.dialogs import ConfirmDialog

CYCLE = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.LEFT_EARLY,
)
STYLE = {
    AttendanceStatus.PRESENT: "green",
    AttendanceStatus.LATE: "yellow",
    AttendanceStatus.LEFT_EARLY: "yellow",
    AttendanceStatus.EXCUSED: "blue",
    AttendanceStatus.ABSENT: "red",
}


def next_status(status: AttendanceStatus) -> AttendanceStatus:
    """The status after ``status`` when a cell is cycled."""
    return CYCLE[(CYCLE.index(status) + 1) % len(CYCLE)]


def next_mark(status: AttendanceStatus | None) -> AttendanceStatus | None:
    """The grid's cycle: not taken, then each status in turn, then back to not taken."""
    if status is None:
        return CYCLE[0]
    index = CYCLE.index(status) + 1
    return CYCLE[index] if index < len(CYCLE) else None


SHORT = {
    AttendanceStatus.PRESENT: "pres",
    AttendanceStatus.LATE: "late",
    AttendanceStatus.LEFT_EARLY: "left",
    AttendanceStatus.EXCUSED: "exc",
    AttendanceStatus.ABSENT: "ABS",
}


def status_text(status: AttendanceStatus | None, *, short: bool = False) -> Text:
    """A coloured cell for a status ("·" when there is no mark)."""
    if status is None:
        return Text("·", style="dim")
    label = SHORT[status] if short else str(status)
    return Text(label, style=STYLE[status] + (" bold" if status is AttendanceStatus.ABSENT else ""))


class DoorAttendance(ModalScreen[dict[int, AttendanceStatus] | None]):
    """Mark who is late, absent, excused or left early; Enter saves the whole roll at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "cycle", "Change status"),
        Binding("enter", "save", "Save roll", priority=True),
        Binding("escape", "discard", "Discard"),
        # a modal screen hides the app's own keys: help is offered here again
        Binding("question_mark,f1", "app.help", "Help"),
    ]

    def __init__(
        self, members: list[Participant], marks: dict[int, AttendanceStatus] | None = None
    ) -> None:
        super().__init__()
        self.members = members
        self.statuses = {p.id: (marks or {}).get(p.id, AttendanceStatus.PRESENT) for p in members}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Attendance at the door", classes="dialog-title")
            yield Static(
                "Everyone is present unless you change them. Space changes the status, "
                "Enter saves the roll, Escape leaves without saving (after asking).",
                classes="dialog-hint",
            )
            yield DataTable(id="door", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Status")
        for person in self.members:
            table.add_row(
                Text(person.sign_in_name), status_text(self.statuses[person.id]), key=str(person.id)
            )
        table.focus()

    def action_cycle(self) -> None:
        """Move the selected person to the next status."""
        table = self.query_one(DataTable)
        if not self.members:
            return
        person = self.members[table.cursor_row]
        self.statuses[person.id] = next_status(self.statuses[person.id])
        table.update_cell(
            str(person.id), table.ordered_columns[1].key, status_text(self.statuses[person.id])
        )

    def action_discard(self) -> None:
        """Close without saving, but only after asking: nothing of this roll is kept."""

        def done(ok: bool | None) -> None:
            if ok:
                self.dismiss(None)

        changed = sum(s is not AttendanceStatus.PRESENT for s in self.statuses.values())
        self.app.push_screen(
            ConfirmDialog(
                "Leave without saving this roll?",
                f"Nothing is saved: not the {len(self.members)} people present"
                + (f" nor the {changed} change(s) you marked" if changed else "")
                + ". Choose Cancel to go back to the roll, then Enter to save it.",
                yes="Discard the roll",
            ),
            done,
        )

    def action_save(self) -> None:
        """Close with the exceptions (everyone not present)."""
        self.dismiss(
            {pid: s for pid, s in self.statuses.items() if s is not AttendanceStatus.PRESENT}
        )
