"""The app: first frame against a bare Textual app, key-to-repaint, a 50-group overview."""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import UTC, date, datetime
from datetime import time as clock_time
from pathlib import Path

from benchmarks.harness import Bench, scratch_dir, time_command

HERE = Path(__file__).resolve().parent
_DEMO = scratch_dir("tui")
_BIG = scratch_dir("overview")
ENV = {"FACILITATOR_DATA_DIR": str(_DEMO)}
_bare_samples: list[float] = []


def _setup_demo() -> None:
    from facilitator.demo import create_demo
    from facilitator.store import open_store
    from facilitator.workspace import Workspace

    ws = Workspace.from_options(_DEMO)
    with open_store(_DEMO) as store:
        create_demo(store, ws.library, date(2026, 11, 22), timezone="Europe/London")


def _first_frame(which: str) -> float:
    return time_command(sys.executable, str(HERE / "tui_first_frame.py"), which, env=ENV)


def _bare() -> float:
    sample = _first_frame("bare")
    _bare_samples.append(sample)
    return sample


def _ratio() -> float:
    """Our first frame divided by the bare app's, measured back to back."""
    ours = _first_frame("facilitator")
    bare = _first_frame("bare")
    return ours / bare


def _app(data_dir: Path):  # type: ignore[no-untyped-def]
    from facilitator.tui.app import make_app
    from facilitator.tui.clock import FakeClock
    from facilitator.workspace import Workspace

    return make_app(
        Workspace.from_options(data_dir), FakeClock(datetime(2026, 11, 25, 18, 25, tzinfo=UTC))
    )


def _key_to_repaint(
    keys: list[str], setup: list[str], focus: str | None = None, prep: tuple[str, ...] = ()
) -> float:
    """Median seconds from a key press to the screen update it causes being composed.

    Every composed update passes through ``App._display`` (also when headless); we stamp those
    calls and take, for each key, the first one after the key was sent. Pilot's own waiting
    for the CPU to go idle is not counted (it adds ~80 ms even for a bare app).
    """

    async def run() -> float:
        app = _app(_DEMO)
        stamps: list[float] = []
        display = app._display

        def stamped(screen, renderable):  # type: ignore[no-untyped-def]
            if renderable is not None:
                stamps.append(time.perf_counter())
            return display(screen, renderable)

        app._display = stamped  # type: ignore[method-assign]
        samples = []
        async with app.run_test(size=(100, 32)) as pilot:
            await _ready(pilot)
            await pilot.press(*setup)
            await pilot.pause()
            if focus:
                app.screen.query_one(focus).focus()
                await pilot.press(*prep)
                await pilot.pause()
            for key in keys * 10:
                start = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                after = [t for t in stamps if t > start]
                if after:
                    samples.append(after[0] - start)
        return statistics.median(samples)

    return asyncio.run(run())


async def _ready(pilot, content: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Wait for the home screen's rows (and, unless ``content`` is False, the content)."""
    while True:
        screen = pilot.app.screen
        if getattr(screen, "ready", False) or (not content and getattr(screen, "rows", None)):
            return
        await asyncio.sleep(0.002)


def _setup_big() -> None:
    from facilitator.model.group import Facilitator
    from facilitator.store import open_store
    from facilitator.store.setup import create_from_curriculum
    from facilitator.workspace import Workspace

    ws = Workspace.from_options(_BIG)
    with open_store(_BIG) as store:
        for g in range(50):
            group = create_from_curriculum(
                store,
                ws.library,
                name=f"Group {g:02d}",
                curriculum_id="sexual-self-compassion",
                first_date=date(2026, 11, 2) + (date(2026, 11, 3) - date(2026, 11, 2)) * (g % 7),
                start_time=clock_time(18, 0),
                timezone="Europe/London",
                facilitators=[Facilitator("Facilitator", "f@example.org")],
            )
            for p in range(12):
                store.enrol(group.id, f"Person {g}-{p}", last_initial="Q")


def _overview() -> float:
    async def run() -> float:
        app = _app(_BIG)
        start = time.perf_counter()
        async with app.run_test(size=(100, 32)) as pilot:
            await _ready(pilot, content=False)
            from textual.widgets import DataTable

            rows = app.screen.query_one("#groups", DataTable).row_count
            elapsed = time.perf_counter() - start
            assert rows == 50, rows
        return elapsed

    return asyncio.run(run())


BENCHMARKS = [
    Bench("first frame: bare Textual app (DataTable + Footer)", _bare, setup=_setup_demo, runs=5),
    Bench("first frame: facilitator / bare app, same run", _ratio, target=1.25, runs=5, unit="x"),
    Bench(
        "key-to-repaint: live runner (+, -)",
        lambda: _key_to_repaint(["plus", "minus"], ["r"]),
        target=0.016,
        runs=3,
    ),
    Bench(
        "key-to-repaint: attendance grid (cursor moves)",
        lambda: _key_to_repaint(["right", "left"], ["enter"], focus="#grid"),
        target=0.016,
        runs=3,
    ),
    Bench(
        "key-to-repaint: attendance grid (cycle a status, saved)",
        lambda: _key_to_repaint(["space"], ["enter"], focus="#grid", prep=("right", "right")),
        target=0.016,
        runs=3,
    ),
    Bench(
        "overview of 50 groups, 600 participants opens",
        _overview,
        setup=_setup_big,
        target=0.5,
        runs=5,
    ),
]
