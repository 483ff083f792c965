"""The output ledger: what is recorded, replaced, forgotten, kept through a restore; and erase's
own rules (files found without a ledger entry, read-only refusal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facilitator.actions.roster import erase
from facilitator.errors import FacilitatorError
from facilitator.files import write_outputs
from facilitator.model.group import Group
from facilitator.model.outputs import Output, OutputKind
from facilitator.store import Store, open_store
from facilitator.workspace import Workspace


def _write(store: Store, path: Path, kind: OutputKind, gid: int, *people: int) -> Path:
    return write_outputs(store, [Output(path, kind, gid, people)], [b"x"])[0]


def test_recorded_before_written_replaced_on_rewrite_and_forgotten(
    store: Store, group: Group, tmp_path: Path
) -> None:
    ada = store.enrol(group.id, "Ada")
    bo = store.enrol(group.id, "Bo")
    packet = tmp_path / "out" / ".." / "out" / "week01-packet.pdf"
    _write(store, packet, OutputKind.PACKET, group.id, ada.id, bo.id)
    (entry,) = store.outputs()
    assert entry.path == (tmp_path / "out" / "week01-packet.pdf").resolve()  # absolute, no ..
    assert entry.participant_ids == (ada.id, bo.id) and entry.shared
    assert entry.written_at is not None and entry.group_id == group.id
    _write(store, packet, OutputKind.PACKET, group.id, bo.id)  # printed again without Ada
    assert [o.participant_ids for o in store.outputs()] == [(bo.id,)]
    assert store.outputs(participant_id=ada.id) == []
    store.forget_outputs([packet])
    assert store.outputs() == []


def test_a_file_that_fails_to_write_is_still_in_the_ledger(
    store: Store, group: Group, tmp_path: Path
) -> None:
    ada = store.enrol(group.id, "Ada")
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"")  # a file where the folder should be: the write fails
    with pytest.raises(FacilitatorError):
        _write(store, blocker / "week01-x.pdf", OutputKind.SHEETS, group.id, ada.id)
    assert [o.path.name for o in store.outputs(participant_id=ada.id)] == ["week01-x.pdf"]


def test_the_audit_log_records_a_write_but_never_its_path(
    store: Store, group: Group, tmp_path: Path
) -> None:
    ada = store.enrol(group.id, "Ada")
    _write(store, tmp_path / "Ada-folder" / "a.pdf", OutputKind.SHEETS, group.id, ada.id)
    rows = [r for r in store.audit_log(50) if r["tbl"] in ("outputs", "output_people")]
    assert {r["tbl"] for r in rows} == {"outputs", "output_people"}
    assert "Ada-folder" not in json.dumps(rows)
    assert store.verify_audit() is None


@pytest.mark.sqlite_only
def test_backups_are_recorded_and_restore_keeps_later_entries(
    store: Store, group: Group, tmp_path: Path
) -> None:
    ada = store.enrol(group.id, "Ada")
    backup = store.backup(tmp_path / "b.sqlite3")
    later = _write(store, tmp_path / "later.pdf", OutputKind.SHEETS, group.id, ada.id)
    aside = store.restore(backup, tmp_path / "aside.sqlite3")
    entries = {o.path.name: o for o in store.outputs()}
    assert set(entries) == {"b.sqlite3", "later.pdf", "aside.sqlite3"}
    assert entries["b.sqlite3"].kind is OutputKind.BACKUP
    assert entries["later.pdf"].participant_ids == (ada.id,)
    assert entries["aside.sqlite3"].participant_ids == (ada.id,)
    assert later.exists() and aside.exists()


def test_erase_finds_files_an_earlier_version_wrote_without_a_ledger(
    data_dir: Path, store: Store, group: Group
) -> None:
    ada = store.enrol(group.id, "Ada")
    bo = store.enrol(group.id, "Bo")
    prints = data_dir / "prints" / f"group-{group.id}"
    prints.mkdir(parents=True)
    old = {
        name: prints / name
        for name in (
            f"week01-{ada.file_id}.pdf",
            "week01-packet.pdf",
            "report.pdf",
            f"week01-{bo.file_id}.pdf",
            "notes-by-hand.txt",
        )
    }
    for path in old.values():
        path.write_bytes(b"old")
    done = erase(Workspace(data_dir), store, ada.id)
    assert {p.name for p in done.deleted} == {
        f"week01-{ada.file_id}.pdf",
        "week01-packet.pdf",
        "report.pdf",
    }
    assert {p.name for p in done.reprintable} == {"week01-packet.pdf", "report.pdf"}
    assert old[f"week01-{bo.file_id}.pdf"].exists() and old["notes-by-hand.txt"].exists()


def test_erase_on_a_read_only_store_deletes_nothing(
    data_dir: Path, store: Store, group: Group, tmp_path: Path
) -> None:
    ada = store.enrol(group.id, "Ada")
    own = _write(store, tmp_path / "own.pdf", OutputKind.SHEETS, group.id, ada.id)
    store.checkpoint()
    with (
        open_store(data_dir, readonly=True) as readonly,
        pytest.raises(FacilitatorError, match="read-only"),
    ):
        erase(Workspace(data_dir), readonly, ada.id)
    assert own.exists()
    assert store.participant(ada.id).preferred_name == "Ada"
