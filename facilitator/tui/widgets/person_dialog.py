"""Add or edit a person: name (a full name is split), last initial, e-mail, large print.

What the sign-in sheet will show is previewed as you type, before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from facilitator.email_address import usable_email as valid_email
from facilitator.model.group import Participant, has_visible, split_full_name


@dataclass(frozen=True)
class PersonForm:
    """What the dialog returns: the values to save."""

    preferred_name: str
    last_initial: str
    email: str
    large_print: bool


class PersonDialog(ModalScreen[PersonForm | None]):
    """One form for adding and editing a participant."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self, title: str, person: Participant | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.person = person
        self.initial_typed = bool(person and person.last_initial)
        """The initial was typed (or stored): a name change no longer overwrites it."""
        self._auto_initial = ""
        """The initial last filled in from the name (its change event is not the user's)."""

    def compose(self) -> ComposeResult:
        p = self.person
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Label("Name (a full name is split: preferred name + last initial)")
            yield Input(p.preferred_name if p else "", id="person-name")
            yield Label("Last initial (all that sign-in sheets show of the surname)")
            yield Input(p.last_initial if p else "", id="person-initial", max_length=3)
            yield Label("E-mail (for their own calendar invitation; optional)")
            yield Input(p.email if p else "", id="person-email")
            yield Checkbox("Large print worksheets", p.large_print if p else False, id="person-lp")
            yield Static("", id="person-preview")
            yield Static("", id="person-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#person-name", Input).focus()
        self._preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "person-initial":
            # typed by the user only when the field has focus (filling it from the name
            # sends the same event later, when the name may have changed again)
            if event.input.has_focus and event.value != self._auto_initial:
                self.initial_typed = bool(event.value.strip())
        elif event.input.id == "person-name" and not self.initial_typed:
            _, self._auto_initial = split_full_name(event.value)
            self.query_one("#person-initial", Input).value = self._auto_initial
        self._preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def form(self) -> PersonForm:
        """The values as they would be saved: a typed (or stored) initial keeps the name
        whole; otherwise a full name is split."""
        name = self.query_one("#person-name", Input).value
        initial = self.query_one("#person-initial", Input).value.strip().rstrip(".")
        if self.initial_typed and initial:
            preferred = " ".join(name.split())
        else:
            preferred, initial = split_full_name(name)
        if not has_visible(preferred):
            preferred = ""
        return PersonForm(
            preferred,
            initial,
            self.query_one("#person-email", Input).value.strip(),
            self.query_one("#person-lp", Checkbox).value,
        )

    def _preview(self) -> None:
        form = self.form()
        shown = (
            f"{form.preferred_name} {form.last_initial}."
            if form.last_initial
            else form.preferred_name
        )
        text = Text("Saved as preferred name “")
        text.append(form.preferred_name, "bold")
        text.append("”, last initial “")
        text.append(form.last_initial, "bold")
        text.append("”. Sign-in sheets show: ")
        text.append(shown or "(nothing yet)", "bold")
        self.query_one("#person-preview", Static).update(text)

    def action_save(self) -> None:
        """Check and close with the values; a problem is shown in the dialog."""
        form = self.form()
        error = ""
        if not form.preferred_name:
            error = "A name is needed (invisible characters alone do not count)."
        elif form.email and not valid_email(form.email):
            error = f"“{form.email}” is not a usable e-mail address (name@example.org)."
        if error:
            self.query_one("#person-error", Static).update(Text(error, style="bold red"))
            return
        self.dismiss(form)
