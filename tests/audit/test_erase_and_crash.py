"""Erase reaches every byte of the database, and an unexpected crash says one line naming
nobody (SAFETY.md rules 5 and the CLI's last line of defence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.store import open_store
from tests.audit.helpers import raw_forms
from tests.builders import group_args
from tests.helpers import run_cli

GONE = "Canaryerased"
KEPT = "Canarystays"
GONE_MAIL = "canary.erased@example.org"


def _seed(data: Path) -> None:
    for args in (
        group_args("Erase group"),
        ("roster", "add", "Erase group", GONE, "--initial", "Ž", "--email", GONE_MAIL),
        ("roster", "add", "Erase group", KEPT, "--initial", "K"),
        ("attend", "Erase group", "1", "--absent", GONE),
        ("note", "Erase group", "1", "a quiet meeting", "--participant", GONE),
        ("note", "Erase group", "2", "second version", "--participant", GONE),
        ("print", "Erase group", "--week", "1", "--per-participant", "--quiet"),
    ):
        result = run_cli("--data-dir", data, *args)
        assert result.code == 0, (args, result)


def _database_bytes(data: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in data.iterdir() if p.name.startswith("facilitator.sqlite3")
    }


def test_erase_removes_every_byte_of_the_name(data_dir: Path) -> None:
    _seed(data_dir)
    before = _database_bytes(data_dir)
    assert any(GONE.encode() in b for b in before.values())  # proof the search can find it
    with open_store(data_dir, readonly=True) as store:
        opaque = store.find_participant(store.find_group("Erase group").id, GONE).opaque_id
    own_print = data_dir / "prints" / "group-1" / f"week01-{opaque}.pdf"
    assert own_print.exists()
    result = run_cli("--data-dir", data_dir, "roster", "erase", "Erase group", GONE, "--yes")
    assert result.code == 0, result
    after = _database_bytes(data_dir)
    assert after.get("facilitator.sqlite3-wal", b"") == b""  # checkpointed and truncated
    for name, data in after.items():
        for word in (GONE, GONE_MAIL, "Canaryerase"):  # the opaque id stays in the audit
            for form in raw_forms(word):
                assert form not in data, (name, word, form)
        assert KEPT.encode() in data or name != "facilitator.sqlite3"
    # the person's own printout in the app's print folder goes with them
    assert not own_print.exists()
    # files that list everyone are deleted too, and named so they can be printed again
    guide = data_dir / "prints" / "group-1" / "week01-guide.pdf"
    assert not guide.exists()
    assert f"{guide.resolve()}  (lists the group: print or export it again)" in result.out
    with open_store(data_dir, readonly=True) as store:
        assert store.verify_audit() is None
        log = str(store.audit_log(1000))
        assert GONE not in log and GONE_MAIL not in log


def test_an_unexpected_crash_says_one_line_naming_nobody(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(data_dir)

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError(f"{GONE} <{GONE_MAIL}> broke everything\nsecond line")

    monkeypatch.delenv("FACILITATOR_DEBUG", raising=False)
    monkeypatch.setattr("facilitator.store.Store.summary", explode)
    files = {p for p in data_dir.rglob("*")}
    result = run_cli("--data-dir", data_dir, "attendance", "Erase group")
    assert result.code == 70
    assert result.out == ""
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "RuntimeError" in result.err and "FACILITATOR_DEBUG" in result.err
    assert GONE not in result.err and GONE_MAIL not in result.err
    assert {p for p in data_dir.rglob("*")} == files  # no crash log written anywhere
    monkeypatch.setenv("FACILITATOR_DEBUG", "1")
    with pytest.raises(RuntimeError):
        run_cli("--data-dir", data_dir, "attendance", "Erase group")
