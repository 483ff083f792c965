"""Notes in the app: quick notes from the runner reach the Notes tab, the history and the
report; notes are multi-line and open in full; n edits the selected note; earlier versions
are kept and shown."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, TextArea

from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextViewer
from facilitator.tui.widgets.note_editor import NoteEditor
from tests.helpers import run_cli
from tests.pdf.conftest import pdf_text
from tests.tui.conftest import ready
from tests.tui.test_flows import exported

SIZE = (100, 32)


def rows(table: DataTable) -> list[list[str]]:  # type: ignore[type-arg]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_quick_note_reaches_notes_history_and_report(
    app: FacilitatorApp, data_dir: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space")
        assert isinstance(app.screen, RunnerScreen)
        await pilot.press("o", *"Room too warm", "enter")
        await pilot.press("n", "escape")  # one item done, back home
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        note = app.store.note(1, 4)
        assert note is not None and note.text == "18:25 Room too warm"  # the meeting's clock
        await pilot.press("4")
        assert ["4", "group", "v1", "18:25 Room too warm"] in rows(screen.query_one("#notes"))
        await pilot.press("5")
        history = rows(screen.query_one("#history"))
        assert ["4", "Note: Room too warm", "", "", "quick note"] in history
        files = await exported(pilot, screen, "R", seconds=60)
        report = pdf_text(next(p for p in files if p.name == "report.pdf").read_bytes())
        assert "Room too warm" not in report  # notes are never in a default print
    out = data_dir / "with-notes"
    printed = run_cli("print", "1", "--report", "--with-notes", "--out", str(out), "-q")
    assert printed.code == 0, printed.err
    assert "18:25 Room too warm" in pdf_text((out / "report.pdf").read_bytes())
    refused = run_cli("print", "1", "--week", "4", "--with-notes")
    assert refused.code == 2 and "--with-notes goes with --report" in refused.err


async def test_n_on_a_selected_note_edits_it_in_full_and_keeps_the_earlier_one(
    app: FacilitatorApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "4")
        screen = app.screen
        table = screen.query_one("#notes", DataTable)
        listed = rows(table)
        row = next(i for i, r in enumerate(listed) if r[:2] == ["2", "group"])
        table.move_cursor(row=row)
        before = app.store.note(1, 2)
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, NoteEditor)
        area = editor.query_one(TextArea)
        assert area.text == before.text  # the whole note, not the first line
        await pilot.press("enter", *"Second line")  # Enter is a new line in a note
        await pilot.press("ctrl+s")
        await pilot.pause()
        after = app.store.note(1, 2)
        assert after.text == before.text + "\nSecond line" and after.version == before.version + 1
        kept = app.store.note_history(1, 2)
        assert [(v.version, v.text) for v in kept] == [(before.version, before.text)]
        shown = rows(table)[row]
        assert shown[2] == f"v{after.version} (1 kept)" and "(+1 lines)" in shown[3]
        # the earlier version is in the editor, under the text, and behind h
        await pilot.press("n")
        assert before.text in str(app.screen.query_one("#note-history Static").render())
        await pilot.press("escape")
        await pilot.press("h")
        assert isinstance(app.screen, TextViewer) and before.text in app.screen.text


async def test_escape_on_a_changed_note_asks(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "3")  # schedule tab: week 1 selected
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditor)
        before = app.store.note(1, 1)
        await pilot.press(*" more")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen) and app.store.note(1, 1) == before
