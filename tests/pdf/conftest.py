"""Fixtures for the PDF tests: the shipped library and courses built from model objects."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest

from facilitator.content import ContentRoot, Library, load_library
from tests.builders import save_demo_group

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_group(data_dir: Path) -> str:
    """The demo group (Europe/Berlin) in the test's data folder; its id, as the CLI takes it."""
    return str(save_demo_group(data_dir).id)


SYSTEM_SCRIPTS = "שרה সুমি ნინო Անի አበበ"
"""Names in the scripts whose faces come from the system (Debian's fonts-noto-core), not PyPI."""


@pytest.fixture(scope="session")
def system_fonts() -> None:
    """Skip (a failure under CI) unless fontconfig finds faces for the system-font scripts."""
    from facilitator.outputs.pdf.fonts import missing_scripts

    missing = missing_scripts(SYSTEM_SCRIPTS.replace(" ", ""))
    if missing:
        pytest.skip(
            f"no font for {', '.join(missing)}: apt-get install fonts-noto-core fontconfig "
            "(or run bash .ci/install-system-deps)"
        )


@pytest.fixture(scope="session")
def library() -> Library:
    """The bundled curricula and handouts."""
    lib = load_library(
        [
            ContentRoot(ROOT / "curricula", bundled=True),
            ContentRoot(ROOT / "handouts", bundled=True),
        ]
    )
    return lib


def pdf_text(data: bytes) -> str:
    """Text of every page (pypdf), NFKC-normalised, without format/bidi controls."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def squash(text: str) -> str:
    """Whitespace removed (names may wrap across lines)."""
    return re.sub(r"\s+", "", text)
