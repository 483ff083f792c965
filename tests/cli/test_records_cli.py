"""Records that are right, through the real entry point: completion stays a forecast until the
last meeting, dropped weeks are not held, a roll can be cleared, contradictory or future rolls
are refused or asked about."""

from __future__ import annotations

import csv
import io

import pytest

from tests.builders import cli_group
from tests.cli.test_store_cli import one_line_error


@pytest.fixture
def tue() -> str:
    """A group "Tue" (Europe/Berlin) with Ada and Bo, made through the CLI."""
    return cli_group("Tue", people=["Ada", "Bo"], initial=True)


def test_completion_in_progress_and_dropped_weeks_not_held(cli, tmp_path):
    cli_group("Six", people=["Ada", "Bo"], curriculum="self-compassion-foundations", tz="UTC")
    for week in ("1", "2", "3"):
        assert cli("attend", "Six", week).code == 0
    assert cli("schedule", "cancel", "Six", "5", "--drop").code == 0
    matrix = cli("attendance", "Six").out
    assert "COMPLETION" in matrix and "on track" in matrix and "completed" not in matrix
    assert "meetings: 3 of 5 held; week 5 cancelled" in matrix
    tue = "Six"
    target = tmp_path / "att.csv"
    assert cli("attendance", tue, "--csv", str(target)).code == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert [r["completion"] for r in rows] == ["on track", "on track"]


def test_attend_clear_removes_the_roll(cli, tue):
    assert cli("attend", tue, "1", "--absent", "Ada").code == 0
    cleared = cli("attend", tue, "1", "--clear")
    assert cleared.code == 0 and "cleared week 1's roll (2 mark(s) removed)" in cleared.out
    assert "W1" not in cli("attendance", tue).out
    one_line_error(cli("attend", tue, "1", "--clear"), "week 1 has no roll to clear")
    one_line_error(cli("attend", tue, "2", "--clear", "--absent", "Ada"), "--clear")


def test_contradictory_flags_are_an_error(cli, tue):
    one_line_error(
        cli("attend", tue, "1", "--absent", "Ada", "--late", "Ada"),
        "Ada A. is given two marks",
        "--absent",
        "--late",
    )
    assert "W1" not in cli("attendance", tue).out  # nothing was saved
    # the same flag twice for one person is not a contradiction
    assert cli("attend", tue, "1", "--late", "Ada", "--late", "Ada").code == 0


def test_a_future_roll_needs_yes_or_a_confirmation(cli, monkeypatch):
    assert (
        cli(
            "group",
            "create",
            "Later",
            "--curriculum",
            "example",
            "--start",
            "2099-01-06",
            "--time",
            "18:30",
            "--tz",
            "UTC",
        ).code
        == 0
    )
    assert cli("roster", "add", "Later", "Ada").code == 0
    one_line_error(cli("attend", "Later", "1"), "2099-01-06", "in the future", "--yes")
    from facilitator.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert cli("attend", "Later", "1").code == 130
    assert "W1" not in cli("attendance", "Later").out
    assert cli("attend", "Later", "1", "--yes").code == 0
    assert "W1" in cli("attendance", "Later").out


def test_a_second_note_keeps_the_first_and_notes_shows_versions(cli):
    assert cli("demo", "--quiet").code == 0
    first = cli("note", "Demo group", "5", "First")
    assert first.code == 0 and "is kept" not in first.out
    second = cli("note", "Demo group", "5", "Second\nwith two lines")
    assert "version 1 is kept: facilitator notes 'Demo group' --week 5 --history" in second.out
    plain = cli("notes", "Demo group", "--week", "5").out
    assert "week 5 · group · version 2" in plain and "  with two lines" in plain
    assert "First" not in plain
    full = cli("notes", "Demo group", "--week", "5", "--history").out
    assert "earlier: version 1" in full and "    First" in full
    assert "no notes for week 6" in cli("notes", "Demo group", "--week", "6").out
    one_line_error(cli("notes", "Demo group", "--week", "9"), "week 9 of 8")


def test_roster_edit_changes_each_field_and_says_what_changed(cli, tue):
    edited = cli("roster", "edit", tue, "Ada", "--email", "ada@example.org", "--large-print")
    assert edited.code == 0
    assert "e-mail '' -> 'ada@example.org'; large print False -> True" in edited.out
    renamed = cli("roster", "edit", tue, "Ada", "--name", "Adaeze", "--initial", "N")
    assert "name 'Ada' -> 'Adaeze'; initial 'A' -> 'N'" in renamed.out
    listed = cli("roster", "list", tue).out
    assert "Adaeze N." in listed and "ada@example.org" in listed and "large print" in listed
    back = cli("roster", "edit", tue, "Adaeze", "--standard-print", "--email", "")
    assert (
        "large print True -> False" in back.out
        and "ada@example.org" not in cli("roster", "list", tue).out
    )
    one_line_error(cli("roster", "edit", tue, "Bo"), "nothing to change")
    one_line_error(cli("roster", "edit", tue, "Bo", "--email", "bo at home"), "--email")
    one_line_error(cli("roster", "edit", tue, "Bo", "--name", "\u200b"), "preferred name")
    one_line_error(cli("roster", "edit", tue, "Nobody", "--initial", "X"), "Nobody")


def test_roster_add_warns_that_a_full_name_prints_in_full(cli, tue):
    added = cli("roster", "add", tue, "Дарья Петрова")
    assert added.code == 0
    assert "--name 'Дарья' --initial 'П'" in added.err
    person = added.out.split("(id ")[1].split(")")[0]
    assert cli("roster", "edit", tue, person, "--name", "Дарья", "--initial", "П").code == 0
    assert "Дарья П." in cli("roster", "list", tue).out
    quiet = cli("roster", "add", tue, "Siobhan", "--initial", "O")
    assert quiet.err == ""


def test_audit_summarises_runner_saves(cli, tue, data_dir):
    from datetime import UTC, datetime

    from facilitator.store import open_store

    with open_store(data_dir) as store:
        gid = store.find_group(tue).id
        for n in range(30):
            store.save_run(gid, 1, {"items": [], "n": n}, saved_at=datetime.now(UTC))
    summary = cli("audit", tue).out
    assert summary.count("meeting_runs") == 2  # the insert, then one row for the 29 updates
    assert "update x29" in summary and "29 live-runner saves" in summary
    every = cli("audit", tue, "--every-save", "--limit", "100").out
    assert every.count("meeting_runs") == 30
