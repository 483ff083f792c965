"""Clinic scale on one PostgreSQL server (Unix socket): 10 facilitators x 5 groups x 12 people.

- p95 of roll saves while 10 processes (one per facilitator) save rolls of their groups at once
  (40 bursts of 10 simultaneous saves), and, for reference, back to back without a pause;
- the overview of all 50 groups a supervisor sees (one query), on PostgreSQL and on SQLite, and
  the same facts read the old way (four queries per group) for comparison;
- a change visible to a co-facilitator: from just before one process saves a roll (so the time
  includes the transaction up to its COMMIT) to another process having heard the notification
  and read that group again (its summary and its overview row).

The benchmark starts its own throwaway cluster (tests/pg_cluster.py, shared with the tests)
and skips these figures, saying why, when PostgreSQL's server binaries or psycopg are missing.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from typing import Any

from benchmarks import data
from benchmarks.data import WEEKS
from benchmarks.harness import Bench, scratch_dir
from facilitator.model.group import AttendanceStatus

FACILITATORS, GROUPS_EACH, PEOPLE = 10, 5, 12
SAVES_EACH = 40
"""Roll saves per process and round (10 processes: 400 samples per round)."""
BURST_GAP_S = 0.1
"""Between two bursts of 10 simultaneous saves."""
NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
_state: dict[str, Any] = {}


def _fill(stores: list[Any]) -> list[tuple[int, list[int]]]:
    """50 groups of 12, three rolls each taken, each facilitator's five made through their
    own store; returns (group id, participant ids), facilitator by facilitator."""
    groups = []
    for f in range(FACILITATORS):
        store = stores[f % len(stores)]
        for g in range(GROUPS_EACH):
            group = store.create_group(
                data.group(f"F{f} group {g}", first_date=date(2026, 9, 1 + g)), WEEKS
            )
            people = [store.enrol(group.id, f"P{f}-{g}-{n}").id for n in range(PEOPLE)]
            for week in (1, 2, 3):
                store.mark_roll(group.id, week, {people[week]: AttendanceStatus.ABSENT})
            groups.append((group.id, people))
    return groups


def _login(f: int) -> str:
    return f"facilitator{f}"


def _cluster() -> Any:
    if "cluster" in _state:
        return _state["cluster"]
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise RuntimeError("psycopg is missing: pip install -e '.[dev]'") from None
    from tests.pg_cluster import INSTALL_HINT, Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise RuntimeError(INSTALL_HINT)
    cluster = Cluster(bindir)
    atexit.register(cluster.stop)
    cluster.admin("CREATE DATABASE clinic")
    _state["cluster"] = cluster
    return cluster


def setup_clinic() -> None:
    """The clinic as `clinic init` and `clinic add-user` make it: ten staff logins, each
    facilitating five groups (row-level security applies to every save), and a supervisor who
    reads the overview; the co-facilitator of one group listens for changes."""
    from facilitator.actions import clinic
    from facilitator.store import Store, open_store

    cluster = _cluster()
    owner = cluster.url("clinic")
    clinic.init(owner)
    for f in range(FACILITATORS):
        clinic.add_user(owner, _login(f), "staff")
    clinic.add_user(owner, "supervisor", "supervisor")
    clinic.add_user(owner, "cofacilitator", "staff")
    urls = [cluster.url("clinic", user=_login(f)) for f in range(FACILITATORS)]
    stores = [Store(url, actor="bench") for url in urls]
    _state["groups"] = _fill(stores)
    with stores[0] as first:  # the co-facilitator of the group the visibility figure changes
        clinic.share(first, "F0 group 2", "cofacilitator")
    for store in stores[1:]:
        store.close()
    _state["urls"], _state["url"] = urls, urls[0]
    _state["pg"] = Store(urls[0], actor="bench")
    _state["supervisor"] = Store(cluster.url("clinic", user="supervisor"), actor="bench")
    _state["cofacilitator_url"] = cluster.url("clinic", user="cofacilitator")
    sqlite = open_store(scratch_dir("clinic-sqlite"))
    _fill([sqlite])
    _state["sqlite"] = sqlite


# -- 10 processes saving rolls at once ---------------------------------------------------------


def _saver(args: tuple[str, list[tuple[int, list[int]]], float, int, float]) -> list[float]:
    """One facilitator's process: save rolls of their groups, each at a common start time
    (``gap`` seconds apart: all 10 processes save at once, then again), or back to back
    (``gap`` 0: as fast as the server takes them)."""
    url, groups, start_at, seed, gap = args
    store = _saver_store(url)
    samples = []
    for n in range(SAVES_EACH):
        go = start_at + n * gap
        while time.time() < go:
            time.sleep(0.0005)
        gid, people = groups[n % len(groups)]
        absent = {people[(n + seed) % len(people)]: AttendanceStatus.ABSENT}
        began = time.perf_counter()
        store.mark_roll(gid, 4 + n % 4, absent)
        samples.append(time.perf_counter() - began)
    return samples


_saver_stores: dict[str, Any] = {}


def _saver_store(url: str) -> Any:
    from facilitator.store import Store

    if url not in _saver_stores:
        _saver_stores[url] = Store(url, actor="bench")
    return _saver_stores[url]


def ensure_clinic() -> None:
    if "pg" not in _state:
        setup_clinic()


def setup_savers() -> None:
    ensure_clinic()
    if "pool" in _state:
        return
    context = multiprocessing.get_context("spawn")
    pool = context.Pool(FACILITATORS)
    atexit.register(pool.terminate)
    _state["pool"] = pool


def _p95_round(gap: float) -> float:
    groups = _state["groups"]
    start_at = time.time() + 0.5
    jobs = [
        (_state["urls"][f], groups[f * GROUPS_EACH : (f + 1) * GROUPS_EACH], start_at, f, gap)
        for f in range(FACILITATORS)
    ]
    samples = sorted(s for part in _state["pool"].map(_saver, jobs) for s in part)
    return samples[int(len(samples) * 0.95) - 1]


def measure_p95_save() -> float:
    """p95 of one round: 40 times, the 10 processes each save a roll of one of their groups
    at the same moment (400 saves)."""
    return _p95_round(BURST_GAP_S)


def measure_p95_saturated() -> float:
    """p95 when the 10 processes save back to back, 40 rolls each (throughput, no pause)."""
    return _p95_round(0.0)


# -- the overview -------------------------------------------------------------------------------


def _overview(engine: str) -> float:
    """The home screen's rows of every group: on PostgreSQL as the supervisor sees them."""
    from facilitator.overview import group_rows

    store = _state["supervisor" if engine == "pg" else engine]
    start = time.perf_counter()
    rows = group_rows(store, NOW)
    elapsed = time.perf_counter() - start
    assert len(rows) == FACILITATORS * GROUPS_EACH, len(rows)
    return elapsed


