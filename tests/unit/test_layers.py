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


TOOLS = {"tests.pg_cluster"}
"""Modules of tests/ that are tools, not test helpers: the throwaway PostgreSQL cluster (its
set-up is what a benchmark needs, and changing it cannot change what one measures)."""


def benchmark_imports_from_tests(folder: Path) -> list[str]:
    """Every import in ``folder``'s modules (at any depth, lazy ones too) of a conftest or of
    anything under ``tests`` but the tools."""
    import ast

    found = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found.extend(
                f"{path.name}: {name}"
                for name in names
                if ("conftest" in name or name == "tests" or name.startswith("tests."))
                and name not in TOOLS
            )
    return found


def test_benchmarks_import_no_conftest(tmp_path: Path) -> None:
    """Benchmarks build their data themselves (benchmarks/data.py), never from a conftest
    (importing one runs its fixtures' module-level set-up outside pytest) nor from tests/ (a
    change to a test helper must not change what a benchmark measures)."""
    assert benchmark_imports_from_tests(ROOT / "benchmarks") == []
    (tmp_path / "bench_x.py").write_text(
        "def f():\n    from tests.builders import make_group\n    import tests.pdf.conftest\n"
        "    from tests.pg_cluster import Cluster\n"
    )
    assert benchmark_imports_from_tests(tmp_path) == [
        "bench_x.py: tests.builders",
        "bench_x.py: tests.pdf.conftest",
    ]
