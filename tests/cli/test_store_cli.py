"""The store's commands through the real entry point, on SQLite and on PostgreSQL: output,
errors (exit 2, one line)."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.builders import cli_group
from tests.helpers import Run, one_line_error, run_cli
from tests.store.store_helpers import HOSTILE

WEEKLY = ("--curriculum", "example", "--start", "2026-09-01", "--time", "18:30")
"""The arguments every test group shares (name and zone vary)."""


@pytest.fixture
def cli(engine: str) -> Callable[..., Run]:
    """The CLI on this test's engine (SQLite, then PostgreSQL: see tests/conftest.py)."""
    return run_cli


@pytest.fixture
def tue(cli: Callable[..., Run]) -> str:
    """A group "Tue" (Europe/Berlin, a facilitator, a room) with Ada and Bo, made through the
    CLI on this test's engine."""
    extra = ("--facilitator", "Sam F", "--facilitator-email", "sam@example.org")
    return cli_group(
        "Tue", people=["Ada", "Bo"], initial=True, extra=(*extra, "--location", "Room 2")
    )


def test_group_create_list_show_cancel(cli, tue):
    listed = cli("group", "list")
    assert "Tue" in listed.out and "example" in listed.out
    shown = cli("group", "show", "Tue").out
    assert "Weekly group" in shown and "Sam F <sam@example.org>" in shown
    assert "Members:        2" in shown and "sequence 0" in shown
    cancelled = cli("group", "cancel", "1")
    assert cancelled.code == 0 and "sequence 1" in cancelled.out
    assert "cancelled" in cli("group", "list").out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--start", "2026-02-30"], ["'2026-02-30' is not a date"]),
        (["--tz", "Mars/Base"], ["unknown time zone"]),
        (["--time", "25:00"], ["not a time"]),
        (["--curriculum", "nope"], ["no curriculum with id 'nope'"]),
        (["--time", "02:30", "--start", "2026-03-22", "--tz", "Europe/Berlin"], ["2026-03-29"]),
        (["--holidays", "ZZ"], ["no holiday calendar"]),
    ],
)
def test_group_create_bad_input(cli, args, words):
    base = {"--curriculum": "example", "--start": "2026-09-01", "--time": "18:30", "--tz": "UTC"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = cli("group", "create", "G", *[x for kv in base.items() for x in kv])
    one_line_error(result, *words)


def test_duplicate_group_name(cli, tue):
    one_line_error(
        cli(
            "group",
            "create",
            "Tue",
            *WEEKLY,
            "--tz",
            "UTC",
        ),
        "already exists",
    )


def test_unknown_group_everywhere(cli, tue):
    for args in (
        ["group", "show", "Nope"],
        ["schedule", "Nope"],
        ["roster", "list", "Nope"],
        ["attend", "Nope", "1"],
        ["attendance", "Nope"],
        ["note", "Nope", "1", "x"],
    ):
        one_line_error(cli(*args), "no group 'Nope'")


def test_schedule_shows_weeks_and_changes(cli, tue):
    out = cli("schedule", "Tue").out.splitlines()
    assert out[0].split() == ["WEEK", "DATE", "TIME", "STATUS", "SESSION"]
    assert out[1].split()[:5] == ["1", "2026-09-01", "Tue", "18:30", "CEST"]
    assert cli("schedule", "move", "Tue", "1", "--to", "2026-09-03 10:00").code == 0
    assert cli("schedule", "skip", "Tue", "2026-09-08").code == 0
    shown = cli("schedule", "show", "Tue").out
    assert "moved from 2026-09-01 18:30" in shown and "skipped" in shown
    assert "2026-09-15 Tue" in shown
    assert "sequence 2" in cli("group", "show", "Tue").out


def test_schedule_cancel_push_and_drop(cli, tue):
    assert "cancelled" in cli("schedule", "cancel", "Tue", "1").out
    assert "dropped" in cli("schedule", "cancel", "Tue", "2", "--drop").out
    shown = cli("schedule", "Tue").out
    assert "cancelled (session dropped)" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["schedule", "move", "Tue", "9", "--to", "2026-09-03 10:00"],
        ["schedule", "cancel", "Tue", "3"],
        ["attend", "Tue", "9"],
        ["note", "Tue", "9", "x"],
    ],
)
def test_week_out_of_range(cli, tue, args):
    one_line_error(cli(*args), "of 2")


def test_schedule_bad_dates(cli, tue):
    one_line_error(cli("schedule", "move", "Tue", "1", "--to", "tomorrow"), "not a date and time")
    one_line_error(cli("schedule", "skip", "Tue", "2026-09-02"), "not a meeting date")


def test_roster_add_list_leave(cli, tue):
    assert cli("roster", "add", "Tue", "Cy", "--large-print", "--joined", "2026-09-02").code == 0
    assert "large print" in cli("roster", "list", "Tue").out
    assert "left on 2026-09-05" in cli("roster", "leave", "Tue", "Ada", "--on", "2026-09-05").out
    assert "2026-09-05" in cli("roster", "list", "Tue").out
    one_line_error(cli("roster", "leave", "Tue", "Nobody", "--on", "2026-09-05"), "Nobody")


def test_ambiguous_participant_lists_ids(cli, tue):
    cli("roster", "add", "Tue", "Ada", "--initial", "M")
    one_line_error(
        cli("attend", "Tue", "1", "--absent", "Ada"), "ambiguous", "1 (Ada A.)", "3 (Ada M.)"
    )
    assert cli("attend", "Tue", "1", "--absent", "Ada M").code == 0


