"""Export use cases: a group's attendance as CSV (formula-safe; notes are never in it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import locations
from facilitator.errors import FacilitatorError
from facilitator.paths import replaceable

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.workspace import Workspace


def attendance_csv(ws: Workspace, store: Store, group_id: int, path: Path | None = None) -> Path:
    """Write the attendance matrix of a group to ``path`` (by default the group's file under
    ``exports/`` in the data folder), recorded in the output ledger with everyone it lists.

    A path given must be in a folder that exists (a typo in the folder must not become a new
    folder) and must not be a device, FIFO or folder.
    """
    from facilitator import exports

    if path is None:
        path = locations.attendance_csv(ws.data_dir, group_id)
    else:
        if not path.parent.is_dir():
            raise FacilitatorError(f"{path.parent}: no such folder for the CSV file")
        replaceable(path)
    return exports.attendance_csv(store, group_id, path)
