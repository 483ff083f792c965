"""Store fixtures: a real SQLite file in a private temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.model.group import Group
from facilitator.store import Store, open_store
from tests.builders import fixed_clock, save_group


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    """An open store in the test's private data folder."""
    with open_store(data_dir, actor="tester", clock=fixed_clock) as opened:
        yield opened


@pytest.fixture
def group(store: Store) -> Group:
    """A created eight-week group (Tuesdays 18:30 Europe/Berlin from 2026-09-01)."""
    return save_group(store)
