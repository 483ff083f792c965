"""Non-regular files, edge values and quiet data hazards: each a clear line and exit 2, never a
hang, a traceback or a silent wrong result (issue 16, classes 4, 6 and 7)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import cli_group, group_args
from tests.helpers import one_line_error, run_process
from tests.unit.test_loader_hostile import GOOD_PLAN

WEEKLY = ("--curriculum", "example", "--start", "2026-09-01", "--time", "18:30", "--tz", "UTC")
SAFETY_NET_S = 60
"""Subprocess timeout: only so that a regression fails instead of hanging the suite."""


@pytest.fixture
def group() -> str:
    """A group "G" (UTC) with Ada on its roster, made through the CLI."""
    return cli_group("G", people=["Ada"], tz="UTC")


# -- 4. non-regular files ----------------------------------------------------------------------


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _zero(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def test_fifo_and_device_named_like_content_are_problems_and_curricula_still_works(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    _fifo(folder / "x.session.yaml")
    _zero(folder / "zero.handout.yaml")
    _fifo(folder / "c.curriculum.yaml")
    checked = run_process("validate", str(folder), timeout=SAFETY_NET_S)
    assert checked.code == 1, checked
    lines = checked.out.splitlines()
    assert len(lines) == 3, checked.out
    assert f"{folder / 'x.session.yaml'}: file is a FIFO (named pipe), not a regular file" in lines
    assert (
        f"{folder / 'c.curriculum.yaml'}: file is a FIFO (named pipe), not a regular file" in lines
    )
    assert (
        f"{folder / 'zero.handout.yaml'}: file is a character device, not a regular file" in lines
    )
    listed = run_process("--content", str(folder), "curricula", timeout=SAFETY_NET_S)
    assert listed.code == 0 and "example" in listed.out
    assert "3 content problem(s)" in listed.err
    shown = run_process("--content", str(folder), "show", "example", timeout=SAFETY_NET_S)
    assert shown.code == 0 and "Week 1" in shown.out


def test_a_content_file_bigger_than_it_says_is_read_only_up_to_the_bound(tmp_path: Path) -> None:
    """A link to /dev/zero reports size 0; reading it whole would never end. /dev/urandom too."""
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "rand.session.yaml").symlink_to("/dev/urandom")
    checked = run_process("validate", str(folder), timeout=SAFETY_NET_S)
    assert checked.code == 1
    assert "rand.session.yaml: file is a character device, not a regular file" in checked.out


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_fifo, "is a FIFO (named pipe), not a regular file"),
        (_zero, "is a character device, not a regular file"),
        (lambda p: p.mkdir(), "is a folder, not a regular file"),
        (lambda p: p.symlink_to(p.name), "cannot read: Too many levels of symbolic links"),
        (lambda p: p.write_text("a = " + "[" * 5000 + "]" * 5000), "nested too deeply"),
        (lambda p: p.write_text("[smtp]\nhost = 5\n"), "smtp.host: must be text in quotes, not 5"),
        (lambda p: p.write_text("smtp = 5\n"), "smtp: must be a table of keys"),
        (lambda p: p.write_text("[smtp]\nport = 0\n"), "smtp.port: must be 1 to 65535"),
        (lambda p: p.write_text("[smtp]\nstarttls = 'yes'\n"), "smtp.starttls: must be true or"),
        (lambda p: p.write_text("[[support_lines]]\nname = 1\ncontact = 'x'\n"), "name: must"),
        (lambda p: p.write_text("[[support_lines]]\nname = 'x'\n"), "needs contact"),
        (lambda p: p.write_text("support_lines = 'x'\n"), "must be a list of tables"),
        (lambda p: p.write_bytes(b"x" * 1_000_001), "settings files may be at most"),
    ],
    ids=[
        "fifo",
        "dev-zero",
        "folder",
        "symlink-loop",
        "deep",
        "smtp-host-int",
        "smtp-not-table",
        "smtp-port",
        "starttls",
        "line-name",
        "line-missing",
        "lines-not-list",
        "huge",
    ],
)
def test_bad_settings_file_is_one_line_naming_it(data_dir: Path, make, words: str) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "settings.toml"
    make(path)
    result = run_process("print-handout", "shame-map", "--out", str(data_dir), timeout=SAFETY_NET_S)
    one_line_error(result, str(path), words)


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_fifo, "is a FIFO (named pipe), not a regular file"),
        (_zero, "is a character device, not a regular file"),
        (lambda p: p.mkdir(), "is a folder, not a regular file"),
    ],
    ids=["fifo", "dev-zero", "folder"],
)
def test_database_path_that_is_not_a_regular_file_is_refused(
    data_dir: Path, suffix: str, make, words: str
) -> None:
    if suffix:  # a real database whose side file is the odd one
        assert run_process("group", "list").code == 0
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"facilitator.sqlite3{suffix}"
    path.unlink(missing_ok=True)
    make(path)
    result = run_process("group", "list", timeout=SAFETY_NET_S)
    one_line_error(result, str(path), words)


# -- 6. edge values ----------------------------------------------------------------------------

BIG = str(2**63)
HUGE = "9" * 30


@pytest.mark.parametrize(
    "args",
    [
        ["group", "show", BIG],
        ["group", "show", HUGE],
        ["group", "show", "²"],
        ["roster", "list", "١٢"],
        ["attend", "G", "1", "--absent", BIG],
        ["attend", "G", "1", "--absent", "³"],
        ["attend", "G", BIG],
        ["note", "G", HUGE, "text"],
        ["schedule", "move", "G", BIG, "--to", "2026-09-20 18:30"],
        ["schedule", "cancel", "G", HUGE],
        ["audit", "--limit", BIG],
        ["audit", HUGE],
        ["print", "G", "--week", BIG],
        ["print", "G", "--makeup", HUGE],
        ["show", "example", "--week", BIG],
        ["invites", "G", "--cancel", BIG, "--out", "x"],
        ["group", "create", "H", *WEEKLY, "--capacity", BIG],
        ["group", "create", "H", *WEEKLY[:-2], "--tz", "UTC", "--minutes", HUGE],
    ],
)
def test_numbers_past_64_bits_are_usage_errors(cli, group, args: list[str]) -> None:
    one_line_error(cli(*args))


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--start", "0001-01-01", "the year must be 1970 to 2199"),
        ("--start", "9999-12-25", "the year must be 1970 to 2199"),
        ("--start", "20260901", "is not a date (YYYY-MM-DD)"),
        ("--start", "2026-W36-2", "is not a date (YYYY-MM-DD)"),
        ("--skip", "9999-12-31", "the year must be"),
        ("--time", "18:30:59.123456+05:00", "is not a time (HH:MM)"),
        ("--time", "18:30+05:00", "is not a time (HH:MM)"),
        ("--time", "18:30:00", "is not a time (HH:MM)"),
        ("--time", "24:00", "is not a time (HH:MM)"),
    ],
)
def test_dates_and_times_are_strict(cli, option: str, value: str, words: str) -> None:
    args = {"--start": "2026-09-01", "--time": "18:30", option: value}
    extra = ["--skip", value] if option == "--skip" else []
    result = cli(
        "group", "create", "H", "--curriculum", "example", "--tz", "UTC",
        "--start", args["--start"], "--time", args["--time"], *extra,
    )  # fmt: skip
    one_line_error(result, words)
    assert "H" not in cli("group", "list").out


@pytest.mark.parametrize("when", ["1970-01-01", "2199-12-20"])
def test_the_first_and_last_accepted_years_can_be_invited_and_printed(
    cli, when: str, tmp_path: Path
) -> None:
    facilitator = ("--facilitator-email", "sam@example.org", "--facilitator", "Sam")
    edge = group_args("Edge", start=when, at="23:30", tz="Pacific/Kiritimati", extra=facilitator)
    created = cli(*edge)
    assert created.code == 0, created.err
    assert cli("roster", "add", "Edge", "Ada", "--email", "ada@example.org").code == 0
    invited = cli("invites", "Edge", "--out", str(tmp_path / "ics"))
    assert invited.code == 0, invited.err
    assert len(list((tmp_path / "ics").glob("*.ics"))) == 3
    printed = cli("print", "Edge", "--week", "2", "--out", str(tmp_path / "pdf"), "-q")
    assert printed.code == 0, printed.err


def test_print_out_onto_a_file_or_below_one_is_one_line(cli, group, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    one_line_error(cli("print", "G", "--week", "1", "--out", str(afile)), "is a file")
    one_line_error(cli("print", "G", "--week", "1", "--out", str(afile / "sub")), str(afile))
    one_line_error(cli("print-handout", "shame-map", "--out", str(afile / "sub")), str(afile))
    assert afile.read_text() == "x"


def test_print_into_a_read_only_folder_is_one_line(cli, group, tmp_path: Path) -> None:
    from tests.audit.mounts import read_only  # a real read-only mount: chmod binds not root

    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder):
        for args in (
            ["print", "G", "--week", "1", "--out", str(folder), "-q"],
            ["print-handout", "shame-map", "--out", str(folder / "sub")],
            ["invites", "G", "--publish", "--out", str(folder)],
            ["attendance", "G", "--csv", str(folder / "a.csv")],
            ["backup", str(folder / "b.sqlite3")],
        ):
            one_line_error(cli(*args), str(folder), "ead-only file system")
    assert not list(folder.iterdir())


def _with_stdout(stdout: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=SAFETY_NET_S,
    )


def test_output_to_a_full_device_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        done = _with_stdout(full.fileno(), "show", "sexual-self-compassion")
    assert done.returncode == 2, done.stderr
    assert done.stderr == "facilitator: error: cannot write the output: No space left on device\n"


def test_a_closed_pipe_exits_0_quietly() -> None:
    """As `facilitator show ... | head -1` once the reader has gone: nothing on stderr."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: EPIPE every time
    try:
        done = _with_stdout(write_end, "show", "sexual-self-compassion")
    finally:
        os.close(write_end)
    assert done.returncode == 0
    assert done.stderr == ""


