"""Every screen mounts over hostile names and shows them literally (no markup, no crash)."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from textual.widgets import DataTable

from facilitator.model.group import Facilitator
from facilitator.store import open_store
from facilitator.tui.app import make_app
from facilitator.tui.clock import FakeClock
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.workspace import Workspace
from tests.builders import save_curriculum_group
from tests.tui.conftest import BEFORE_WEEK_4, ready

HOSTILE = [
    "[/]",
    "[@click=app.quit]x",
    "[bold red]Mallory",
    "<img src=x>",
    "A & B <3",
    "\u200fسلمى\u200e",  # bidi marks; overrides and isolates are refused at input
    "李小龍",
    "سلمى",
    "😀 emoji",
    "x" * 300,
]


def all_cells(table: DataTable) -> set[str]:  # type: ignore[type-arg]
    return {str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)}


async def test_every_screen_shows_hostile_names_literally(data_dir: Path) -> None:
    ws = Workspace.from_options(data_dir)
    with open_store(data_dir) as store:
        group = save_curriculum_group(
            store,
            ws.library,
            "[/] <b>group</b> [@click=app.quit]",
            curriculum_id="sexual-self-compassion",
            first_date=date(2026, 11, 4),
            start_time=time(18, 30),
            timezone="Europe/London",
            location="[red]Room[/]",
            facilitators=[Facilitator("[/]Sam", "sam@example.org")],
            capacity=20,
        )
        for name in HOSTILE:
            store.enrol(group.id, name, last_initial="[", joined=date(2026, 11, 4))
        store.mark_roll(group.id, 1)
        store.save_note(group.id, 1, "[/] note <b>", expected_version=0)
    app = make_app(ws, FakeClock(BEFORE_WEEK_4))
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        groups = app.screen.query_one("#groups", DataTable)
        assert "[/] <b>group</b> [@click=app.quit]" in all_cells(groups)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        for tab in ("tab-roster", "tab-schedule", "tab-notes", "tab-history", "tab-attendance"):
            screen.query_one("#tabs").active = tab
            await pilot.pause()
        roster = all_cells(screen.query_one("#roster", DataTable))
        assert set(HOSTILE) <= roster
        table = screen.query_one("#grid", AttendanceGrid)
        grid = {table.cell_text(r, 0) for r in range(table.row_count)}
        assert "[/] [." in grid and "\u200fسلمى\u200e [." in grid
        assert "[/] note <b>" in all_cells(screen.query_one("#notes", DataTable))
        await pilot.press("r")
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("a")
        door = all_cells(app.screen.query_one("#door", DataTable))
        assert "[@click=app.quit]x [." in door and "سلمى [." in door
        await pilot.press("escape", "escape")
        await pilot.press("question_mark")
        await pilot.press("escape")
        app.open_builder("sexual-self-compassion")
        await pilot.pause()
        await pilot.press("escape")
    assert app.return_code in (None, 0)


async def test_the_new_dialogs_show_hostile_names_literally(data_dir: Path) -> None:
    from textual.widgets import Input, TextArea

    from facilitator.tui.widgets.group_form import GroupForm
    from facilitator.tui.widgets.note_editor import NoteEditor
    from facilitator.tui.widgets.person_dialog import PersonDialog

    ws = Workspace.from_options(data_dir)
    with open_store(data_dir) as store:
        group = save_curriculum_group(
            store,
            ws.library,
            "[/] <b>group</b>",
            curriculum_id="sexual-self-compassion",
            first_date=date(2026, 11, 4),
            start_time=time(18, 30),
            timezone="Europe/London",
            location="[red]Room[/]",
            facilitators=[Facilitator("[/]Sam", "sam@example.org")],
        )
        person = store.enrol(group.id, "[@click=app.quit]x", last_initial="[")
        store.save_note(group.id, 1, "[/] first", expected_version=0)
        store.save_note(group.id, 1, "[bold]second", expected_version=1)
    app = make_app(ws, FakeClock(BEFORE_WEEK_4))
    async with app.run_test(size=(100, 32)) as pilot:
        await ready(pilot)
        await pilot.press("enter", "G")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, GroupForm), [n.message for n in app._notifications]
        assert form.query_one("#g-name", Input).value == "[/] <b>group</b>"
        assert form.query_one("#g-f0-name", Input).value == "[/]Sam"
        await pilot.press("escape", "2", "e")
        dialog = app.screen
        assert isinstance(dialog, PersonDialog) and dialog.person is not None
        assert dialog.person.id == person.id
        assert "[@click=app.quit]x [." in str(dialog.query_one("#person-preview").render())
        await pilot.press("escape", "4", "n")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        assert editor.query_one(TextArea).text == "[bold]second"
        assert "[/] first" in str(editor.query_one("#note-history Static").render())
        await pilot.press("escape")
    assert app.return_code in (None, 0)
