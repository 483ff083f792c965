"""What the output ledger records about each file the tool writes (see docs/STORE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path


class OutputKind(StrEnum):
    """What a written file is."""

    GUIDE = "guide"
    PACKET = "packet"
    SIGN_IN = "sign-in"
    SHEETS = "sheets"
    """One participant's worksheets for a week (``print --week N --per-participant``)."""
    MAKEUP = "makeup"
    WORKBOOK = "workbook"
    """Everyone's workbook in one file, or one person's (then it names only them)."""
    REPORT = "report"
    HANDOUT = "handout"
    """A blank handout: names nobody."""
    INVITE = "invite"
    CSV = "csv"
    BACKUP = "backup"
    """A copy of the whole database (``backup``, or the copy ``restore`` keeps aside)."""


SHARED_KINDS = frozenset(
    {
        OutputKind.GUIDE,
        OutputKind.PACKET,
        OutputKind.SIGN_IN,
        OutputKind.REPORT,
        OutputKind.CSV,
    }
)
"""Kinds that list the whole group: erasing one person deletes them; they can be made again."""


@dataclass(frozen=True, slots=True)
class Output:
    """One file the tool wrote: where, what, for which group and which participants it names."""

    path: Path
    """Absolute."""
    kind: OutputKind
    group_id: int | None = None
    participant_ids: tuple[int, ...] = ()
    """Everyone whose name (or e-mail) the file holds."""
    written_at: datetime | None = None
    """When it was recorded (UTC), set by the store."""

    @property
    def shared(self) -> bool:
        """Lists more than one person (a packet, the group's workbook, a report)."""
        return self.kind in SHARED_KINDS or len(self.participant_ids) > 1
