"""Swapping another plan into a future week of a running group, in the app and the CLI;
held weeks keep their history."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from facilitator.errors import FacilitatorError
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.widgets.plan_choice import PlanChoice
from tests.helpers import run_cli
from tests.tui.test_flows import group_table

SIZE = (100, 32)


async def test_swap_an_alternate_into_a_future_week(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        table = await group_table(app, pilot, "schedule", row=5)  # week 6
        sequence = app.store.group(1).calendar_sequence
        await pilot.press("U")
        choice = app.screen
        assert isinstance(choice, PlanChoice)
        options = choice.query_one(OptionList)
        first = options.get_option_at_index(0)
        assert first.id == "ssc-alt-communication"  # the week's alternate comes first
        assert "alternate for this week" in str(first.prompt)
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.session_weeks(1)[5][0] == "ssc-alt-communication"
        assert app.store.group(1).calendar_sequence == sequence + 1
        title = app.workspace.library.plan("ssc-alt-communication").title
        assert title in [str(c) for c in table.get_row_at(5)]


async def test_a_held_week_keeps_its_plan(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await group_table(app, pilot, "schedule", row=1)  # week 2: its roll was taken
        before = app.store.session_weeks(1)[1]
        await pilot.press("U", "enter")
        await pilot.pause()
        assert app.store.session_weeks(1)[1] == before
        assert any("its plan stays" in n.message for n in app._notifications)


def test_schedule_use_cli(app: FacilitatorApp) -> None:
    used = run_cli("schedule", "use", "Demo group", "6", "ssc-alt-communication")
    assert used.code == 0 and "week 6: " in used.out and "not one of" not in used.out
    assert "export them again" in used.out
    other = run_cli("schedule", "use", "Demo group", "7", "ssc-alt-communication")
    assert "not one of the curriculum's alternates for week 7" in other.out
    held = run_cli("schedule", "use", "Demo group", "2", "ssc-alt-rolling-orientation")
    assert held.code == 2 and "week 2 was held (its roll was taken)" in held.err
    unknown = run_cli("schedule", "use", "Demo group", "8", "nope")
    assert unknown.code == 2 and "no session plan with id 'nope'" in unknown.err
    out_of_range = run_cli("schedule", "use", "Demo group", "9", "ssc-alt-communication")
    assert out_of_range.code == 2 and "week 9" in out_of_range.err
    with pytest.raises(FacilitatorError):
        app.store.use_session(1, 3, "ssc-alt-communication", "x")  # held: a roll was taken
