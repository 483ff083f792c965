"""Splitting a typed full name into preferred name and last initial, in any script."""

from __future__ import annotations

import pytest

from facilitator.model.group import has_visible, split_full_name


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Дарья Петрова", ("Дарья", "П")),
        ("Siobhan O'Brien-Smith", ("Siobhan", "O")),
        ("Ξένια Παπαδοπούλου", ("Ξένια", "Π")),
        ("Zoë Østergaard", ("Zoë", "Ø")),
        ("Mary Ann Smith", ("Mary Ann", "S")),
        ("Anna van der Berg", ("Anna", "B")),
        ("Quinn Z.", ("Quinn", "Z")),
        ("مريم الحسن", ("مريم", "ح")),  # the article is passed over
        ("田中 美咲", ("美咲", "田")),  # family name first
        ("김 민준", ("민준", "김")),
        ("美咲", ("美咲", "")),
        ("Ada", ("Ada", "")),
        ("  Ada   Lovelace ", ("Ada", "L")),
        ("", ("", "")),
    ],
)
def test_split_full_name(typed: str, expected: tuple[str, str]) -> None:
    assert split_full_name(typed) == expected


def test_decomposed_input_comes_out_composed() -> None:
    assert split_full_name("Zoe\u0308 E\u0301mile") == ("Zo\u00eb", "\u00c9")


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "\u200b\u200d \u2060", "\x1b"])
def test_invisible_names_have_nothing_visible(text: str) -> None:
    assert not has_visible(text)


def test_visible_names() -> None:
    assert has_visible("美咲") and has_visible("😀") and has_visible("\u200bAda")
