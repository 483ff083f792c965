"""The other process of the soak: rolls, note saves (stale edits are conflicts, retried) and
backups through the real store, for SECONDS; prints one line per completed action."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from facilitator.model.group import AttendanceStatus
from facilitator.store import ConflictError, open_store


def main(data: Path, seconds: float) -> None:
    end = time.monotonic() + seconds
    k = 0
    with open_store(data, actor="soak-writer") as store:
        group = store.groups()[0]
        people = [p.id for p in store.participants(group.id)]
        while time.monotonic() < end:
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
            k += 1
            time.sleep(0.02)


if __name__ == "__main__":
    main(Path(sys.argv[1]), float(sys.argv[2]))
