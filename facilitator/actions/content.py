"""Curriculum use cases the builder performs beyond editing the open draft: forking a
curriculum and copying or renaming a plan into the user's own content folder, and offering a
saved curriculum's changes to the groups that run it (weeks not yet held only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import locations

if TYPE_CHECKING:
    from facilitator.model.group import Group
    from facilitator.store import Store
    from facilitator.workspace import Workspace


@dataclass(frozen=True, slots=True)
class GroupChanges:
    """One running group's weeks whose plan the saved curriculum changed: (week, plan now,
    plan in the curriculum)."""

    group: Group
    weeks: tuple[tuple[int, str, str], ...]


def fork(ws: Workspace, curriculum_id: str, new_id: str) -> Path:
    """Copy a curriculum into the user's content folder under ``new_id`` (comments kept, the
    same plans by id); returns the new file. The library is not reloaded here."""
    from facilitator.content.editing import fork as fork_file

    library = ws.library
    entry = library.curricula[curriculum_id]
    return fork_file(entry, locations.user_content_dir(ws.data_dir), new_id.strip(), library)


def copy_plan(ws: Workspace, session_id: str, new_id: str) -> Path:
    """Copy a session plan into the user's content folder under ``new_id``; returns the file."""
    from facilitator.content.editing import copy_plan as copy_file

    library = ws.library
    entry = library.sessions[session_id]
    return copy_file(entry, locations.user_content_dir(ws.data_dir), new_id.strip(), library)


def rename_plan(ws: Workspace, session_id: str, title: str) -> Path:
    """Give one of the user's own plans a new title (bundled plans are refused)."""
    from facilitator.content.editing import rename_plan as rename_file

    return rename_file(ws.library.sessions[session_id], title)


def pending_changes(ws: Workspace, store: Store, curriculum_id: str) -> list[GroupChanges]:
    """For each running group of the curriculum, the weeks not yet held whose plan the
    curriculum has since changed (held weeks keep their history and are never listed)."""
    from facilitator.store.setup import curriculum_changes

    return [
        GroupChanges(group, tuple(weeks))
        for group, weeks in curriculum_changes(store, ws.library, curriculum_id)
    ]


def apply_changes(ws: Workspace, store: Store, changes: list[GroupChanges]) -> int:
    """Use the curriculum's plans in those weeks; returns how many weeks changed."""
    from facilitator.store.setup import apply_curriculum_changes

    return apply_curriculum_changes(store, ws.library, [(c.group, list(c.weeks)) for c in changes])
