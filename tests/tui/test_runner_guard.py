"""The runner and the schedule tab: a meeting days away asks before it runs, a runner opened
and left unstarted records nothing, labels say things once, a mistyped move keeps its text."""

from __future__ import annotations

from textual.widgets import Input

from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextDialog
from tests.tui.conftest import ready
from tests.tui.test_flows import group_table

SIZE = (100, 32)


async def test_running_a_meeting_days_early_asks_first(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await group_table(app, pilot, "schedule", row=5)  # week 6, two weeks away
        await pilot.press("r")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Week 6" in app.screen.question and "in 14 day(s)" in app.screen.question
        await pilot.press("escape")
        assert isinstance(app.screen, GroupScreen)
        await pilot.press("r", "y")
        await pilot.pause()
        assert isinstance(app.screen, RunnerScreen) and app.screen.meeting.week == 6


async def test_todays_meeting_runs_without_asking(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        assert isinstance(app.screen, RunnerScreen)


async def test_a_runner_left_unstarted_records_nothing(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "escape")
        await pilot.pause()
        assert app.store.load_run(1, 4) is None  # not "run": its plan can still be swapped
        await pilot.press("r", "space", "escape")
        await pilot.pause()
        assert app.store.load_run(1, 4) is not None


async def test_schedule_labels_say_each_thing_once(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.store.cancel_meeting(1, 6)
        table = await group_table(app, pilot, "schedule", row=0)
        statuses = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert "cancelled" in statuses and not any("(cancelled)" in s for s in statuses)


async def test_a_mistyped_move_keeps_the_text(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await group_table(app, pilot, "schedule", row=4)  # week 5
        before = app.store.schedule(1).meeting(5).start
        await pilot.press("m")
        app.screen.query_one(Input).value = "2026-12-3 19:00x"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)  # asked again, with what was typed
        assert app.screen.query_one(Input).value == "2026-12-3 19:00x"
        app.screen.query_one(Input).value = "2026-12-03 19:00"
        await pilot.press("enter")
        await pilot.pause()
        after = app.store.schedule(1).meeting(5).start
        assert after != before and (after.day, after.hour) == (3, 19)


async def test_the_clock_counts_up_past_the_end_and_the_last_item_asks(
    app: FacilitatorApp,
) -> None:
    from textual.widgets import Digits

    clock = app.clock
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space")
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        clock.advance(7 * 60 + 10)  # the 5-minute arrival item, 2:10 over
        for _ in range(100):  # the runner repaints on its next tick (every 0.5 s)
            await pilot.pause(0.1)
            if runner.query_one("#countdown", Digits).value == "+2:10":
                break
        assert runner.query_one("#countdown", Digits).value == "+2:10"
        await pilot.press("g")
        said = [n.message for n in app._notifications][-1]
        assert said.startswith("Grounding pause added (2 min).") and "Time taken from: " in said
        assert "Buffer −" in said  # the buffer gives first
        while runner.run.current < len(runner.run.items) - 1:
            await pilot.press("n")
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmDialog) and not runner.run.finished
        await pilot.press("escape")
        assert not runner.run.finished
        await pilot.press("n", "y")
        assert runner.run.finished


async def test_home_shows_a_meeting_in_progress_and_r_resumes_it(app: FacilitatorApp) -> None:
    from textual.widgets import DataTable

    clock = app.clock
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space", "n", "escape")
        await pilot.pause()
        groups = app.screen.query_one("#groups", DataTable)
        row = [str(c) for c in groups.get_row_at(0)]
        assert row[2].endswith("(week 4)") and row[3] == "in progress: r resumes"
        clock.advance(3 * 3600)  # long past the meeting's planned end
        app.screen.refresh_data()
        await pilot.pause()
        assert [str(c) for c in groups.get_row_at(0)][3] == "in progress: r resumes"
        await pilot.press("r")
        runner = app.screen
        assert isinstance(runner, RunnerScreen) and runner.meeting.week == 4
        assert runner.run.current == 1  # where it was left


async def test_cancel_offers_push_on_drop_or_leave_it(app: FacilitatorApp) -> None:
    from facilitator.tui.widgets.choice import ChoiceDialog

    async with app.run_test(size=SIZE) as pilot:
        await group_table(app, pilot, "schedule", row=5)  # week 6
        before = app.store.schedule(1)
        await pilot.press("c")
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("escape")  # leave it: nothing changes
        assert app.store.schedule(1) == before
        await pilot.press("c")
        await pilot.click("#choice-drop")
        await pilot.pause()
        assert app.store.schedule(1).meeting(6).cancelled
        assert app.store.schedule(1).meeting(7).start == before.meeting(7).start
        table = app.screen.query_one("#schedule")
        table.move_cursor(row=table.get_row_index("w7"))
        await pilot.press("c")
        assert "week 7" in app.screen.question
        await pilot.click("#choice-push")
        await pilot.pause()
        assert (app.store.schedule(1).meeting(7).start - before.meeting(7).start).days == 7


async def test_the_large_clock_view(app: FacilitatorApp) -> None:
    from facilitator.tui.widgets.big_clock import BigClock, big

    clock = app.clock
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space")
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        big_clock = runner.query_one("#big-clock", BigClock)
        assert not big_clock.display and runner.query_one("#agenda").display
        await pilot.press("L")
        assert big_clock.display and not runner.query_one("#agenda").display
        clock.advance(60)
        for _ in range(100):  # the runner repaints on its next tick (every 0.5 s)
            await pilot.pause(0.1)
            if str(big_clock.render()) == big("4:00"):
                break
        shown = str(big_clock.render())
        assert shown == big("4:00") and len(shown.splitlines()) == 10  # ten rows tall
        await pilot.press("L")
        assert not big_clock.display
