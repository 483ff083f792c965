"""No printed worksheet ever lacks the locale's support lines when a locale is set: however the
locale is spelled, the settings either refuse it on one line or every sheet carries its lines.

The PDFs are real (printed through the CLI) and read back with pypdf.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitator.config import DEFAULT_SUPPORT_LINES
from tests.builders import cli_group
from tests.helpers import run_cli
from tests.pdf.conftest import pdf_text, squash

LOCALES = sorted(k for k in DEFAULT_SUPPORT_LINES if k != "international")


def _spellings(locale: str) -> list[str]:
    language, _, region = locale.partition("-")
    return [
        locale,
        locale.lower(),
        locale.upper(),
        f"{language}_{region}",
        f"{language}_{region.lower()}",
        f"{language}_{region}.UTF-8",
        f" {locale} ",
    ]


def _contacts(locale: str) -> list[str]:
    return [squash(line.contact) for line in DEFAULT_SUPPORT_LINES[locale]]


def _print_handout(out: Path) -> str:
    result = run_cli("print-handout", "example-check-in", "--out", str(out), "-q")
    assert result.code == 0, result.err
    (pdf,) = out.glob("*.pdf")
    return squash(pdf_text(pdf.read_bytes()))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    locale=st.sampled_from(LOCALES),
    spelling=st.integers(0, 6),
)
def test_every_spelling_of_a_known_locale_prints_its_lines(
    capsys: pytest.CaptureFixture[str], data_dir: Path, locale: str, spelling: int
) -> None:
    written = _spellings(locale)[spelling]
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text(f'locale = "{written}"\n')
    out = data_dir / "out" / f"{locale}-{spelling}"
    text = _print_handout(out)
    for contact in _contacts(locale):
        assert contact in text, (written, contact)


# ("" is no typo: it means the group's own country or time zone, see test_locale.py)
@pytest.mark.parametrize("typo", ["en-UK", "engb", "en-G", "english", "de", "en-GB-x"])
def test_a_locale_with_no_known_lines_is_refused_not_silently_international(
    data_dir: Path, typo: str
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.toml").write_text(f'locale = "{typo}"\n')
    result = run_cli("print-handout", "example-check-in", "--out", str(data_dir))
    assert result.code == 2
    assert "locale: no support lines are known for" in result.err
    assert "en-GB" in result.err  # the known ones are named
    assert not list(data_dir.glob("*.pdf"))


def test_any_locale_with_its_own_lines_prints_them(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.toml").write_text(
        'locale = "fr-FR"\n[[support_lines]]\nname = "SOS Amitié"\ncontact = "09 72 39 40 50"\n'
    )
    text = _print_handout(data_dir / "out")
    assert squash("09 72 39 40 50") in text


@pytest.mark.parametrize("spelling", ["en_gb", "EN-GB"])
def test_every_participant_sheet_of_a_week_carries_the_lines(data_dir: Path, spelling: str) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "settings.toml").write_text(f'locale = "{spelling}"\n')
    cli_group("G", people=["Ada", "Bo"], tz="Europe/London")
    out = data_dir / "out"
    printed = run_cli("print", "G", "--week", "1", "--per-participant", "--out", str(out), "-q")
    assert printed.code == 0, printed.err
    sheets = [p for p in out.glob("*.pdf") if not re.search("guide|sign", p.name)]
    assert len(sheets) >= 2, sorted(p.name for p in out.iterdir())
    for sheet in sheets:
        text = squash(pdf_text(sheet.read_bytes()))
        for contact in _contacts("en-GB"):
            assert contact in text, (sheet.name, contact)
