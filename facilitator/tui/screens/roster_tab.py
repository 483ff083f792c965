"""The group screen's roster tab (``RosterPane``): the table of participants, and adding,
editing, large print, leaving and erasing a person."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from facilitator.actions import roster
from facilitator.actions.overview import GroupView
from facilitator.errors import FacilitatorError
from facilitator.model.group import Participant
from facilitator.tui.screens.pane import GroupPane, PersonAction, fill_table, row_key
from facilitator.tui.widgets.dialogs import ConfirmDialog
from facilitator.tui.widgets.person_dialog import PersonDialog, PersonForm

if TYPE_CHECKING:
    from facilitator.actions.roster import Erased

ROSTER_COLUMNS = ("Name", "Initial", "Email", "Joined", "Left", "Large print", "Files")


def erase_summary(result: Erased) -> str:
    """The notification after an erase: files deleted, files not reached, backups."""
    parts = [f"Deleted {len(result.deleted)} file(s) that named them."]
    if result.reprintable:
        parts.append(
            f"{len(result.reprintable)} listed the whole group "
            f"({', '.join(p.name for p in result.reprintable[:3])}"
            f"{' ...' if len(result.reprintable) > 3 else ''}): print them again if needed."
        )
    if result.unreachable:
        parts.append(
            "Could not delete (do it by hand): "
            + "; ".join(f"{p} ({why})" for p, why in result.unreachable)
        )
    held = ", ".join(str(p) for p in result.backups)
    parts.append(f"Backups made earlier still hold the name{': ' + held if held else ''}.")
    return " ".join(parts)


class RosterPane(GroupPane):
    """The people of the group; each action here posts ``RosterPane.Changed`` once saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_participant", "Add person"),
        Binding("e", "person('edit')", "Edit"),
        Binding("L", "person('large_print')", "Large print", show=False),
        Binding("l", "person('leave')", "Leaves", show=False),
        Binding("x", "person('erase')", "Erase"),
    ]
    MAIN = "#roster"

    class Changed(Message):
        """Someone was added, edited, left or erased (``erased``: what an erase did)."""

        def __init__(self, what: str, erased: Erased | None = None) -> None:
            super().__init__()
            self.what = what
            self.erased = erased

    def __init__(self, group_id: int) -> None:
        super().__init__("Roster", group_id, id="tab-roster")

    def compose(self) -> ComposeResult:
        yield DataTable(id="roster", cursor_type="row", zebra_stripes=True)

    def paint(self, view: GroupView) -> None:
        table = self.query_one("#roster", DataTable)

        def fill() -> None:
            for p in view.participants:
                table.add_row(
                    Text(p.preferred_name),
                    Text(p.last_initial),
                    Text(p.email),
                    str(p.joined or ""),
                    str(p.left or ""),
                    "yes" if p.large_print else "",
                    p.file_id,
                    key=str(p.id),
                )

        fill_table(table, ROSTER_COLUMNS, fill)

    def selected_participant(self) -> int | None:
        key = row_key(self.query_one("#roster", DataTable))
        return int(key) if key else None

    def action_person(self, action: PersonAction) -> None:
        """Edit, large print, leave or erase the selected person."""
        pid = self.selected_participant()
        if pid is not None:
            self.act(action, pid)

    def act(self, action: PersonAction, pid: int) -> None:
        """Carry out a person's action (chosen here or on another tab)."""
        acts: dict[PersonAction, Callable[[int], None]] = {
            "edit": self.edit_participant,
            "large_print": self.large_print,
            "leave": self.leave,
            "erase": self.erase,
        }
        acts[action](pid)

    def _changed(self, what: str) -> None:
        self.post_message(self.Changed(what))

    def action_add_participant(self) -> None:
        """Enrol someone: name (a full name is split), last initial, e-mail, large print."""
        if not self._guard("add a person"):
            return

        def enrol(form: PersonForm | None) -> None:
            if form is None:
                return
            today = self.fapp.clock.now().date()
            done: list[roster.Enrolled] = []
            if self._do(
                "add the person",
                lambda: done.append(
                    roster.enrol(
                        self.fapp.store,
                        self.group_id,
                        form.preferred_name,
                        initial=form.last_initial,
                        email=form.email,
                        large_print=form.large_print,
                        joined=today,
                    )
                ),
            ):
                shown = Participant(0, 0, form.preferred_name, form.last_initial).sign_in_name
                self._changed(f"added {shown}")
                self.notify(f"Added {shown} and saved.")
                self._warn_script(done[0].script_warning)
                twins = done[0].twins
                if twins:
                    self.notify(
                        f"{shown} was already in the group (id {twins[0].id}): if this is the "
                        "same person, erase the new entry (x on the roster).",
                        severity="warning",
                        timeout=12,
                    )

        self.app.push_screen(PersonDialog("Add a person"), enrol)

    def edit_participant(self, pid: int) -> None:
        """Change a person's name, initial, e-mail or large print."""
        if not self._guard("edit a person"):
            return
        person = roster.person(self.fapp.store, pid)

        def save(form: PersonForm | None) -> None:
            if form is None:
                return
            done: list[roster.Edited] = []
            if self._do(
                "save the change",
                lambda: done.append(
                    roster.edit(
                        self.fapp.store,
                        pid,
                        name=form.preferred_name,
                        initial=form.last_initial,
                        email=form.email,
                        large_print=form.large_print,
                    )
                ),
            ):
                self._changed("edited")
                self.notify("Saved.")
                self._warn_script(done[0].script_warning)

        self.app.push_screen(PersonDialog(f"Edit {person.sign_in_name}", person), save)

    def _warn_script(self, warning: str) -> None:
        """Warn when no installed font prints the script of a name just entered."""
        if warning:
            self.notify(
                warning[0].upper() + warning[1:], title="Name", severity="warning", timeout=15
            )

    def large_print(self, pid: int) -> None:
        """Switch large print on or off for a person's worksheets."""
        if not self._guard("change large print"):
            return
        person = roster.person(self.fapp.store, pid)
        if self._do(
            "save the change",
            lambda: roster.edit(self.fapp.store, pid, large_print=not person.large_print),
        ):
            self._changed("large print")
            self.notify(
                f"Large print {'off' if person.large_print else 'on'}: {person.sign_in_name}"
            )

    def leave(self, pid: int) -> None:
        """A person leaves the group today (their record stays)."""
        if not self._guard("end a membership"):
            return
        person = roster.person(self.fapp.store, pid)
        today: date = self.fapp.clock.now().date()

        def done(ok: bool | None) -> None:
            if ok and self._do(
                "end the membership", lambda: roster.leave(self.fapp.store, pid, today)
            ):
                self._changed("left")

        self.app.push_screen(
            ConfirmDialog(
                f"{person.sign_in_name} leaves the group today?",
                "They stay in past attendance; they get no further worksheets or invitations.",
                yes="Leaves",
            ),
            done,
        )

    def erase(self, pid: int) -> None:
        """Remove a person entirely (name, attendance and notes)."""
        if not self._guard("erase"):
            return
        person = roster.person(self.fapp.store, pid)

        def done(ok: bool | None) -> None:
            if not ok:
                return
            try:
                result = roster.erase(self.fapp.workspace, self.fapp.store, pid)
            except FacilitatorError as exc:
                self.notify(exc.message, title="Could not erase", severity="error", timeout=10)
                return
            self.post_message(self.Changed("erased", result))
            self.notify(
                erase_summary(result),
                title="Erased",
                severity="warning" if result.unreachable else "information",
                timeout=15,
                markup=False,
            )

        self.app.push_screen(
            ConfirmDialog(
                f"Erase {person.sign_in_name} completely?",
                "Their name, attendance and notes are removed from the database for good, and "
                "every file that names them is deleted, printouts of the whole group too (print "
                "them again). Backups made earlier still contain them. Use 'Leaves' to keep "
                "their record.",
                yes="Erase",
            ),
            done,
        )
