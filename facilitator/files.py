"""Writing files safely: private (0600), atomic (temp file, fsync, rename).

Every output (printouts, calendar files, CSV) goes through :func:`write_outputs`, which records
each file in the output ledger *before* writing it, so no file that names a person exists
without the ledger knowing (erase deletes by the ledger). Content edits use
:func:`write_private` directly: they name nobody.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Protocol

from facilitator.errors import FacilitatorError
from facilitator.model.outputs import Output
from facilitator.paths import fsync_path

TMP_PREFIX, TMP_SUFFIX = ".tmp-", ".part"
STALE_SECONDS = 3600
"""A temporary file this old was left by a writer that was killed; it is safe to delete."""


class Ledger(Protocol):
    """Where written files are recorded (the store implements it)."""

    def record_outputs(self, outputs: Sequence[Output]) -> None:
        """Remember these files (one transaction); re-recording a path replaces its entry."""


def write_outputs(
    ledger: Ledger,
    outputs: Sequence[Output],
    contents: Iterable[bytes],
    *,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Path]:
    """Record every file in the ledger, then write each (0600, atomically) as it is made.

    ``contents`` yields the bytes of each output in order (it may make them lazily). The ledger
    comes first: a crash between the two leaves a ledger entry for a file that does not exist,
    never a file the ledger does not know.
    """
    ledger.record_outputs(outputs)
    written: list[Path] = []
    for output, data in zip(outputs, contents, strict=True):
        written.append(write_private(output.path, data))
        if progress is not None:
            progress(len(written), len(outputs), output.path.name)
    return written


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically with mode 0600.

    The bytes go to a temporary file in the same folder, are fsynced, then renamed over the
    real name, so a crash never leaves half a file under the real name.
    """
    with open_private(path) as handle:
        handle.write(data)
    return path


@contextlib.contextmanager
def open_private(path: Path) -> Iterator[IO[bytes]]:
    """Yield a binary file that becomes ``path`` (0600) only if the block finishes cleanly."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _remove_stale(folder)
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=TMP_SUFFIX, dir=folder)
    except OSError as exc:
        raise FacilitatorError(f"cannot write to {folder}: {exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        if isinstance(exc, OSError):
            raise FacilitatorError(f"cannot write {path}: {exc.strerror}") from None
        raise
    fsync_path(folder)


def _remove_stale(folder: Path) -> None:
    """Delete temporary files that a killed writer left behind (older than an hour)."""
    cutoff = time.time() - STALE_SECONDS
    for leftover in folder.glob(f"{TMP_PREFIX}*{TMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
