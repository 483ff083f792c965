"""The demo use case: a group with invented participants, some attendance and notes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.model.group import Group
    from facilitator.store import Store
    from facilitator.workspace import Workspace


def create(ws: Workspace, store: Store, today: date) -> Group | None:
    """Create the demo group, started three meetings before ``today``; ``None`` when it
    exists already (nothing is changed then)."""
    from facilitator.demo import create_demo

    return create_demo(store, ws.library, today)
