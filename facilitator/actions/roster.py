"""Roster use cases: enrol, edit, list, leave and erase participants.

``erase`` removes a person from the database and every file that names them.

Files are found through the output ledger (every file the tool wrote, wherever ``--out`` put
it), plus files in the data folder's own print, calendar and export folders written before the
ledger existed. Files that list the whole group (a packet, a guide, the workbook, a report, a
CSV) are deleted too: they can be printed or exported again without the person. Backups are the
one exception: they are never touched, and the result names those known to hold the person.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import locations
from facilitator.errors import FacilitatorError
from facilitator.model.group import Participant, split_full_name
from facilitator.model.outputs import Output, OutputKind
from facilitator.paths import fsync_path

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.workspace import Workspace

_LEGACY_SHARED = re.compile(
    r"(week\d+-(guide|packet|sign-in)|workbook|report)\.pdf|attendance-group-\d+\.csv"
)
"""Names of whole-group files that earlier versions wrote into the data folder unrecorded."""


@dataclass(frozen=True, slots=True)
class Enrolled:
    """A person just enrolled, and what to tell the facilitator about them."""

    person: Participant
    full_name: tuple[str, str] | None = None
    """A full name typed without an initial: (preferred name, last initial) to split it into
    (a sign-in sheet would show it in full)."""
    twins: tuple[Participant, ...] = ()
    """Current members with the same name and initial (the same person entered twice?)."""
    script_warning: str = ""
    """See :func:`script_warning`."""


@dataclass(frozen=True, slots=True)
class Edited:
    """A person before and after an edit."""

    before: Participant
    after: Participant
    script_warning: str = ""
    """See :func:`script_warning`."""

    def changes(self) -> list[tuple[str, object, object]]:
        """(what, before, after) of each field that changed."""
        pairs = (
            ("name", self.before.preferred_name, self.after.preferred_name),
            ("initial", self.before.last_initial, self.after.last_initial),
            ("e-mail", self.before.email, self.after.email),
            ("large print", self.before.large_print, self.after.large_print),
        )
        return [(what, old, new) for what, old, new in pairs if old != new]


def enrol(
    store: Store,
    group_id: int,
    name: str,
    *,
    initial: str = "",
    email: str = "",
    joined: date | None = None,
    large_print: bool = False,
) -> Enrolled:
    """Enrol a participant (the name is kept as typed, in any script)."""
    twins = tuple(
        p
        for p in store.participants(group_id)
        if p.left is None
        and p.preferred_name.casefold() == name.strip().casefold()
        and p.last_initial.casefold() == initial.strip().rstrip(".").casefold()
    )
    person = store.enrol(
        group_id,
        name,
        last_initial=initial,
        email=email,
        joined=joined,
        large_print=large_print,
    )
    preferred, split = split_full_name(name)
    full = (preferred, split) if split and not initial else None
    warning = script_warning(person.preferred_name, person.last_initial)
    return Enrolled(person, full, twins, warning)


def edit(
    store: Store,
    participant_id: int,
    *,
    name: str | None = None,
    initial: str | None = None,
    email: str | None = None,
    large_print: bool | None = None,
) -> Edited:
    """Change a participant's name, last initial, e-mail or large print (``None``: as is)."""
    before = store.participant(participant_id)
    after = store.update_participant(
        participant_id,
        preferred_name=name,
        last_initial=initial,
        email=email,
        large_print=large_print,
    )
    return Edited(before, after, script_warning(after.preferred_name, after.last_initial))


def person(store: Store, participant_id: int) -> Participant:
    """One participant by id."""
    return store.participant(participant_id)


def find(store: Store, group_id: int, ref: str) -> Participant:
    """A participant of the group by id, sign-in name or preferred name (a one-line error
    when none or several match)."""
    return store.find_participant(group_id, ref)


def listing(store: Store, group_id: int) -> list[Participant]:
    """Everyone of the group, those who left too, in the order they joined."""
    return store.participants(group_id)


def leave(store: Store, participant_id: int, on: date) -> Participant:
    """End a membership on ``on``: the person stays in past attendance and gets no further
    worksheets or invitations."""
    return store.leave(participant_id, on)


