"""The group screen's notes: the Notes tab (``NotesPane``: writing or editing a note in full)
and the History tab (``HistoryPane``: planned against actual minutes, quick notes).

Every save keeps the earlier version; the editor shows them below the text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from facilitator.actions import notes, roster
from facilitator.actions.overview import GroupView
from facilitator.tui.screens.pane import GroupPane, fill_table, row_key
from facilitator.tui.widgets.dialogs import TextViewer
from facilitator.tui.widgets.note_editor import NoteEditor, history_text

NOTES_COLUMNS = ("Week", "About", "Version", "Note")
HISTORY_COLUMNS = ("Week", "Item", "Planned", "Actual", "State")


class NotesPane(GroupPane):
    """Every note of the group; a note saved here posts ``NotesPane.NoteSaved``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "note", "Open note"),
        Binding("h", "note_history", "Earlier versions"),
    ]
    MAIN = "#notes"

    class NoteSaved(Message):
        """A note was saved (``participant_id`` None: the meeting's group note)."""

        def __init__(self, week: int, participant_id: int | None) -> None:
            super().__init__()
            self.week = week
            self.participant_id = participant_id

    def __init__(self, group_id: int) -> None:
        super().__init__("Notes", group_id, id="tab-notes")

    def compose(self) -> ComposeResult:
        yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)

    def paint(self, view: GroupView) -> None:
        table = self.query_one("#notes", DataTable)
        names = {p.id: p.sign_in_name for p in view.participants}
        earlier: dict[tuple[int, int | None], int] = {}
        for old in view.note_history:
            key = (old.week, old.participant_id)
            earlier[key] = earlier.get(key, 0) + 1

        def fill() -> None:
            for note in view.notes:
                pid = note.participant_id
                about = "group" if pid is None else names.get(pid, "")
                lines = note.text.splitlines() or [""]
                first = lines[0] + (f" … (+{len(lines) - 1} lines)" if len(lines) > 1 else "")
                kept = earlier.get((note.week, pid), 0)
                table.add_row(
                    str(note.week),
                    Text(about),
                    f"v{note.version}" + (f" ({kept} kept)" if kept else ""),
                    Text(first),
                    key=f"{note.week}:{pid or ''}",
                )

        fill_table(table, NOTES_COLUMNS, fill)

    def _selected_note(self) -> tuple[int, int | None] | None:
        """(week, participant id or None) of the selected row."""
        key = row_key(self.query_one("#notes", DataTable))
        if not key:
            return None
        week, _, pid = key.partition(":")
        return int(week), int(pid) if pid else None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a note opens it in full."""
        event.stop()
        self.action_note()

    def action_note(self) -> None:
        """Open the selected note in full, to read or edit it."""
        selected = self._selected_note()
        if selected is None:
            self.notify("No notes yet: n on another tab writes a meeting's note.")
            return
        self.edit(*selected)

    def action_note_history(self) -> None:
        """Show every earlier version of the selected note."""
        selected = self._selected_note()
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

    def edit(self, week: int, pid: int | None, draft: str | None = None) -> None:
        """Write or edit a meeting's group note (``pid`` None) or a note about one person."""
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
                self.edit(week, pid, text)
                return
            self.post_message(self.NoteSaved(week, pid))
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


class HistoryPane(GroupPane):
    """What each meeting run recorded: planned and actual minutes per item, quick notes."""

    MAIN = "#history"

    def __init__(self, group_id: int) -> None:
        super().__init__("History", group_id, id="tab-history")

    def compose(self) -> ComposeResult:
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)

    def paint(self, view: GroupView) -> None:
        table = self.query_one("#history", DataTable)

        def fill() -> None:
            for week, items in view.fidelity.items():
                for title, planned, actual, state in items:
                    table.add_row(
                        str(week), Text(title), f"{planned:.0f} min", f"{actual:.1f} min", state
                    )
                for text in view.run_notes.get(week, []):
                    table.add_row(str(week), Text(f"Note: {text}"), "", "", "quick note")

        fill_table(table, HISTORY_COLUMNS, fill)
