"""A question with several answers, each its own button; escape answers nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ChoiceDialog(ModalScreen[str | None]):
    """Ask one question; dismiss with the id of the chosen answer (None: leave it)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Leave it")]

    def __init__(self, question: str, detail: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.question, self.detail, self.choices = question, detail, list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            yield Static(self.detail, markup=False, classes="dialog-detail")
            with Horizontal(classes="dialog-buttons"):
                for ident, label in self.choices:
                    yield Button(label, id=f"choice-{ident}", variant="warning")
                yield Button("Leave it", id="choice-none")

    def on_mount(self) -> None:
        self.query_one("#choice-none", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        ident = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if ident == "none" else ident)
