"""The command palette offers the actions of the screen you are on, and none of Textual's
developer entries."""

from __future__ import annotations

from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.dialogs import ConfirmDialog
from tests.tui.conftest import ready

SIZE = (100, 32)


async def test_group_screen_actions_are_in_the_palette(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        titles = [c.title for c in app.get_system_commands(screen)]
        for wanted in ("Make-up packs", "Workbook", "CSV", "Move", "Skip week", "New group"):
            assert wanted in titles, wanted
        assert "Cancel meeting" in titles and "Edit group" in titles
        assert not {"Screenshot", "Keys", "Maximize", "Minimize"} & set(titles)
        assert "Quit" in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"Skip week")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # the same question the k key asks


async def test_runner_actions_are_in_the_palette(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        titles = [c.title for c in app.get_system_commands(runner)]
        assert {"Grounding pause", "Attendance", "Re-budget", "Note"} <= set(titles)


async def test_the_make_up_toast_names_the_people(app: FacilitatorApp) -> None:
    from tests.tui.test_flows import exported

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        grid = screen.query_one("#grid")
        grid.move_cursor(column=2)  # week 2: Chidi absent, Dana excused
        written = await exported(pilot, screen, "u", seconds=60)
        assert written and all(p.name.startswith("week02-makeup-") for p in written)
        said = [n.message for n in app._notifications if n.title == "Saved"][-1]
        assert said.startswith("Make-up packs for Chidi O., Dana R.")
