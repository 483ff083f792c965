"""Renaming in the builder: a forked curriculum and a copied plan get their own titles without
editing YAML by hand (and the copies are told apart from the originals until then)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.builder import BuilderScreen
from facilitator.tui.widgets.dialogs import TextDialog
from tests.builders import save_curriculum_group
from tests.tui.conftest import ready

SIZE = (100, 32)


async def test_rename_a_forked_curriculum(app: FacilitatorApp, data_dir: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        await pilot.press("f", "enter")  # fork as example-mine
        await pilot.pause()
        assert app.workspace.library.curriculum("example-mine").title.endswith("(my copy)")
        await pilot.press("n")
        dialog = app.screen
        assert isinstance(dialog, TextDialog)
        assert dialog.query_one(Input).value == "Example: a two-week taster"  # suffix offered off
        dialog.query_one(Input).value = "Riverside taster"
        await pilot.press("enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = data_dir / "content" / "example-mine" / "example-mine.curriculum.yaml"
    text = saved.read_text()
    assert "Riverside taster" in text and "(my copy)" not in text
    app.workspace.reload_library()
    assert app.workspace.library.curriculum("example-mine").title == "Riverside taster"
    assert "# A two-week example" in text  # comments kept


async def test_rename_a_copied_plan_and_refuse_a_bundled_one(
    app: FacilitatorApp, data_dir: Path
) -> None:
    from facilitator.content.editing import copy_plan
    from facilitator.paths import user_content_dir

    library = app.workspace.library
    copy_plan(library.sessions["example-arriving"], user_content_dir(data_dir), "arr-mine", library)
    app.workspace.reload_library()
    assert app.workspace.library.plan("arr-mine").title == "Arriving and settling in (my copy)"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.query_one("#plan-filter", Input).value = "arr-mine"
        await pilot.pause()
        assert screen.plan_ids == ["arr-mine"]
        screen.query_one("#plans").focus()  # N acts on the focused list
        await pilot.press("N")
        app.screen.query_one(Input).value = "Arriving, Riverside version"
        await pilot.press("enter")
        await pilot.pause()
        assert app.workspace.library.plan("arr-mine").title == "Arriving, Riverside version"
        screen.query_one("#plan-filter", Input).value = "example-arriving"
        await pilot.pause()
        await pilot.press("N", "enter")
        await pilot.pause()
        assert any("bundled plan and read-only" in n.message for n in app._notifications)
        assert app.workspace.library.plan("example-arriving").title == "Arriving and settling in"


async def test_undo_takes_changes_back_one_by_one(app: FacilitatorApp) -> None:
    from textual.widgets import DataTable

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("sexual-self-compassion")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen) and screen.draft is not None
        original = [s for s, _ in screen.draft.weeks()]
        weeks = screen.query_one("#weeks", DataTable)
        weeks.focus()
        weeks.move_cursor(row=5)  # week 6, which has an alternate
        await pilot.press("shift+up", "v")  # a reorder, then an alternate swapped in
        changed = [s for s, _ in screen.draft.weeks()]
        assert changed[4] == "ssc-alt-communication" and changed[5] == original[4]
        await pilot.press("u")
        assert [s for s, _ in screen.draft.weeks()][4:6] == [original[5], original[4]]
        await pilot.press("u")
        assert [s for s, _ in screen.draft.weeks()] == original
        await pilot.press("u")
        assert any("Nothing to undo" in n.message for n in app._notifications)


async def test_e_acts_on_the_focused_list(app: FacilitatorApp) -> None:
    from textual.widgets import DataTable

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.query_one("#plans", DataTable).move_cursor(row=0)
        weeks = screen.query_one("#weeks", DataTable)
        weeks.focus()
        weeks.move_cursor(row=1)  # week 2: example-kind-attention
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, TextDialog)  # bundled: copy first, named after week 2's plan
        assert dialog.query_one(Input).value == "example-kind-attention-mine"


async def test_no_editor_is_said_plainly(app: FacilitatorApp, monkeypatch) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr("shutil.which", lambda name: None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen._edit_file("/tmp/plan.session.yaml")
        await pilot.pause()
        said = [n.message for n in app._notifications][-1]
        assert said.startswith("No editor: set $EDITOR") and "/tmp/plan.session.yaml" in said


async def test_saving_offers_the_change_to_running_groups(app: FacilitatorApp) -> None:
    from datetime import date, time

    from textual.widgets import DataTable

    from facilitator.tui.widgets.dialogs import ConfirmDialog

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        await pilot.press("f", "enter")  # example-mine
        await pilot.pause()
        group = save_curriculum_group(
            app.store,
            app.workspace.library,
            "Mine",
            curriculum_id="example-mine",
            first_date=date(2026, 11, 2),
            start_time=time(10, 0),
            timezone="UTC",
        )
        app.store.enrol(group.id, "Ada")
        app.store.mark_roll(group.id, 1)  # week 1 was held
        weeks = screen.query_one("#weeks", DataTable)
        weeks.focus()
        weeks.move_cursor(row=1)
        await pilot.press("shift+up", "ctrl+s")  # the two weeks change places
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Mine: week 2 example-kind-attention -> example-arriving" in dialog.detail
        assert "week 1" not in dialog.detail.split("\n")[0]  # held: keeps its history
        await pilot.press("y")
        await pilot.pause()
        assert [s for s, _ in app.store.session_weeks(group.id)] == [
            "example-arriving",
            "example-arriving",
        ]
