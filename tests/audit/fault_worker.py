"""A fork server for the kill -9 tests: imports everything once, then for each request forks a
child that loops one operation through the real code and acknowledges each completed one.

Protocol on stdin/stdout: the parent writes ``MODE DATA TARGET START``; the server answers
``pid N``; the child prints ``ack K`` after each completed operation K (after COMMIT returned,
or after the file was renamed into place); once the parent has killed the child, the server
prints ``done STATUS`` (the child's wait status, so the parent can tell that the kill landed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from facilitator.outputs.csv_export import write_attendance_csv
from facilitator.store import open_store


def note_text(k: int) -> str:
    """The text of note number k (long enough that a save spans several pages)."""
    return f"note {k} " + "calm and steady. " * 400


def child(mode: str, data: Path, target: Path, k: int) -> None:
    """Loop one operation forever, acknowledging each; the parent kills us."""
    with open_store(data, actor="worker") as store:
        group = store.groups()[0]
        while True:
            if mode == "note":
                current = store.note(group.id, 1)
                store.save_note(
                    group.id, 1, note_text(k), expected_version=current.version if current else 0
                )
            elif mode == "backup":
                store.backup(target)
            elif mode == "export":
                write_attendance_csv(store.summary(group.id), target)
            elif mode == "roll":
                people = [p.id for p in store.participants(group.id)]
                from facilitator.model.group import AttendanceStatus

                absent = {pid: AttendanceStatus.ABSENT for pid in people[k % 7 :: 7]}
                store.mark_roll(group.id, k % 8 + 1, absent)
            os.write(1, f"ack {k}\n".encode())  # one write: a kill cannot split the line
            k += 1


def serve() -> None:
    """Fork one child per request line."""
    for line in sys.stdin:
        mode, data, target, start = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                child(mode, Path(data), Path(target), int(start))
            finally:
                os._exit(1)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"done {status}", flush=True)


if __name__ == "__main__":
    serve()
