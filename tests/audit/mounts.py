"""Small real file systems for fault tests: a tiny tmpfs (disk full) and a read-only bind mount.

CI runs as root, where chmod cannot make anything read-only, so these use real mounts; where
mounting is not permitted (a container without CAP_SYS_ADMIN, not root) the tests skip.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting needs root and mount(8)")
    proc = subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        pytest.skip(f"mount not permitted here: {proc.stderr.strip()}")


def _umount(path: Path) -> None:
    proc = subprocess.run(["umount", str(path)], capture_output=True, timeout=30)
    if proc.returncode != 0:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)


@contextlib.contextmanager
def tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``path`` (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path))
    try:
        yield path
    finally:
        _umount(path)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """``path`` bind-mounted over itself, read-only."""
    _mount("--bind", str(path), str(path))
    try:
        proc = subprocess.run(
            ["mount", "-o", "remount,ro,bind", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if proc.returncode != 0:
            pytest.skip(f"read-only remount not permitted: {proc.stderr.strip()}")
        yield path
    finally:
        _umount(path)


def fill(folder: Path) -> Path:
    """Use up every free byte of the file system under ``folder``; returns the filler file."""
    filler = folder / "filler.bin"
    block = b"\0" * 65536
    with filler.open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(block)
    with filler.open("ab", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 512)
    return filler
