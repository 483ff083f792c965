"""Settings in the app: locale (support lines), paper, large print, duplex.

Support lines and mail settings stay in ``settings.toml`` (docs/SETTINGS.md); this dialog
keeps them, and the file's comments, as they are.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Label, Select, Static

from facilitator.config import DEFAULT_SUPPORT_LINES, Settings

FROM_GROUP = "from-group"


class SettingsDialog(ModalScreen[dict[str, str | bool] | None]):
    """Edit the settings the app knows; dismiss with the changed values."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        s = self.settings
        locales = [(Text("Each group's own country (from its holidays or time zone)"), FROM_GROUP)]
        locales += [
            (Text(f"{key}: {', '.join(line.name for line in lines)}"), key)
            for key, lines in sorted(DEFAULT_SUPPORT_LINES.items())
        ]
        with Vertical(classes="dialog wide", id="settings-form"):
            yield Label("Settings", classes="dialog-title")
            yield Label("Support lines printed on every sheet (locale)")
            yield Select(locales, value=s.locale or FROM_GROUP, allow_blank=False, id="s-locale")
            yield Label("Paper")
            yield Select(
                [(Text("From the locale"), ""), (Text("A4"), "a4"), (Text("Letter"), "letter")],
                value=s.paper,
                allow_blank=False,
                id="s-paper",
            )
            with Horizontal(classes="form-row"):
                yield Checkbox("Large print for everyone", s.large_print, id="s-large")
                yield Checkbox("Printer prints both sides", s.duplex, id="s-duplex")
            yield Static(
                "Your own support lines and mail settings are kept in settings.toml.",
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        """Close with the values (an empty one means the default)."""
        locale = self.query_one("#s-locale", Select).value
        paper = self.query_one("#s-paper", Select).value
        self.dismiss(
            {
                "locale": "" if locale == FROM_GROUP else str(locale),
                "paper": str(paper or ""),
                "large_print": self.query_one("#s-large", Checkbox).value,
                "duplex": self.query_one("#s-duplex", Checkbox).value,
            }
        )
