"""No module of the package is over 500 lines: a bigger one is split along a real seam."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "facilitator"
LIMIT = 500


def test_no_module_is_over_500_lines() -> None:
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert len(sizes) > 60
    over = {name: lines for name, lines in sizes.items() if lines > LIMIT}
    assert over == {}
