"""The curriculum builder: fork, edit weeks, save with comments kept; bundled files untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from facilitator.paths import bundled_content_roots
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.builder import BuilderScreen
from tests.tui.conftest import ready

SIZE = (100, 32)


async def test_fork_edit_and_save_keeps_comments(app: FacilitatorApp, data_dir: Path) -> None:
    bundled = bundled_content_roots()[0] / "example" / "example.curriculum.yaml"
    original = bundled.read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen) and screen.draft is not None
        assert screen.draft.bundled
        await pilot.press("ctrl+s")  # bundled: refused
        assert bundled.read_bytes() == original
        await pilot.press("f")
        field = app.screen.query_one(Input)
        assert field.value == "example-mine"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.curriculum_id == "example-mine" and not screen.draft.bundled
        # Add a third week from the library: the plan filter narrows the list to one plan.
        screen.query_one("#plan-filter", Input).value = "tag:example kind"
        await pilot.pause()
        assert screen.plan_ids == ["example-kind-attention"]
        weeks = screen.query_one("#weeks", DataTable)
        weeks.focus()
        weeks.move_cursor(row=1)
        await pilot.press("a")
        assert [s for s, _ in screen.draft.weeks()] == [
            "example-arriving",
            "example-kind-attention",
            "example-kind-attention",
        ]
        budget = str(screen.query_one("#budget").render())
        assert "3 weeks" in budget and "180 of 180 planned minutes" in budget
        await pilot.press("shift+up")  # reorder: the new week moves to week 2
        await pilot.press("d")  # and is removed again
        await pilot.press("a")
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = data_dir / "content" / "example-mine" / "example-mine.curriculum.yaml"
    text = saved.read_text()
    assert "# A two-week example: the smallest complete curriculum." in text
    assert "id: example-mine" in text and text.count("session: example-kind-attention") == 2
    assert "number: 3" in text
    assert bundled.read_bytes() == original
    assert oct(saved.stat().st_mode & 0o777) == "0o600"


async def test_budget_and_problems_update_as_you_edit(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("sexual-self-compassion")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen) and screen.draft is not None
        assert "No problems." in str(screen.query_one("#builder-problems").render())
        screen.query_one("#plan-filter", Input).value = "example-arriving"
        await pilot.pause()
        await pilot.press("w")  # swap a 60-minute plan into week 1: fine (it fits in 90)
        assert screen.draft.weeks()[0] == (
            "example-arriving",
            ("ssc-01-orientation",),
        )
        assert "8 weeks · 690 of 720 planned minutes" in str(screen.query_one("#budget").render())
        await pilot.press("v")  # the first alternate comes back
        assert screen.draft.weeks()[0][0] == "ssc-01-orientation"


async def test_edit_a_bundled_plan_copies_it_and_runs_the_editor(
    app: FacilitatorApp, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib

    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\necho "# edited in the editor" >> "$1"\n')
    editor.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(editor))
    monkeypatch.delenv("VISUAL", raising=False)
    # Pilot's headless driver cannot hand the terminal over; the real one does (see app.suspend).
    monkeypatch.setattr(type(app), "suspend", lambda self: contextlib.nullcontext())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_builder("example")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BuilderScreen)
        screen.query_one("#plan-filter", Input).value = "tag:example kind"
        await pilot.pause()
        screen.query_one("#plans", DataTable).focus()
        await pilot.press("e")
        assert app.screen.query_one(Input).value == "example-kind-attention-mine"
        await pilot.press("enter")
        await pilot.pause()
        copied = data_dir / "content" / "plans" / "example-kind-attention-mine.session.yaml"
        text = copied.read_text()
        assert "id: example-kind-attention-mine" in text and "# edited in the editor" in text
        assert "example-kind-attention-mine" in app.workspace.library.sessions  # reloaded
        assert "example-kind-attention-mine" in screen.plan_ids
