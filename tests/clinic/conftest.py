"""Fixtures of the clinic tests (the ``clinic`` fixture itself is in tests/conftest.py: the
live-sharing tests use it too)."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest


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
