"""SVG snapshots of each screen's resting state at a fixed size (update only after looking)."""

from __future__ import annotations

from typing import Any

from facilitator.tui.app import FacilitatorApp
from tests.tui.conftest import ready

SIZE = (100, 32)


def test_home(app: FacilitatorApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=ready)


def test_group_attendance(app: FacilitatorApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=ready, press=["enter"])


def test_runner(app: FacilitatorApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=SIZE, run_before=ready, press=["r"])


def test_builder(app: FacilitatorApp, snap_compare: Any) -> None:
    async def open_builder(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.open_builder("sexual-self-compassion")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=open_builder)


def test_home_small_terminal(app: FacilitatorApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)
