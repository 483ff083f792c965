"""The server goes down in the middle of a meeting and comes back: the runner keeps time, a
banner says the saves are waiting, and once the server is back everything taken meanwhile is
saved, in order; nothing the app acknowledged as saved is lost.

The test has a cluster of its own (it is stopped with ``pg_ctl stop -m immediate``, as a
crash, and started again), so no other test's database goes down with it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from live_helpers import SIZE, until
from textual.widgets import Digits

from facilitator.demo import create_demo
from facilitator.store import open_store
from facilitator.tui.app import FacilitatorApp, make_app
from facilitator.tui.clock import FakeClock
from facilitator.tui.screens.home import HomeScreen
from facilitator.tui.screens.runner import RunnerScreen
from facilitator.tui.widgets.door import DoorAttendance
from facilitator.tui.widgets.line import Line
from facilitator.workspace import Workspace
from tests.pg_cluster import Cluster, find_bindir
from tests.tui.conftest import BEFORE_WEEK_4, TODAY, ready

WEEK = 4


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    pytest.importorskip("psycopg")
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found")
    cluster = Cluster(bindir)
    try:
        cluster.admin("CREATE DATABASE meeting")
        yield cluster
    finally:
        cluster.stop()


def pg_ctl(cluster: Cluster, *args: str) -> None:
    subprocess.run(
        cluster._cmd(str(cluster.bindir / "pg_ctl"), "-D", str(cluster.data), "-w", *args),
        check=True,
        capture_output=True,
        cwd=cluster.folder,
    )


def crash(cluster: Cluster) -> None:
    """The server stops at once, as if it crashed (no checkpoint, connections cut)."""
    pg_ctl(cluster, "-m", "immediate", "stop")


def restart(cluster: Cluster) -> None:
    pg_ctl(cluster, "-l", str(cluster.log), "-t", "60", "start")


def notes_of(app: FacilitatorApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_meeting_runs_on_while_the_server_is_down(
    data_dir: Path, own_cluster: Cluster
) -> None:
    url = own_cluster.url("meeting")
    ws = Workspace.from_options(data_dir, database_url=url)
    with open_store(data_dir, url=url) as store:
        create_demo(store, ws.library, TODAY, timezone="Europe/London")
    clock = FakeClock(BEFORE_WEEK_4)
    app = make_app(ws, clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space")  # the meeting starts
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        await until(pilot, lambda: app.outbox.pending == 0, "the start saved")
        countdown = runner.query_one("#countdown", Digits)
        banner = runner.query_one("#save-banner", Line)

        crash(own_cluster)
        clock.advance(90)
        await until(pilot, lambda: countdown.value != "15:00" and countdown.value, "a tick")
        ticking = countdown.value

        await pilot.press("a")  # the roll at the door, from the roster read before
        await until(pilot, lambda: isinstance(app.screen, DoorAttendance), "the door opened")
        await pilot.press("down", "space", "enter")
        await pilot.press("n")  # and the next agenda item
        await until(pilot, lambda: banner.display and "not saved yet" in banner.plain, "banner")
        assert "reconnecting (2 changes waiting)" in banner.plain
        assert not any(n.startswith("Roll saved") for n in notes_of(app))  # never acknowledged

        clock.advance(60)  # time goes on, shown while the server is down
        await until(pilot, lambda: countdown.value != ticking, "the clock moved on")

        restart(own_cluster)
        await until(pilot, lambda: app.outbox.pending == 0, "the waiting saves flushed")
        await until(pilot, lambda: not banner.display, "the banner gone")
        assert any(n.startswith("Roll saved: ") for n in notes_of(app))

        crash(own_cluster)  # down again, and the facilitator leaves the meeting meanwhile
        await pilot.press("n")
        state = runner.run.current
        await until(pilot, lambda: "not saved yet" in banner.plain, "the banner again")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "back home")
        assert any("not saved yet: they are kept" in n for n in notes_of(app))
        restart(own_cluster)
        await until(pilot, lambda: app.outbox.pending == 0, "saved after leaving the meeting")

    with psycopg.connect(url) as fresh:  # read back by someone else, after the restart
        marks = fresh.execute(
            "SELECT status FROM marks WHERE group_id = 1 AND week = %s", (WEEK,)
        ).fetchall()
        record, finished = fresh.execute(
            "SELECT record, finished FROM meeting_runs WHERE group_id = 1 AND week = %s", (WEEK,)
        ).fetchone()
    statuses = sorted(s for (s,) in marks)
    assert len(statuses) == 9 and statuses.count("present") == 8
    assert json.loads(record)["current"] == state == 2 and not finished


async def test_a_meeting_ended_while_the_server_is_down_is_called_saved_only_once_saved(
    data_dir: Path, own_cluster: Cluster
) -> None:
    from facilitator.tui.widgets.dialogs import ConfirmDialog

    url = own_cluster.url("meeting")
    ws = Workspace.from_options(data_dir, database_url=url)
    with open_store(data_dir, url=url) as store:
        create_demo(store, ws.library, TODAY, timezone="Europe/London")
    app = make_app(ws, FakeClock(BEFORE_WEEK_4))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r", "space")
        runner = app.screen
        assert isinstance(runner, RunnerScreen)
        await until(pilot, lambda: app.outbox.pending == 0, "the start saved")
        crash(own_cluster)
        for _ in range(len(runner.run.items)):
            if isinstance(app.screen, ConfirmDialog):
                break
            await pilot.press("n")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")  # end the meeting
        await until(pilot, lambda: runner.run.finished, "the meeting ended")
        status = runner.query_one("#run-status", Line)
        await until(
            pilot, lambda: "not saved yet" in runner.query_one("#save-banner", Line).plain, "banner"
        )
        assert not any("record is saved" in n for n in notes_of(app))
        assert "Saved" not in status.plain
        restart(own_cluster)
        await until(pilot, lambda: any("record is saved" in n for n in notes_of(app)), "saved")
        assert status.plain == "Saved with the meeting's record."
    with psycopg.connect(url) as fresh:
        (finished,) = fresh.execute(
            "SELECT finished FROM meeting_runs WHERE group_id = 1 AND week = %s", (WEEK,)
        ).fetchone()
    assert finished == 1
