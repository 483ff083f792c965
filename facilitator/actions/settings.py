"""Settings use cases: change the settings the app offers (support lines' locale, paper,
large print, duplex), keeping the file's comments and order."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.config import Settings
    from facilitator.workspace import Workspace


def current(ws: Workspace) -> Settings:
    """The settings in force (a one-line error naming the line when the file is wrong)."""
    return ws.settings


def save(ws: Workspace, **values: str | bool) -> Settings:
    """Write the changed values to ``settings.toml`` and use them from now on."""
    from facilitator.config import save_settings

    saved = save_settings(ws.data_dir, **values)
    ws.__dict__["settings"] = saved  # the workspace's cached settings are these now
    return saved
