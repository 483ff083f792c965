"""Disk full and a read-only data folder: a clear one-line message (exit 2) and nothing lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from facilitator.errors import FacilitatorError
from facilitator.store import open_store
from facilitator.workspace import Workspace
from tests.audit.mounts import fill, read_only, tmpfs
from tests.builders import group_args
from tests.helpers import Run, run_cli

GROUP = "Fault group"
BIG = "a long note that needs fresh pages. " * 8000  # ~290 KB


def _seed(data: Path) -> None:
    for args in (
        group_args(GROUP),
        ("roster", "add", GROUP, "Faultyone"),
        ("roster", "add", GROUP, "Faultytwo"),
        ("attend", GROUP, "1", "--absent", "Faultytwo"),
        ("note", GROUP, "1", "kept note"),
    ):
        result = run_cli("--data-dir", data, *args)
        assert result.code == 0, (args, result)


def _one_line_error(result: Run, *words: str) -> None:
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and result.err.startswith("facilitator: error:"), result
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err, result


def _intact(data: Path, *, frozen: bool = False) -> None:
    uri = f"{(data / 'facilitator.sqlite3').resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri + ("&immutable=1" if frozen else ""), uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM participants").fetchone()[0] == 2
        assert (
            conn.execute("SELECT text FROM group_notes WHERE week = 1").fetchone()[0] == "kept note"
        )
        assert conn.execute("SELECT count(*) FROM marks WHERE status = 'absent'").fetchone()[0] == 1
    finally:
        conn.close()


def test_disk_full_by_page_limit(data_dir: Path) -> None:
    """Without root: PRAGMA max_page_count makes SQLite report SQLITE_FULL."""
    _seed(data_dir)
    with open_store(data_dir) as store:
        pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
        store.db.conn.execute(f"PRAGMA max_page_count = {pages + 1}")
        gid = store.find_group(GROUP).id
        with pytest.raises(FacilitatorError) as caught:
            store.save_note(gid, 2, BIG, expected_version=0)
        assert "disk is full" in caught.value.message and "\n" not in caught.value.message
        assert store.note(gid, 2) is None  # rolled back whole
        store.db.conn.execute("PRAGMA max_page_count = 1073741823")
        store.save_note(gid, 2, BIG, expected_version=0)  # and works once there is room
    _intact(data_dir)


@pytest.mark.slow
def test_disk_full_on_a_tiny_file_system(tmp_path: Path) -> None:
    """A 3 MB tmpfs, filled up: every writing command fails on one line, nothing is lost,
    no half file appears under a real name, and everything works again once there is room."""
    with tmpfs(tmp_path / "small", "3m") as data:
        _seed(data)
        filler = fill(data)
        before = {p.name for p in data.rglob("*")}
        _one_line_error(run_cli("--data-dir", data, "note", GROUP, "2", BIG), "disk is full")
        _one_line_error(run_cli("--data-dir", data, "roster", "add", GROUP, "Faultythree" * 20000))
        # the output ledger entry comes first, so the database says the disk is full
        _one_line_error(
            run_cli("--data-dir", data, "attendance", GROUP, "--csv", data / "a.csv"),
            "disk is full",
        )
        _one_line_error(run_cli("--data-dir", data, "backup", data / "b.sqlite3"))
        _one_line_error(run_cli("--data-dir", data, "print", GROUP, "--week", "1", "--quiet"))
        after = {p.name for p in data.rglob("*")}
        # no half files: only SQLite's own side files (stubs a failed open left) and folders
        allowed = {"prints", "group-1", "facilitator.sqlite3-wal", "facilitator.sqlite3-shm"}
        assert after - before <= allowed, after - before
        assert run_cli("--data-dir", data, "attendance", GROUP).code == 0  # reading still works
        _intact(data, frozen=True)
        filler.unlink()
        assert run_cli("--data-dir", data, "note", GROUP, "2", BIG).code == 0
        assert run_cli("--data-dir", data, "attendance", GROUP, "--csv", data / "a.csv").code == 0
        _intact(data)


@pytest.mark.slow
def test_read_only_data_folder(data_dir: Path, tmp_path: Path) -> None:
    """A read-only mount: reading works, writing says so on one line, nothing changes."""
    _seed(data_dir)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    with read_only(data_dir):
        listed = run_cli("--data-dir", data_dir, "group", "list")
        assert listed.code == 0 and GROUP in listed.out, listed
        _one_line_error(run_cli("--data-dir", data_dir, "attend", GROUP, "2"), "read-only")
        _one_line_error(run_cli("--data-dir", data_dir, "note", GROUP, "1", "lost?"), "read-only")
        _one_line_error(
            run_cli("--data-dir", data_dir, "roster", "add", GROUP, "Faultythree"), "read-only"
        )
        _one_line_error(
            run_cli("--data-dir", data_dir, "print", GROUP, "--week", "1", "--quiet"), "read-only"
        )
        backed = run_cli("--data-dir", data_dir, "backup", elsewhere / "b.sqlite3")
        assert backed.code == 0, backed  # a backup elsewhere still works
        _intact(data_dir, frozen=True)
    _intact(data_dir)


def test_store_opened_read_only_refuses_writes(data_dir: Path) -> None:
    """The fallback layer (mode=ro): what the app uses when the folder cannot be written."""
    _seed(data_dir)
    with open_store(data_dir, readonly=True) as store:
        gid = store.find_group(GROUP).id
        with pytest.raises(FacilitatorError) as caught:
            store.mark_roll(gid, 2)
        assert "read-only" in caught.value.message
        assert store.summary(gid).rows
    _intact(data_dir)


async def _home_ready(pilot: object) -> None:
    """Wait for the home screen to load (it opens the store off the UI thread)."""
    for _ in range(200):
        screen = pilot.app.screen  # type: ignore[attr-defined]
        if getattr(screen, "ready", True) and type(screen).__name__ == "HomeScreen":
            break
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.slow
async def test_app_falls_back_to_read_only_on_a_read_only_mount(data_dir: Path) -> None:
    """facilitator.tui.app._open_store: the app opens, read-only, and shows the groups."""
    from facilitator.tui.app import make_app

    _seed(data_dir)
    with read_only(data_dir):
        app = make_app(Workspace(data_dir))
        async with app.run_test(size=(100, 30)) as pilot:
            await _home_ready(pilot)
            assert app.readonly_reason.startswith("Read-only:"), app.readonly_reason
            assert app.store.db.readonly
            banner = app.screen.query_one("#readonly-banner")
            assert banner.display and "read-only" in str(banner.render()).lower()
            groups = app.screen.query_one("#groups")
            assert groups.row_count == 1  # the data is all there, readable
            await pilot.press("enter")  # open the group: its tabs render from a read-only store
            await pilot.pause()
            assert type(app.screen).__name__ == "GroupScreen"
    _intact(data_dir)
