"""Fixtures for driving the real app with Pilot over a real database and a fake clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from facilitator.tui.app import FacilitatorApp, make_app
from facilitator.tui.clock import FakeClock
from facilitator.workspace import Workspace
from tests.builders import save_demo_group

TODAY = date(2026, 11, 22)
# Week 4 of the demo group meets on Wednesday 25 November 2026 at 18:30 in London (UTC+0).
BEFORE_WEEK_4 = datetime(2026, 11, 25, 18, 25, tzinfo=UTC)


@pytest.fixture
def workspace(data_dir: Path) -> Workspace:
    """A workspace whose database holds the demo group (nine invented people, three rolls)."""
    ws = Workspace.from_options(data_dir)
    save_demo_group(data_dir, TODAY, "Europe/London", library=ws.library)
    return ws


@pytest.fixture
def clock() -> FakeClock:
    """A clock five minutes before week 4's meeting."""
    return FakeClock(BEFORE_WEEK_4)


@pytest.fixture
def app(workspace: Workspace, clock: FakeClock) -> FacilitatorApp:
    """The app, as the CLI would build it, with the fake clock."""
    return make_app(workspace, clock)


async def ready(pilot: Any) -> None:
    """Wait until the home screen has loaded the groups and the content (it does so off the
    UI thread, right after the first frame)."""
    from facilitator.tui.screens.home import HomeScreen

    for _ in range(200):
        screen = pilot.app.screen
        if isinstance(screen, HomeScreen) and screen.ready:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the home screen did not finish loading")
