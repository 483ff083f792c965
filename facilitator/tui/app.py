"""The application object and its factory, used by the CLI and by tests."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.workspace import Workspace


class FacilitatorApp(App[None]):
    """Plan, run and document groups."""

    TITLE = "facilitator"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("r", "reload", "Reload content"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Curricula", classes="section-title")
        yield DataTable(id="curricula", cursor_type="row", zebra_stripes=True)
        yield Static("", id="problems", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._fill()

    def action_reload(self) -> None:
        """Load the content files again."""
        self.workspace.reload_library()
        self._fill()

    def _fill(self) -> None:
        library = self.workspace.library
        table = self.query_one("#curricula", DataTable)
        table.clear(columns=True)
        table.add_columns("Id", "Title", "Weeks", "Minutes")
        for entry in sorted(library.curricula.values(), key=lambda e: e.model.id):
            c = entry.model
            table.add_row(Text(c.id), Text(c.title), str(len(c.weeks)), str(c.meeting_minutes))
        problems = self.query_one("#problems", Static)
        problems.update("\n".join(str(p) for p in library.problems))
        problems.display = bool(library.problems)


def make_app(workspace: Workspace) -> FacilitatorApp:
    """Build the app for a workspace (the CLI and the tests both use this)."""
    return FacilitatorApp(workspace)
