"""The Textual app. The only package that imports textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.workspace import Workspace


def run_app(workspace: Workspace) -> None:
    """Open the app on ``workspace`` and return when the user quits.

    An encrypted database is unlocked here, before the app takes over the terminal: the
    passphrase prompt is a plain hidden prompt, and a wrong passphrase is a one-line error
    rather than a garbled screen. Without a terminal (input or output redirected) the app could
    only spin: that is a one-line error too.
    """
    import sys

    from facilitator.errors import FacilitatorError
    from facilitator.tui.app import make_app

    if _encrypted(workspace):
        _unlock(workspace)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise FacilitatorError(
            "the app needs a terminal (standard input and output are not one); "
            "run 'facilitator' in a terminal window, or see 'facilitator --help'"
        )
    make_app(workspace).run()


def _encrypted(workspace: Workspace) -> bool:
    from facilitator.actions.data import encrypted

    return encrypted(workspace)


def _unlock(workspace: Workspace) -> None:
    """Ask for the passphrase once, check it, and let the app's store reuse it."""
    from facilitator.actions.data import unlock

    unlock(workspace)
