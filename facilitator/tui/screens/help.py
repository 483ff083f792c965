"""Help: the keys of the screen you came from (its shown tab's first), and the app's
conventions."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Label, Static

GENERAL = """\
ctrl+p   command palette (open a group, run a meeting, print, ...)
ctrl+q   quit (everything is already saved)
escape   back
?        this help
"""


def screen_keys(screen: Screen[object]) -> list[tuple[Widget, Binding]]:
    """The keys that work on a screen now, with the node that runs each: a screen made of
    tabs (the group screen) names the shown tab's own keys first (``key_bindings``)."""
    own = getattr(screen, "key_bindings", None)
    if own is not None:
        return list(own())
    return [(screen, b) for b in screen.BINDINGS if isinstance(b, Binding)]


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
        last: Widget | None = None
        for node, binding in screen_keys(self.for_screen):
            if binding.description:
                if last is not None and node is not last:  # a tab's keys, then the screen's
                    lines.append("")
                last = node
                keys = binding.key.replace("_", " ").split(",")[0]
                lines.append(f"{keys:<8} {binding.description}")
        with Vertical(classes="dialog wide"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(Text("\n".join(lines) + "\n\n" + GENERAL))
