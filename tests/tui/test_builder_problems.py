"""The builder's problems come from the same rules as validate: a plan whose agenda runs over
is shown there too, and a reorder that reviews a handout before it is handed out is flagged."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from facilitator.paths import bundled_content_roots
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.builder import BuilderScreen
from tests.tui.conftest import ready

SIZE = (100, 32)


def user_content(data_dir: Path) -> None:
    """A curriculum of the user's whose week 2 plan runs 15 minutes over its 60."""
    folder = data_dir / "content" / "mine"
    folder.mkdir(parents=True)
    bundled = bundled_content_roots()[0] / "example"
    plan = (bundled / "example-arriving.session.yaml").read_text()
    plan = plan.replace("id: example-arriving", "id: mine-over", 1).replace(
        "agenda:\n",
        "agenda:\n  - id: extra\n    title: Extra round\n    kind: exercise\n    minutes: 15\n",
        1,
    )
    (folder / "mine-over.session.yaml").write_text(plan)
    curriculum = (bundled / "example.curriculum.yaml").read_text()
    curriculum = curriculum.replace("id: example\n", "id: mine\n").replace(
        "session: example-kind-attention", "session: mine-over"
    )
    (folder / "mine.curriculum.yaml").write_text(curriculum)


async def test_a_plan_over_its_minutes_is_a_builder_problem(
    app: FacilitatorApp, data_dir: Path
) -> None:
    user_content(data_dir)
    app.workspace.reload_library()  # the fixture loaded it before the files were there
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        home_problems = [str(p) for p in app.workspace.library.problems]  # Home lists these
        assert any(
            "agenda items add up to 75 minutes but the plan says 60" in p for p in home_problems
        )
        app.open_builder("mine")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        shown = str(screen.query_one("#builder-problems").render())
        assert "mine-over.session.yaml" in shown
        assert "agenda items add up to 75 minutes but the plan says 60" in shown


async def test_reviewing_a_handout_before_it_is_handed_out(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("sexual-self-compassion")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        assert str(screen.query_one("#builder-problems").render()) == "No problems."
        await pilot.press("f")
        app.screen.query_one(Input).value = "ssc-reordered"
        await pilot.press("enter")
        await pilot.pause()
        weeks = screen.query_one("#weeks", DataTable)
        weeks.focus()
        weeks.move_cursor(row=6)  # week 7 reviews the consent script handed out in week 6
        await pilot.press("shift+up")
        await pilot.pause()
        shown = str(screen.query_one("#builder-problems").render())
        assert "week 6 reviews the" in shown and "first handed out in week 7" in shown
