"""Store fixtures: every store test runs on both engines (the parametrised ``engine`` fixture
of tests/conftest.py), the SQLite file in a private temporary folder and a fresh database in
the throwaway PostgreSQL cluster. On PostgreSQL, ``FACILITATOR_DATABASE_URL`` names the test's
database, so ``open_store(data_dir)`` (a reopen, a worker process) opens that same database.

Tests about the SQLite file itself (WAL, pragmas, file modes, encryption, backup and restore,
kill -9 of the file) carry ``@pytest.mark.sqlite_only`` and run on SQLite alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.model.group import Group
from facilitator.store import Store, open_store
from tests.builders import fixed_clock, save_group


@pytest.fixture
def store(engine: str, data_dir: Path) -> Iterator[Store]:
    """An open store on this test's engine."""
    with open_store(data_dir, actor="tester", clock=fixed_clock) as opened:
        assert opened.engine == engine
        yield opened


@pytest.fixture
def group(store: Store) -> Group:
    """A created eight-week group (Tuesdays 18:30 Europe/Berlin from 2026-09-01)."""
    return save_group(store)
