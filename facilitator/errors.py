"""Errors shown to people: ``FacilitatorError`` for one-line failures, ``Problem`` for content."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


class FacilitatorError(Exception):
    """A failure the user can act on; the CLI prints it on one line and exits with ``exit_code``."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(FacilitatorError):
    """A group, participant, curriculum or week that does not exist."""


class ServerUnreachable(FacilitatorError):
    """The database server could not be reached, or the connection to it was lost: nothing of
    the action was saved, unless ``maybe_saved`` (the connection broke during COMMIT). Trying
    the same action again later is the remedy (the app's outbox does)."""

    def __init__(self, message: str, *, maybe_saved: bool = False) -> None:
        super().__init__(message)
        self.maybe_saved = maybe_saved


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with a content file, located precisely enough to fix it."""

    path: str
    """The file, as the user would type it."""
    line: int
    """1-based line number (0 when the problem concerns the file as a whole)."""
    key: str
    """Dotted path of the offending key, e.g. ``agenda[2].minutes``; empty for the whole file."""
    message: str
    """What is wrong, in plain words."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


@dataclass(slots=True)
class Problems:
    """Collects problems so that validation reports all of them, not just the first."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int, key: str, message: str) -> None:
        """Record one problem."""
        self.items.append(Problem(str(path), line, key, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.items.extend(problems)

    def __iter__(self) -> Iterator[Problem]:
        return iter(sorted(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
