"""Two app instances on one clinic database, as two co-facilitators of the demo group (two
staff logins: one made the group and shared it with the other): what one saves appears in the
other without a key pressed there (LISTEN/NOTIFY, under row-level security).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_helpers import SIZE, until
from textual.widgets import DataTable

from facilitator.actions import clinic as clinic_actions
from facilitator.demo import create_demo
from facilitator.store import open_store
from facilitator.tui.app import FacilitatorApp, make_app
from facilitator.tui.clock import FakeClock
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.screens.home import HomeScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.door import DoorAttendance
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.workspace import Workspace
from tests.builders import Clinic
from tests.tui.conftest import BEFORE_WEEK_4, TODAY, ready

WEEK = 4


@pytest.fixture
def shared(data_dir: Path, pg_url: str) -> str:
    """The demo group in a fresh PostgreSQL database."""
    ws = Workspace.from_options(data_dir, database_url=pg_url)
    with open_store(data_dir, url=pg_url) as store:
        create_demo(store, ws.library, TODAY, timezone="Europe/London")
    return pg_url


@pytest.fixture
def co_facilitators(data_dir: Path, clinic: Clinic) -> tuple[str, str]:
    """The URLs of two staff logins: Ann made the demo group and shared it with Bea."""
    ann, bea = clinic.add("ann"), clinic.add("bea")
    ws = Workspace.from_options(data_dir, database_url=ann)
    with open_store(data_dir, url=ann) as store:
        group = create_demo(store, ws.library, TODAY, timezone="Europe/London")
        assert group is not None
        clinic_actions.share(store, group.name, clinic.login("bea"))
    return ann, bea


def facilitator_app(data_dir: Path, url: str) -> FacilitatorApp:
    return make_app(Workspace.from_options(data_dir, database_url=url), FakeClock(BEFORE_WEEK_4))


def week_column(screen: GroupScreen) -> list[str]:
    grid = screen.query_one("#grid", AttendanceGrid)
    assert screen.view is not None
    column = 1 + [m.week for m in screen.view.schedule.meetings].index(WEEK)
    return [grid.cell_text(r, column) for r in range(grid.row_count)]


def note_texts(screen: GroupScreen) -> list[str]:
    table = screen.query_one("#notes", DataTable)
    return [str(table.get_row_at(i)[3]) for i in range(table.row_count)]


async def test_a_roll_and_a_note_taken_in_one_app_appear_in_the_other(
    data_dir: Path, co_facilitators: tuple[str, str]
) -> None:
    ann, bea = co_facilitators
    first, second = facilitator_app(data_dir, ann), facilitator_app(data_dir, bea)
    async with first.run_test(size=SIZE) as one, second.run_test(size=SIZE) as two:
        await ready(one)
        await ready(two)
        await two.press("enter")  # the co-facilitator has the group open
        await until(two, lambda: isinstance(second.screen, GroupScreen), "the group opened")
        theirs = second.screen
        assert isinstance(theirs, GroupScreen)
        before = week_column(theirs)
        assert set(before) == {"·"}, "week 4's roll is not taken yet"

        await one.press("r")  # the other runs the meeting and takes the roll at the door
        assert isinstance(first.screen, RunnerScreen)
        await one.press("a")
        await until(one, lambda: isinstance(first.screen, DoorAttendance), "the door opened")
        await one.press("down", "space", "enter")  # one person is not "present"
        await until(one, lambda: first.outbox.pending == 0, "the roll saved")

        await until(two, lambda: week_column(theirs) != before, "the roll in the second app")
        marks = week_column(theirs)
        assert "·" not in marks and len(set(marks)) == 2  # everyone marked; one exception
        assert theirs.last_reload.startswith("shared: ")

        await one.press("o", *"Room too warm", "enter")  # a quick note in the first app
        await until(
            two,
            lambda: any("Room too warm" in t for t in note_texts(theirs)),
            "the note shown in the second app",
        )
        assert second.screen is theirs  # nothing was pressed in the second app


async def test_the_home_screen_refreshes_the_changed_groups_row(
    data_dir: Path, shared: str
) -> None:
    app = facilitator_app(data_dir, shared)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        members = home.rows[0].members
        with open_store(data_dir, url=shared) as elsewhere:  # the CLI on another laptop
            elsewhere.enrol(home.rows[0].group.id, "Quillon")
        await until(pilot, lambda: home.rows[0].members == members + 1, "the new member counted")
        table = home.query_one("#groups", DataTable)
        assert str(table.get_row_at(0)[1]) == str(members + 1)
