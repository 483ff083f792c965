"""Fixtures for the invite tests: the third-party checkers (data: tests/builders.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKERS = Path(__file__).resolve().parent / "checkers"
"""The project's own third-party checkers: libical (Python/GObject) and ical.js (node)."""
ICALJS_MODULES = CHECKERS / "node_modules"


def _python_with_libical() -> str | None:
    for python in ("/usr/bin/python3", shutil.which("python3") or ""):
        if not python:
            continue
        probe = subprocess.run(
            [
                python,
                "-c",
                "import gi; gi.require_version('ICalGLib', '3.0'); "
                "from gi.repository import ICalGLib",
            ],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return python
    return None


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


def _missing(what: str, install: str) -> None:
    """Skip (fail under CI, where .ci/install-system-deps has run) naming what to install."""
    message = f"{what} not installed: {install} (or run bash .ci/install-system-deps)"
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def libical_python() -> str:
    """A python with libical's GObject bindings."""
    python = _python_with_libical()
    if python is None:
        _missing("libical's Python bindings", "apt-get install python3-gi gir1.2-ical-3.0")
    assert python is not None
    return python


@pytest.fixture(scope="session")
def libical_check(libical_python: str) -> list[str]:
    """The command that validates .ics files with libical (tests/ics/checkers/libical_check.py)."""
    return [libical_python, str(CHECKERS / "libical_check.py")]


@pytest.fixture(scope="session")
def icaljs_check() -> list[str]:
    """The command that validates and expands an .ics file with ical.js."""
    node = shutil.which("node")
    if node is None:
        _missing("node", "apt-get install nodejs npm")
    if not (ICALJS_MODULES / "ical.js").is_dir():
        _missing("ical.js", "cd tests/ics/checkers && npm ci")
    assert node is not None
    return [node, str(CHECKERS / "icaljs_check.mjs")]
