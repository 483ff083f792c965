"""A real workspace, store and group for the tests of facilitator.actions (no front end)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from facilitator.actions import data, groups
from facilitator.model.group import Facilitator, Group
from facilitator.store import Store
from facilitator.workspace import Workspace

FIRST = date(2026, 3, 2)
"""A Monday; the groups meet weekly from it."""


@dataclass
class World:
    """One workspace with its open store and one group of the given curriculum."""

    ws: Workspace
    store: Store
    group: Group

    @property
    def data(self) -> Path:
        return self.ws.data_dir


def world(data_dir: Path, curriculum: str = "sexual-self-compassion") -> Iterator[World]:
    """Yield a world (closing its store afterwards)."""
    ws = Workspace.from_options(data_dir)
    store = data.open_data(ws).store
    try:
        created = groups.create(
            ws,
            store,
            name="Thursday group",
            curriculum_id=curriculum,
            first_date=FIRST,
            start_time=time(18, 0),
            timezone="Europe/London",
            facilitators=[Facilitator("Fac Ilitator", "fac@example.org")],
        )
        yield World(ws, store, created.group)
    finally:
        store.close()
