"""Fixtures for the invite tests: model objects built by hand (no store), third-party checkers."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

# The builders live in tests/ics/builders.py (benchmarks import them; never from a conftest).
from tests.ics.builders import (
    CURRICULUM_TITLE,
    SESSION_TITLES,
    STAMP,
    TOPIC,
    UID,
    make_group,
    make_participants,
    make_schedule,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED_TOOLS = ROOT.parent / "shared" / "tools"
ICALJS_MODULES = ROOT / ".ci" / "icaljs" / "node_modules"

__all__ = [
    "CURRICULUM_TITLE",
    "SESSION_TITLES",
    "STAMP",
    "TOPIC",
    "UID",
    "make_group",
    "make_participants",
    "make_schedule",
]


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


@pytest.fixture(scope="session")
def libical_python() -> str:
    """A python with libical's GObject bindings (installed by .ci/install-system-deps)."""
    if not (SHARED_TOOLS / "ics_libical_check.py").is_file():
        pytest.skip("../shared/tools is not beside the repository")
    python = _python_with_libical()
    if python is None:
        if _in_ci():
            pytest.fail("libical bindings missing: run bash .ci/install-system-deps")
        pytest.skip("libical bindings not installed (bash .ci/install-system-deps)")
    return python


@pytest.fixture(scope="session")
def icaljs_check(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs ../shared/tools/ics_icaljs_check.mjs with ical.js resolvable.

    ES modules ignore NODE_PATH, so the unchanged script is copied into a folder whose
    ``node_modules`` links to ``.ci/icaljs/node_modules`` (installed by the CI script).
    """
    script = SHARED_TOOLS / "ics_icaljs_check.mjs"
    if not script.is_file():
        pytest.skip("../shared/tools is not beside the repository")
    node = shutil.which("node")
    if node is None or not (ICALJS_MODULES / "ical.js").is_dir():
        if _in_ci():
            pytest.fail("node or ical.js missing: run bash .ci/install-system-deps")
        pytest.skip("ical.js not installed (bash .ci/install-system-deps)")
    folder = tmp_path_factory.mktemp("icaljs")
    shutil.copy(script, folder / script.name)
    (folder / "node_modules").symlink_to(ICALJS_MODULES, target_is_directory=True)
    return [node, str(folder / script.name)]
