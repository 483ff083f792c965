"""The content commands, driven through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli, run_process
from tests.unit.test_loader_hostile import GOOD_PLAN


def test_version() -> None:
    from facilitator import __version__

    result = run_cli("--version")
    assert (result.code, result.out) == (0, f"facilitator {__version__}\n")


def test_validate_bundled_content_is_clean() -> None:
    result = run_cli("validate")
    assert result.code == 0, result.out
    assert result.out.startswith("No problems:")


def test_validate_reports_every_problem_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "a.session.yaml").write_text(GOOD_PLAN.replace("minutes: 20", "minutes: 1:30"))
    (tmp_path / "b.session.yaml").write_text(
        GOOD_PLAN.replace("plan-a", "plan-b").replace("kind: arrival", "kind: nope")
    )
    result = run_cli("validate", str(tmp_path))
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'a.session.yaml'}:4: minutes: expected a whole")
    assert lines[1].startswith(f"{tmp_path / 'b.session.yaml'}:8: agenda[0].kind: must be")
    assert "2 problem(s) found" in result.err


def test_validate_with_path_shows_only_that_paths_problems(tmp_path: Path) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.session.yaml").write_text(GOOD_PLAN)
    result = run_cli("--content", str(tmp_path / "ok"), "validate", str(tmp_path / "ok"))
    assert (result.code, result.out.startswith("No problems")) == (0, True)


def test_curricula_lists_ids_titles_weeks_minutes() -> None:
    result = run_cli("curricula")
    assert result.code == 0
    rows = {line.split()[0]: line for line in result.out.splitlines()[1:]}
    assert rows["example"].split()[-2:] == ["2", "60"]


def test_handouts_lists_where_used() -> None:
    result = run_cli("handouts")
    row = next(line for line in result.out.splitlines() if line.startswith("example-check-in"))
    assert row.endswith("example-arriving, example-kind-attention")


def test_show_prints_offsets_scripts_and_home_practice() -> None:
    result = run_cli("show", "example", "--week", "2")
    assert result.code == 0
    out = result.out
    assert "Week 2: Kind attention (60 min)" in out and "Week 1:" not in out
    assert "0:15   25 min  How would a friend answer? [exercise] (sensitive)" in out
    assert "Opt-out: Write a kind note" in out
    assert "0:45   15 min  Closing [closing] (protected)" in out
    assert "1:00  end" in out
    assert "Once a day, answer one harsh thought" in out


def test_user_content_folder_and_content_option(tmp_path: Path, data_dir: Path) -> None:
    user = data_dir / "content"
    user.mkdir(parents=True)
    (user / "mine.curriculum.yaml").write_text(
        "id: mine\ntitle: My course\naudience: a\ndescription: d\nmeeting_minutes: 20\n"
        "weeks:\n  - number: 1\n    session: plan-a\n"
    )
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "a.session.yaml").write_text(GOOD_PLAN)
    result = run_cli("--content", str(extra), "curricula")
    assert "mine" in result.out and "My course" in result.out
    assert result.err == ""


@pytest.mark.parametrize(
    "args, words",
    [
        # Each message names the argument; click's own wording may change between versions.
        (["--bogus"], "'--bogus'"),
        (["show"], "CURRICULUM"),
        (["show", "nope"], "no curriculum with id 'nope'"),
        (["show", "example", "--week", "9"], "week 9 of 2"),
        (["show", "example", "--week", "x"], "'x'"),
        (["validate", "/no/such/path"], "does not exist"),
        (["--content", "/no/such/dir", "curricula"], "does not exist"),
        (["frobnicate"], "'frobnicate'"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: list[str], words: str) -> None:
    result = run_process(*args)
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.count("\n") == 1 and result.err.startswith("facilitator: error: ")
    assert words in result.err
    assert "Traceback" not in result.err


def test_hostile_content_text_is_printed_without_terminal_escapes(tmp_path: Path) -> None:
    plan = GOOD_PLAN.replace("title: A plan", 'title: "Evil \\e[2J\\e]0;pwn\\a [/] <b>"')
    (tmp_path / "a.session.yaml").write_text(plan)
    (tmp_path / "c.curriculum.yaml").write_text(
        "id: c\ntitle: C\naudience: a\ndescription: d\nmeeting_minutes: 20\n"
        "weeks:\n  - number: 1\n    session: plan-a\n"
    )
    result = run_cli("--content", str(tmp_path), "show", "c")
    assert result.code == 0
    assert "\x1b" not in result.out + result.err and "\x07" not in result.out + result.err
    assert "Evil" not in result.out  # the plan is refused, not shown half-cleaned
    checked = run_cli("validate", str(tmp_path))
    assert checked.code == 1
    assert "a.session.yaml:2: title: contains a control character (\\x1b)" in checked.out


def test_every_listed_subcommand_resolves() -> None:
    import click

    from facilitator.cli import LAZY_COMMANDS, cli

    ctx = click.Context(cli)
    for name in LAZY_COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name, name
