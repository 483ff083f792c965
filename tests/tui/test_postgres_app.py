"""The app on a PostgreSQL database chosen with ``--database`` (the workspace's URL): it opens
the server's groups, and a mark taken in the grid is on the server for anyone to read."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.demo import create_demo
from facilitator.store import Store, open_store
from facilitator.tui.app import make_app
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.workspace import Workspace
from tests.tui.conftest import TODAY, ready

SIZE = (100, 32)


@pytest.fixture
def server_workspace(data_dir: Path, pg_url: str) -> Workspace:
    ws = Workspace.from_options(data_dir, database_url=pg_url)
    with open_store(data_dir, url=pg_url) as store:
        create_demo(store, ws.library, TODAY, timezone="Europe/London")
    return ws


def _week3(url: str) -> dict[int, object]:
    with Store(url) as other:  # another facilitator's connection
        return {m.participant_id: m.status for m in other.marks(1) if m.week == 3}


async def test_the_app_works_on_the_server(server_workspace: Workspace, clock, pg_url) -> None:
    before = _week3(pg_url)
    app = make_app(server_workspace, clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.store.engine == "postgresql"
        await pilot.press("enter")
        assert isinstance(app.screen, GroupScreen)
        grid = app.screen.query_one("#grid", AttendanceGrid)
        grid.focus()
        grid.move_cursor(row=0, column=3)  # week 3: held
        pid = app.screen.grid_ids[0]
        await pilot.press("space")
        await pilot.pause()
    after = _week3(pg_url)
    assert after[pid] != before[pid]  # the cell's next status, saved on the server
    assert {k: v for k, v in after.items() if k != pid} == {
        k: v for k, v in before.items() if k != pid
    }
    assert not (server_workspace.data_dir / "facilitator.sqlite3").exists()
