"""Shared fixtures: every test gets its own private data folder and no user settings."""

from __future__ import annotations

from pathlib import Path

import pytest

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
