"""Shared fixtures: every test gets its own private data folder and no user settings; tests
that use PostgreSQL get a fresh database in a throwaway cluster (tests/pg_cluster.py)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
    monkeypatch.delenv("FACILITATOR_DATABASE_URL", raising=False)
    return folder


@pytest.fixture
def cli() -> Callable[..., Run]:
    """The real CLI in-process (``tests/helpers.py``): ``cli("group", "list").code``."""
    return run_cli


ENGINES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses ``engine`` (directly or through a fixture such as tests/store's
    ``store``) runs once per engine; ``@pytest.mark.sqlite_only`` keeps it on SQLite."""
    if "engine" in metafunc.fixturenames:
        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("engine", ["sqlite"] if only else list(ENGINES), indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which database the store opens in this test: "sqlite" or "postgresql". On PostgreSQL,
    ``FACILITATOR_DATABASE_URL`` is set to a fresh database of its own (``pg_url``), so the
    store, the CLI and worker processes all open that one."""
    if request.param == "postgresql":
        monkeypatch.setenv("FACILITATOR_DATABASE_URL", request.getfixturevalue("pg_url"))
    return str(request.param)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """A PostgreSQL cluster for this test process (each xdist worker starts its own), with a
    migrated template database; stopped at the end (a watchdog stops it if we die).

    Skipped, naming the package to install, when PostgreSQL's server binaries are missing."""
    pytest.importorskip("psycopg", reason="psycopg is missing: pip install -e '.[dev]'")
    from tests.pg_cluster import INSTALL_HINT, TEMPLATE, Cluster, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip(INSTALL_HINT)
    cluster = Cluster(bindir)
    try:
        cluster.admin(f"CREATE DATABASE {TEMPLATE}")
        from facilitator.store import Store

        Store(cluster.url(TEMPLATE), actor="template").close()
        yield cluster
    finally:
        cluster.stop()


def _fresh_database(cluster: Any, template: str) -> Iterator[str]:
    name = cluster.new_name()
    cluster.admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield cluster.url(name)
    finally:
        cluster.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(pg_cluster: Any) -> Iterator[str]:
    """The URL of a fresh, migrated PostgreSQL database of this test's own (dropped after)."""
    from tests.pg_cluster import TEMPLATE

    yield from _fresh_database(pg_cluster, TEMPLATE)


@pytest.fixture
def pg_empty_url(pg_cluster: Any) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database (no schema yet: for migration tests)."""
    yield from _fresh_database(pg_cluster, "template0")


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


@pytest.fixture
def clinic(pg_url: str, pg_cluster: Any) -> Any:
    """A fresh database set up as a clinic (``clinic init``), its logins made on demand
    (``tests/builders.py`` ``Clinic``)."""
    from tests.builders import make_clinic

    return make_clinic(pg_url, pg_cluster)
