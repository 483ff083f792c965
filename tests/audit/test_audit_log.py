"""The audit log: `facilitator audit GROUP` shows who changed what and when; the app cannot
rewrite it; a row edited or deleted behind the app's back (plain sqlite3, triggers dropped)
is reported by `facilitator audit --verify`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from facilitator.errors import FacilitatorError
from facilitator.store import open_store
from tests.builders import group_args
from tests.helpers import run_cli

GROUP, OTHER = "Audit group", "Other group"


def _seed(data: Path) -> None:
    for args in (
        group_args(GROUP),
        group_args(OTHER, start="2026-09-02"),
        ("roster", "add", GROUP, "Auditone"),
        ("roster", "add", OTHER, "Audittwo"),
        ("attend", GROUP, "1", "--absent", "Auditone"),
        ("note", GROUP, "1", "notetextone"),
        ("note", GROUP, "1", "second"),
        ("schedule", "move", GROUP, "2", "--to", "2026-09-09 19:00"),
    ):
        result = run_cli("--data-dir", data, *args)
        assert result.code == 0, (args, result)


def _plain(data: Path) -> sqlite3.Connection:
    """Another program's connection: no audit_hash function, so the triggers cannot run."""
    return sqlite3.connect(data / "facilitator.sqlite3", isolation_level=None)


def test_audit_lists_one_groups_changes(engine: str, data_dir: Path) -> None:
    _seed(data_dir)
    result = run_cli("--data-dir", data_dir, "audit", GROUP, "--limit", "100")
    assert result.code == 0, result
    out = result.out
    for table, action in (
        ("marks", "insert"),
        ("group_notes", "update"),
        ("changes", "insert"),
        ("participants", "insert"),
        ("groups", "insert"),
    ):
        assert any(table in line and action in line for line in out.splitlines()), table
    assert '"text":"(changed)"' in out  # what changed, never the text itself
    assert "Auditone" not in out and "notetextone" not in out
    assert "2026-09-02" not in out  # the other group's rows are not listed
    assert "audit log intact" in out
    everything = run_cli("--data-dir", data_dir, "audit", "--limit", "500").out
    assert "2026-09-02" in everything


def test_the_app_cannot_rewrite_the_log(data_dir: Path) -> None:
    _seed(data_dir)
    with open_store(data_dir) as store:
        for statement in (
            "UPDATE audit SET actor = 'someone else' WHERE id = 3",
            "DELETE FROM audit WHERE id = 3",
            "DROP TRIGGER audit_no_update",
        ):
            with pytest.raises(FacilitatorError), store.db.write() as conn:
                conn.execute(statement)
                if statement.startswith("DROP"):
                    raise sqlite3.OperationalError("dropped")  # rolled back, like any failure
        assert store.verify_audit() is None


@pytest.mark.parametrize("tamper", ["edit", "delete", "insert"])
def test_a_tampered_row_is_reported(data_dir: Path, tamper: str) -> None:
    _seed(data_dir)
    conn = _plain(data_dir)
    with pytest.raises(sqlite3.DatabaseError):  # with the triggers in place, nothing goes
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 5")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    if tamper == "edit":
        conn.execute("UPDATE audit SET actor = 'mallory', changes = '{}' WHERE id = 5")
    elif tamper == "delete":
        conn.execute("DELETE FROM audit WHERE id = 5")
    else:
        conn.execute(
            "INSERT INTO audit (id, at, actor, tbl, row_id, participant_id, action, "
            "changes, prev_hash, hash) SELECT 5000, at, 'mallory', tbl, row_id, "
            "participant_id, action, changes, hash, hash FROM audit WHERE id = "
            "(SELECT max(id) FROM audit)"
        )
    conn.close()
    result = run_cli("--data-dir", data_dir, "audit", "--verify")
    assert result.code == 1
    expected = {"edit": 5, "delete": 6, "insert": 5000}[tamper]
    assert f"the audit log was altered at row {expected}" in result.err
    assert result.err.count("\n") == 1
