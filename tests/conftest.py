"""Shared fixtures: every test gets its own private data folder and no user settings."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import Run, run_cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data and config folders at a fresh temporary folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("FACILITATOR_DEBUG", raising=False)
    return folder


@pytest.fixture
def cli() -> Callable[..., Run]:
    """The real CLI in-process (``tests/helpers.py``): ``cli("group", "list").code``."""
    return run_cli


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under CI (``CI=true``), a skipped test is a failure.

    CI installs every system package the suite uses (.ci/install-system-deps), so a skip there
    means an install step is missing, and a green run would hide untested code.
    """
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (every test must run there): {reason}"
