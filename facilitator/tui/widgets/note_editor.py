"""A note, in full: a multi-line text area, its earlier versions below, ctrl+s to save."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static, TextArea

from facilitator.model.group import NoteVersion
from facilitator.tui.widgets.dialogs import ConfirmDialog


def history_text(versions: Sequence[NoteVersion]) -> Text:
    """Earlier versions, newest first, each under the time it was replaced."""
    text = Text()
    for old in reversed(versions):
        text.append(
            f"Version {old.version} (replaced {old.replaced_at:%Y-%m-%d %H:%M} UTC)\n", "bold"
        )
        text.append(old.text + "\n\n")
    return text


class NoteEditor(ModalScreen[str | None]):
    """Write or edit one note; escape asks before throwing away a change."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "close", "Close"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, title: str, text: str = "", history: Sequence[NoteVersion] = ()) -> None:
        super().__init__()
        self.title_text, self.original, self.history = title, text, tuple(history)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield TextArea(self.original, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label(
                "Ctrl+S saves; Escape closes (asking first if you changed something). "
                "Earlier versions are kept.",
                classes="dialog-hint",
            )
            if self.history:
                yield Label(f"Earlier versions ({len(self.history)})", classes="dialog-title")
                with VerticalScroll(id="note-history"):
                    yield Static(history_text(self.history), markup=False)
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def text(self) -> str:
        """What is in the text area now."""
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        """Close with the text."""
        self.dismiss(self.text)

    def action_close(self) -> None:
        """Close; if the text was changed, ask before discarding it."""
        if self.text.strip() == self.original.strip():
            self.dismiss(None)
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard your changes to this note?",
                "Cancel goes back to the note; Ctrl+S then saves it.",
                yes="Discard",
            ),
            done,
        )
