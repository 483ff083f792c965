"""The group form: create a group, or edit one (curriculum, first date, zone and holidays are
fixed once created). Problems and the holidays it skips are shown in the form as you type."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from facilitator.errors import FacilitatorError
from facilitator.model.group import Facilitator, Group


@dataclass(frozen=True)
class GroupValues:
    """What the form returns: everything a new group needs (an edit uses the editable part)."""

    name: str
    display_name: str
    curriculum_id: str
    first_date: date
    start_time: time
    timezone: str
    holidays: str
    location: str
    facilitators: tuple[Facilitator, ...]
    capacity: int | None
    is_open: bool


def _zones() -> list[str]:
    from zoneinfo import available_timezones

    return sorted(available_timezones())


class GroupForm(ModalScreen[GroupValues | None]):
    """Create (``group`` None) or edit a group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(
        self, curricula: Sequence[tuple[str, str, int]], group: Group | None = None
    ) -> None:
        super().__init__()
        self.curricula = list(curricula)
        """(id, title, weeks) of each curriculum."""
        self.group = group

    def compose(self) -> ComposeResult:
        g = self.group
        fixed = g is not None
        people = list(g.facilitators) if g else []
        people += [Facilitator("", "")] * (2 - len(people))
        title = f"Edit group {g.name}" if g else "New group"
        with Vertical(classes="dialog wide", id="group-form"):
            yield Label(title, classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Label("Group name (yours; may name the topic; never sent to members)")
                yield Input(g.name if g else "", id="g-name", compact=True)
                yield Label("Shown to participants as (neutral)")
                yield Input(g.display_name if g else "Weekly group", id="g-display", compact=True)
                yield Label("Curriculum")
                yield Select(
                    [(Text(f"{t} ({w} weeks)"), i) for i, t, w in self.curricula],  # not markup
                    value=g.curriculum_id if g else Select.NULL,
                    id="g-curriculum",
                    disabled=fixed,
                    prompt="Choose a curriculum",
                    compact=True,
                )
                with Horizontal(classes="form-row"):
                    yield Input(
                        g.first_date.isoformat() if g else "",
                        placeholder="first date YYYY-MM-DD",
                        id="g-date",
                        disabled=fixed,
                        compact=True,
                    )
                    yield Input(
                        f"{g.start_time:%H:%M}" if g else "",
                        placeholder="time HH:MM",
                        id="g-time",
                        compact=True,
                    )
                yield Label("Time zone (type to search, → accepts: Europe/Berlin)")
                yield Input(
                    g.timezone if g else "",
                    id="g-zone",
                    suggester=SuggestFromList(_zones(), case_sensitive=False),
                    disabled=fixed,
                    compact=True,
                )
                yield Label("Skip public holidays of (country or country-subdivision: DE, DE-BE)")
                yield Input(g.holidays if g else "", id="g-holidays", disabled=fixed, compact=True)
                yield Static("", id="g-skips")
                yield Label("Location or video link")
                yield Input(g.location if g else "", id="g-location", compact=True)
                yield Label("Facilitator and co-facilitator: name, e-mail")
                for n, person in enumerate(people[:2]):
                    with Horizontal(classes="form-row"):
                        yield Input(
                            person.name, placeholder="name", id=f"g-f{n}-name", compact=True
                        )
                        yield Input(
                            person.email, placeholder="e-mail", id=f"g-f{n}-email", compact=True
                        )
                with Horizontal(classes="form-row"):
                    yield Input(
                        str(g.capacity) if g and g.capacity else "",
                        placeholder="capacity (optional)",
                        id="g-capacity",
                        compact=True,
                    )
                    yield Checkbox(
                        "Open (people may join later)", g.is_open if g else False, id="g-open"
                    )
            yield Static("", id="g-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#g-name", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("g-date", "g-holidays", "g-zone") and self.group is None:
            self._show_skips()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_skips()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def _value(self, ident: str) -> str:
        return self.query_one(f"#{ident}", Input).value.strip()

    def _weeks(self) -> int:
        chosen = self.query_one("#g-curriculum", Select).value
        return next((w for i, _, w in self.curricula if i == chosen), 8)

    def _show_skips(self) -> None:
        """Which meeting dates the holiday calendar skips, as soon as it can be worked out."""
        from facilitator.scheduling import holiday_skips

        out = self.query_one("#g-skips", Static)
        code, first = self._value("g-holidays"), self._value("g-date")
        if not code:
            out.update("")
            return
        try:
            day = date.fromisoformat(first)
            skips = holiday_skips(code, day, self._weeks())
        except ValueError:
            out.update(Text("Enter the first date to see which dates are skipped.", "dim"))
            return
        except FacilitatorError as exc:
            out.update(Text(exc.message, "yellow"))
            return
        last = day + timedelta(weeks=self._weeks() - 1)
        within = []
        for skip in skips:  # each skip pushes the course's end on a week
            if skip.day <= last:
                within.append(skip)
                last += timedelta(weeks=1)
        listed = ", ".join(f"{s.day:%a %d %b %Y} ({s.reason})" for s in within)
        skips = within
        out.update(Text(f"Skips: {listed}" if skips else "No holiday falls on a meeting date."))

    def values(self) -> GroupValues:
        """The form as values; a FacilitatorError names the first field that is wrong."""
        from facilitator.scheduling import zone

        name = self._value("g-name")
        if not name:
            raise FacilitatorError("Group name: needed")
        curriculum = self.query_one("#g-curriculum", Select).value
        if not isinstance(curriculum, str):
            raise FacilitatorError("Curriculum: choose one")
        try:
            first = date.fromisoformat(self._value("g-date"))
        except ValueError:
            raise FacilitatorError("First date: write it as YYYY-MM-DD") from None
        try:
            start = datetime.strptime(self._value("g-time"), "%H:%M").time()
        except ValueError:
            raise FacilitatorError("Time: write it as HH:MM (24-hour)") from None
        zone_name = self._value("g-zone")
        zone(zone_name)  # one-line error for an unknown zone
        capacity_text = self._value("g-capacity")
        if capacity_text and not (capacity_text.isdigit() and int(capacity_text) > 0):
            raise FacilitatorError("Capacity: a whole number above 0, or empty")
        return GroupValues(
            name=name,
            display_name=self._value("g-display") or "Weekly group",
            curriculum_id=curriculum,
            first_date=first,
            start_time=start,
            timezone=zone_name,
            holidays=self._value("g-holidays").upper(),
            location=self._value("g-location"),
            facilitators=self._facilitators(),
            capacity=int(capacity_text) if capacity_text else None,
            is_open=self.query_one("#g-open", Checkbox).value,
        )

    def _facilitators(self) -> tuple[Facilitator, ...]:
        from facilitator.email_address import usable_email as valid_email

        people = []
        for n in range(2):
            name, email = self._value(f"g-f{n}-name"), self._value(f"g-f{n}-email")
            if email and not valid_email(email):
                raise FacilitatorError(f"E-mail of facilitator {n + 1}: not usable ({email})")
            if name:
                people.append(Facilitator(name, email))
            elif email:
                raise FacilitatorError(f"Facilitator {n + 1}: a name goes with the e-mail")
        return tuple(people)

    def action_save(self) -> None:
        """Check the form; close with its values or show what is wrong."""
        try:
            values = self.values()
        except FacilitatorError as exc:
            self.query_one("#g-error", Static).update(Text(exc.message, style="bold red"))
            return
        self.dismiss(values)
