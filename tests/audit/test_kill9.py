"""kill -9 at random points during a roll, a note save, a backup and an export (SAFETY.md,
Durability): after every kill the database passes integrity_check, nothing acknowledged is lost,
and no file under its real name is half written. A fork server (fault_worker.py) keeps each
child cheap, so 100 kills per operation fit in seconds."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facilitator.store import open_store
from tests.audit.fault_worker import note_text
from tests.builders import save_group

WORKER = Path(__file__).with_name("fault_worker.py")
KILLS = 100
PEOPLE = 300


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    """A group of 300 (so a backup or an export takes long enough to be killed inside)."""
    with open_store(data_dir) as store:
        group = save_group(store, "Kill group")
        for n in range(PEOPLE):
            store.enrol(group.id, f"Member {n:03d} " + "x" * 40)
        for week in range(1, 9):
            store.mark_roll(group.id, week)
    return data_dir


class Server:
    """The fork server: one request per kill."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )

    def run_and_kill(
        self, mode: str, data: Path, target: Path, start: int, rng: random.Random
    ) -> list[int]:
        """Start a child, let it acknowledge at least one operation, kill -9 it at a random
        moment; return what it acknowledged. Fails unless the child died of that SIGKILL
        (not of an error of its own before it)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{mode} {data} {target} {start}\n")
        self.proc.stdin.flush()
        acks: list[int] = []
        pid = 0
        while not pid or not acks:
            line = self.proc.stdout.readline()
            assert line, self.proc.stderr.read() if self.proc.stderr else "server died"
            kind, value = line.split()
            if kind == "pid":
                pid = int(value)
            else:
                acks.append(int(value))
        time.sleep(rng.uniform(0, 0.04))
        os.kill(pid, signal.SIGKILL)
        while (line := self.proc.stdout.readline()) and not line.startswith("done"):
            acks.append(int(line.split()[1]))
        assert line, self.proc.stderr.read() if self.proc.stderr else "server died"
        status = int(line.split()[1])
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
        return acks

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def server() -> Iterator[Server]:
    made = Server()
    try:
        yield made
    finally:
        with contextlib.suppress(Exception):
            made.close()
        if made.proc.poll() is None:
            made.proc.kill()


def _integrity(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return conn


def _loop(
    mode: str, data: Path, target: Path, server: Server, check: Any, *, whole: bool = False
) -> int:
    rng = random.Random(mode)
    next_k, last = 0, None
    for _ in range(KILLS):  # bounded by count, not by the clock: shared CI machines are slow
        acks = server.run_and_kill(mode, data, target, next_k, rng)
        assert acks == list(range(next_k, next_k + len(acks)))
        last = acks[-1]
        check(acks if whole else last)
        next_k = last + 2  # the in-flight operation (last + 1) may or may not have landed
    return last or 0


@pytest.mark.slow
def test_kill_during_note_saves(seeded: Path, server: Server) -> None:
    db = seeded / "facilitator.sqlite3"

    def check(last: int) -> None:
        with contextlib.closing(_integrity(db)) as conn:
            text, version = conn.execute("SELECT text, version FROM group_notes").fetchone()
        k = int(text.split()[1])
        assert text == note_text(k).strip()  # whole, never a torn text
        assert k in (last, last + 1), (k, last)  # the acknowledged save (or the next) is there
        assert version >= 1

    _loop("note", seeded, seeded / "unused", server, check)
    with open_store(seeded) as store:
        assert store.verify_audit() is None


@pytest.mark.slow
def test_kill_during_rolls(seeded: Path, server: Server) -> None:
    """Each roll rewrites one week's 300 marks; after a kill every week holds one whole roll:
    the last acknowledged one for that week, or the one in flight when the kill came."""
    db = seeded / "facilitator.sqlite3"
    possible: dict[int, set[int]] = {week: {0} for week in range(1, 9)}  # 0: nobody absent

    def absent_in(k: int) -> int:
        return len(range(k % 7, PEOPLE, 7))

    def check(acks: list[int]) -> None:
        for k in acks:
            possible[k % 8 + 1] = {k + 1}  # +1: 0 stays "the setup roll"
        in_flight = acks[-1] + 1
        possible[in_flight % 8 + 1].add(in_flight + 1)
        with contextlib.closing(_integrity(db)) as conn:
            rows = conn.execute(
                "SELECT week, count(*), sum(status = 'absent') FROM marks GROUP BY week"
            ).fetchall()
        assert len(rows) == 8
        for week, count, absent in rows:
            assert count == PEOPLE  # every roll whole
            assert absent in {absent_in(k - 1) if k else 0 for k in possible[week]}, week

    _loop("roll", seeded, seeded / "unused", server, check, whole=True)


@pytest.mark.slow
def test_kill_during_backups(seeded: Path, server: Server, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    target = folder / "facilitator-backup.sqlite3"

    def check(last: int) -> None:
        assert target.exists()  # acknowledged, so it is there, whole
        with contextlib.closing(_integrity(target)) as conn:
            assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == PEOPLE
        assert target.stat().st_mode & 0o777 == 0o600
        assert not target.with_name(target.name + "-journal").exists()

    _loop("backup", seeded, target, server, check)
    leftovers = [p.name for p in folder.iterdir() if p != target]
    assert all(n.startswith(".backup-") and ".part" in n for n in leftovers), leftovers
    # a later backup sweeps the stale temporary files that killed runs left behind
    old = time.time() - 3 * 3600
    for name in leftovers:
        os.utime(folder / name, (old, old))
    with open_store(seeded) as store:
        store.backup(target)
    assert [p.name for p in folder.iterdir()] == [target.name]


@pytest.mark.slow
def test_kill_during_exports(seeded: Path, server: Server, tmp_path: Path) -> None:
    from facilitator.outputs.csv_export import write_attendance_csv

    folder = tmp_path / "exports"
    reference = tmp_path / "reference.csv"
    with open_store(seeded) as store:
        write_attendance_csv(store.summary(store.groups()[0].id), reference)
    whole = reference.read_bytes()
    assert len(whole) > 20_000
    target = folder / "attendance.csv"

    def check(last: int) -> None:
        assert target.read_bytes() == whole  # never a half CSV under the real name
        assert target.stat().st_mode & 0o777 == 0o600

    _loop("export", seeded, target, server, check)
    leftovers = [p.name for p in folder.iterdir() if p != target]
    assert all(n.startswith(".tmp-") and n.endswith(".part") for n in leftovers), leftovers
