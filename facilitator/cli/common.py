"""What the store's commands share: the store of a workspace (read-only where the data folder
is), one line of output, and whether a person is at the terminal to answer a question."""

from __future__ import annotations

import sys

import click

from facilitator.cli import formatting
from facilitator.errors import FacilitatorError
from facilitator.store import DB_NAME, Store, open_store, server_url
from facilitator.store.db import disk_full, folder_writable
from facilitator.workspace import Workspace


def store_of(ws: Workspace) -> Store:
    """The workspace's store, closed when the command ends."""
    try:
        store = open_store(ws.data_dir, url=ws.database_url)
    except FacilitatorError:
        # A read-only data folder (a read-only mount) or a full disk: reading commands work;
        # any command that writes then says "read-only" on one line and changes nothing.
        path = ws.data_dir / DB_NAME
        if (
            server_url(ws.data_dir, ws.database_url)
            or not path.is_file()
            or (folder_writable(ws.data_dir) and not disk_full(path))
        ):
            raise
        store = open_store(ws.data_dir, readonly=True)
    click.get_current_context().call_on_close(store.close)
    return store


def echo(text: str, err: bool = False) -> None:
    """One line of output; any line break inside a value shows as an escape."""
    click.echo(formatting.line(text), err=err)


def interactive() -> bool:
    """Whether a person at a terminal can answer a question (tests set this)."""
    return sys.stdin.isatty()
