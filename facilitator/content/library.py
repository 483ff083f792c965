"""The content library: every plan, curriculum and handout found under the content roots."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from facilitator.content.loader import SUFFIXES, locate
from facilitator.content.yamltree import Node
from facilitator.errors import Problems
from facilitator.model.content import Curriculum, Handout, SessionPlan

T = TypeVar("T", SessionPlan, Curriculum, Handout)


@dataclass(frozen=True, slots=True)
class ContentRoot:
    """A folder searched for content files."""

    path: Path
    bundled: bool = False
    """Bundled content ships with facilitator and is never modified by the app."""


@dataclass(frozen=True, slots=True)
class Entry(Generic[T]):
    """A loaded model with where it came from."""

    model: T
    path: Path
    shown: str
    """The path as printed in messages."""
    root: ContentRoot
    tree: Node


@dataclass
class Library:
    """Everything loaded from the roots, plus every problem found on the way."""

    roots: list[ContentRoot]
    sessions: dict[str, Entry[SessionPlan]] = field(default_factory=dict)
    curricula: dict[str, Entry[Curriculum]] = field(default_factory=dict)
    handouts: dict[str, Entry[Handout]] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)

    def curriculum(self, ident: str) -> Curriculum:
        """The curriculum with this id; raises NotFoundError naming the ones there are."""
        from facilitator.errors import NotFoundError

        entry = self.curricula.get(ident)
        if entry is None:
            known = ", ".join(sorted(self.curricula)) or "none"
            raise NotFoundError(f"no curriculum with id '{ident}' (available: {known})")
        return entry.model

    def plan(self, ident: str) -> SessionPlan:
        """The session plan with this id."""
        from facilitator.errors import NotFoundError

        entry = self.sessions.get(ident)
        if entry is None:
            raise NotFoundError(f"no session plan with id '{ident}'")
        return entry.model

    def handout(self, ident: str) -> Handout:
        """The handout with this id."""
        from facilitator.errors import NotFoundError

        entry = self.handouts.get(ident)
        if entry is None:
            raise NotFoundError(f"no handout with id '{ident}'")
        return entry.model

    def plans_for(self, curriculum: Curriculum) -> list[SessionPlan]:
        """The plans of a curriculum in week order (weeks whose plan is missing are left out)."""
        return [
            self.sessions[w.session].model for w in curriculum.weeks if w.session in self.sessions
        ]

    def handout_usage(self) -> dict[str, list[str]]:
        """For each handout id, the ids of the plans that use it."""
        usage: dict[str, list[str]] = {ident: [] for ident in self.handouts}
        for plan_id, entry in sorted(self.sessions.items()):
            for handout_id in entry.model.handout_ids():
                usage.setdefault(handout_id, []).append(plan_id)
        return usage


def shown_path(path: Path) -> str:
    """A path as a person would type it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def discover(root: Path, unreadable: list[OSError] | None = None) -> Iterator[Path]:
    """Every content file under ``root`` (by suffix), skipping hidden folders, in stable order.

    ``root`` may also be a single file (or a FIFO or device named as one, which loading then
    refuses), which is then the only one. Folders that cannot be listed are added to
    ``unreadable`` (never skipped silently).
    """
    if not root.is_dir():
        yield root
        return
    found: list[Path] = []
    for folder, dirs, files in os.walk(
        root, onerror=None if unreadable is None else unreadable.append
    ):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        found.extend(
            Path(folder, name)
            for name in files
            if name.endswith(tuple(SUFFIXES)) and not name.startswith(".")
        )
    yield from sorted(found)


def register(
    library: Library, entry: Entry[SessionPlan] | Entry[Curriculum] | Entry[Handout]
) -> None:
    """Add a loaded file to the library; a second file with an id already taken is a problem."""
    table: dict[str, Entry[SessionPlan]] | dict[str, Entry[Curriculum]] | dict[str, Entry[Handout]]
    model = entry.model
    table = (
        library.sessions
        if isinstance(model, SessionPlan)
        else library.curricula
        if isinstance(model, Curriculum)
        else library.handouts
    )
    previous = table.get(model.id)
    if previous is not None:
        line, key = locate(entry.tree, ("id",))
        library.problems.add(
            entry.shown, line, key, f"id '{model.id}' is already used by {previous.shown}"
        )
        return
    table[model.id] = entry  # type: ignore[assignment]
