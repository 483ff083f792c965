"""A separate process that writes through the real store and acknowledges each COMMIT.

Used by the kill -9 and concurrency tests: ``python store_worker.py rolls DATA START`` or
``python store_worker.py busy DATA NAME SECONDS``.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from facilitator.model.group import AttendanceStatus
from facilitator.store import open_store

GROUPS, WEEKS, PEOPLE = 10, 8, 12
STATUSES = list(AttendanceStatus)


def slot(k: int) -> tuple[int, int]:
    """Roll number k goes to (group index 0.., week 1..8)."""
    return (k // WEEKS) % GROUPS, k % WEEKS + 1


def statuses(k: int) -> list[AttendanceStatus]:
    """The status of each of the 12 participants (by position) in roll number k."""
    rng = random.Random(k)
    return [rng.choice(STATUSES) for _ in range(PEOPLE)]


def rolls(data: Path, start: int) -> None:
    with open_store(data) as store:
        groups = store.groups()
        people = [[p.id for p in store.participants(g.id)] for g in groups]
        k = start
        while True:
            index, week = slot(k)
            wanted = dict(zip(people[index], statuses(k), strict=True))
            store.mark_roll(groups[index].id, week, wanted)
            print(k, flush=True)  # acknowledged only after COMMIT returned
            k += 1


def busy(data: Path, name: str, count: int) -> None:
    """``count`` enrolments and rolls, started together with the other worker (a file barrier:
    the test writes ``go`` once both are ready), so the two really write at the same time."""
    with open_store(data, actor=name) as store:
        own = store.find_group(name)
        shared = store.find_group("shared")
        (data / f"ready-{name}").touch()
        give_up = time.monotonic() + 120
        while not (data / "go").exists():
            if time.monotonic() > give_up:
                raise SystemExit("no go from the test in 120 s")
            time.sleep(0.005)
        for n in range(count):
            store.enrol(shared.id, f"{name}-{n}")
            store.mark_roll(own.id, n % WEEKS + 1)
            print(n, flush=True)


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2])
    if mode == "rolls":
        rolls(folder, int(sys.argv[3]))
    else:
        busy(folder, sys.argv[3], int(sys.argv[4]))