def test_a_reader_that_stops_early_gives_exit_0() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", "show", "sexual-self-compassion"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=SAFETY_NET_S) == 0
    assert err == b""


# -- 7. quiet data hazards ---------------------------------------------------------------------


def test_backup_onto_the_live_database_is_refused(cli, group, data_dir: Path, tmp_path) -> None:
    live = data_dir / "facilitator.sqlite3"
    link = tmp_path / "link.sqlite3"
    link.symlink_to(live)
    hard = tmp_path / "hard.sqlite3"
    os.link(live, hard)
    dotted = data_dir / "nosuch" / ".." / "facilitator.sqlite3"
    for target in (live, link, hard, data_dir / "facilitator.sqlite3-wal", dotted):
        one_line_error(cli("backup", str(target)), "the live database itself")
    assert "G" in cli("group", "list").out
    conn = sqlite3.connect(live)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_an_empty_or_foreign_file_is_not_a_new_or_encrypted_database(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / "facilitator.sqlite3"
    path.write_bytes(b"")
    one_line_error(run_process("group", "list"), str(path), "is empty (0 bytes)")
    assert path.read_bytes() == b""
    for foreign in (b"Dear diary, " * 100, b"%PDF-1.7\n" + b"\x00" * 4087, b"x" * 4096):
        path.write_bytes(foreign)
        one_line_error(run_process("group", "list"), str(path), "is not a facilitator database")
        assert path.read_bytes() == foreign


def test_a_new_database_is_never_an_empty_file(data_dir: Path) -> None:
    assert run_process("group", "list").code == 0
    path = data_dir / "facilitator.sqlite3"
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert sorted(p.name for p in data_dir.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "facilitator.sqlite3"
    ]


def test_a_damaged_live_database_is_named_not_the_backup_target(
    cli, group, data_dir: Path, tmp_path: Path
) -> None:
    for n in range(40):  # enough rows that the roster has a page of its own
        assert cli("roster", "add", "G", f"Person {n}").code == 0
    live = data_dir / "facilitator.sqlite3"
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'participants'"
    ).fetchone()
    conn.close()
    with live.open("r+b") as handle:  # scribble over the roster's page: opening still works
        handle.seek((root - 1) * page + 8)
        handle.write(b"\xff" * 200)
    target = tmp_path / "copy.sqlite3"
    result = run_process("backup", str(target))
    line = one_line_error(result, str(live), "damaged")
    assert str(target) not in line
    assert not target.exists()


