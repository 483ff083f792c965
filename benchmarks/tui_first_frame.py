"""Run an app headless and exit the moment its first frame is composed (used by bench_tui).

The first composed screen update goes through ``App._display`` (also when headless); the
process ends right there with ``os._exit``, so both apps are timed from spawn to first frame.
"""

from __future__ import annotations

import os
import sys


def _exit_on_first_frame() -> None:
    from textual.app import App

    display = App._display

    def first(self, screen, renderable):  # type: ignore[no-untyped-def]
        if renderable is not None:
            os._exit(0)
        return display(self, screen, renderable)

    App._display = first  # type: ignore[method-assign]


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Group", "Next meeting")
            table.add_row("A group", "tomorrow")

    _exit_on_first_frame()
    Bare().run(headless=True)


def facilitator() -> None:
    from facilitator.tui.app import make_app
    from facilitator.workspace import Workspace

    _exit_on_first_frame()
    make_app(Workspace.from_options()).run(headless=True)


if __name__ == "__main__":
    {"bare": bare, "facilitator": facilitator}[sys.argv[1]]()
