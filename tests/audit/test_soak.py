"""Soak: the app (driven by Pilot with random keys from its own bindings, across screens) and
another process saving rolls, notes and backups on the same database at once, each for a fixed
number of actions. No exception, no "database is locked", no acknowledged save lost, integrity
ok, memory growth bounded."""

from __future__ import annotations

import random
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from facilitator.store import open_store
from facilitator.workspace import Workspace
from tests.audit.helpers import ROOT
from tests.audit.test_disk_and_readonly import _home_ready
from tests.builders import cli_group

ROUNDS = 80
"""The writer's rounds: a roll and a note save each, a backup every tenth."""
PRESSES = 250
"""Keys the app gets at least, and on while the writer runs (up to 20 times as many): bounded
by count, not time (how fast either runs belongs in benchmarks/)."""
SAFETY_NET_S = 600
"""Only so that a hung writer fails the test instead of the suite: no assertion on time."""
KEYS = [
    "enter",
    "escape",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "space",
    "r",
    "n",
    "a",
    "m",
    "c",
    "k",
    "l",
    "p",
    "s",
    "b",
    "g",
    "t",
    "o",
    "f5",
    "plus",
    "minus",
    "question_mark",
    "w",
    "v",
    "d",
    "x",
    "y",
    "1",
    "2",
    "h",
    "i",
]
"""The app's own bindings and dialog keys; never 'e' (opens $EDITOR) or ctrl+q (quits)."""
RESULTS: dict[str, float] = {}


def _seed(data: Path) -> None:
    people = [f"Soaker{n}" for n in range(6)]
    cli_group("Soak group", people=people, start="2026-11-17", data_dir=data)


@pytest.mark.slow
async def test_app_and_another_process_at_once(data_dir: Path) -> None:
    from facilitator.tui.app import make_app

    _seed(data_dir)
    writer = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("soak_writer.py")),
            str(data_dir),
            str(ROUNDS),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    app = make_app(Workspace(data_dir))
    shown: list[str] = []
    original = app.notify

    def record(message: str, *args: object, **kwargs: object) -> None:
        shown.append(str(message))
        original(message, *args, **kwargs)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    rng = random.Random(8)
    presses = 0
    tracemalloc.start()
    try:
        async with app.run_test(size=(110, 34)) as pilot:
            await _home_ready(pilot)
            baseline = None
            while presses < PRESSES or (writer.poll() is None and presses < 20 * PRESSES):
                key = rng.choice(KEYS)
                if key == "escape" and len(app.screen_stack) <= 2 and rng.random() < 0.7:
                    key = "enter"  # stay deeper in the app most of the time
                await pilot.press(key)
                presses += 1
                if presses % 25 == 0:
                    await pilot.pause()
                if presses == PRESSES // 4:
                    baseline = tracemalloc.get_traced_memory()[0]
            await pilot.pause()
            current = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        out, err = writer.communicate(timeout=SAFETY_NET_S)
    assert writer.returncode == 0, err
    assert "locked" not in err
    assert not [m for m in shown if "locked" in m.lower() or "busy" in m.lower()], shown
    growth = (current - (baseline or current)) / 1e6
    RESULTS.update(rounds=ROUNDS, presses=presses, growth_mb=round(growth, 2))
    assert growth < 40, f"memory grew {growth:.1f} MB"
    lines = out.split()
    acked_notes = lines.count("note")
    assert lines.count("roll") == ROUNDS  # every roll acknowledged: none refused as locked
    assert acked_notes + lines.count("conflict") == ROUNDS and acked_notes > 10
    with open_store(data_dir) as store:
        assert store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.verify_audit() is None
        saved = store.db.conn.execute(
            "SELECT count(*) FROM audit WHERE tbl = 'group_notes' AND actor = 'soak-writer' "
            "AND action IN ('insert', 'update') AND json_extract(changes, '$.week') IS NOT 2"
        ).fetchone()[0]
        group = store.groups()[0]
        note = store.note(group.id, 1)
        every_save = store.db.conn.execute(
            "SELECT count(*) FROM audit WHERE tbl = 'group_notes' AND row_id = "
            "(SELECT id FROM group_notes WHERE group_id = ? AND week = 1)",
            (group.id,),
        ).fetchone()[0]
    assert saved >= acked_notes  # every acknowledged save is in the log (and the note)
    assert note is not None and note.version == every_save  # no save overwrote another
    print(
        f"\nsoak: {RESULTS}, writer: {lines.count('roll')} rolls, {acked_notes} notes, "
        f"{lines.count('conflict')} conflicts, {lines.count('backup')} backups"
    )
