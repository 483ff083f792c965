"""Choose the session plan a week uses: the curriculum's alternates first, then every plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option


class PlanChoice(ModalScreen[str | None]):
    """Pick a plan id; escape changes nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(
        self,
        title: str,
        current: str,
        alternates: Sequence[tuple[str, str]],
        others: Sequence[tuple[str, str]],
    ) -> None:
        super().__init__()
        self.title_text, self.current = title, current
        self.alternates, self.others = list(alternates), list(others)

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        for label, plans in (("alternate", self.alternates), ("", self.others)):
            for ident, title in plans:
                text = Text(title, style="bold" if label else "")
                text.append(f"  {ident}", style="dim")
                if label:
                    text.append("  (alternate for this week)", style="green")
                if ident == self.current:
                    text.append("  (now)", style="dim")
                options.append(Option(text, id=ident))
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label("Enter uses the plan; Escape changes nothing.", classes="dialog-hint")
            yield OptionList(*options, id="plan-choice")
        yield Footer()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
