"""Content use cases: validating content files, and what the builder does beyond editing the
open draft: forking a curriculum and copying or renaming a plan into the user's own content
folder, and offering a saved curriculum's changes to the groups that run it (weeks not yet
held only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import locations

if TYPE_CHECKING:
    from facilitator.content.editing import CurriculumDraft
    from facilitator.errors import Problem
    from facilitator.model.group import Group
    from facilitator.store import Store
    from facilitator.workspace import Workspace


@dataclass(frozen=True, slots=True)
class GroupChanges:
    """One running group's weeks whose plan the saved curriculum changed: (week, plan now,
    plan in the curriculum)."""

    group: Group
    weeks: tuple[tuple[int, str, str], ...]


@dataclass(frozen=True, slots=True)
class Validated:
    """What validating found, and how much content was loaded."""

    problems: tuple[Problem, ...]
    curricula: int
    sessions: int
    handouts: int


def validate(ws: Workspace, paths: tuple[Path, ...] = ()) -> Validated:
    """Load every content file (the bundled and user content, ``--content`` folders, and any
    of ``paths`` outside those) and check it. With ``paths``, only problems in those files or
    folders are kept (references still resolve against all content)."""
    from facilitator.content import ContentRoot, load_library

    roots = ws.content_roots()
    known = [root.path.resolve() for root in roots]
    extra = [ContentRoot(p) for p in paths if not _inside(_where(p), known)]
    library = load_library(roots + extra)
    wanted = [_where(p) for p in paths]
    problems = tuple(
        p for p in library.problems if not wanted or _inside(_where(Path(p.path)), wanted)
    )
    return Validated(problems, len(library.curricula), len(library.sessions), len(library.handouts))


def _where(path: Path) -> Path:
    """Where ``path`` lives: its folder resolved, its own name kept (a content file that is a
    link to a device is still reported under the folder it sits in)."""
    return path.parent.resolve() / path.name if path.name else path.resolve()


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


def open_draft(ws: Workspace, curriculum_id: str) -> CurriculumDraft:
    """Start editing a curriculum's file (nothing touches the disk until :func:`save_draft`)."""
    from facilitator.content.editing import CurriculumDraft

    return CurriculumDraft.open(ws.library.curricula[curriculum_id])


def save_draft(ws: Workspace, draft: CurriculumDraft) -> Path:
    """Write an edited curriculum (comments and order kept; bundled ones are refused) and load
    the content again, so that every screen sees it; returns the file."""
    path = draft.save()
    ws.reload_library()
    return path


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
