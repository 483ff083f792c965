"""Erase reaches every file the tool wrote about a person, wherever --out put it (issue 13):
prints of every kind, calendar files, CSV exports, the sent-mail record and the database;
backups are the one exception, and erase names them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from facilitator.model.outputs import SHARED_KINDS, OutputKind
from facilitator.store import open_store
from tests.audit.helpers import files_naming
from tests.builders import group_args
from tests.helpers import run_cli

GROUP = "Erase group"
GONE, GONE_INITIAL = "Canaryerased", "Ž"
GONE_MAIL = "canary.erased@example.org"
KEPT = "Canarystays"
WORDS = [GONE, GONE_MAIL, f"{GONE} {GONE_INITIAL}."]


class _Accept:
    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        return "250 Message accepted"


@pytest.fixture
def smtp_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    controller = Controller(_Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def run(data: Path, *args: str | Path) -> str:
    result = run_cli("--data-dir", data, *args)
    assert result.code == 0, (args, result)
    return result.out


def test_erase_leaves_the_name_in_no_file_the_tool_wrote(
    data_dir: Path, tmp_path: Path, smtp_port: int
) -> None:
    elsewhere = tmp_path / "usb-stick" / "prints"
    calendar = tmp_path / "calendar-files"
    sheet = tmp_path / "spreadsheets" / "attendance.csv"
    backup = tmp_path / "backups" / "before-erase.sqlite3"
    data_dir.mkdir(parents=True)
    sheet.parent.mkdir()  # attendance --csv never creates folders (a typo must not make one)
    (data_dir / "settings.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nstarttls = false\n'
        'sender = "sam@example.org"\n',
        encoding="utf-8",
    )
    run(data_dir, *group_args(GROUP), "--facilitator", "Sam F", "--facilitator-email", "sam@x.org")
    run(data_dir, "roster", "add", GROUP, GONE, "--initial", GONE_INITIAL, "--email", GONE_MAIL)
    run(data_dir, "roster", "add", GROUP, KEPT, "--initial", "K", "--email", "kept@example.org")
    run(data_dir, "attend", GROUP, "1", "--absent", GONE)
    run(data_dir, "note", GROUP, "1", "missed the first meeting", "--participant", GONE)
    run(data_dir, "print", GROUP, "--week", "1", "-q")  # guide and packet, in the data folder
    run(data_dir, "print", GROUP, "--week", "2", "--per-participant", "-q", "--out", elsewhere)
    run(data_dir, "print", GROUP, "--makeup", "1", "-q", "--out", elsewhere)
    run(data_dir, "print", GROUP, "--workbook", "-q")
    run(data_dir, "print", GROUP, "--workbook", "--per-participant", "-q", "--out", elsewhere)
    run(data_dir, "print", GROUP, "--course", "-q", "--out", elsewhere / "course")
    run(data_dir, "print", GROUP, "--report", "-q")
    run(data_dir, "print-handout", "example-check-in", "-q")  # blank: names nobody
    run(data_dir, "invites", GROUP, "--out", calendar)
    run(data_dir, "invites", "send", GROUP)  # the sent-mail record in the data folder
    run(data_dir, "attendance", GROUP, "--csv", sheet)
    backup.parent.mkdir()
    run(data_dir, "backup", backup)

    roots = [data_dir, elsewhere, calendar, sheet.parent]
    before = files_naming(roots, WORDS, besides={backup})
    # the search finds the name in every kind of output (PDF text, folded .ics lines, CSV, db)
    for marker in ("week01-packet.pdf", "workbook.pdf", "report.pdf", "sign-in.pdf", ".ics"):
        assert any(marker in hit for hit in before), marker
    assert any("attendance.csv" in hit for hit in before)
    assert any("facilitator.sqlite3" in hit for hit in before)
    with open_store(data_dir, readonly=True) as store:
        gone = store.find_participant(store.find_group(GROUP).id, GONE)
        own = store.outputs(participant_id=gone.id)
    assert {o.kind for o in own} >= {
        OutputKind.GUIDE,
        OutputKind.PACKET,
        OutputKind.SHEETS,
        OutputKind.MAKEUP,
        OutputKind.WORKBOOK,
        OutputKind.SIGN_IN,
        OutputKind.REPORT,
        OutputKind.INVITE,
        OutputKind.CSV,
        OutputKind.BACKUP,
    }
    handout = data_dir / "prints" / "handouts" / "handout-example-check-in.pdf"

    out = run(data_dir, "roster", "erase", GROUP, GONE, "--yes")

    assert files_naming(roots, WORDS, besides={backup}) == []
    wal = data_dir / "facilitator.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    for path in (o.path for o in own if o.kind is not OutputKind.BACKUP):
        assert not path.exists(), path
        assert str(path) in out  # each deleted file is named
    assert "week01-packet.pdf  (lists the group: print or export it again)" in out
    assert f"backups made earlier still hold the name: {backup.resolve()}" in out
    assert backup.exists() and files_naming([backup.parent], [GONE])  # never touched
    assert handout.exists()  # a blank handout named nobody: it stays
    assert (data_dir / "sent-invites.json").exists()
    with open_store(data_dir, readonly=True) as store:
        assert [p.preferred_name for p in store.participants(1)] == [KEPT]
        left = store.outputs()
        # what stays: the blank handout, files of other people, the facilitators' and public
        # calendars, the backup; nothing that lists the whole group
        assert not {o.kind for o in left} & SHARED_KINDS
        assert all(o.path.exists() for o in left)
        kept = store.find_participant(1, KEPT).id
        assert all(o.participant_ids in ((), (kept,)) for o in left if o.kind != "backup")
        assert store.verify_audit() is None
    # the group's printouts can be made again, without the person
    run(data_dir, "print", GROUP, "--week", "1", "-q")
    assert files_naming(roots, WORDS, besides={backup}) == []
    assert files_naming([data_dir], [KEPT])


def test_a_file_on_a_drive_that_is_not_connected_is_named_not_forgotten(
    data_dir: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    run(data_dir, *group_args(GROUP))
    run(data_dir, "roster", "add", GROUP, GONE)
    run(data_dir, "print", GROUP, "--week", "1", "--per-participant", "-q", "--out", stick)
    with open_store(data_dir, readonly=True) as store:
        opaque = store.find_participant(1, GONE).file_id
    stick.rename(tmp_path / "unplugged")  # the folder is not there when erase runs
    out = run(data_dir, "roster", "erase", GROUP, GONE, "--yes")
    assert "could not delete 2 file(s); delete them by hand:" in out
    assert f"{stick.resolve()}/week01-{opaque}.pdf: its folder is not there" in out
    with open_store(data_dir, readonly=True) as store:  # still listed for a later erase
        assert {o.path.name for o in store.outputs()} == {
            "week01-guide.pdf",
            f"week01-{opaque}.pdf",
        }
