"""The terminal sanitiser: which characters become visible escapes, and which stay."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.cli.terminal import GuardedStream
from facilitator.text import control_in, terminal, visible

UNSAFE = [
    *(chr(c) for c in range(0x20)),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u2028",
    "\u2029",
    "\udcff",  # an undecodable byte in a file name (surrogateescape)
]
SAFE = ["a", "é", "美", "م", "😀", "\u200f", "\u200d", " ", "\\", "[/]", "<b>"]


@pytest.mark.parametrize("ch", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_each_unsafe_character_becomes_a_visible_ascii_escape(ch: str) -> None:
    shown = visible(f"a{ch}b")
    assert shown.startswith("a\\") and shown.endswith("b")
    assert shown.isascii() and shown.isprintable()
    assert control_in(f"a{ch}b") == shown[1:-1]


@pytest.mark.parametrize("ch", SAFE)
def test_ordinary_text_is_left_alone(ch: str) -> None:
    assert visible(ch) == terminal(ch) == ch
    assert control_in(ch) is None


def test_output_keeps_its_own_line_breaks_and_tabs_only() -> None:
    assert terminal("a\tb\nc") == "a\tb\nc"
    assert terminal("a\rb\x1b[2J\u2028") == "a\\rb\\x1b[2J\\u2028"
    assert visible("a\tb\nc") == "a\\tb\\nc"


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    for shown in (visible(text), terminal(text)):
        assert control_in(shown.replace("\n", "").replace("\t", "")) is None
        shown.encode("utf-8")  # lone surrogates are escaped, so this never fails


def test_the_gate_escapes_whatever_is_written_through_it() -> None:
    raw = io.StringIO()
    gate = GuardedStream(raw)  # type: ignore[arg-type]
    assert gate.write("x\x1b]0;t\x07\n") == len("x\x1b]0;t\x07\n")
    gate.writelines(["\x9b2J", "\u202e\n"])
    assert raw.getvalue() == "x\\x1b]0;t\\x07\n\\x9b2J\\u202e\n"
    assert not hasattr(gate, "buffer")  # click must not find a way round it
