"""The front ends reach the store only through facilitator.actions: no module of cli/ or tui/
calls a Store verb itself (the import contract cannot see calls on an object passed around)."""

from __future__ import annotations

import ast
from pathlib import Path

from facilitator.store import Store

PACKAGE = Path(__file__).resolve().parents[2] / "facilitator"
ALLOWED = {"close"}
"""What a front end may do with the store it holds: close it when it quits."""
VERBS = {name for name in dir(Store) if not name.startswith("_")} - ALLOWED


def _receiver(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _store_calls(source: str) -> list[tuple[int, str]]:
    """(line, verb) of each call of a Store verb on something named like a store."""
    return [
        (node.lineno, node.func.attr)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in VERBS
        and "store" in _receiver(node.func.value).lower()
    ]


def test_no_front_end_calls_a_store_verb() -> None:
    calls = [
        f"{path.relative_to(PACKAGE)}:{line}: {verb}"
        for folder in ("cli", "tui")
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for line, verb in _store_calls(path.read_text(encoding="utf-8"))
    ]
    assert calls == []


def test_the_check_sees_store_calls_however_the_store_is_reached() -> None:
    source = (
        "self.fapp.store.enrol(1, 'x')\n"
        "store.summary(1)\n"
        "app._store.close()\n"  # allowed
        "roster.enrol(store, 1, 'x')\n"  # through actions: fine
    )
    assert _store_calls(source) == [(1, "enrol"), (2, "summary")]
