"""Where things live: the data folder, the user's content folder and the bundled content."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from facilitator import locations

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


OWN_FILES = locations.OWN_NAMES
"""Names that mark a folder as facilitator's data folder."""


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable only by the owner, and tighten it if it exists
    and is ours to tighten (see :func:`may_tighten`)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = path.stat()
    if status.st_mode & 0o077 and may_tighten(path, status):
        path.chmod(0o700)
    return path


def may_tighten(path: Path, status: os.stat_result) -> bool:
    """Whether an existing, too-open folder may be made 0700: it is the user's own, not a shared
    sticky folder, and empty or facilitator's (``--out ~``, ``--out /tmp`` or ``--data-dir /``
    must never lock others out of a folder; the files written there are 0600 anyway)."""
    if status.st_uid != getattr(os, "geteuid", lambda: status.st_uid)():
        return False
    if status.st_mode & stat.S_ISVTX or path.resolve() == Path(path.anchor or "/"):
        return False
    try:
        with os.scandir(path) as entries:
            names = {entry.name for _, entry in zip(range(1000), entries, strict=False)}
    except OSError:
        return False
    return not names or bool(names & OWN_FILES)


def fsync_path(path: Path) -> None:
    """Flush a file or a folder's entries to disk (best effort: some filesystems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class NotARegularFile(Exception):
    """A path that must be a file we can read is a FIFO, device, socket or folder, or too big."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular(path: Path) -> os.stat_result:
    """``path``'s status (after symlinks) if it is a regular file; raises
    :class:`NotARegularFile` for a FIFO, device, socket or folder (opening or reading those
    can block for ever or never end), :class:`FileNotFoundError` if it does not exist."""
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise NotARegularFile(path, f"is {_kind(status.st_mode)}, not a regular file")
    return status


def replaceable(path: Path) -> None:
    """Raise a one-line error unless ``path`` is free or a regular file: an output written
    next to it and renamed over it must never replace a device, FIFO or folder."""
    from facilitator.errors import FacilitatorError

    try:
        check_regular(path)
    except FileNotFoundError:
        return
    except NotARegularFile as exc:
        raise FacilitatorError(f"{exc}; choose a file name to write to") from None
    except OSError as exc:
        raise FacilitatorError(f"{path}: {exc.strerror}") from None


def read_bounded(path: Path, limit: int, *, what: str = "files here") -> bytes:
    """The bytes of the regular file ``path``, refusing it if it holds more than ``limit``.

    Checked before opening and again on the open file (it may have been swapped in between);
    opened non-blocking, so even a FIFO slipped in at the last moment cannot make us wait, and
    read in bounded chunks, so a file that lies about its size cannot fill the memory.
    """
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(path, f"is {_kind(status.st_mode)}, not a regular file")
        if status.st_size > limit:
            raise NotARegularFile(
                path, f"is {status.st_size:,} bytes; {what} may be at most {limit:,} bytes"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise NotARegularFile(path, f"is more than {limit:,} bytes; {what} may be at most that")
        return b"".join(chunks)
    finally:
        os.close(fd)


def user_content_dir(data: Path) -> Path:
    """The user's own content root inside the data folder (forks and new plans go here)."""
    return locations.user_content_dir(data)


def bundled_content_roots() -> list[Path]:
    """The content that ships with facilitator: ``curricula/`` and ``handouts/``.

    In a wheel they are installed as ``facilitator/_bundled/``; in a source checkout (editable
    install, tests) they are the folders at the top of the repository.
    """
    package = Path(__file__).resolve().parent
    installed = package / "_bundled"
    base = installed if installed.is_dir() else package.parent
    return [base / "curricula", base / "handouts"]
