"""settings.toml: values are checked and each bad one is a one-line error naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.config import load_settings
from facilitator.errors import FacilitatorError


def write(folder: Path, text: str) -> Path:
    (folder / "settings.toml").write_text(text, encoding="utf-8")
    return folder


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert (settings.duplex, settings.large_print, settings.effective_paper()) == (
        False,
        False,
        "a4",
    )


def test_values_are_read(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, 'locale = "en-US"\nduplex = true\nlarge_print = true\n')
    )
    assert settings.duplex and settings.large_print and settings.effective_paper() == "letter"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('large_print = "no"', "large_print: must be true or false, not 'no'"),
        ("duplex = 1", "duplex: must be true or false, not 1"),
        ('invite_alarm_minutes = "60"', "invite_alarm_minutes: must be a whole number"),
        ("invite_alarm_minutes = true", "invite_alarm_minutes: must be a whole number"),
        ("invite_alarm_minutes = -5", "invite_alarm_minutes: must be 0 to 10080"),
        ("paper = 4", "paper: must be text in quotes, not 4"),
        ('paper = "a5"', "paper: must be 'letter' or 'a4'"),
        ("colour = true", "colour: unknown setting"),
        ("duplex = ", "not valid TOML"),
    ],
)
def test_bad_values_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(FacilitatorError) as info:
        load_settings(write(tmp_path, text + "\n"))
    error = str(info.value)
    assert message in error and "settings.toml" in error and "\n" not in error
