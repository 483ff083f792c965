"""facilitator.actions: printing, invitations, exports, the data folder and the demo, on a real
SQLite store, with the files really written and read back (pypdf, icalendar, csv, a loopback
SMTP server)."""

from __future__ import annotations

import csv
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
from pypdf import PdfReader

from facilitator import locations
from facilitator.actions import data, demo, exports, invites, printing, roster
from facilitator.errors import FacilitatorError
from facilitator.model.group import AttendanceStatus
from facilitator.model.outputs import OutputKind
from facilitator.store import open_store
from facilitator.workspace import Workspace
from tests.unit.actions_world import World, world

STAMP = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)


@pytest.fixture
def w(data_dir: Path) -> Iterator[World]:
    yield from world(data_dir)


def _people(w: World) -> tuple[int, int]:
    ada = roster.enrol(w.store, w.group.id, "Adaquill", initial="R", email="ada@example.org")
    bex = roster.enrol(w.store, w.group.id, "Bexworth", initial="T", email="bex@example.org")
    return ada.person.id, bex.person.id


def _size(path: Path) -> tuple[float, float]:
    box = PdfReader(path).pages[0].mediabox
    return round(float(box.width), 1), round(float(box.height), 1)


def test_a_week_is_planned_then_written_into_the_groups_print_folder(w: World) -> None:
    ada, _ = _people(w)
    run = printing.plan(w.ws, w.store, w.group.id, printing.What.WEEK, week=1)
    assert run.folder == locations.prints_dir(w.data, w.group.id)
    assert run.count == len(run.jobs) > 0 and run.nothing_because == ""
    seen: list[tuple[int, int, str]] = []
    paths = printing.write(w.store, run, progress=lambda *step: seen.append(step))
    assert [p.parent for p in paths] == [run.folder] * run.count
    assert [s[0] for s in seen] == list(range(1, run.count + 1))
    text = "".join(
        page.extract_text() for p in paths if p.suffix == ".pdf" for page in PdfReader(p).pages
    )
    assert "Adaquill" in text
    recorded = {o.path for o in w.store.outputs(participant_id=ada)}
    assert recorded and recorded <= set(paths)


def test_the_settings_choose_the_paper_and_what_is_asked_overrides_them(w: World) -> None:
    _people(w)
    locations.settings_file(w.data).write_text('paper = "a4"\n', encoding="utf-8")
    w.ws.__dict__.pop("settings", None)
    a4 = printing.plan(w.ws, w.store, w.group.id, printing.What.WORKBOOK)
    assert _size(printing.write(w.store, a4)[0]) == A4
    asked = printing.Paper(paper="letter", large_print=True)
    out = w.data.parent / "elsewhere"
    letter = printing.plan(w.ws, w.store, w.group.id, printing.What.WORKBOOK, paper=asked, out=out)
    written = printing.write(w.store, letter)
    assert all(p.parent == out for p in written)
    assert _size(written[0]) == LETTER
    options = printing.print_options(w.ws.settings, asked)
    assert options.large_print and options.paper == "letter"


def test_makeup_packs_name_who_missed_and_say_why_when_nobody_did(w: World) -> None:
    from facilitator.actions import attendance

    ada, _ = _people(w)
    attendance.take_roll(w.store, w.group.id, 1)
    nobody = printing.plan(w.ws, w.store, w.group.id, printing.What.MAKEUP, week=1)
    assert nobody.jobs == () and nobody.nothing_because == "nobody missed that meeting"
    attendance.take_roll(w.store, w.group.id, 1, {ada: AttendanceStatus.ABSENT})
    run = printing.plan(w.ws, w.store, w.group.id, printing.What.MAKEUP, week=1)
    assert run.makeup_names == ("Adaquill R.",)
    assert all(p.is_file() for p in printing.write(w.store, run))


def test_bad_requests_are_one_line_errors(w: World) -> None:
    with pytest.raises(FacilitatorError, match="needs a week"):
        printing.plan(w.ws, w.store, w.group.id, printing.What.WEEK)
    with pytest.raises(FacilitatorError, match="notes go with the report"):
        printing.plan(w.ws, w.store, w.group.id, printing.What.COURSE, with_notes=True)
    with pytest.raises(FacilitatorError, match="a week or the workbook"):
        printing.plan(w.ws, w.store, w.group.id, printing.What.REPORT, accessible=True)


