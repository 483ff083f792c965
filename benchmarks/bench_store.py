"""Store: durable roll save, attendance summary on a large database, cold `schedule` command."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path

from benchmarks import data
from benchmarks.data import WEEKS
from benchmarks.harness import Bench, facilitator_cmd, scratch_dir, time_command
from facilitator.model.group import AttendanceStatus
from facilitator.store import Store, open_store

BIG_GROUPS, BIG_PEOPLE = 50, 1000
_state: dict[str, object] = {}


def _folder(key: str) -> Path:
    folder = scratch_dir(key)
    _state.setdefault("folders", []).append(folder)  # type: ignore[union-attr]
    return folder


def setup_roll() -> None:
    store = open_store(_folder("roll"))
    group = store.create_group(data.group("roll"), WEEKS)
    people = [store.enrol(group.id, f"P{n}").id for n in range(12)]
    _state["roll"] = (store, group.id, people, [0])


def measure_roll() -> float:
    """Median of 30 durable saves of a 12-mark roll (WAL, synchronous=FULL, real file)."""
    store, gid, people, counter = _state["roll"]  # type: ignore[misc]
    samples = []
    for _ in range(30):
        counter[0] += 1
        absent = {people[counter[0] % 12]: AttendanceStatus.ABSENT}
        start = time.perf_counter()
        store.mark_roll(gid, counter[0] % 8 + 1, absent)
        samples.append(time.perf_counter() - start)
    return sorted(samples)[len(samples) // 2]


def setup_big() -> None:
    """50 groups x 1,000 participants x 8 held meetings, built once with bulk SQL."""
    store = open_store(_folder("big"))
    statuses = [s.value for s in AttendanceStatus]
    for g in range(BIG_GROUPS):
        gid = store.create_group(data.group(f"group {g}"), WEEKS).id
        with store.db.write() as conn:
            first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM participants").fetchone()[0]
            conn.executemany(
                "INSERT INTO participants (group_id, preferred_name, opaque_id) VALUES (?, ?, ?)",
                [(gid, f"P{g}-{n}", secrets.token_hex(8)) for n in range(BIG_PEOPLE)],
            )
            conn.executemany(
                "INSERT INTO rolls (group_id, week) VALUES (?, ?)", [(gid, w) for w in range(1, 9)]
            )
            conn.executemany(
                "INSERT INTO marks (group_id, week, participant_id, status) VALUES (?, ?, ?, ?)",
                [
                    (gid, w, first + n, statuses[(n * w) % 5])
                    for n in range(BIG_PEOPLE)
                    for w in range(1, 9)
                ],
            )
    store.checkpoint()
    _state["big"] = store


def measure_summary() -> float:
    """One group's summary (1,000 x 8) in the 50-group database."""
    store: Store = _state["big"]  # type: ignore[assignment]
    start = time.perf_counter()
    store.summary(BIG_GROUPS // 2)
    return time.perf_counter() - start


def measure_all_summaries() -> float:
    """Every group's summary (400,000 marks)."""
    store: Store = _state["big"]  # type: ignore[assignment]
    start = time.perf_counter()
    for g in store.groups():
        store.summary(g.id)
    return time.perf_counter() - start


def setup_cold() -> None:
    folder = _folder("cold")
    with open_store(folder) as store:
        store.create_group(data.group("Tue"), WEEKS)
    _state["cold"] = folder


def measure_cold() -> float:
    """`facilitator schedule Tue` in a fresh process."""
    folder = _state["cold"]
    return time_command(
        *facilitator_cmd("schedule", "Tue"), env={"FACILITATOR_DATA_DIR": str(folder)}
    )


def cleanup() -> None:
    for folder in _state.get("folders", []):  # type: ignore[union-attr]
        shutil.rmtree(folder, ignore_errors=True)


BENCHMARKS = [
    Bench(
        "store: durable roll of 12 marks (median of 30 saves)",
        measure_roll,
        0.015,
        setup=setup_roll,
    ),
    Bench(
        "store: summary of 1 group (1,000 x 8) in 50-group db",
        measure_summary,
        0.150,
        setup=setup_big,
    ),
    Bench("store: summaries of all 50 groups (400,000 marks)", measure_all_summaries, None, runs=3),
    Bench(
        "cli: `facilitator schedule GROUP` cold start",
        measure_cold,
        0.5,
        setup=setup_cold,
        unit="s",
    ),
]

if os.environ.get("BENCH_KEEP") is None:
    import atexit

    atexit.register(cleanup)
