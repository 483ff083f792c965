"""Where things live: the data folder, the user's content folder and the bundled content."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

ENV_DATA_DIR = "FACILITATOR_DATA_DIR"
ENV_CONFIG_DIR = "FACILITATOR_CONFIG_DIR"
APP_NAME = "facilitator"


def data_dir(override: Path | str | None = None) -> Path:
    """The folder for the database, settings and user content.

    ``override`` (from ``--data-dir``) wins, then ``$FACILITATOR_DATA_DIR``, then the platform's
    user data folder. The folder is not created here; :func:`ensure_private_dir` does that.
    """
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # deferred: only needed when no override is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The user's config folder, kept apart from the data: the audit key and the audit anchors.

    ``$FACILITATOR_CONFIG_DIR`` wins, then the platform's user config folder. It is not moved by
    ``--data-dir``: a copy of the data folder does not carry the key that checks its log.
    """
    env = os.environ.get(ENV_CONFIG_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # deferred, as in data_dir

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by the owner, and tighten it if it exists."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def fsync_path(path: Path) -> None:
    """Flush a file or a folder's entries to disk (best effort: some filesystems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def user_content_dir(data: Path) -> Path:
    """The user's own content root inside the data folder (forks and new plans go here)."""
    return data / "content"


def bundled_content_roots() -> list[Path]:
    """The content that ships with facilitator: ``curricula/`` and ``handouts/``.

    In a wheel they are installed as ``facilitator/_bundled/``; in a source checkout (editable
    install, tests) they are the folders at the top of the repository.
    """
    package = Path(__file__).resolve().parent
    installed = package / "_bundled"
    base = installed if installed.is_dir() else package.parent
    return [base / "curricula", base / "handouts"]