def _overview_per_group(engine: str) -> float:
    """The same facts read as before the one-query overview: four verbs per group."""
    store = _state["supervisor" if engine == "pg" else engine]
    start = time.perf_counter()
    for group in store.groups():
        store.schedule(group.id)
        store.open_runs(group.id)
        store.session_weeks(group.id)
        store.participants(group.id)
    return time.perf_counter() - start


# -- a change seen by a co-facilitator ----------------------------------------------------------

_LISTENER = """
import sys, time
from facilitator.store import Store
url, shared = sys.argv[1], int(sys.argv[2])
store = Store(url, actor="co-facilitator")
feed = store.change_feed()
feed.wait(0.1)
print("ready", flush=True)
while True:
    for change in feed.wait(1.0):
        if change.group_id != shared:  # every group's changes are announced; read only ours
            continue
        store.summary(change.group_id)
        store.overview([change.group_id])
        print(change.group_id, time.time(), flush=True)
"""


def setup_visible() -> None:
    ensure_clinic()
    listener = subprocess.Popen(
        [sys.executable, "-c", _LISTENER, _state["cofacilitator_url"], str(_state["groups"][2][0])],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    atexit.register(listener.kill)
    assert listener.stdout is not None
    assert listener.stdout.readline().strip() == "ready"
    _state["listener"] = listener
    _state["visible_n"] = 0


def measure_visible() -> float:
    """Seconds from just before a roll save in this process to the other process having
    read that group again after its notification."""
    listener = _state["listener"]
    gid, people = _state["groups"][2]  # F0 group 2: shared with the co-facilitator
    _state["visible_n"] += 1
    absent = {people[_state["visible_n"] % PEOPLE]: AttendanceStatus.ABSENT}
    began = time.time()
    # week 8: no saver touches it, and each call marks another person absent, so every save
    # changes rows (a save that changes nothing announces nothing)
    _state["pg"].mark_roll(gid, 8, absent)
    line = listener.stdout.readline().split()
    if not line:
        raise RuntimeError("the co-facilitator's process stopped")
    assert int(line[0]) == gid, line
    return float(line[1]) - began


def _cleanup() -> None:
    for key in ("pg", "sqlite"):
        store = _state.pop(key, None)
        if store is not None:
            store.close()


atexit.register(_cleanup)

BENCHMARKS = [
    Bench(
        "clinic: p95 roll save, 10 processes at once (PostgreSQL)",
        measure_p95_save,
        0.020,
        setup=setup_savers,
        runs=5,
    ),
    Bench(
        "clinic: p95 roll save, 10 processes back to back (no target)",
        measure_p95_saturated,
        None,
        setup=setup_savers,
        runs=3,
    ),
    Bench(
        "clinic: overview of 50 groups, one query (PostgreSQL)",
        lambda: _overview("pg"),
        0.150,
        setup=ensure_clinic,
        runs=7,
    ),
    Bench(
        "clinic: overview of 50 groups, one query (SQLite)",
        lambda: _overview("sqlite"),
        0.150,
        setup=ensure_clinic,
        runs=7,
    ),
    Bench(
        "clinic: the same facts, 4 queries per group (PostgreSQL)",
        lambda: _overview_per_group("pg"),
        None,
        setup=ensure_clinic,
        runs=5,
    ),
    Bench(
        "clinic: the same facts, 4 queries per group (SQLite)",
        lambda: _overview_per_group("sqlite"),
        None,
        setup=ensure_clinic,
        runs=5,
    ),
    Bench(
        "clinic: change visible to a co-facilitator (save to re-read)",
        measure_visible,
        2.0,
        setup=setup_visible,
        runs=9,
    ),
]


def _unavailable() -> str:
    """Why these figures cannot be taken here ('' when they can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is missing: pip install -e '.[dev]'"
    from tests.pg_cluster import INSTALL_HINT, find_bindir

    return INSTALL_HINT if find_bindir() is None else ""


if _why_not := _unavailable():
    print(f"  (clinic benchmarks skipped: {_why_not})")
    BENCHMARKS = []