def test_attend_and_attendance(cli, tue, tmp_path):
    saved = cli("attend", "Tue", "1", "--late", "Ada")
    assert saved.out.strip() == "saved week 1: 1 present, 1 late"
    cli("attend", "Tue", "2", "--excused", "Bo", "--left-early", "Ada")
    matrix = cli("attendance", "Tue").out
    assert "Ada A.  L   LE" in matrix and "Bo B.   P   EX" in matrix
    cli("note", "Tue", "1", "CONFIDENTIAL")
    target = tmp_path / "out.csv"
    assert cli("attendance", "Tue", "--csv", str(target)).code == 0
    rows = list(csv.reader(target.read_text("utf-8-sig").splitlines()))
    assert rows[0][:4] == ["id", "participant", "week 1", "week 2"]
    assert rows[1][2:4] == ["late", "left-early"]
    assert "CONFIDENTIAL" not in target.read_text("utf-8-sig")
    assert (target.stat().st_mode & 0o777) == 0o600


def test_note_versions_and_guard(cli, tue):
    assert "version 1" in cli("note", "Tue", "1", "Good start").out
    assert "version 2" in cli("note", "Tue", "1", "Good start, quiet end").out
    guarded = cli("note", "Tue", "1", "--participant", "Ada", "Sat with Bo")
    assert guarded.code == 0 and "names another member (Bo B.)" in guarded.err


def test_erase_needs_confirmation(cli, tue, monkeypatch):
    one_line_error(cli("roster", "erase", "Tue", "Ada"), "--yes")
    from facilitator.cli import common

    monkeypatch.setattr(common, "interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("n\n"))
    refused = cli("roster", "erase", "Tue", "Ada")
    assert refused.code == 130 and "Ada A." in cli("roster", "list", "Tue").out
    erased = cli("roster", "erase", "Tue", "Ada", "--yes")
    assert erased.code == 0 and "Ada" not in cli("roster", "list", "Tue").out


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_printed_literally(cli, name):
    assert (
        cli(
            "group",
            "create",
            name,
            *WEEKLY,
            "--tz",
            "UTC",
            "--location",
            name,
        ).code
        == 0
    )
    assert cli("roster", "add", "1", name).code == 0
    cli("attend", "1", "1", "--absent", "1")
    outputs = [
        cli("group", "list"),
        cli("group", "show", "1"),
        cli("roster", "list", "1"),
        cli("attendance", "1"),
        cli("schedule", "1"),
    ]
    for result in outputs:
        assert result.code == 0
        assert "\x1b" not in result.out
    assert name in outputs[1].out and name in outputs[2].out and name in outputs[3].out


@pytest.mark.sqlite_only
def test_backup_and_restore(cli, tue, tmp_path, data_dir):
    backup = tmp_path / "b.sqlite3"
    assert cli("backup", str(backup)).code == 0
    assert (backup.stat().st_mode & 0o777) == 0o600
    cli("roster", "add", "Tue", "Cy")
    restored = cli("restore", str(backup))
    assert restored.code == 0 and "before-restore-" in restored.out
    assert "Cy" not in cli("roster", "list", "Tue").out
    aside = next(data_dir.glob("before-restore-*.sqlite3"))
    conn = sqlite3.connect(aside)
    assert ("Cy",) in conn.execute("SELECT preferred_name FROM participants").fetchall()
    conn.close()
    junk = tmp_path / "junk"
    junk.write_text("junk")
    one_line_error(cli("restore", str(junk)), "junk")


def test_demo_is_idempotent(cli):
    first = cli("demo")
    assert first.code == 0 and "Demo group" in first.out
    assert cli("demo", "--quiet").out == ""
    assert cli("group", "list").out.count("Demo group") == 1
    matrix = cli("attendance", "Demo group").out
    assert "Ξένια Π." in matrix and "美咲 T." in matrix and "AT RISK" in matrix
    assert "meeting" in cli("schedule", "Demo group").out


def test_demo_group_state(data_dir):
    from datetime import date

    from facilitator.content import load_library
    from facilitator.demo import create_demo
    from facilitator.store import open_store
    from facilitator.workspace import Workspace

    today = date(2026, 11, 22)
    with open_store(data_dir) as store:
        group = create_demo(
            store, load_library(Workspace(data_dir).content_roots()), today, "Europe/London"
        )
        assert group is not None
        people = store.participants(group.id)
        assert 8 <= len(people) <= 10
        held = store.held_weeks(group.id)
        assert held and all(store.schedule(group.id).meeting(w).start.date() < today for w in held)
        upcoming = [m for m in store.schedule(group.id).meetings if m.start.date() >= today]
        assert upcoming and (upcoming[0].start.date() - today).days < 7
        assert store.notes(group.id)


def test_schedule_cold_start_imports_no_textual(tue, data_dir):
    code = (
        "import sys, json\nfrom facilitator.cli import main\n"
        "try:\n    main(['schedule', 'Tue'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "FACILITATOR_DATA_DIR": str(data_dir)},
    ).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    for heavy in ("textual", "reportlab", "holidays", "icalendar"):
        assert heavy not in loaded, heavy


@pytest.mark.sqlite_only
def test_no_traceback_on_unusable_data_dir(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--data-dir", str(blocker / "sub"), "group", "list")
    one_line_error(result)


@pytest.mark.sqlite_only
def test_audit_command_shows_rows_and_verifies(cli, tue):
    result = cli("audit", "--limit", "5")
    assert result.code == 0 and "participants" in result.out
    assert "hash chain verified" in result.out
    assert "Ada" not in result.out  # names never enter the audit log
