"""The group screen's tabs are panes: each owns its keys and posts a message up when it changed
something; the screen reads the group again and hands it down to every tab, without reopening."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TextArea

from facilitator.store import open_store
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.attendance_tab import AttendancePane
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.notes_tab import HistoryPane
from facilitator.tui.screens.roster_tab import RosterPane
from facilitator.tui.screens.schedule_tab import SchedulePane
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextDialog
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.tui.widgets.note_editor import NoteEditor
from facilitator.tui.widgets.plan_choice import PlanChoice
from tests.tui.conftest import ready

SIZE = (100, 32)
BO, CHIDI = 1, 2  # rows of the demo group's grid


async def open_group(app: FacilitatorApp, pilot: Pilot[None]) -> GroupScreen:
    await ready(pilot)
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, GroupScreen)
    return screen


def header(screen: GroupScreen) -> str:
    return str(screen.query_one("#group-title", Static).render())


def grid_names(screen: GroupScreen) -> list[str]:
    grid = screen.query_one("#grid", AttendanceGrid)
    return [grid.cell_text(r, 0) for r in range(grid.row_count)]


def column(table: DataTable[Any], index: int) -> list[str]:
    return [str(table.get_row_at(r)[index]) for r in range(table.row_count)]


async def test_a_mark_changes_the_header_counts_through_roll_saved(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        assert "9 members · 3 of 8 held · 1 at risk" in header(screen)
        grid = screen.query_one("#grid", AttendanceGrid)
        grid.move_cursor(row=CHIDI, column=3)
        assert grid.cell_text(CHIDI, 3) == "ABS"
        screen.last_reload = ""
        await pilot.press("space")  # absent -> excused: Chidi O. is no longer at risk
        await pilot.pause()
        assert grid.cell_text(CHIDI, 3) == "exc"
        assert "3 of 8 held" in header(screen) and "at risk" not in header(screen)
        assert screen.last_reload == ""  # one mark: its summary came up, nothing was re-read
        grid.move_cursor(row=0, column=4)  # week 4 meets today: its roll is taken
        await pilot.press("space")
        await pilot.pause()
        assert screen.last_reload == "week 4's roll"
        assert "4 of 8 held" in header(screen)
        assert "Meetings: 4 of 8 held" in str(screen.query_one("#grid-legend").render())
        assert app.screen is screen


async def test_a_person_added_on_the_roster_shows_in_the_grid_at_once(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        assert "Quinn Z." not in grid_names(screen)
        await pilot.press("2", "a")
        await pilot.press(*"Quinn Z", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.last_reload == "roster: added Quinn Z."
        assert "Quinn" in column(screen.query_one("#roster", DataTable), 0)
        assert "Quinn Z." in grid_names(screen)  # the attendance tab, without reopening
        assert "10 members" in header(screen)


async def test_a_dropped_meeting_shows_in_the_grid_and_the_counts(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        await pilot.press("3")
        table = screen.query_one("#schedule", DataTable)
        table.move_cursor(row=table.get_row_index("w6"))
        await pilot.press("c")
        await pilot.click("#choice-drop")
        await pilot.pause()
        assert screen.last_reload == "schedule: week 6 cancelled"
        assert "dropped" in column(table, 3)
        grid = screen.query_one("#grid", AttendanceGrid)
        assert {grid.cell_text(r, 6) for r in range(grid.row_count)} == {"cxl"}
        assert "3 of 7 held" in header(screen)


async def test_a_person_note_asked_in_the_grid_is_listed_on_the_notes_tab(
    app: FacilitatorApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        notes = screen.query_one("#notes", DataTable)
        before = notes.row_count
        screen.query_one("#grid", AttendanceGrid).move_cursor(row=BO, column=2)
        await pilot.press("N")  # the grid asks; the notes tab opens its editor
        editor = app.screen
        assert isinstance(editor, NoteEditor) and "Note about Bo K., week 2" in editor.title_text
        editor.query_one(TextArea).text = "Brought a friend's question"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen and screen.last_reload == "week 2's note"
        assert notes.row_count == before + 1
        assert "Brought a friend's question" in column(notes, 3)
        assert screen.query_one("#tabs").active == "tab-attendance"  # still at the grid


async def test_the_grid_hands_a_person_or_a_meeting_to_the_tab_that_acts(
    app: FacilitatorApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        screen.query_one("#grid", AttendanceGrid).move_cursor(row=BO, column=5)
        await pilot.press("m")
        assert isinstance(app.screen, TextDialog) and "Move week 5" in app.screen.prompt
        await pilot.press("escape", "U")
        assert isinstance(app.screen, PlanChoice) and "week 5" in app.screen.title_text
        await pilot.press("escape", "x")
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Erase Bo K. completely?"
        await pilot.press("escape")
        assert app.screen is screen and screen.query_one("#grid").has_focus
        assert app.store.find_participant(1, "Bo") is not None  # nothing was done


async def test_reload_shows_a_change_made_elsewhere(app: FacilitatorApp, data_dir: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        with open_store(data_dir) as other:  # a co-facilitator's process, say
            other.enrol(1, "Remy", last_initial="V")
        assert "Remy V." not in grid_names(screen)
        screen.reload("changed elsewhere")
        await pilot.pause()
        assert screen.last_reload == "changed elsewhere"
        assert "Remy V." in grid_names(screen)
        assert "Remy" in column(screen.query_one("#roster", DataTable), 0)
        assert "10 members" in header(screen)


async def test_each_tab_shows_its_own_keys(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        keys = screen.active_bindings
        assert isinstance(keys["space"].node, AttendancePane) and keys["space"].binding.show
        await pilot.press("2")
        keys = screen.active_bindings
        assert "space" not in keys
        assert isinstance(keys["x"].node, RosterPane) and keys["x"].binding.show
        await pilot.press("3")
        keys = screen.active_bindings
        assert "x" not in keys
        assert isinstance(keys["m"].node, SchedulePane) and keys["m"].binding.show
        await pilot.press("5")  # history: m moves the next meeting (the screen's, not shown)
        keys = screen.active_bindings
        assert keys["m"].node is screen and not keys["m"].binding.show
        assert isinstance(screen.active_pane(), HistoryPane)
        await pilot.press("2", "question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = str(help_screen.query_one("VerticalScroll Static").render())
        assert "Erase" in text and "Print week" in text and "Mark" not in text


async def test_a_tab_clicked_takes_the_keyboard(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_group(app, pilot)
        await pilot.click("#--content-tab-tab-roster")
        await pilot.pause()
        assert screen.query_one("#roster", DataTable).has_focus
        await pilot.press("x")  # the roster's own key: its first person
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.question == "Erase Ada L. completely?"


async def test_a_group_that_is_gone_closes_its_screen_with_a_note(app: FacilitatorApp) -> None:
    from facilitator.tui.screens.home import HomeScreen

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_group(99)  # as if restored away, or removed by someone else meanwhile
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("no group with id 99" in n.message for n in app._notifications)
