"""Creating a group in the app (a key on Home, "New group" in the palette) and editing it,
with the holidays it skips and the consequences of an edit shown; the CLI twin too."""

from __future__ import annotations

from datetime import date, time

from textual.widgets import Input, Select

from facilitator.model.group import Facilitator
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.widgets.group_form import GroupForm
from tests.helpers import run_cli
from tests.tui.conftest import ready

SIZE = (100, 32)


def fill(form: GroupForm, **values: str) -> None:
    for ident, value in values.items():
        form.query_one(f"#g-{ident.replace('_', '-')}", Input).value = value


async def test_create_a_group_in_the_app(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("g")
        form = app.screen
        assert isinstance(form, GroupForm)
        await pilot.press("ctrl+s")  # empty: refused with the first problem named
        assert app.screen is form
        assert "Group name: needed" in str(form.query_one("#g-error").render())
        fill(form, name="Friday circle", date="2026-12-18", time="18:00", zone="Europe/Berlin")
        form.query_one("#g-curriculum", Select).value = "sexual-self-compassion"
        fill(form, holidays="DE-BE", location="Room 4")
        fill(form, f0_name="Sam F", f0_email="sam@example.org", f1_name="Kim C")
        fill(form, f1_email="kim@example.org", capacity="10")
        await pilot.pause()
        skips = str(form.query_one("#g-skips").render())
        assert "Fri 25 Dec 2026" in skips and "Fri 01 Jan 2027" in skips
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        group = app.store.find_group("Friday circle")
        assert (group.first_date, group.start_time, group.timezone) == (
            date(2026, 12, 18),
            time(18, 0),
            "Europe/Berlin",
        )
        assert group.facilitators == (
            Facilitator("Sam F", "sam@example.org"),
            Facilitator("Kim C", "kim@example.org"),
        )
        assert group.capacity == 10 and group.holidays == "DE-BE"
        days = [m.start.date() for m in app.store.schedule(group.id).meetings]
        assert date(2026, 12, 25) not in days and date(2027, 1, 1) not in days


async def test_new_group_is_in_the_command_palette(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"New group")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupForm)


async def test_edit_a_group_shows_what_follows(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "G")
        form = app.screen
        assert isinstance(form, GroupForm)
        assert form.query_one("#g-zone", Input).disabled  # fixed once created
        fill(form, time="19:00", location="Room 9")
        await pilot.press("ctrl+s")
        await pilot.pause()
        group = app.store.group(1)
        assert group.start_time == time(19, 0) and group.location == "Room 9"
        said = [n.message for n in app._notifications if n.title == "Group saved"]
        assert said and "move from 18:30 to 19:00" in said[0]
        assert "calendar sequence 0 -> 1" in said[0]
        assert "19:00" in str(app.screen.query_one("#group-title").render())


def test_group_edit_cli(app: FacilitatorApp) -> None:
    edited = run_cli(
        "group", "edit", "Demo group", "--time", "19:00", "--display-name", "Monday group",
        "--facilitator", "Sam F", "--facilitator-email", "sam@example.org",
        "--facilitator", "Kim C", "--closed",
    )  # fmt: skip
    assert edited.code == 0, edited.err
    assert "move from 18:30 to 19:00" in edited.out and "shown as: Weekly group -> Monday group"
    assert "calendar sequence 0 -> 1" in edited.out
    shown = run_cli("group", "show", "Demo group").out
    assert "Sam F <sam@example.org>, Kim C" in shown and "Monday group" in shown
    assert run_cli("group", "edit", "Demo group").code == 2
    low = run_cli("group", "edit", "Demo group", "--capacity", "2")
    assert low.code == 2 and "below the 9 current members" in low.err
    bad = run_cli("group", "edit", "Demo group", "--time", "25:00")
    assert bad.code == 2 and "Traceback" not in bad.err
