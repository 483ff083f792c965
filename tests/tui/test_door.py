"""Attendance at the door: escape asks before anything is thrown away, the footer shows the
dialog's own keys, and ? explains them."""

from __future__ import annotations

from textual.widgets import Footer

from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.dialogs import ConfirmDialog
from facilitator.tui.widgets.door import DoorAttendance
from tests.tui.conftest import ready

SIZE = (100, 32)


async def open_door(app: FacilitatorApp, pilot) -> DoorAttendance:
    await ready(pilot)
    await pilot.press("r")
    assert isinstance(app.screen, RunnerScreen)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, DoorAttendance)
    return app.screen


async def test_escape_asks_before_discarding_the_roll(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        door = await open_door(app, pilot)
        await pilot.press("down", "space")  # one change
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "1 change(s)" in app.screen.detail
        await pilot.press("escape")  # "Cancel": back to the roll, the change still there
        assert (
            app.screen is door and len([s for s in door.statuses.values() if s != "present"]) == 1
        )
        await pilot.press("enter")  # and it saves
        await pilot.pause()
        assert 4 in app.store.held_weeks(1)


async def test_discarding_after_asking_saves_nothing(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_door(app, pilot)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen)
        assert 4 not in app.store.held_weeks(1)


async def test_footer_shows_the_dialogs_keys_and_help_works(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        door = await open_door(app, pilot)
        footer = door.query_one(Footer)
        keys = {b.description for (_, b, enabled, _) in door.active_bindings.values() if b.show}
        assert {"Save roll", "Change status", "Discard"} <= keys and footer.display
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("VerticalScroll Static").render())
        assert "enter    Save roll" in text and "space    Change status" in text
        await pilot.press("escape")
        assert app.screen is door