def _bad_curriculum(folder: Path) -> None:
    folder.mkdir()
    plan = GOOD_PLAN.replace("minutes: 20", "minutes: 25")  # the agenda adds up to 20
    (folder / "a.session.yaml").write_text(plan)
    (folder / "c.curriculum.yaml").write_text(
        "id: c\ntitle: C\naudience: a\ndescription: d\nmeeting_minutes: 25\n"
        "weeks:\n  - number: 1\n    session: plan-a\n"
    )


def test_group_create_refuses_a_curriculum_with_problems(cli, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    _bad_curriculum(folder)
    problems = cli("validate", str(folder))
    assert problems.code == 1
    first = problems.out.splitlines()[0]
    result = cli(
        "--content", str(folder), "group", "create", "G", "--curriculum", "c",
        "--start", "2026-09-01", "--time", "18:30", "--tz", "UTC",
    )  # fmt: skip
    one_line_error(result, "curriculum 'c' has", first)
    assert "G" not in cli("group", "list").out


def test_an_unreadable_content_folder_is_a_problem(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "content"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "a.session.yaml").write_text(GOOD_PLAN)
    if os.geteuid() == 0:  # root reads any folder: make the listing fail as it would for a user
        real = os.scandir

        def scandir(path=None):  # type: ignore[no-untyped-def]
            if Path(path).name == "locked":
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        (folder / "locked").chmod(0)
    try:
        result = cli("validate", str(folder))
    finally:
        (folder / "locked").chmod(0o700)
    assert result.code == 1, result
    assert f"{folder / 'locked'}: cannot read this folder: Permission denied" in result.out
    assert "No problems" not in result.out


def test_attendance_csv_creates_no_folders(cli, group, tmp_path: Path) -> None:
    target = tmp_path / "typo" / "deeper" / "a.csv"
    one_line_error(cli("attendance", "G", "--csv", str(target)), str(target.parent), "no such")
    assert not (tmp_path / "typo").exists()
    assert cli("attendance", "G", "--csv", str(tmp_path / "a.csv")).code == 0


def test_the_app_without_a_terminal_says_so_and_exits_2() -> None:
    one_line_error(run_process(timeout=SAFETY_NET_S), "needs a terminal")


def test_a_shared_or_foreign_folder_is_never_locked(cli, group, tmp_path: Path) -> None:
    """`--out ~` or `--out /tmp` must not make the folder 0700 (others lose access to it);
    the files written there are 0600 all the same. An empty folder is still tightened."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    (shared / "someone-elses.txt").write_text("x")
    sticky = tmp_path / "sticky"
    sticky.mkdir()
    sticky.chmod(0o1777)
    empty = tmp_path / "empty"
    empty.mkdir()
    empty.chmod(0o755)
    for folder in (shared, sticky, empty):
        done = cli("print-handout", "shame-map", "--out", str(folder), "-q")
        assert done.code == 0, done.err
        assert (folder / "handout-shame-map.pdf").stat().st_mode & 0o777 == 0o600
    assert shared.stat().st_mode & 0o7777 == 0o755
    assert sticky.stat().st_mode & 0o7777 == 0o1777
    assert empty.stat().st_mode & 0o777 == 0o700
    data = tmp_path / "home"
    data.mkdir()
    data.chmod(0o755)
    (data / "notes.txt").write_text("x")
    assert cli("--data-dir", str(data), "group", "list").code == 0
    assert data.stat().st_mode & 0o777 == 0o755
    assert (data / "facilitator.sqlite3").stat().st_mode & 0o777 == 0o600


def test_a_first_start_killed_half_way_leaves_nothing_behind(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    stale = data_dir / ".facilitator.sqlite3.new-abc123"
    stale.write_bytes(b"")
    os.utime(stale, (1, 1))  # long ago
    fresh = data_dir / ".facilitator.sqlite3.new-def456"
    fresh.write_bytes(b"")  # maybe another first start, right now: left alone
    assert run_process("group", "list").code == 0
    assert not stale.exists() and fresh.exists()
    assert (data_dir / "facilitator.sqlite3").read_bytes()[:16] == b"SQLite format 3\x00"
