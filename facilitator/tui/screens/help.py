"""Help: the keys of the screen you came from, and the app's conventions."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

GENERAL = """\
ctrl+p   command palette (open a group, run a meeting, print, ...)
ctrl+q   quit (everything is already saved)
escape   back
?        this help
"""


class HelpScreen(ModalScreen[None]):
    """Key help for one screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.for_screen = screen

    def compose(self) -> ComposeResult:
        lines = []
        for binding in self.for_screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description:
                keys = binding.key.replace("_", " ").split(",")[0]
                lines.append(f"{keys:<8} {binding.description}")
        with Vertical(classes="dialog wide"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(Text("\n".join(lines) + "\n\n" + GENERAL))
