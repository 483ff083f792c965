"""Bounded, non-blocking reads of regular files only (paths.read_bounded, check_regular)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from facilitator.paths import NotARegularFile, may_tighten, read_bounded
from facilitator.store.db import check_database_file


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(NotARegularFile, match="is 100 bytes; files here may be at most 99"):
        read_bounded(path, 99)


def test_a_file_that_says_it_is_empty_is_still_read_only_up_to_the_bound() -> None:
    """Files in /proc report size 0 and can hold more than the bound."""
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc here")
    assert status.stat().st_size == 0
    with pytest.raises(NotARegularFile, match="more than 10 bytes"):
        read_bounded(status, 10)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "socket"])
def test_anything_but_a_regular_file_is_refused_without_blocking(tmp_path: Path, kind) -> None:
    path = tmp_path / "s"  # short: a socket path has a length limit
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        import socket

        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    with pytest.raises(NotARegularFile, match="not a regular file"):
        read_bounded(path, 1000)


def test_page_sized_random_bytes_may_be_an_encrypted_database(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.sqlite3"
    path.write_bytes(os.urandom(8192))
    check_database_file(path)  # refused later only if the passphrase does not open it


def test_a_shared_folder_is_not_ours_to_tighten(tmp_path: Path) -> None:
    assert may_tighten(tmp_path, tmp_path.stat())  # empty and ours
    (tmp_path / "other.txt").write_text("x")
    assert not may_tighten(tmp_path, tmp_path.stat())
    (tmp_path / "facilitator.sqlite3").write_text("")
    assert may_tighten(tmp_path, tmp_path.stat())
    assert not may_tighten(Path("/"), Path("/").stat())
