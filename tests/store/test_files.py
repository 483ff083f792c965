"""Files the store writes: 0600 in a 0700 folder; backups, restores and formula-safe CSV."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import HOSTILE, REFUSED

from facilitator.errors import FacilitatorError
from facilitator.model.group import AttendanceStatus as S
from facilitator.outputs.csv_export import (
    FORMULA_TRIGGERS,
    attendance_rows,
    csv_bytes,
    safe_cell,
    write_attendance_csv,
)
from facilitator.store import open_store

CELLS = [*HOSTILE, *REFUSED, "=1+1", "@x", "-2", "+3", "\tx", "\rx"]


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.sqlite_only
def test_every_file_is_private_in_a_private_folder(store, group, data_dir, tmp_path):
    os.umask(0o022)  # even with a permissive umask (the CLI sets 077; tests call the store)
    try:
        ada = store.enrol(group.id, "Ada")
        store.mark_roll(group.id, 1, {ada.id: S.ABSENT})
        out = tmp_path / "exports"
        out.mkdir()
        store.backup(out / "backup.sqlite3")
        write_attendance_csv(store.summary(group.id), out / "attendance.csv")
        store.restore(out / "backup.sqlite3", data_dir / "aside.sqlite3")
    finally:
        os.umask(0o077)
    assert _mode(data_dir) == 0o700
    written = [p for p in [*data_dir.iterdir(), *out.iterdir()] if p.is_file()]
    names = {p.name for p in written}
    assert {
        "facilitator.sqlite3",
        "facilitator.sqlite3-wal",
        "facilitator.sqlite3-shm",
        "backup.sqlite3",
        "attendance.csv",
        "aside.sqlite3",
    } <= names
    for path in written:
        assert _mode(path) == 0o600, path


def test_existing_loose_folder_is_tightened(data_dir):
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    open_store(data_dir).close()
    assert _mode(data_dir) == 0o700


@pytest.mark.sqlite_only
def test_backup_is_a_checked_copy_and_restore_keeps_the_current_data(
    store, group, data_dir, tmp_path
):
    store.enrol(group.id, "Ada")
    backup = store.backup(tmp_path / "b.sqlite3")
    copy = sqlite3.connect(backup)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT preferred_name FROM participants").fetchall() == [("Ada",)]
    copy.close()
    store.enrol(group.id, "Bo")
    aside = store.restore(backup, data_dir / "aside.sqlite3")
    assert [p.preferred_name for p in store.participants(group.id)] == ["Ada"]
    old = sqlite3.connect(aside)
    assert {n for (n,) in old.execute("SELECT preferred_name FROM participants")} == {"Ada", "Bo"}
    old.close()
    store.enrol(group.id, "Cy")  # the restored database is writable and audited
    assert store.verify_audit() is None


@pytest.mark.sqlite_only
def test_restore_refuses_damaged_or_foreign_files(store, group, tmp_path):
    store.enrol(group.id, "Ada")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(FacilitatorError):
        store.restore(junk, tmp_path / "aside.sqlite3")
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()
    with pytest.raises(FacilitatorError, match="not a facilitator database"):
        store.restore(foreign, tmp_path / "aside.sqlite3")
    assert [p.preferred_name for p in store.participants(group.id)] == ["Ada"]
    assert not (tmp_path / "aside.sqlite3").exists()


@pytest.mark.sqlite_only
def test_backup_into_missing_folder_is_a_clear_error(store, tmp_path):
    with pytest.raises(FacilitatorError, match="cannot write"):
        store.backup(tmp_path / "missing" / "b.sqlite3")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.text(), st.sampled_from(CELLS)), min_size=1, max_size=5),
        min_size=1,
        max_size=5,
    )
)
def test_csv_cells_never_start_with_a_trigger_and_round_trip(rows):
    data = csv_bytes(rows).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(data, newline="")))
    assert len(parsed) == len(rows)
    for original, back in zip(rows, parsed, strict=True):
        for cell, got in zip(original, back, strict=True):
            assert not got.startswith(FORMULA_TRIGGERS)
            assert got == (f"'{cell}" if cell.startswith(FORMULA_TRIGGERS) else cell)


def test_safe_cell_examples():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("Ada") == "Ada" and safe_cell(None) == ""


def test_attendance_export_has_no_notes(store, group):
    ada = store.enrol(group.id, "=cmd|' /C calc'!A0", last_initial="Q")
    store.mark_roll(group.id, 1, {ada.id: S.LATE})
    store.save_note(group.id, 1, "CONFIDENTIAL-NOTE", participant_id=ada.id, expected_version=0)
    rows = attendance_rows(store.summary(group.id))
    text = csv_bytes(rows).decode("utf-8-sig")
    assert "CONFIDENTIAL-NOTE" not in text
    assert "'=cmd" in text and "late" in text


def test_stale_temporary_files_from_killed_writers_are_removed(tmp_path: Path) -> None:
    import time

    from facilitator.files import write_private

    old = tmp_path / ".tmp-abc.part"
    fresh = tmp_path / ".tmp-def.part"
    old.write_bytes(b"half a PDF")
    fresh.write_bytes(b"someone is writing this right now")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    write_private(tmp_path / "report.pdf", b"%PDF-1.4")
    assert not old.exists() and fresh.exists()
    assert (tmp_path / "report.pdf").read_bytes() == b"%PDF-1.4"
