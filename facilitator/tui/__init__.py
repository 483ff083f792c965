"""The Textual app. The only package that imports textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.workspace import Workspace


def run_app(workspace: Workspace) -> None:
    """Open the app on ``workspace`` and return when the user quits."""
    from facilitator.tui.app import make_app

    make_app(workspace).run()
