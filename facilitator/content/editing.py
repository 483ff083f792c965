"""Editing a curriculum file in place: weeks added, removed, reordered, swapped; comments kept.

Edits go through ruamel.yaml's round-trip mode, so the user's comments, key order and quoting
survive a save. Bundled content is never modified: :func:`fork` copies a curriculum into the
user's content folder first. Checking an edit uses the same strict loader and rules as
``facilitator validate``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from facilitator import locations
from facilitator.content.library import ContentRoot, Entry, Library
from facilitator.content.loader import load_curriculum_text
from facilitator.content.rules import check_library
from facilitator.errors import FacilitatorError, Problem
from facilitator.files import write_private
from facilitator.model.content import Curriculum, SessionPlan


def check_text(text: str, path: Path, library: Library) -> list[Problem]:
    """Problems a curriculum's text would have if saved at ``path`` (same rules as
    ``validate``, against the rest of ``library``)."""
    shown = str(path)
    model, tree, problems = load_curriculum_text(text, shown)
    if model is None or tree is None:
        return problems
    scratch = Library(
        roots=library.roots,
        sessions=library.sessions,
        handouts=library.handouts,
        curricula={model.id: Entry(model, path, shown, ContentRoot(path.parent), tree)},
    )
    check_library(scratch, only_curricula=True)
    return list(scratch.problems)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass
class CurriculumDraft:
    """A curriculum file being edited; nothing touches the disk until :meth:`save`."""

    path: Path
    doc: Any
    bundled: bool

    @classmethod
    def open(cls, entry: Entry[Curriculum]) -> CurriculumDraft:
        """Start editing the file behind a loaded curriculum."""
        doc = _yaml().load(entry.path.read_text(encoding="utf-8"))
        return cls(entry.path, doc, entry.root.bundled)

    @property
    def id(self) -> str:
        """The curriculum's id as currently written."""
        return str(self.doc["id"])

    @property
    def title(self) -> str:
        """The curriculum's title as currently written (printed on every worksheet)."""
        return str(self.doc["title"])

    def rename(self, title: str) -> None:
        """Give the curriculum a new title (saved with :meth:`save`)."""
        title = " ".join(title.split())
        if not title:
            raise FacilitatorError("a curriculum needs a title")
        self.doc["title"] = title

    def restore(self, text: str) -> None:
        """Go back to an earlier state of the file (``text`` from :meth:`text`): undo."""
        self.doc = _yaml().load(text)

    def weeks(self) -> list[tuple[str, tuple[str, ...]]]:
        """(session id, alternates) of each week, in order."""
        return [
            (str(w["session"]), tuple(str(a) for a in w.get("alternates", ())))
            for w in self.doc["weeks"]
        ]

    def add_week(self, session_id: str, at: int | None = None) -> None:
        """Insert a week using ``session_id`` at position ``at`` (0-based; default: the end)."""
        weeks = self.doc["weeks"]
        index = len(weeks) if at is None else max(0, min(at, len(weeks)))
        weeks.insert(index, CommentedMap([("number", 0), ("session", session_id)]))
        self._renumber()

    def remove_week(self, index: int) -> None:
        """Remove one week (a curriculum keeps at least one)."""
        weeks = self.doc["weeks"]
        if len(weeks) <= 1:
            raise FacilitatorError("a curriculum needs at least one week")
        del weeks[index]
        self._renumber()

    def move_week(self, index: int, delta: int) -> int:
        """Move a week up (negative) or down; returns its new position."""
        weeks = self.doc["weeks"]
        target = max(0, min(len(weeks) - 1, index + delta))
        if target != index:
            week = weeks.pop(index)
            weeks.insert(target, week)
            self._renumber()
        return target

    def swap(self, index: int, session_id: str) -> None:
        """Use ``session_id`` in week ``index``; the plan it replaces becomes an alternate."""
        week = self.doc["weeks"][index]
        old = str(week["session"])
        if old == session_id:
            return
        week["session"] = session_id
        alternates = [str(a) for a in week.get("alternates", ()) if str(a) != session_id]
        alternates.insert(0, old)
        week["alternates"] = alternates

    def _renumber(self) -> None:
        for number, week in enumerate(self.doc["weeks"], start=1):
            week["number"] = number

    def text(self) -> str:
        """The file as it would be saved."""
        buffer = io.StringIO()
        _yaml().dump(self.doc, buffer)
        return buffer.getvalue()

    def check(self, library: Library) -> list[Problem]:
        """Problems the edited curriculum would have (same rules as ``validate``), and those
        ``validate`` finds in the plans its weeks use (a plan's minutes that do not add up)."""
        used = {s for session, alternates in self.weeks() for s in (session, *alternates)}
        files = {library.sessions[s].shown for s in used if s in library.sessions}
        return check_text(self.text(), self.path, library) + [
            p for p in library.problems if p.path in files
        ]

    def budget(self, library: Library) -> list[tuple[int, str, int | None, int]]:
        """Per week: (number, session id, plan minutes or None if missing, meeting minutes)."""
        meeting = int(self.doc.get("meeting_minutes", 0))
        return [
            (
                i,
                session,
                library.sessions[session].model.minutes if session in library.sessions else None,
                meeting,
            )
            for i, (session, _) in enumerate(self.weeks(), start=1)
        ]

    def save(self) -> Path:
        """Write the file atomically; bundled content is refused."""
        if self.bundled:
            raise FacilitatorError(
                "bundled curricula are read-only: fork this one into your own content folder first"
            )
        return write_private(self.path, self.text().encode("utf-8"))


