"""The Textual app. The only package that imports textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facilitator.workspace import Workspace

SQLITE_HEADER = b"SQLite format 3\x00"


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
    # Reads the file header directly (as facilitator.store.crypto.is_encrypted does) so that
    # the common, unencrypted start does not import the store before the first frame.
    from facilitator.paths import NotARegularFile, check_regular

    path = workspace.data_dir / "facilitator.sqlite3"
    try:
        check_regular(path)  # opening a FIFO would wait for ever; the store then refuses it
        with path.open("rb") as handle:
            head = handle.read(16)
    except (OSError, NotARegularFile):
        return False
    return bool(head) and head != SQLITE_HEADER


def _unlock(workspace: Workspace) -> None:
    """Ask for the passphrase once, check it, and let the app's store reuse it."""
    from facilitator.store import DB_NAME, crypto, open_store

    secret = crypto.passphrase(workspace.data_dir / DB_NAME)
    crypto.set_prompt(lambda _message: secret)
    open_store(workspace.data_dir, readonly=True).close()
