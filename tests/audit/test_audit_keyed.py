"""The audit trail against someone who has the database file and knows how it is built: drops
the append-only triggers, edits or deletes rows and recomputes the chain (plain SHA-256, or an
HMAC under a guessed key), cuts the newest rows, puts an older copy in place, or hands
`restore` a doctored backup. `audit --verify` reports each one, a restore is in the log, and a
backup whose schema is not exactly ours is refused.

Every run goes through the real CLI; the attacker uses plain `sqlite3`."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from facilitator.store import chain, open_store
from facilitator.store.migrations import MIGRATIONS
from tests.audit.test_audit_log import GROUP, _plain, _seed
from tests.helpers import run_cli

DB = "facilitator.sqlite3"
FIELDS = "id, at, actor, tbl, row_id, participant_id, action, changes, prev_hash, hash"


def _verify(data: Path) -> tuple[int, str]:
    result = run_cli("--data-dir", data, "audit", "--verify")
    if result.code == 0:
        assert "audit log intact" in result.out, result
    else:
        assert result.err.count("\n") == 1, result.err
    return result.code, result.err


def _unkeyed(prev: str | None, *fields: object) -> str:
    digest = hashlib.sha256((prev or "").encode())
    for value in fields:
        digest.update(b"\x1f" + ("\x00" if value is None else str(value)).encode())
    return digest.hexdigest()


def _hmac(key: bytes):
    def compute(prev: str | None, *fields: object) -> str:
        mac = hmac.new(key, (prev or "").encode(), hashlib.sha256)
        for value in fields:
            mac.update(b"\x1f" + ("\x00" if value is None else str(value)).encode())
        return mac.hexdigest()

    return compute


def _rechain(conn: sqlite3.Connection, compute, start: int = 1) -> None:
    """Recompute every hash from row ``start`` on, as an attacker with the file would."""
    rows = conn.execute(f"SELECT {FIELDS} FROM audit ORDER BY id").fetchall()
    prev = None
    for row in rows:
        if row[0] >= start:
            digest = compute(prev, *row[1:8])
            conn.execute(
                "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0])
            )
            prev = digest
        else:
            prev = row[9]


def _open_up(data: Path) -> sqlite3.Connection:
    conn = _plain(data)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def _user_key() -> bytes:
    return bytes.fromhex(chain.key_path().read_text().strip())


def test_the_key_is_outside_the_database_and_private(data_dir: Path) -> None:
    _seed(data_dir)
    key_file = chain.key_path()
    assert key_file.parent == Path(os.environ["XDG_CONFIG_HOME"]) / "facilitator"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    key = _user_key()
    assert len(key) == 32
    raw = b"".join(p.read_bytes() for p in data_dir.glob(f"{DB}*"))
    assert key not in raw and key.hex().encode() not in raw
    conn = _plain(data_dir)
    assert conn.execute("SELECT count(*) FROM audit_key").fetchone()[0] == 0
    first = conn.execute("SELECT action, changes FROM audit ORDER BY id LIMIT 1").fetchone()
    assert first[0] == "keyed" and json.loads(first[1])["key"] == chain.fingerprint(key)
    assert _verify(data_dir) == (0, "")


@pytest.mark.parametrize("how", ["unkeyed-from-start", "unkeyed-from-edit", "guessed-key"])
def test_an_edit_with_a_recomputed_chain_is_reported(data_dir: Path, how: str) -> None:
    _seed(data_dir)
    conn = _open_up(data_dir)
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 6")
    if how == "unkeyed-from-start":
        _rechain(conn, _unkeyed)
        expected = 1  # the row that starts the keyed chain no longer matches its key
    elif how == "unkeyed-from-edit":
        _rechain(conn, _unkeyed, start=6)
        expected = 6
    else:
        _rechain(conn, _hmac(b"\x00" * 32), start=6)
        expected = 6
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1
    assert f"the audit log was altered at row {expected}" in err


def test_deleted_rows_are_reported_even_with_a_valid_chain(data_dir: Path) -> None:
    """Someone who even has the key (an insider) and deletes rows 5 and 6, then recomputes a
    valid keyed chain: ids are never skipped by SQLite, so the gap shows."""
    _seed(data_dir)
    conn = _open_up(data_dir)
    conn.execute("DELETE FROM audit WHERE id IN (5, 6)")
    _rechain(conn, _hmac(_user_key()))
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1
    assert "rows 5 to 6 are missing" in err and "altered" not in err


def test_dropped_triggers_and_a_hidden_trigger_in_the_live_database(data_dir: Path) -> None:
    """Even with every row intact, a live database whose triggers were dropped, or that got a
    trigger copying names somewhere, is reported."""
    _seed(data_dir)
    conn = _open_up(data_dir)
    conn.execute("CREATE TABLE hidden (name TEXT)")
    conn.execute(
        "CREATE TRIGGER keep_names AFTER INSERT ON participants "
        "BEGIN INSERT INTO hidden VALUES (NEW.preferred_name); END"
    )
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1
    assert "the database's schema was changed" in err
    for word in ("an extra table 'hidden'", "an extra trigger 'keep_names'", "no trigger"):
        assert word in err, err


def test_a_deleted_row_without_recomputing(data_dir: Path) -> None:
    _seed(data_dir)
    conn = _open_up(data_dir)
    conn.execute("DELETE FROM audit WHERE id = 4")
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1
    assert "the audit log was altered at row 5" in err and "row 4 is missing" in err


def test_cutting_off_the_newest_rows_is_reported(data_dir: Path) -> None:
    _seed(data_dir)
    conn = _open_up(data_dir)
    last = conn.execute("SELECT max(id) FROM audit").fetchone()[0]
    conn.execute("DELETE FROM audit WHERE id > ?", (last - 3,))
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1
    assert f"the log ends at row {last - 3}, but row {last} was recorded" in err


def test_an_older_copy_put_in_place_is_reported_and_stays_reported(
    data_dir: Path, tmp_path: Path
) -> None:
    _seed(data_dir)
    with open_store(data_dir) as store:
        store.checkpoint()
    old = tmp_path / "old.sqlite3"
    shutil.copy2(data_dir / DB, old)
    assert run_cli("--data-dir", data_dir, "roster", "add", GROUP, "Latecomer").code == 0
    assert run_cli("--data-dir", data_dir, "note", GROUP, "2", "later").code == 0
    for side in ("-wal", "-shm"):
        (data_dir / f"{DB}{side}").unlink(missing_ok=True)
    shutil.copy2(old, data_dir / DB)
    code, err = _verify(data_dir)
    assert code == 1 and "an older copy was put in place" in err, err
    # ordinary use afterwards does not move the recorded head back to the old copy's
    assert run_cli("--data-dir", data_dir, "roster", "add", GROUP, "Another").code == 0
    code, err = _verify(data_dir)
    assert code == 1 and "an older copy was put in place" in err, err


def test_a_restored_older_backup_is_in_the_log(data_dir: Path, tmp_path: Path) -> None:
    _seed(data_dir)
    backup = tmp_path / "before.sqlite3"
    assert run_cli("--data-dir", data_dir, "backup", backup).code == 0
    copy = sqlite3.connect(backup)
    backup_row = copy.execute(
        "SELECT id, action, changes FROM audit ORDER BY id DESC LIMIT 1"
    ).fetchone()
    copy.close()
    assert backup_row[1] == "backup"
    assert json.loads(backup_row[2])["head"] == backup_row[0] - 1
    assert run_cli("--data-dir", data_dir, "roster", "add", GROUP, "Latecomer").code == 0
    with open_store(data_dir) as store:
        replaced = store.audit_log(1)[0]["id"]
    restored = run_cli("--data-dir", data_dir, "restore", backup)
    assert restored.code == 0, restored
    log = run_cli("--data-dir", data_dir, "audit", "--limit", "10")
    assert log.code == 0, log
    lines = log.out.splitlines()
    assert "restore" in lines[1] and f'"replaced_head":{replaced}' in lines[1], lines
    assert f'"restored_head":{backup_row[0]}' in lines[1] and "before.sqlite3" in lines[1]
    # older than the restore: the output ledger's entries brought back, then the backup's row
    assert any(line.split()[:1] == [str(backup_row[0])] and "backup" in line for line in lines)
    assert "audit log intact" in log.out


DOCTORED = {
    "hidden-copy-trigger": (
        [
            "CREATE TABLE hidden (name TEXT)",
            "CREATE TRIGGER keep_names AFTER INSERT ON participants "
            "BEGIN INSERT INTO hidden VALUES (NEW.preferred_name); END",
        ],
        ["an extra table 'hidden'", "an extra trigger 'keep_names'"],
    ),
    "extra-view": (
        ["CREATE VIEW everyone AS SELECT preferred_name, email FROM participants"],
        ["an extra view 'everyone'"],
    ),
    "extra-index": (["CREATE INDEX names ON participants (preferred_name)"], ["an extra index"]),
    "changed-trigger": (
        [
            "DROP TRIGGER audit_participants_delete",
            "CREATE TRIGGER audit_participants_delete AFTER DELETE ON participants "
            "BEGIN SELECT 1; END",
        ],
        ["a changed trigger 'audit_participants_delete'"],
    ),
    "dropped-trigger": (
        ["DROP TRIGGER audit_no_update"],
        ["no trigger 'audit_no_update'"],
    ),
}


@pytest.mark.parametrize("case", sorted(DOCTORED))
def test_a_doctored_backup_is_refused(data_dir: Path, tmp_path: Path, case: str) -> None:
    statements, words = DOCTORED[case]
    _seed(data_dir)
    backup = tmp_path / "doctored.sqlite3"
    assert run_cli("--data-dir", data_dir, "backup", backup).code == 0
    conn = sqlite3.connect(backup, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()
    assert run_cli("--data-dir", data_dir, "roster", "add", GROUP, "Keeper").code == 0
    result = run_cli("--data-dir", data_dir, "restore", backup)
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and "nothing was restored" in result.err
    assert "not exactly a facilitator database" in result.err
    for word in words:
        assert word in result.err, result.err
    assert not list(data_dir.glob("before-restore-*"))
    listed = run_cli("--data-dir", data_dir, "roster", "list", GROUP)
    assert "Keeper" in listed.out
    assert _verify(data_dir) == (0, "")


def test_a_backup_with_a_recomputed_log_is_refused(data_dir: Path, tmp_path: Path) -> None:
    _seed(data_dir)
    backup = tmp_path / "edited.sqlite3"
    assert run_cli("--data-dir", data_dir, "backup", backup).code == 0
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 3")
    _rechain(conn, _unkeyed, start=3)
    # put the trigger back so that the schema alone looks right
    conn.execute(
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
        "        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    conn.close()
    result = run_cli("--data-dir", data_dir, "restore", backup)
    assert result.code == 2, result
    assert "its audit log does not check out (the audit log was altered at row 3)" in result.err


def _v2_database(path: Path) -> None:
    """A database as schema 2 left it: the unkeyed chain, a group with a roll."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.create_function("audit_hash", -1, _unkeyed)
    conn.create_function("audit_now", 0, lambda: "2026-01-05T10:00:00.000000+00:00")
    conn.create_function("audit_actor", 0, lambda: "old-version")
    for version in (0, 1):
        for statement in MIGRATIONS[version]:
            assert isinstance(statement, str)
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO groups (name, display_name, curriculum_id, first_date, start_time, minutes,"
        " timezone, completion_threshold, calendar_uid) VALUES ('Old group', 'Old', 'example',"
        " '2026-01-06', '18:00', 90, 'Europe/Berlin', 0.75, 'uid-1')"
    )
    conn.execute("INSERT INTO rolls (group_id, week) VALUES (1, 1)")
    conn.close()