def fork(entry: Entry[Curriculum], user_dir: Path, new_id: str, library: Library) -> Path:
    """Copy a curriculum into ``user_dir/<new_id>/`` under a new id; returns the new file.

    The copy keeps the original's comments and refers to the same plans by id, so plans stay
    shared. An id that is already taken is refused.
    """
    if new_id in library.curricula:
        raise FacilitatorError(f"a curriculum with id '{new_id}' already exists")
    draft = CurriculumDraft.open(entry)
    draft.doc["id"] = new_id
    draft.doc["title"] = f"{draft.doc['title']} (my copy)"
    target = locations.curriculum_file(user_dir, new_id)
    if target.exists():
        raise FacilitatorError(f"{target} already exists")
    draft.path, draft.bundled = target, False
    problems = [p for p in draft.check(library) if "already used" not in p.message]
    if any(p.key == "id" for p in problems):
        raise FacilitatorError(str(problems[0]))
    return draft.save()


def copy_plan(entry: Entry[SessionPlan], user_dir: Path, new_id: str, library: Library) -> Path:
    """Copy a session plan into ``user_dir/plans/`` under a new id, keeping its comments."""
    if new_id in library.sessions:
        raise FacilitatorError(f"a session plan with id '{new_id}' already exists")
    doc = _yaml().load(entry.path.read_text(encoding="utf-8"))
    doc["id"] = new_id
    doc["title"] = f"{doc['title']} (my copy)"  # told apart from the original until renamed
    target = locations.plan_file(user_dir, new_id)
    if target.exists():
        raise FacilitatorError(f"{target} already exists")
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    return write_private(target, buffer.getvalue().encode("utf-8"))


def rename_plan(entry: Entry[SessionPlan], title: str) -> Path:
    """Give one of your own session plans a new title, keeping its comments; bundled plans are
    refused (copy one first)."""
    if entry.root.bundled:
        raise FacilitatorError(
            f"'{entry.model.id}' is a bundled plan and read-only: copy it first (e in the builder)"
        )
    title = " ".join(title.split())
    if not title:
        raise FacilitatorError("a session plan needs a title")
    doc = _yaml().load(entry.path.read_text(encoding="utf-8"))
    doc["title"] = title
    buffer = io.StringIO()
    _yaml().dump(doc, buffer)
    return write_private(entry.path, buffer.getvalue().encode("utf-8"))