@dataclass(frozen=True, slots=True)
class Erased:
    """What erasing one person did."""

    participant_id: int
    deleted: tuple[Path, ...] = ()
    """Every file that named them and is gone now."""
    reprintable: tuple[Path, ...] = ()
    """Those of ``deleted`` that listed the whole group: print or export them again."""
    unreachable: tuple[tuple[Path, str], ...] = ()
    """Files that name them but could not be deleted, with why: delete them by hand."""
    backups: tuple[Path, ...] = ()
    """Backups made earlier that still hold the name (never touched by erase)."""
    database_clean: bool = True
    """False when another window kept the database's log open (it is cleared when it closes)."""


def erase(ws: Workspace, store: Store, participant_id: int) -> Erased:
    """Erase a participant: every file naming them, then their row, attendance and notes.

    Files go first, so that a failure half-way leaves the ledger still knowing what is left.
    """
    if store.readonly:
        raise FacilitatorError("cannot erase: the database is read-only here; nothing was deleted")
    person = store.participant(participant_id)
    recorded = store.outputs(participant_id=participant_id)
    candidates = [o for o in recorded if o.kind is not OutputKind.BACKUP]
    known = {o.path for o in store.outputs()}
    candidates += [o for o in _unrecorded(ws, person) if o.path not in known]

    deleted: list[Path] = []
    reprintable: list[Path] = []
    gone: list[Path] = []
    unreachable: list[tuple[Path, str]] = []
    for output in candidates:
        path = output.path
        try:
            path.unlink()
        except FileNotFoundError:
            if path.parent.is_dir():  # deleted or moved by hand already: nothing to do
                gone.append(path)
            else:  # a folder that is not there: an unplugged drive, a share not mounted
                unreachable.append((path, "its folder is not there (a drive not connected?)"))
            continue
        except OSError as exc:
            unreachable.append((path, exc.strerror or str(exc)))
            continue
        fsync_path(path.parent)
        deleted.append(path)
        gone.append(path)
        if output.shared:
            reprintable.append(path)
    store.forget_outputs(gone)
    clean = store.erase_participant(participant_id)
    backups = tuple(o.path for o in recorded if o.kind is OutputKind.BACKUP and _exists(o.path))
    return Erased(
        participant_id,
        tuple(deleted),
        tuple(reprintable),
        tuple(unreachable),
        backups,
        clean,
    )


def _exists(path: Path) -> bool:
    with contextlib.suppress(OSError):
        return path.exists()
    return False


def _unrecorded(ws: Workspace, person: Participant) -> list[Output]:
    """Files in the data folder's own output folders that name the person but that earlier
    versions wrote without recording them: their own files by their file id, and the group's
    printouts and CSV by name."""
    group = person.group_id
    own = re.compile(rf"(.*-)?{re.escape(person.file_id)}\.(pdf|ics)")
    found: list[Output] = []
    folders = [locations.prints_dir(ws.data_dir, group), locations.invites_dir(ws.data_dir, group)]
    for folder in folders:
        with contextlib.suppress(OSError):
            for path in sorted(folder.iterdir()):
                if not path.is_file():
                    continue
                if own.fullmatch(path.name):
                    found.append(Output(path.resolve(), OutputKind.SHEETS, group, (person.id,)))
                elif _LEGACY_SHARED.fullmatch(path.name):
                    found.append(Output(path.resolve(), OutputKind.PACKET, group))
    csv = locations.attendance_csv(ws.data_dir, group)
    if csv.is_file():
        found.append(Output(csv.resolve(), OutputKind.CSV, group))
    return found


def script_warning(name: str, initial: str = "") -> str:
    """A warning when a name is entered in a script that no installed font prints ("" when
    every character prints): told as it is typed, so it never turns up as boxes on paper."""
    from facilitator.outputs.pdf.fonts import missing_scripts

    scripts = missing_scripts(name + initial)
    if not scripts:
        return ""
    return (
        f"no installed font has the {', '.join(scripts)} script in this name: printed sheets "
        "would show boxes. Install a font for it (Debian: fonts-noto-core), see docs/PRINTING.md"
    )
