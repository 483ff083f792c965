"""Each flow of the app driven with Pilot: keys in, effects checked in the real database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, TextArea

from facilitator.model.group import AttendanceStatus
from facilitator.tui.app import FacilitatorApp, make_app
from facilitator.tui.clock import FakeClock
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.home import HomeScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.workspace import Workspace
from tests.tui.conftest import ready

SIZE = (100, 32)


def cell_texts(table: DataTable, row: int) -> list[str]:  # type: ignore[type-arg]
    return [str(c) for c in table.get_row_at(row)]


async def test_home_shows_the_group_with_its_next_meeting(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        groups = app.screen.query_one("#groups", DataTable)
        row = cell_texts(groups, 0)
        assert row[0] == "Demo group" and row[1] == "9"
        assert row[2] == "Wed 25 Nov 18:30 (week 4)" and row[3] == "in 5 min"
        curricula = app.screen.query_one("#curricula", DataTable)
        ids = [cell_texts(curricula, i)[0] for i in range(curricula.row_count)]
        assert "sexual-self-compassion" in ids


async def test_enrol_and_mark_attendance(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen, GroupScreen)
        await pilot.press("a")
        await pilot.press(*"Quinn Z")
        await pilot.press("enter")
        await pilot.pause()
        people = {p.preferred_name: p for p in app.store.participants(1)}
        assert people["Quinn"].last_initial == "Z"
        # The grid: first row (Ada L.), week 3 column; space cycles present -> late and saves.
        grid = app.screen.query_one("#grid", AttendanceGrid)
        grid.focus()
        grid.move_cursor(row=0, column=3)
        await pilot.press("space")
        assert grid.cell_text(0, 3) == "late"  # the row repainted with the new mark
        await pilot.pause()
        marks = {(m.participant_id, m.week): m.status for m in app.store.marks(1)}
        assert marks[(people["Ada"].id, 3)] is AttendanceStatus.LATE
        assert marks[(people["Bo"].id, 3)] is AttendanceStatus.PRESENT  # the rest unchanged


async def group_table(
    app: FacilitatorApp, pilot: Pilot[None], tab: str, *, row: int
) -> DataTable[Any]:
    """Open the first group, show a tab and put the cursor of its table on ``row``."""
    await ready(pilot)
    await pilot.press("enter")
    screen = app.screen
    screen.query_one("#tabs").active = f"tab-{tab}"
    await pilot.pause()
    table = screen.query_one(f"#{tab}", DataTable)
    table.focus()
    table.move_cursor(row=row)
    return table


async def test_move_a_meeting(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await group_table(app, pilot, "schedule", row=4)  # week 5
        await pilot.press("m")
        field = app.screen.query_one(Input)
        field.value = "2026-12-03 19:00"
        await pilot.press("enter")
        await pilot.pause()
        meeting = app.store.schedule(1).meeting(5)
        assert meeting.start.replace(tzinfo=None) == datetime(2026, 12, 3, 19, 0)
        assert meeting.moved
        assert app.store.group(1).calendar_sequence == 1


async def test_run_a_meeting_end_to_end(workspace: Workspace, clock: FakeClock) -> None:
    app = make_app(workspace, clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        runner = app.screen
        assert isinstance(runner, RunnerScreen) and runner.meeting.week == 4
        await pilot.press("space")  # start
        clock.advance(7 * 60)  # arrival (5 min) runs 2 minutes over
        await pilot.pause()
        status = runner.run.status(clock.monotonic())
        assert status.danger and status.overrun == pytest.approx(120)
        await pilot.press("n")  # opening practice
        await pilot.press("plus")  # +1 minute
        assert runner.run.items[1].budget == 11 * 60
        await pilot.press("b")  # re-budget: buffer first, protected closing untouched
        budgets = {i.id: i.budget for i in runner.run.items}
        assert budgets["buffer"] == 2 * 60  # 3 minutes late: taken from the 5-minute buffer
        closing = next(i for i in runner.run.items if i.kind == "closing")
        assert closing.budget == closing.planned
        assert runner.run.status(clock.monotonic()).late_by == pytest.approx(0, abs=1)
        await pilot.press("g")  # grounding pause becomes current
        assert runner.run.items[runner.run.current].title == "Grounding pause"
        await pilot.press("o")
        await pilot.press(*"Room too warm", "enter")
        assert runner.run.notes == ("Room too warm",)
        clock.advance(60)
    # The app is closed mid-meeting; 3 minutes later it is opened again.
    clock.advance(180)
    again = make_app(workspace, clock)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        resumed = again.screen
        assert isinstance(resumed, RunnerScreen)
        status = resumed.run.status(clock.monotonic())
        assert status.current is not None and status.current.title == "Grounding pause"
        assert status.elapsed == pytest.approx(240)  # 1 minute before closing + 3 while closed
        for _ in range(len(resumed.run.items)):
            await pilot.press("n")
        assert not resumed.run.finished  # the last item asks first
        await pilot.press("y")
        assert resumed.run.finished
        await pilot.press("escape")
        fidelity = again.store.fidelity(1)[4]
        assert fidelity[0][0] == "Arrival and agreements" and fidelity[0][2] == pytest.approx(7)
        assert any(title == "Grounding pause" for title, *_ in fidelity)


async def test_door_attendance_saves_the_roll_in_one_go(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await pilot.press("a")
        await pilot.press("down", "down", "space", "space")  # Chidi: late, then absent
        await pilot.press("enter")
        await pilot.pause()
        marks = {m.participant_id: m.status for m in app.store.marks(1) if m.week == 4}
        chidi = app.store.find_participant(1, "Chidi")
        assert marks[chidi.id] is AttendanceStatus.ABSENT
        assert sum(s is AttendanceStatus.PRESENT for s in marks.values()) == 8


async def test_protected_item_cannot_be_skipped_from_the_keyboard(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        while not runner.run.items[runner.run.current].protected:
            await pilot.press("n")
        before = runner.run.current
        await pilot.press("s")
        assert runner.run.current == before


async def test_help_and_command_palette_and_quit(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"
        await pilot.press(*"Open group")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def exported(
    pilot: Pilot[None], screen: GroupScreen, key: str, seconds: float = 15
) -> list[Path]:
    """Press an export key on the group screen and wait for the files it wrote."""
    screen.last_export = []
    await pilot.press(key)
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if screen.last_export:
            break
    return list(screen.last_export)


async def test_print_a_week_invites_and_the_whole_course_from_the_app(
    app: FacilitatorApp, data_dir: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        written = await exported(pilot, screen, "p")  # the next meeting: week 4
        folder = data_dir / "prints" / "group-1"
        assert sorted(p.name for p in written) == ["week04-guide.pdf", "week04-packet.pdf"]
        for path in written:
            assert path.parent == folder and path.read_bytes().startswith(b"%PDF-")
            assert oct(path.stat().st_mode & 0o777) == "0o600"
        written = await exported(pilot, screen, "i")
        assert {"facilitator.ics", "group-public.ics"} <= {p.name for p in written}
        assert all(p.read_bytes().startswith(b"BEGIN:VCALENDAR") for p in written)
        written = await exported(pilot, screen, "W", seconds=30)  # the whole course
        weekly = [f"week{w:02d}-{kind}.pdf" for w in range(1, 9) for kind in ("guide", "sign-in")]
        assert [p.name for p in written] == ["workbook.pdf", *weekly]
        assert all(p.read_bytes().startswith(b"%PDF-") for p in written)


async def test_edit_a_person_and_their_large_print_flag(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        roster = await group_table(app, pilot, "roster", row=1)  # Bo K.
        await pilot.press("L")
        bo = app.store.find_participant(1, "Bo")
        assert bo.large_print
        await pilot.press("e")
        field = app.screen.query_one("#person-name", Input)
        assert field.value == "Bo" and app.screen.query_one("#person-initial", Input).value == "K"
        field.value = "Bowen"
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.participant(bo.id).preferred_name == "Bowen"
        assert "Bowen" in cell_texts(roster, 1)


async def test_person_note_naming_another_member_is_flagged(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        grid = app.screen.query_one("#grid", AttendanceGrid)
        grid.focus()
        grid.move_cursor(row=1, column=1)
        await pilot.press("up", "right")  # the keyboard cursor: Ada L., week 2
        await pilot.press("N")
        app.screen.query_one(TextArea).text = "Sat next to Chidi, seemed tired"
        await pilot.press("ctrl+s")
        await pilot.pause()
        ada = app.store.find_participant(1, "Ada")
        note = app.store.note(1, 2, ada.id)
        assert note is not None and note.text == "Sat next to Chidi, seemed tired"
        messages = [n.message for n in app._notifications]
        assert any("names another member (Chidi O.)" in m for m in messages)


async def test_a_stale_note_edit_is_a_conflict_and_the_text_is_kept(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await group_table(app, pilot, "schedule", row=1)  # week 2
        assert isinstance(app.screen, GroupScreen)
        await pilot.press("n")
        # Meanwhile another process saves a note for the same meeting.
        current = app.store.note(1, 2)
        app.store.save_note(
            1, 2, "Written elsewhere", expected_version=current.version if current else 0
        )
        app.screen.query_one(TextArea).text = "My version"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.note(1, 2).text == "Written elsewhere"  # not overwritten
        dialog_input = app.screen.query_one(TextArea)
        assert dialog_input.text == "My version"  # kept for a retry
        assert any("changed elsewhere" in n.message for n in app._notifications)


async def test_agenda_rows_stay_in_order_after_a_grounding_pause(app: FacilitatorApp) -> None:
    from facilitator.tui.widgets.line import Line

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space", "n", "n", "g")
        await pilot.pause()
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        shown = [line.plain for line in runner.query(".agenda-row").results(Line)]
        titles = [item.title for item in runner.run.items]
        assert len(shown) == len(titles) == 10
        for text, title in zip(shown, titles, strict=True):
            assert title[:30] in text
        assert "Grounding pause" in shown[2] and shown[2].lstrip().startswith("▶")


async def test_number_keys_switch_tabs_and_history_shows_the_run(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space", "n", "escape")  # one item run, then back home
        await pilot.press("enter", "5")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        assert screen.query_one("#tabs").active == "tab-history"
        history = screen.query_one("#history", DataTable)
        assert history.has_focus and history.row_count == 9
        assert cell_texts(history, 0)[:2] == ["4", "Arrival and agreements"]
        await pilot.press("3")
        assert screen.query_one("#schedule", DataTable).has_focus


async def test_skip_asks_first_and_says_what_happens(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "3")
        table = app.screen.query_one("#schedule", DataTable)
        table.move_cursor(row=5)  # week 6
        before = app.store.schedule(1).meeting(6).start
        await pilot.press("k")
        detail = str(app.screen.query_one(".dialog-detail").render())
        assert "Week 6 and the 2 week(s) after it each move one week later" in detail
        await pilot.press("escape")  # cancelled: nothing changes
        assert app.store.schedule(1).meeting(6).start == before
        await pilot.press("k", "y")
        await pilot.pause()
        after = app.store.schedule(1).meeting(6).start
        assert (after - before).days == 7


async def test_print_week_from_the_command_palette(app: FacilitatorApp, data_dir: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Print week 4")
        await pilot.pause(0.3)
        await pilot.press("enter")
        screen = None
        for _ in range(300):
            await pilot.pause(0.05)
            screen = next((s for s in app.screen_stack if isinstance(s, GroupScreen)), None)
            if screen is not None and screen.last_export:
                break
        assert screen is not None
        assert [p.name for p in screen.last_export] == ["week04-guide.pdf", "week04-packet.pdf"]
