"""Durability under kill -9 and two writers at once (real processes, real files; the writers
also against PostgreSQL, where the worker processes find the test's database in
FACILITATOR_DATABASE_URL)."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_worker import GROUPS, PEOPLE, slot, statuses

from facilitator.store import open_store
from tests.builders import save_group

WORKER = Path(__file__).with_name("store_worker.py")
KILLS = 100
PG_KILLS = 30
"""Fewer on PostgreSQL: each worker pays for a connection; the server's own crash safety is
PostgreSQL's (tested there), ours is that an acknowledged roll was committed."""
BUSY_OPS = 300
"""Writes per process in the two-writer test: bounded by count, not by the clock."""


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _setup_rolls(data: Path) -> None:
    with open_store(data) as store:
        for g in range(GROUPS):
            group = save_group(store, f"group {g}")
            for n in range(PEOPLE):
                store.enrol(group.id, f"P{g}-{n}")


def _connect(data: Path, url: str | None):  # type: ignore[no-untyped-def]
    """A raw connection to the database the workers wrote (``?`` placeholders on both)."""
    if url is None:
        return sqlite3.connect(f"file:{data / 'facilitator.sqlite3'}?mode=ro", uri=True)
    import psycopg

    from facilitator.store.pg.db import PgConnection

    return PgConnection(psycopg.connect(url, autocommit=True))


def _check(
    data: Path, acked: dict[tuple[int, int], int], inflight: int | None, url: str | None = None
) -> None:
    conn = _connect(data, url)
    try:
        if url is None:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        people: dict[int, list[int]] = {}
        for gid, pid in conn.execute("SELECT group_id, id FROM participants ORDER BY id"):
            people.setdefault(gid, []).append(pid)
        gids = sorted(people)
        for (index, week), k in acked.items():
            rows = dict(
                conn.execute(
                    "SELECT participant_id, status FROM marks WHERE group_id = ? AND week = ?",
                    (gids[index], week),
                )
            )
            allowed = [k] + (
                [inflight] if inflight is not None and slot(inflight) == (index, week) else []
            )
            assert any(
                rows == {p: s.value for p, s in zip(people[gids[index]], statuses(j), strict=True)}
                for j in allowed
            ), (index, week, k)
        counts = conn.execute("SELECT count(*) FROM marks GROUP BY group_id, week", ()).fetchall()
        assert all(c == PEOPLE for (c,) in counts)  # every roll whole: all marks or none
    finally:
        (conn.raw if url else conn).close()


def _kill_writers(data_dir: Path, kills: int, url: str | None = None) -> None:
    """Start a worker saving rolls, kill -9 it after its first acknowledged COMMIT (and a
    random moment more), ``kills`` times; after each, every acknowledged roll is there whole."""
    _setup_rolls(data_dir)
    rng = random.Random(4)
    acked: dict[tuple[int, int], int] = {}
    next_k = 0
    for _ in range(kills):  # bounded by count, not by the clock: shared CI machines are slow
        proc = _spawn("rolls", str(data_dir), str(next_k))
        assert proc.stdout is not None
        # wait for one commit (a worker that never commits is a failure, not a hang), then kill
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        if not ready:
            proc.kill()
            pytest.fail("the worker acknowledged nothing in 120 s")
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        # read through the same buffered file as readline (communicate() would bypass it)
        rest, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
        proc.wait()
        lines = [int(x) for x in (first + rest).split()]
        assert "Traceback" not in err, err
        for k in lines:
            acked[slot(k)] = k
        if lines:
            next_k = lines[-1] + 1
        _check(data_dir, acked, next_k, url)
    assert len(acked) > 20


@pytest.mark.slow
@pytest.mark.sqlite_only  # reads the file itself after each kill
def test_kill_minus_9_never_loses_an_acknowledged_roll(data_dir: Path) -> None:
    _kill_writers(data_dir, KILLS)


@pytest.mark.slow
def test_kill_minus_9_of_a_writer_on_postgres(pg_url: str, data_dir: Path, monkeypatch) -> None:
    """The client killed mid-save: the server rolls its open transaction back; every roll it
    acknowledged (COMMIT returned) is there, whole."""
    monkeypatch.setenv("FACILITATOR_DATABASE_URL", pg_url)
    _kill_writers(data_dir, PG_KILLS, pg_url)


@pytest.mark.slow
def test_two_processes_writing_at_once(engine: str, data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700, exist_ok=True)  # the workers' ready files (PostgreSQL makes none)
    with open_store(data_dir) as store:
        for name in ("one", "two"):
            group = save_group(store, name)
            for n in range(6):
                store.enrol(group.id, f"{name} member {n}")
        save_group(store, "shared")
    procs = [_spawn("busy", str(data_dir), name, str(BUSY_OPS)) for name in ("one", "two")]
    for name in ("one", "two"):  # both open and ready, then both start at once
        for _ in range(12000):
            if (data_dir / f"ready-{name}").exists():
                break
            time.sleep(0.01)
    (data_dir / "go").touch()
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and err == ""
    done = {name: len(out.split()) for name, (out, _) in zip(("one", "two"), outputs, strict=True)}
    assert done == {"one": BUSY_OPS, "two": BUSY_OPS}  # every write acknowledged, none refused
    with open_store(data_dir) as store:
        shared = store.participants(store.find_group("shared").id)
        names = {p.preferred_name for p in shared}
        for name, count in done.items():
            assert {f"{name}-{n}" for n in range(count)} <= names
        assert store.verify_audit() is None
        if engine == "sqlite":
            assert store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        else:  # every write of both is in the server's log, under the server's role
            rows = store.audit_log(100_000, group_id=store.find_group("shared").id)
            enrolled = [r for r in rows if r["tbl"] == "participants" and r["action"] == "insert"]
            assert len(enrolled) == 2 * BUSY_OPS
