"""What the store's commands share: the store of a workspace (read-only where the data folder
is), one line of output, and whether a person is at the terminal to answer a question."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from facilitator.actions.data import open_data
from facilitator.cli import formatting
from facilitator.workspace import Workspace

if TYPE_CHECKING:
    from facilitator.store import Store


def store_of(ws: Workspace) -> Store:
    """The workspace's store (read-only where the data folder cannot be written: see
    :func:`facilitator.actions.data.open_data`), closed when the command ends."""
    store = open_data(ws).store
    click.get_current_context().call_on_close(store.close)
    return store


def echo(text: str, err: bool = False) -> None:
    """One line of output; any line break inside a value shows as an escape."""
    click.echo(formatting.line(text), err=err)


def interactive() -> bool:
    """Whether a person at a terminal can answer a question (tests set this)."""
    return sys.stdin.isatty()
