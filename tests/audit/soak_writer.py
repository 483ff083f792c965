"""The other process of the soak: ROUNDS rounds of a roll, a note save (a stale edit is a
conflict) and every tenth round a backup, through the real store; prints one line per completed
action. Bounded by count, not the clock (a short pause between rounds only spreads them over
the app's run)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from facilitator.model.group import AttendanceStatus
from facilitator.store import ConflictError, open_store


def main(data: Path, rounds: int) -> None:
    with open_store(data, actor="soak-writer") as store:
        group = store.groups()[0]
        people = [p.id for p in store.participants(group.id)]
        for k in range(rounds):
            absent = {people[k % len(people)]: AttendanceStatus.ABSENT}
            store.mark_roll(group.id, k % 2 + 1, absent)
            print(f"roll {k}", flush=True)
            current = store.note(group.id, 1)
            try:
                store.save_note(
                    group.id,
                    1,
                    f"writer note {k}",
                    expected_version=current.version if current else 0,
                )
                print(f"note {k}", flush=True)
            except ConflictError:
                print(f"conflict {k}", flush=True)
            if k % 10 == 0:
                store.backup(data.parent / "soak-backup.sqlite3")
                print(f"backup {k}", flush=True)
            time.sleep(0.02)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