def test_a_schema_2_database_upgrades_to_the_keyed_chain(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    _v2_database(data_dir / DB)
    with open_store(data_dir) as store:
        rows = store.audit_log(10)
        assert [r["action"] for r in reversed(rows)] == ["insert", "insert", "keyed"]
        assert store.audit_check().intact
    assert _verify(data_dir) == (0, "")
    assert run_cli("--data-dir", data_dir, "roster", "add", "Old group", "Newcomer").code == 0
    assert _verify(data_dir) == (0, "")
    # the rows written before the upgrade are covered by the key as well
    conn = _open_up(data_dir)
    conn.execute("UPDATE audit SET actor = 'mallory' WHERE id = 1")
    _rechain(conn, _unkeyed)
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1 and "the audit log was altered at row 3" in err


def test_downgrading_to_an_unkeyed_chain_is_reported(data_dir: Path) -> None:
    """Dropping the keyed rows and recomputing a plain chain: the keyed start is missing."""
    _seed(data_dir)
    conn = _open_up(data_dir)
    conn.execute("DELETE FROM audit WHERE id = 1")
    conn.execute("UPDATE audit SET id = id - 1")
    _rechain(conn, _unkeyed)
    conn.close()
    code, err = _verify(data_dir)
    assert code == 1
    assert "the row that starts the keyed chain is missing" in err


def test_a_log_keyed_elsewhere_says_so(data_dir: Path) -> None:
    _seed(data_dir)
    chain.key_path().unlink()
    code, err = _verify(data_dir)
    assert code == 1 and "another audit key than this computer's" in err, err


def test_an_encrypted_store_keeps_its_key_inside(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
    from facilitator.store import crypto

    monkeypatch.setenv(crypto.PASSPHRASE_ENV, "a long enough passphrase")
    _seed(data_dir)
    assert not chain.key_path().exists()
    with open_store(data_dir) as store:
        assert store.db.audit_key is not None
        assert store.audit_check().intact
    backup = tmp_path / "enc.sqlite3"
    assert run_cli("--data-dir", data_dir, "backup", backup).code == 0
    assert run_cli("--data-dir", data_dir, "roster", "add", GROUP, "Later").code == 0
    assert run_cli("--data-dir", data_dir, "restore", backup).code == 0
    assert _verify(data_dir) == (0, "")
    assert not chain.key_path().exists()


def test_a_schema_2_backup_restores_and_joins_the_keyed_chain(
    data_dir: Path, tmp_path: Path
) -> None:
    _seed(data_dir)
    old = tmp_path / "schema2.sqlite3"
    _v2_database(old)
    restored = run_cli("--data-dir", data_dir, "restore", old)
    assert restored.code == 0, restored
    with open_store(data_dir) as store:
        rows = list(reversed(store.audit_log(20)))
        actions = [r["action"] for r in rows]
        assert actions[:3] == ["insert", "insert", "keyed"] and actions[-1] == "restore"
        # between them only the output ledger's entries, brought back for erase to find
        assert {(r["tbl"], r["action"]) for r in rows[3:-1]} <= {
            ("outputs", "insert"),
            ("output_people", "insert"),
        }
        assert [g.name for g in store.groups()] == ["Old group"]
    assert _verify(data_dir) == (0, "")
