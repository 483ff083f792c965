"""Encryption at rest (the optional 'encrypted' extra, SQLCipher via sqlcipher3): a store made
with a passphrase from the environment or a hidden prompt, never the command line; opened again;
backed up encrypted; a wrong passphrase is one clear line, with nothing from SQLCipher's own
logging on the screen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from facilitator.store import crypto, open_store
from tests.audit.helpers import raw_forms
from tests.builders import group_args
from tests.helpers import run_cli, run_process

sqlcipher3 = pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")

SECRET = "correct horse 'battery' staple"
NAME = "Canarycipher"
GROUP = "Cipher group"


def _seed(data: Path) -> None:
    for args in (
        group_args(GROUP),
        ("roster", "add", GROUP, NAME, "--email", "canary.cipher@example.org"),
        ("attend", GROUP, "1"),
        ("note", GROUP, "1", "NOTECANARY in the cipher"),
    ):
        result = run_cli("--data-dir", data, *args)
        assert result.code == 0, (args, result)


def _no_plaintext(path: Path) -> None:
    data = path.read_bytes()
    assert data[:16] != crypto.SQLITE_HEADER, path
    for word in (NAME, "NOTECANARY", GROUP):
        assert not any(form in data for form in raw_forms(word)), (path, word)


def test_encrypted_store_backup_and_reopen(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, SECRET)
    _seed(data_dir)
    db = data_dir / "facilitator.sqlite3"
    with open_store(data_dir) as store:  # a second connection, then a full checkpoint
        assert store.db.passphrase == SECRET
        store.checkpoint()
    for path in data_dir.glob("facilitator.sqlite3*"):
        if path.stat().st_size:
            _no_plaintext(path)
    with pytest.raises(sqlite3.DatabaseError):  # plain SQLite cannot read it
        sqlite3.connect(db).execute("SELECT count(*) FROM participants").fetchone()
    listed = run_cli("--data-dir", data_dir, "roster", "list", GROUP)
    assert listed.code == 0 and NAME in listed.out
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    target = backups / "encrypted-backup.sqlite3"
    assert run_cli("--data-dir", data_dir, "backup", target).code == 0
    _no_plaintext(target)
    assert target.stat().st_mode & 0o777 == 0o600
    conn = sqlcipher3.connect(str(target))
    crypto.unlock(conn, SECRET, target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT preferred_name FROM participants").fetchone()[0] == NAME
    conn.close()
    # restore the encrypted backup into the encrypted database
    assert run_cli("--data-dir", data_dir, "roster", "erase", GROUP, NAME, "--yes").code == 0
    restored = run_cli("--data-dir", data_dir, "restore", target)
    assert restored.code == 0, restored
    assert NAME in run_cli("--data-dir", data_dir, "roster", "list", GROUP).out
    with open_store(data_dir) as store:
        assert store.verify_audit() is None


def test_wrong_or_missing_passphrase_is_one_clear_line(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, SECRET)
    _seed(data_dir)
    wrong = run_process(
        "--data-dir", data_dir, "group", "list", env={crypto.PASSPHRASE_ENV: "not it"}
    )
    assert wrong.code == 2
    assert wrong.err.count("\n") == 1 and "wrong passphrase" in wrong.err, wrong.err
    assert "ERROR" not in wrong.err and "hmac" not in wrong.err and wrong.out == ""
    missing = run_process("--data-dir", data_dir, "group", "list", env={crypto.PASSPHRASE_ENV: ""})
    assert missing.code == 2 and missing.err.count("\n") == 1
    assert "FACILITATOR_PASSPHRASE" in missing.err
    monkeypatch.delenv(crypto.PASSPHRASE_ENV)
    asked: list[str] = []
    crypto.set_prompt(lambda msg: asked.append(msg) or SECRET)  # a front end's hidden prompt
    try:
        assert run_cli("--data-dir", data_dir, "group", "list").code == 0
    finally:
        crypto.set_prompt(None)
    assert asked and SECRET not in asked[0]


def test_plain_stores_stay_plain(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a passphrase nothing changes; a passphrase set later does not lock anyone out
    of a plain database (it is opened as it is)."""
    _seed(data_dir)
    assert (data_dir / "facilitator.sqlite3").read_bytes()[:16] == crypto.SQLITE_HEADER
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, SECRET)
    assert run_cli("--data-dir", data_dir, "group", "list").code == 0
