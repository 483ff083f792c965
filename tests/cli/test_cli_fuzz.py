"""Property-based CLI fuzzer: every command, with random and edge argument values, ends with exit
0, 1 or 2, at most one error line, and never a traceback or an "unexpected internal error".

This is the probe that found the OverflowError behind ids past 2^63; it stays in the suite with a
bounded number of examples (the store is real, so each example is a real run of the command).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import group_args
from tests.helpers import run_cli

EDGE_INTS = ["-1", "0", "2", "9", str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 30]
INTS = st.one_of(st.sampled_from(["1", *EDGE_INTS]), st.integers(-3, 12).map(str))
"""Weeks, counts and limits: in range, just out of it, and past 64 bits."""
WORDS = st.one_of(
    st.sampled_from(
        [
            "G",
            "1",
            "Ada",
            "",
            " ",
            "²",
            "١٢",
            "0x10",
            "1e3",
            "-1",
            "--",
            "nosuch",
            "example",
            "shame-map",
            "\x1b]0;x\x07",
            "\u202e",
            "a\nb",
            "\x9b2J",
            "G" * 500,
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
)
DATES = st.one_of(
    st.sampled_from(
        [
            "2026-09-08",
            "0001-01-01",
            "9999-12-31",
            "1969-12-31",
            "2200-01-01",
            "2026-02-29",
            "2024-02-29",
            "2026-13-01",
            "0000-00-00",
            "20260908",
            "2026-W37-2",
            "2026-09-08T18:30",
        ]
    ),
    st.dates().map(str),
)
TIMES = st.sampled_from(
    ["18:30", "7", "0:00", "23:59", "24:00", "18:30:59.123456+05:00", "18:30Z", "-1:00", "25", ""]
)
ZONES = st.sampled_from(["UTC", "Europe/Berlin", "Mars/Olympus", "", "../../etc/passwd", "EST5EDT"])


@st.composite
def argv(draw: st.DrawFn, out: str) -> list[str]:
    """One command line: a command shape with each slot drawn from edge values."""
    FIFO = f"{out}/x.session.yaml"
    i, w, d = INTS, WORDS, DATES
    g = st.one_of(st.sampled_from(["G", "1", *EDGE_INTS, "²", "١"]), WORDS)  # a group
    p = st.one_of(st.sampled_from(["Ada", "1", *EDGE_INTS, "³"]), WORDS)  # a participant
    shapes: list[list[st.SearchStrategy[str] | str]] = [
        ["group", "show", g],
        ["group", "list"],
        ["group", "cancel", g],
        ["group", "create", w, "--curriculum", st.sampled_from(["example", "nosuch", ""]),
         "--start", d, "--time", TIMES, "--tz", ZONES, "--capacity", i, "--minutes", i],
        ["roster", "add", g, w, "--joined", d],
        ["roster", "list", g],
        ["roster", "leave", g, p, "--on", d],
        ["attend", g, i, "--absent", p, "--late", p],
        ["attendance", g],
        ["attendance", g, "--csv", st.sampled_from([f"{out}/a.csv", f"{out}/no/a.csv", FIFO])],
        ["schedule", g],
        ["schedule", "move", g, i, "--to", st.tuples(d, TIMES).map(" ".join)],
        ["schedule", "cancel", g, i],
        ["schedule", "skip", g, d],
        ["note", g, i, w],
        ["note", g, i, w, "--participant", p],
        ["audit", "--limit", i],
        ["audit", g],
        ["show", w, "--week", i],
        ["show", "example", "--week", i, "--brief"],
        ["print", g, "--week", i, "--out", out, "-q"],
        ["print", g, "--makeup", i, "--out", out, "-q"],
        ["print", g, "--report", "--spares", i, "--out", out, "-q"],
        ["print-handout", w, "--out", st.sampled_from([out, f"{out}/x.pdf/sub", "/dev/null"])],
        ["invites", g, "--out", out, "--cancel", i],
        ["invites", "send", g, "--dry-run"],
        ["backup", st.sampled_from([f"{out}/b.sqlite3", f"{out}/no/b.sqlite3", FIFO])],
        ["curricula"],
        ["handouts"],
        ["validate", st.sampled_from([out, "/dev/null"])],
        [w],
        [w, w],
    ]  # fmt: skip
    shape = draw(st.sampled_from(shapes))
    return [part if isinstance(part, str) else draw(part) for part in shape]


@pytest.fixture
def out(tmp_path: Path) -> str:
    folder = tmp_path / "out"
    folder.mkdir()
    os.mkfifo(folder / "x.session.yaml")
    return str(folder)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_arguments_end_in_0_1_or_2_without_a_traceback(out: str, data: st.DataObject) -> None:
    facilitator = ("--facilitator", "Sam", "--facilitator-email", "sam@example.org")
    if run_cli("group", "list").out.count("\n") < 2:  # once per test: a group to aim at
        run_cli(*group_args("G", tz="UTC", extra=facilitator))
        run_cli("roster", "add", "G", "Ada", "--email", "ada@example.org")
    args = data.draw(argv(out), label="argv")
    result = run_cli(*args)
    assert result.code in (0, 1, 2), (args, result)
    assert "Traceback" not in result.err and "internal error" not in result.err, (args, result)
    if result.code == 2:
        assert result.err.count("\n") == 1 and result.err.startswith("facilitator: error: ")
