"""Store fixtures: every store test runs on both engines (one parametrised ``engine``), the
SQLite file in a private temporary folder and a fresh database in the throwaway PostgreSQL
cluster. On PostgreSQL, ``FACILITATOR_DATABASE_URL`` names the test's database, so
``open_store(data_dir)`` (a reopen, a worker process) opens that same database.

Tests about the SQLite file itself (WAL, pragmas, file modes, encryption, backup and restore,
kill -9 of the file) carry ``@pytest.mark.sqlite_only`` and run on SQLite alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_helpers import WEEKS, draft, fixed_clock

from facilitator.model.group import Group
from facilitator.store import Store, open_store

ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("engine", ["sqlite"] if only else list(ENGINES), indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """ "sqlite" or "postgresql": which database ``open_store(data_dir)`` opens in this test."""
    if request.param == "postgresql":
        monkeypatch.setenv("FACILITATOR_DATABASE_URL", request.getfixturevalue("pg_url"))
    return str(request.param)


@pytest.fixture
def store(engine: str, data_dir: Path) -> Iterator[Store]:
    """An open store on this test's engine."""
    with open_store(data_dir, actor="tester", clock=fixed_clock) as opened:
        assert opened.engine == engine
        yield opened


@pytest.fixture
def group(store: Store) -> Group:
    """A created eight-week group (Tuesdays 18:30 Europe/Berlin from 2026-09-01)."""
    return store.create_group(draft(), WEEKS)