def test_a_read_only_store_prints_nothing(w: World) -> None:
    _people(w)
    run = printing.plan(w.ws, w.store, w.group.id, printing.What.REPORT)
    with (
        open_store(w.data, readonly=True) as readonly,
        pytest.raises(FacilitatorError, match="read-only"),
    ):
        printing.write(readonly, run)
    assert not run.folder.exists()


def test_one_blank_handout_goes_to_the_handouts_folder(w: World) -> None:
    run = printing.plan_handout(w.ws, "inner-critic-log")
    assert run.folder == locations.handout_prints_dir(w.data)
    (path,) = printing.write(w.store, run)
    assert path.parent == run.folder and len(PdfReader(path).pages) >= 1


def test_invites_are_written_one_per_person_and_recorded(w: World) -> None:
    ada, bex = _people(w)
    done = invites.write(w.ws, w.store, w.group.id, stamp=STAMP)
    assert done.folder == locations.invites_dir(w.data, w.group.id)
    assert all(p.parent == done.folder for p in done.paths)
    assert {f.kind for f in done.files} >= {"participant", "facilitators", "public"}
    mine = [f for f in done.files if ("Adaquill R.", "ada@example.org") in f.recipients]
    assert len(mine) == 1 and mine[0].method == "REQUEST"
    for path in done.paths:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert len(list(calendar.walk("VEVENT"))) >= 1
    assert {o.path for o in w.store.outputs(participant_id=ada)} == {done.folder / mine[0].filename}
    assert w.store.outputs(participant_id=bex)
    assert all(o.kind is OutputKind.INVITE for o in w.store.outputs(participant_id=bex))


class _Recorder:
    def __init__(self) -> None:
        self.rcpt: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.rcpt += envelope.rcpt_tos
        return "250 Message accepted"


@pytest.fixture
def smtp_port() -> Iterator[tuple[_Recorder, int]]:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    recorder = _Recorder()
    controller = controller_module.Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def test_sending_is_planned_sent_once_and_skipped_when_unchanged(
    w: World, smtp_port: tuple[_Recorder, int]
) -> None:
    recorder, port = smtp_port
    _people(w)
    with pytest.raises(FacilitatorError, match="no mail server set"):
        invites.server(w.ws)
    locations.settings_file(w.data).write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "groups@example.org"\n',
        encoding="utf-8",
    )
    w.ws.__dict__.pop("settings", None)
    assert invites.server(w.ws).port == port
    assert invites.password(w.ws, ask=None) is None  # no user: no password
    plan = invites.plan_send(w.ws, w.store, w.group.id, stamp=STAMP)
    assert plan.to_send == len([d for d in plan.deliveries if d.send]) >= 2
    heard: list[invites.Outcome] = []
    sent = invites.send(w.ws, plan, password=None, stamp=STAMP, progress=heard.append)
    assert (sent.sent, sent.failed) == (plan.to_send, 0)
    assert {"ada@example.org", "bex@example.org"} <= set(recorder.rcpt)
    assert len(heard) == len(plan.deliveries)
    assert locations.sent_ledger(w.data).is_file()
    again = invites.plan_send(w.ws, w.store, w.group.id, stamp=STAMP)
    assert again.to_send == 0 and {d.why for d in again.deliveries} == {"unchanged"}


