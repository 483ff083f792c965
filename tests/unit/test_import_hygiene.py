"""Layering: only facilitator.tui imports textual; light commands import nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("textual", "reportlab", "icalendar")


def modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_no_core_module_imports_textual() -> None:
    code = """
import pkgutil, importlib, facilitator
names = [m.name for m in pkgutil.walk_packages(facilitator.__path__, 'facilitator.')
         if not m.name.startswith('facilitator.tui') and m.name != 'facilitator.__main__']
for name in names:
    importlib.import_module(name)
print(len(names))
"""
    loaded = modules_after(code)
    assert "facilitator.cli" in loaded and "facilitator.content.loader" in loaded
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)


@pytest.mark.parametrize("argv", [["--version"], ["validate"], ["curricula"], ["show", "example"]])
def test_light_commands_import_no_heavy_library(argv: list[str]) -> None:
    code = f"""
import contextlib, io
from facilitator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main({argv!r})
    except SystemExit:
        pass
"""
    loaded = modules_after(code)
    heavy = sorted(name for name in loaded if name.split(".")[0] in HEAVY)
    assert heavy == []


def test_python_dash_m_works_like_the_console_script() -> None:
    from facilitator import __version__

    out = subprocess.run(
        [sys.executable, "-m", "facilitator", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == f"facilitator {__version__}\n"
