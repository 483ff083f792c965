"""Loading the whole library: discover every file under the roots, load each, check them all.

The top of the content package: it uses ``library`` (discovery, the Library), ``loader`` (one
file) and ``rules`` (cross-file checks), none of which imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from facilitator.content.library import (
    ContentRoot,
    Entry,
    Library,
    discover,
    register,
    shown_path,
)
from facilitator.content.loader import load_file


def load_library(roots: Sequence[ContentRoot]) -> Library:
    """Load and validate every content file under ``roots``; problems are collected, not raised."""
    from facilitator.content.rules import check_library  # jinja2 only when content is checked

    library = Library(roots=list(roots))
    for root in roots:
        if root.path.exists():
            _load_root(library, root)
    check_library(library)
    return library


def _load_root(library: Library, root: ContentRoot) -> None:
    unreadable: list[OSError] = []
    for path in discover(root.path, unreadable):
        shown = shown_path(path)
        try:
            model, tree, problems = load_file(path, shown)
        except (RecursionError, MemoryError, ArithmeticError, ValueError, TypeError) as exc:
            # One file that trips something unforeseen costs only itself: it is a problem,
            # the rest of the library still loads.
            library.problems.add(shown, 0, "", f"cannot be loaded ({type(exc).__name__})")
            continue
        library.problems.extend(problems)
        if model is None or tree is None:
            continue
        register(library, Entry(model, path, shown, root, tree))
    for error in unreadable:
        folder = shown_path(Path(error.filename)) if error.filename else str(root.path)
        library.problems.add(folder, 0, "", f"cannot read this folder: {error.strerror}")