def test_the_password_comes_from_the_environment_or_is_asked(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    locations.settings_file(w.data).write_text(
        '[smtp]\nhost = "mail.example.org"\nuser = "fac"\n', encoding="utf-8"
    )
    w.ws.__dict__.pop("settings", None)
    monkeypatch.delenv("FACILITATOR_SMTP_PASSWORD", raising=False)
    with pytest.raises(FacilitatorError, match="no SMTP password"):
        invites.password(w.ws, ask=None)
    assert invites.password(w.ws, ask=lambda user: f"typed for {user}") == "typed for fac"
    monkeypatch.setenv("FACILITATOR_SMTP_PASSWORD", "from-env")
    assert invites.password(w.ws, ask=None) == "from-env"


def test_the_attendance_csv_goes_to_exports_or_where_asked(w: World, tmp_path: Path) -> None:
    from facilitator.actions import attendance

    ada, _ = _people(w)
    attendance.take_roll(w.store, w.group.id, 1, {ada: AttendanceStatus.ABSENT})
    path = exports.attendance_csv(w.ws, w.store, w.group.id)
    assert path == locations.attendance_csv(w.data, w.group.id)
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert any("Adaquill R." in row for row in rows)
    with pytest.raises(FacilitatorError, match="no such folder"):
        exports.attendance_csv(w.ws, w.store, w.group.id, tmp_path / "typo" / "a.csv")
    with pytest.raises(FacilitatorError, match="not a regular file"):
        exports.attendance_csv(w.ws, w.store, w.group.id, tmp_path)
    assert exports.attendance_csv(w.ws, w.store, w.group.id, tmp_path / "a.csv").is_file()


def test_backup_restore_and_the_audit_log(w: World, tmp_path: Path) -> None:
    from facilitator.actions import meetings

    copy = data.backup(w.store, tmp_path / "copy.sqlite3")
    assert copy.is_file()
    roster.enrol(w.store, w.group.id, "Afterbackup")
    aside = data.restore(w.ws, w.store, copy, datetime(2026, 5, 6, 7, 8, 9))
    assert aside == locations.restore_aside(w.data, datetime(2026, 5, 6, 7, 8, 9))
    assert aside.is_file()
    with open_store(w.data) as store:
        assert roster.listing(store, w.group.id) == []
        plan = w.ws.library.plan(store.session_weeks(w.group.id)[0][0])
        from facilitator.agenda import AgendaRun

        run = AgendaRun.for_plan(plan.agenda).toggle(0.0)
        for step in range(3):
            run = run.advance(float(step + 1))
            meetings.save(store, w.group.id, 1, run, monotonic=float(step + 1), now=STAMP)
        folded = data.audit_rows(store, 5, group_id=w.group.id)
        every = data.audit_rows(store, 50, group_id=w.group.id, every_save=True)
        runs = [r for r in folded if r["tbl"] == "meeting_runs"]
        assert runs and runs[0]["action"].startswith("update x")
        assert sum(r["tbl"] == "meeting_runs" for r in every) > len(runs)
        assert data.audit_check(store).intact


def test_opening_falls_back_to_read_only_only_where_it_must(w: World) -> None:
    opened = data.open_data(w.ws)
    try:
        assert not opened.store.readonly and opened.readonly_reason == ""
    finally:
        opened.store.close()
    assert not data.encrypted(w.ws)
    locations.database(w.data).write_bytes(b"\x00" * 4096)  # not SQLite: looks encrypted
    assert data.encrypted(w.ws)


def test_a_damaged_database_is_an_error_for_both_front_ends(tmp_path: Path) -> None:
    ws = Workspace.from_options(tmp_path / "data")
    ws.data_dir.mkdir()
    locations.database(ws.data_dir).write_bytes(b"SQLite format 3\x00" + b"\x07" * 4080)
    with pytest.raises(FacilitatorError):
        data.open_data(ws)  # the CLI: a damaged file is an error, not a silent read-only
    with pytest.raises(FacilitatorError):
        data.open_data(ws, lenient=True)  # read-only fails the same way: said, not hidden


def test_a_read_only_mount_opens_read_only_and_every_change_says_so(data_dir: Path) -> None:
    from tests.audit.mounts import read_only

    made = world(data_dir)
    w = next(made)
    _people(w)
    gid = w.group.id
    made.close()  # the store is closed: the folder is now only read
    with read_only(data_dir):
        for lenient in (False, True):
            opened = data.open_data(w.ws, lenient=lenient)
            try:
                assert opened.store.readonly
                assert opened.readonly_reason.startswith("Read-only:")
                assert len(roster.listing(opened.store, gid)) == 2  # reading works
                with pytest.raises(FacilitatorError, match="read-only"):
                    roster.enrol(opened.store, gid, "Refused")
                run = printing.plan(w.ws, opened.store, gid, printing.What.REPORT)
                with pytest.raises(FacilitatorError, match="read-only"):
                    printing.write(opened.store, run)
            finally:
                opened.store.close()


def test_the_demo_is_made_once(data_dir: Path) -> None:
    ws = Workspace.from_options(data_dir)
    with open_store(data_dir) as store:
        made = demo.create(ws, store, datetime(2026, 3, 20).date())
        assert made is not None and roster.listing(store, made.id)
        assert demo.create(ws, store, datetime(2026, 3, 20).date()) is None
