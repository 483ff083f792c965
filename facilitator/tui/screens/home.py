"""Home: every group with its next meeting, the curricula, and content problems (never hidden)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from facilitator.errors import FacilitatorError
from facilitator.tui.live import EVERYTHING, GroupChanged

if TYPE_CHECKING:
    from facilitator.actions.overview import GroupRow
    from facilitator.tui.app import FacilitatorApp


class HomeScreen(Screen[None]):
    """The first screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_group", "Open group", show=True),
        Binding("r", "run_meeting", "Run today's meeting"),
        Binding("g", "new_group", "New group"),
        Binding("s", "settings", "Settings"),
        Binding("c", "builder", "Curricula"),
        Binding("f5", "refresh", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[GroupRow] = []
        self.ready = False
        """True once the groups and the content have been loaded and shown."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("", id="readonly-banner", markup=False)
            yield Static("Groups", classes="section-title")
            yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
            yield Static("Curricula", classes="section-title")
            yield DataTable(id="curricula", cursor_type="row", zebra_stripes=True)
            yield Static("", id="problems", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        groups = self.query_one("#groups", DataTable)
        groups.add_columns("Group", "Members", "Next meeting", "When", "Session")
        curricula = self.query_one("#curricula", DataTable)
        curricula.add_columns("Id", "Title", "Weeks", "Minutes")
        self.query_one("#readonly-banner", Static).display = False
        self.query_one("#problems", Static).display = False
        # The first frame comes at once; the database and the content files load right after
        # it, off the UI thread, and fill the tables as they arrive.
        groups.loading = curricula.loading = True
        self.call_after_refresh(self.run_worker, self._load, thread=True, exclusive=True)
        self.set_interval(30, self._refresh_countdowns)
        groups.focus()

    def _load(self) -> None:
        from facilitator.actions import overview

        app = self.fapp
        rows = overview.rows(app.store, app.clock.now())
        app.call_from_thread(self._show_groups, rows)
        # The content loads once the groups are on screen, so it never delays them.
        app.call_from_thread(
            self.call_after_refresh,
            self.run_worker,
            self._load_content,
            thread=True,
            group="content",
        )

    def _load_content(self) -> None:
        self.fapp.workspace.library  # noqa: B018 - loads and caches the content
        self.app.call_from_thread(self._fill_content)
        self.ready = True

    def _show_groups(self, rows: list[GroupRow]) -> None:
        banner = self.query_one("#readonly-banner", Static)
        banner.update(self.fapp.readonly_reason)
        banner.display = bool(self.fapp.readonly_reason)
        self.rows = rows
        self.query_one("#groups", DataTable).loading = False
        self._fill_groups()

    def on_screen_resume(self) -> None:
        if self.rows or "library" in self.fapp.workspace.__dict__:
            try:
                self.refresh_data()
            except FacilitatorError as exc:  # the server is out of reach: keep what is shown
                self.notify(exc.message, title="Could not read the groups", severity="error")

    def refresh_data(self) -> None:
        """Reload groups, curricula and problems (after coming back to this screen)."""
        from facilitator.actions import overview

        self._show_groups(overview.rows(self.fapp.store, self.fapp.clock.now()))
        self._fill_content()

    def on_group_changed(self, message: GroupChanged) -> None:
        """A co-facilitator changed a group (live sharing): read that group's row again."""
        from facilitator.actions import overview

        if not self.rows:
            return  # still loading: what is read next is current
        ids, now = message.group_ids, self.fapp.clock.now()
        try:
            if EVERYTHING in ids:  # the feed reconnected: anything may have changed
                fresh = overview.rows(self.fapp.store, now)
            else:  # only these groups (one the server does not show this user reads as none)
                fresh = [r for r in self.rows if r.group.id not in ids]
                fresh = overview.sort_rows(
                    fresh + overview.rows(self.fapp.store, now, sorted(ids)), now
                )
        except FacilitatorError as exc:
            self.notify(exc.message, title="Could not show their change", severity="error")
            return
        self._show_groups(fresh)

    def _fill_content(self) -> None:
        """Show the curricula and any content problems."""
        library = self.fapp.workspace.library
        table = self.query_one("#curricula", DataTable)
        table.loading = False
        table.clear()
        for entry in sorted(library.curricula.values(), key=lambda e: e.model.id):
            c = entry.model
            table.add_row(
                Text(c.id), Text(c.title), str(len(c.weeks)), str(c.meeting_minutes), key=c.id
            )
        problems = self.query_one("#problems", Static)
        problems.update("Content problems:\n" + "\n".join(str(p) for p in library.problems))
        problems.display = bool(library.problems)

    def _fill_groups(self) -> None:
        from facilitator.actions.overview import countdown

        table = self.query_one("#groups", DataTable)
        cursor = table.cursor_row
        table.clear()
        now = self.fapp.clock.now()
        for row in self.rows:
            meeting = row.meeting
            if row.group.cancelled:
                when, date_text = "cancelled", ""
            elif meeting is None:
                when, date_text = "course over", ""
            else:
                local = meeting.start
                date_text = f"{local:%a %d %b} {local:%H:%M} (week {meeting.week})"
                when = (
                    "in progress: r resumes"
                    if row.in_progress
                    else countdown(meeting.start, now, meeting.minutes)
                )
            table.add_row(
                Text(row.group.name),
                str(row.members),
                date_text,
                when,
                Text(row.session_title),
                key=str(row.group.id),
            )
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))

    def _refresh_countdowns(self) -> None:
        self._fill_groups()

    def _selected(self) -> GroupRow | None:
        table = self.query_one("#groups", DataTable)
        if not self.rows:
            return None
        return self.rows[table.cursor_row]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "groups":
            self.action_open_group()
        elif event.data_table.id == "curricula":
            self.action_builder()

    def action_refresh(self) -> None:
        """Reload everything."""
        self.fapp.workspace.reload_library()
        self.refresh_data()

    def action_open_group(self) -> None:
        """Open the selected group."""
        row = self._selected()
        if row is None:
            self.notify("No groups yet. Press g to create one.")
            return
        self.fapp.open_group(row.group.id)

    def action_settings(self) -> None:
        """Support lines (locale), paper, large print, duplex."""
        self.fapp.edit_settings()

    def action_new_group(self) -> None:
        """Create a group."""
        self.fapp.new_group()

    def action_run_meeting(self) -> None:
        """Run the selected group's meeting (today's, or the next one)."""
        row = self._selected()
        if row is None or row.meeting is None:
            self.notify("No upcoming meeting to run.", severity="warning")
            return
        self.fapp.run_meeting(row.group.id, row.meeting.week)

    def action_builder(self) -> None:
        """Open the curriculum builder on the selected curriculum."""
        table = self.query_one("#curricula", DataTable)
        ids = sorted(self.fapp.workspace.library.curricula)
        if ids:
            self.fapp.open_builder(ids[min(table.cursor_row, len(ids) - 1)])
