"""A clinic in the throwaway PostgreSQL cluster: a fresh migrated database (its owner is the
cluster's superuser) and logins made with the real ``clinic add-user`` code.

Roles belong to the whole cluster, so each test's logins carry its database's name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import psycopg
import pytest

from facilitator.actions import clinic as actions


@dataclass
class Clinic:
    """The owner's URL, and a URL per login made for the test."""

    owner_url: str
    cluster: object
    database: str
    logins: dict[str, str] = field(default_factory=dict)

    def login(self, short: str) -> str:
        """The full login name of ``short`` in this test (unique in the cluster)."""
        return f"{self.database}_{short}"

    def add(self, short: str, role: str = "staff") -> str:
        """Create the login ``short`` (staff or supervisor); return its URL."""
        name = self.login(short)
        actions.add_user(self.owner_url, name, role)
        self.logins[short] = self.cluster.url(self.database, user=name)  # type: ignore[attr-defined]
        return self.logins[short]

    def raw(self, short: str | None = None) -> psycopg.Connection:
        """An autocommit connection as ``short`` (None: the owner)."""
        url = self.owner_url if short is None else self.logins[short]
        return psycopg.connect(url, autocommit=True)


@pytest.fixture
def clinic(pg_url: str, pg_cluster: object) -> Clinic:
    database = urlsplit(pg_url).path.lstrip("/")
    actions.init(pg_url)  # as a clinic's owner does first (database-wide rights included)
    return Clinic(pg_url, pg_cluster, database)


@pytest.fixture
def relations() -> Callable[[psycopg.Connection], list[tuple[str, str]]]:
    """Every table and view of the schema, from the catalog (a table added later is in it)."""

    def found(conn: psycopg.Connection) -> list[tuple[str, str]]:
        return [
            (str(name), str(kind))
            for name, kind in conn.execute(
                "SELECT c.relname, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                "ORDER BY 1"
            )
        ]

    return found
