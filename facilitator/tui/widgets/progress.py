"""A modal that shows a worker's progress and closes itself when the work is done."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar

from facilitator.tui.widgets.line import Line


class ProgressDialog(ModalScreen[None]):
    """ "Printing week 3..." with a bar; the worker calls :meth:`advance` from its thread."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Line("", id="export-file")

    def advance(self, done: int, total: int, name: str) -> None:
        """Show that ``done`` of ``total`` files are written (the last one ``name``)."""
        self.query_one(ProgressBar).update(total=total, progress=done)
        self.query_one(Line).show(f"{done} of {total}: {name}")
