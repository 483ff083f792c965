"""Run an app headless until its first frame is composed, then exit (used by bench_tui)."""

from __future__ import annotations

import sys


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

    Bare().run(headless=True, auto_pilot=_exit_after_first_frame)


def facilitator() -> None:
    from facilitator.tui.app import make_app
    from facilitator.workspace import Workspace

    make_app(Workspace.from_options()).run(headless=True, auto_pilot=_exit_after_first_frame)


async def _exit_after_first_frame(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    pilot.app.exit()


if __name__ == "__main__":
    {"bare": bare, "facilitator": facilitator}[sys.argv[1]]()
