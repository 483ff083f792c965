"""The group screen's notes: the Notes and History tabs, and writing or editing a note in full.

Every save keeps the earlier version; the editor shows them below the text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from facilitator.actions import meetings, notes, roster
from facilitator.tui.widgets.dialogs import TextViewer
from facilitator.tui.widgets.note_editor import NoteEditor, history_text

if TYPE_CHECKING:
    from textual.screen import Screen

    from facilitator.tui.app import FacilitatorApp

    _Base = Screen[None]
else:
    _Base = object


class NotesTab(_Base):
    """Mixed into the group screen: fills the Notes and History tabs and edits notes."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    group_id: int
    _selected_week: Callable[[], int | None]
    _selected_participant: Callable[[], int | None]
    _tab: Callable[[], str]
    _guard: Callable[[str], bool]
    _do: Callable[[str, object], bool]

    def _fill_notes(self) -> None:
        table = self.query_one("#notes", DataTable)
        table.clear()
        for shown in notes.listing(self.fapp.store, self.group_id, with_history=True):
            note, about, kept = shown.note, shown.about, len(shown.earlier)
            lines = note.text.splitlines() or [""]
            first = lines[0] + (f" … (+{len(lines) - 1} lines)" if len(lines) > 1 else "")
            table.add_row(
                str(note.week),
                Text(about),
                f"v{note.version}" + (f" ({kept} kept)" if kept else ""),
                Text(first),
                key=f"{note.week}:{note.participant_id or ''}",
            )

    def _fill_history(self) -> None:
        table = self.query_one("#history", DataTable)
        table.clear()
        for record in meetings.records(self.fapp.store, self.group_id):
            week = record.week
            for title, planned, actual, state in record.items:
                table.add_row(
                    str(week), Text(title), f"{planned:.0f} min", f"{actual:.1f} min", state
                )
            for text in record.quick_notes:
                table.add_row(str(week), Text(f"Note: {text}"), "", "", "quick note")

    def _selected_note(self) -> tuple[int, int | None] | None:
        """(week, participant id or None) of the Notes tab's selected row."""
        table = self.query_one("#notes", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        week, _, pid = key.partition(":")
        return int(week), int(pid) if pid else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a note opens it in full."""
        if event.data_table.id == "notes":
            self.action_note()

    def action_note(self) -> None:
        """Write or edit a note: on the Notes tab the selected one, elsewhere the selected
        meeting's group note."""
        if self._tab() == "tab-notes":
            selected = self._selected_note()
            if selected is None:
                self.notify("No notes yet: n on another tab writes a meeting's note.")
                return
            self._edit(*selected)
            return
        week = self._selected_week()
        if week is not None:
            self._edit(week, None)

    def action_person_note(self) -> None:
        """A short note about the selected person at the selected meeting (attendance tab).

        Such a note should be about that person only: if it names another member, the app
        says so (the note is still saved as written).
        """
        week, pid = self._selected_week(), self._selected_participant()
        if week is None or pid is None or self._tab() != "tab-attendance":
            self.notify("Choose a person and a week in the attendance grid first.")
            return
        self._edit(week, pid)

    def action_note_history(self) -> None:
        """Show every earlier version of the selected note (Notes tab)."""
        selected = self._selected_note() if self._tab() == "tab-notes" else None
        if selected is None:
            self.notify("Select a note on the Notes tab first.")
            return
        week, pid = selected
        versions = notes.history(self.fapp.store, self.group_id, week, pid)
        body = history_text(versions).plain if versions else "No earlier versions."
        self.app.push_screen(TextViewer(f"{self._note_title(week, pid)}: earlier versions", body))

    def _note_title(self, week: int, pid: int | None) -> str:
        if pid is None:
            return f"Group note for week {week}"
        return f"Note about {roster.person(self.fapp.store, pid).sign_in_name}, week {week}"

    def _edit(self, week: int, pid: int | None, draft: str | None = None) -> None:
        if not self._guard("save a note"):
            return
        store = self.fapp.store
        existing = notes.note(store, self.group_id, week, pid)
        version = existing.version if existing else 0
        title = self._note_title(week, pid)

        def save(text: str | None) -> None:
            if text is None:
                return
            saved = self._do(
                "save the note",
                lambda: notes.save(
                    store, self.group_id, week, text, expected_version=version, participant_id=pid
                ),
            )
            if not saved:  # keep what was typed: the editor opens again with it, to retry
                self._edit(week, pid, text)
                return
            self.notify("Note saved" + (" (the earlier version is kept)." if existing else "."))
            if pid is not None:
                self._warn_names(text, pid)

        text = draft if draft is not None else (existing.text if existing else "")
        history = notes.history(store, self.group_id, week, pid)
        suffix = " (not saved yet)" if draft is not None else ""
        self.app.push_screen(NoteEditor(title + suffix, text, history), save)

    def _warn_names(self, text: str, pid: int) -> None:
        others = notes.mentioned(self.fapp.store, self.group_id, text, about=pid)
        if others:
            self.notify(
                "This note names another member ("
                + ", ".join(p.sign_in_name for p in others)
                + "). Notes about one person should be about that person only.",
                severity="warning",
                timeout=10,
            )
