"""The import contracts in pyproject.toml hold (``lint-imports``, also run by ``make check``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold() -> None:
    pytest.importorskip("importlinter", reason="import-linter comes with the dev extra")
    tool = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(tool), "--no-cache"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_benchmarks_import_no_conftest() -> None:
    """Benchmarks build their data with plain test builders, never from a conftest (importing
    one runs its fixtures' module-level set-up outside pytest)."""
    import ast

    for path in sorted((ROOT / "benchmarks").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            assert not any("conftest" in name for name in names), f"{path.name}: {names}"
