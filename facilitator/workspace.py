"""A Workspace ties together what every front end needs: data folder, content roots, settings.

The CLI builds one from its global options and the TUI receives it; both then call the core
through it. Everything is loaded lazily, so ``facilitator --version`` touches nothing.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import paths

if TYPE_CHECKING:
    from facilitator.config import Settings
    from facilitator.content import ContentRoot, Library


@dataclass
class Workspace:
    """The data folder and content roots one invocation works with."""

    data_dir: Path
    extra_content: tuple[Path, ...] = ()
    """Folders given with ``--content`` (searched after the bundled and user content)."""
    database_url: str | None = None
    """``--database URL``: a PostgreSQL database instead of the SQLite file (None: from
    ``$FACILITATOR_DATABASE_URL`` or settings.toml, else the file; see store.engines)."""
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @classmethod
    def from_options(
        cls,
        data_dir: Path | str | None = None,
        content: tuple[Path, ...] = (),
        database_url: str | None = None,
    ) -> Workspace:
        """Resolve ``--data-dir`` / ``$FACILITATOR_DATA_DIR`` / the platform default."""
        return cls(paths.data_dir(data_dir), tuple(content), database_url or None)

    def content_roots(self) -> list[ContentRoot]:
        """Bundled content, then the user's own folder, then each ``--content`` folder."""
        from facilitator.content import ContentRoot

        roots = [ContentRoot(p, bundled=True) for p in paths.bundled_content_roots()]
        roots.append(ContentRoot(paths.user_content_dir(self.data_dir)))
        roots.extend(ContentRoot(p) for p in self.extra_content)
        return roots

    @functools.cached_property
    def library(self) -> Library:
        """All content, loaded and validated once per workspace."""
        from facilitator.content import load_library

        return load_library(self.content_roots())

    def reload_library(self) -> Library:
        """Forget the loaded content and load it again (after edits)."""
        self.__dict__.pop("library", None)
        return self.library

    @functools.cached_property
    def settings(self) -> Settings:
        """Settings from ``settings.toml`` in the data folder, or defaults."""
        from facilitator.config import load_settings

        return load_settings(self.data_dir)
