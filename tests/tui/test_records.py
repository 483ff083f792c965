"""Records that are right, in the real app: completion is a forecast until the last meeting,
a grid cell cycles back to "not taken", a roll can be cleared, a future roll asks first."""

from __future__ import annotations

from facilitator.model.group import AttendanceStatus
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.widgets.dialogs import ConfirmDialog
from facilitator.tui.widgets.grid import AttendanceGrid
from tests.tui.conftest import ready

SIZE = (100, 32)
COMPLETION = 1 + 8 + 1  # name, eight weeks, rate


async def open_grid(app: FacilitatorApp, pilot) -> AttendanceGrid:
    await ready(pilot)
    await pilot.press("enter")
    assert isinstance(app.screen, GroupScreen)
    grid = app.screen.query_one("#grid", AttendanceGrid)
    grid.focus()
    return grid


async def test_grid_shows_completion_as_a_forecast_mid_course(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        assert grid.headers[COMPLETION] == "Completion"
        shown = {grid.cell_text(r, COMPLETION) for r in range(grid.row_count)}
        assert "on track" in shown  # 3 of 8 meetings held: nobody has completed yet
        assert not any("completed" in s for s in shown) and "✓" not in "".join(shown)
        legend = str(app.screen.query_one("#grid-legend").render())
        assert "Meetings: 3 of 8 held" in legend


async def test_a_cell_cycles_back_to_not_taken(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        grid.move_cursor(row=0, column=3)
        pid = app.screen.grid_ids[0]
        seen = []
        for _ in range(5):
            await pilot.press("space")
            seen.append(grid.cell_text(0, 3))
        assert seen[-1] == "·"  # present -> late -> absent -> excused -> left -> not taken
        marks = {(m.participant_id, m.week): m.status for m in app.store.marks(1)}
        assert (pid, 3) not in marks
        assert sum(1 for (_, w) in marks if w == 3) == len(grid.rows) - 1  # the rest kept
        await pilot.press("space")
        assert grid.cell_text(0, 3) == "pres"
        assert {
            m.status for m in app.store.marks(1) if m.participant_id == pid and m.week == 3
        } == {AttendanceStatus.PRESENT}


async def test_clear_a_roll_asks_then_removes_it(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        grid.move_cursor(row=0, column=2)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # changed my mind: nothing happens
        assert 2 in app.store.held_weeks(1)
        await pilot.press("delete")
        await pilot.press("y")
        await pilot.pause()
        assert app.store.held_weeks(1) == [1, 3]
        assert all(m.week != 2 for m in app.store.marks(1))
        assert grid.cell_text(0, 2) == "·"
        assert "Meetings: 2 of 8 held" in str(app.screen.query_one("#grid-legend").render())


async def test_a_future_meetings_roll_asks_first(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        grid = await open_grid(app, pilot)
        grid.move_cursor(row=0, column=5)  # week 5 meets next week
        await pilot.press("space")
        assert isinstance(app.screen, ConfirmDialog)
        assert "in the future" in str(app.screen.question)
        await pilot.press("escape")
        assert 5 not in app.store.held_weeks(1)
        await pilot.press("space")
        await pilot.press("y")
        await pilot.pause()
        assert 5 in app.store.held_weeks(1) and grid.cell_text(0, 5) == "pres"
        # today's meeting (week 4) takes its roll without asking
        grid.move_cursor(row=0, column=4)
        await pilot.press("space")
        assert isinstance(app.screen, GroupScreen) and 4 in app.store.held_weeks(1)
