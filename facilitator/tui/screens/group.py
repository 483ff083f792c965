"""One group: roster, schedule, attendance grid, notes and meeting history, in tabs.

The screen hosts the tabs and what spans them (the selection, reloading, running a meeting,
printing and exporting); each tab's own actions live in a mixin beside it: ``attendance_tab``,
``roster_tab``, ``schedule_tab`` and ``notes_tab``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from facilitator.errors import FacilitatorError
from facilitator.model.group import Group, Meeting, Schedule
from facilitator.tui.live import GroupChanged
from facilitator.tui.screens.attendance_tab import AttendanceTab
from facilitator.tui.screens.notes_tab import NotesTab
from facilitator.tui.screens.roster_tab import RosterTab
from facilitator.tui.screens.schedule_tab import ScheduleTab
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.tui.widgets.progress import ProgressDialog

if TYPE_CHECKING:
    from facilitator.actions.roster import Erased
    from facilitator.exports import Progress
    from facilitator.tui.app import FacilitatorApp


class GroupScreen(AttendanceTab, RosterTab, ScheduleTab, NotesTab, Screen[None]):
    """Everything about one group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run_meeting", "Run meeting"),
        Binding("a", "add_participant", "Add person"),
        Binding("e", "edit_participant", "Edit person", show=False),
        Binding("L", "large_print", "Large print", show=False),
        Binding("l", "leave", "Leaves", show=False),
        Binding("x", "erase", "Erase person", show=False),
        Binding("m", "move", "Move"),
        Binding("c", "cancel_meeting", "Cancel meeting", show=False),
        Binding("k", "skip", "Skip week", show=False),
        Binding("U", "use_plan", "Use another plan", show=False),
        Binding("G", "edit_group", "Edit group", show=False),
        Binding("space", "cycle", "Cycle status", show=False),
        Binding("delete,backspace", "clear_roll", "Clear roll", show=False),
        Binding("n", "note", "Note"),
        Binding("N", "person_note", "Note on person", show=False),
        Binding("h", "note_history", "Note history", show=False),
        Binding("p", "export('week')", "Print week"),
        Binding("u", "export('makeup')", "Make-up packs", show=False),
        Binding("w", "export('workbook')", "Workbook", show=False),
        Binding("W", "export('course')", "Whole course", show=False),
        Binding("R", "export('report')", "Report", show=False),
        Binding("i", "export('invites')", "Invites"),
        Binding("v", "export('csv')", "CSV", show=False),
        Binding("1", "tab('attendance')", "Tabs 1-5", show=True),
        Binding("2", "tab('roster')", "Roster", show=False),
        Binding("3", "tab('schedule')", "Schedule", show=False),
        Binding("4", "tab('notes')", "Notes", show=False),
        Binding("5", "tab('history')", "History", show=False),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, group_id: int) -> None:
        super().__init__()
        self.group_id = group_id
        self.group: Group | None = None
        self.schedule: Schedule | None = None
        self.session_titles: list[str] = []
        self.last_export: list[Path] = []
        """Files written by the most recent export (shown in a notification)."""
        self.last_erase: Erased | None = None
        """What the most recent erase did (shown in a notification)."""
        self.makeup_names: list[str] = []
        """Whose make-up packs the running export writes (named in its notification)."""
        self.grid_ids: list[int] = []
        """Participant ids in the attendance grid's row order."""
        self.last_reload = ""
        """Why the group was last read again ('' when this screen's own action did it)."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="group-title")
        with TabbedContent(id="tabs"):
            with TabPane("Attendance", id="tab-attendance"):
                yield AttendanceGrid(id="grid")
                yield Static("", id="grid-legend", markup=False)
            with TabPane("Roster", id="tab-roster"):
                yield DataTable(id="roster", cursor_type="row", zebra_stripes=True)
            with TabPane("Schedule", id="tab-schedule"):
                yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)
            with TabPane("Notes", id="tab-notes"):
                yield DataTable(id="notes", cursor_type="row", zebra_stripes=True)
            with TabPane("History", id="tab-history"):
                yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#roster", DataTable).add_columns(
            "Name", "Initial", "Email", "Joined", "Left", "Large print", "Files"
        )
        self.query_one("#schedule", DataTable).add_columns(
            "Week", "Date", "Time", "Status", "Session"
        )
        self.query_one("#notes", DataTable).add_columns("Week", "About", "Version", "Note")
        self.query_one("#history", DataTable).add_columns(
            "Week", "Item", "Planned", "Actual", "State"
        )
        self.reload()
        grid = self.query_one("#grid", AttendanceGrid)
        upcoming = self._upcoming()
        if upcoming is not None:  # start on the next meeting's column: the roll at the door
            grid.move_cursor(column=upcoming.week)
        grid.focus()

    def on_screen_resume(self) -> None:
        try:
            self.reload()
        except FacilitatorError as exc:  # e.g. back from a meeting while the server is away
            self.notify(exc.message, title="Could not read the group again", severity="error")

    # -- data -------------------------------------------------------------------------------

    def on_group_changed(self, message: GroupChanged) -> None:
        """A co-facilitator changed this group (live sharing): read it again."""
        if message.concerns(self.group_id):
            try:
                self.reload(message.reason)
            except FacilitatorError as exc:
                self.notify(exc.message, title="Could not show their change", severity="error")

    def reload(self, reason: str = "") -> None:
        """Read everything about the group again and repaint each tab (``reason``: why, e.g.
        a co-facilitator's change; kept in ``last_reload``)."""
        self.last_reload = reason
        store = self.fapp.store
        self.group = store.group(self.group_id)
        self.schedule = store.schedule(self.group_id)
        self.session_titles = [t for _, t in store.session_weeks(self.group_id)]
        g = self.group
        where = f" · {g.location}" if g.location else ""
        self.query_one("#group-title", Static).update(
            Text(
                f"{g.name} — shown to participants as “{g.display_name}” · {g.curriculum_id} · "
                f"{g.start_time:%H:%M} {g.timezone}{where}"
            )
        )
        tables = list(self.query(DataTable).results(DataTable))
        cursors = [t.cursor_coordinate for t in tables]
        self._fill_roster()
        self._fill_schedule()
        self._fill_grid()
        self._fill_notes()
        self._fill_history()
        for table, cursor in zip(tables, cursors, strict=True):  # keep each table's place
            if table.row_count:
                table.cursor_coordinate = table.validate_cursor_coordinate(cursor)

    # -- selection helpers ------------------------------------------------------------------

    def _tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or ""

    def _selected_participant(self) -> int | None:
        people = self.fapp.store.participants(self.group_id)
        if not people:
            return None
        if self._tab() == "tab-attendance":
            row, ids = self.query_one("#grid", AttendanceGrid).cursor_row, self.grid_ids
        else:
            row, ids = self.query_one("#roster", DataTable).cursor_row, [p.id for p in people]
        return ids[row] if 0 <= row < len(ids) else None

    def _selected_week(self) -> int | None:
        assert self.schedule is not None
        if self._tab() == "tab-schedule":
            table = self.query_one("#schedule", DataTable)
            if table.row_count == 0:
                return None
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
            return int(key[1:]) if key.startswith("w") else None
        if self._tab() == "tab-attendance":
            column = self.query_one("#grid", AttendanceGrid).cursor_column
            weeks = [m.week for m in self.schedule.meetings]
            if 1 <= column <= len(weeks):
                return weeks[column - 1]
        meeting = self._upcoming()
        return meeting.week if meeting else None

    def _upcoming(self) -> Meeting | None:
        from facilitator.overview import upcoming

        assert self.schedule is not None
        return upcoming(self.schedule, self.fapp.clock.now())

    def _guard(self, action: str) -> bool:
        if self.fapp.readonly_reason:
            self.notify(f"Cannot {action}: {self.fapp.readonly_reason}", severity="error")
            return False
        return True

    def _do(self, what: str, job: object) -> bool:
        """Run a store call; on failure (a full disk, a conflict) say so and return False.

        Nothing saved before is touched: each store call is one transaction.
        """
        try:
            job()  # type: ignore[operator]
        except FacilitatorError as exc:
            self.notify(exc.message, title=f"Could not {what}", severity="error", timeout=10)
            return False
        self.reload()
        return True

    # -- actions ----------------------------------------------------------------------------

    def action_tab(self, name: str) -> None:
        """Show one tab and put the keyboard in it."""
        self.query_one("#tabs", TabbedContent).active = f"tab-{name}"
        target = {"attendance": "#grid"}.get(name, f"#{name}")
        self.query_one(target).focus()

    def action_run_meeting(self) -> None:
        """Run the next meeting live (on the schedule tab: the selected one)."""
        upcoming = self._upcoming()
        week = (
            self._selected_week()
            if self._tab() == "tab-schedule" or upcoming is None
            else upcoming.week
        )
        if week is None:
            self.notify("No meeting selected.", severity="warning")
            return
        self.fapp.run_meeting(self.group_id, week)

    def action_edit_group(self) -> None:
        """Edit the group's settings (what follows is said after saving)."""
        from facilitator.tui.group_actions import edit_group

        edit_group(self.fapp, self.group_id, self.reload)

    def action_export(self, kind: str) -> None:
        """Print a week, make-up packs, the workbook, the whole course or the report; export
        invites or CSV.

        The work runs in a thread with a progress dialog; a notification says where the files
        went. Make-up packs and the week print use the selected (or next) meeting.
        """
        week = self._selected_week()
        if kind in ("week", "makeup") and week is None:
            self.notify("Select a meeting first.", severity="warning")
            return
        titles = {
            "week": f"Printing week {week}",
            "makeup": f"Make-up packs for week {week}",
            "workbook": "Printing the workbook",
            "course": "Printing the whole course: workbook, guides, sign-in sheets",
            "report": "Printing the group report",
            "invites": "Writing calendar invitations",
            "csv": "Exporting attendance",
        }
        dialog = ProgressDialog(titles[kind])
        self.app.push_screen(dialog)
        self.run_worker(
            lambda: self._export(kind, week, dialog),
            thread=True,
            group="export",
            exit_on_error=False,
        )

    def _export(self, kind: str, week: int | None, dialog: ProgressDialog) -> None:
        from facilitator import exports

        app = self.fapp
        ws, store = app.workspace, app.store

        def progress(done: int, total: int, name: str) -> None:
            app.call_from_thread(dialog.advance, done, total, name)

        try:
            group = store.group(self.group_id)
            if kind == "invites":
                made = exports.invite_set(
                    store, ws.library, ws.settings, group, stamp=app.clock.now()
                )
                out = exports.invites_dir(ws.data_dir, group.id)
                paths = exports.write_invites(store, made, out, group.id)
                if made.skipped:  # say who got no file of their own, and why
                    app.call_from_thread(
                        self.notify,
                        "No invitation for: " + "; ".join(made.skipped),
                        title="Not invited",
                        severity="warning",
                        timeout=20,
                    )
            elif kind == "csv":
                target = exports.csv_path(ws.data_dir, group.id)
                out = target.parent
                paths = [exports.attendance_csv(store, group.id, target)]
            else:
                paths = self._print(kind, week, group, progress)
                out = exports.prints_dir(ws.data_dir, group.id)
        except FacilitatorError as exc:
            app.call_from_thread(self._export_done, dialog, [], None, exc.message)
            return
        app.call_from_thread(self._export_done, dialog, paths, out, "")

    def _print(self, kind: str, week: int | None, group: Group, progress: Progress) -> list[Path]:
        from facilitator import exports
        from facilitator.outputs.pdf import runs
        from facilitator.outputs.pdf.document import PrintOptions

        app = self.fapp
        ws, store = app.workspace, app.store
        settings = ws.settings
        options = PrintOptions(
            settings.effective_paper(), settings.large_print, duplex=settings.duplex
        )
        course = exports.course(store, ws.library, ws.settings, group)
        if kind == "week":
            assert week is not None
            jobs = runs.week_jobs(course, week, options)
        elif kind == "makeup":
            assert week is not None
            jobs = runs.makeup_jobs(course, week, options)
            # the screen is private: say whose packs these are, not only their file ids
            self.makeup_names = [p.sign_in_name for p in course.absent(week)]
        elif kind == "workbook":
            jobs = runs.workbook_jobs(course, options)
        elif kind == "course":
            jobs = runs.course_jobs(course, options)
        else:
            jobs = runs.report_jobs(
                course, store.summary(group.id), options, exports.timings(store, group.id)
            )
        return exports.write_jobs(
            store,
            jobs,
            exports.prints_dir(ws.data_dir, group.id),
            group_id=group.id,
            progress=progress,
        )

    def _export_done(
        self, dialog: ProgressDialog, paths: list[Path], out: Path | None, error: str
    ) -> None:
        dialog.dismiss()
        if error:
            self.notify(error, title="Nothing written", severity="error", markup=False)
        elif not paths:
            self.notify("Nothing to write (for make-up packs: nobody missed that meeting).")
        else:
            names = ", ".join(p.name for p in paths[:4]) + (" ..." if len(paths) > 4 else "")
            whose = (
                f"Make-up packs for {', '.join(self.makeup_names)}. " if self.makeup_names else ""
            )
            self.notify(
                f"{whose}{len(paths)} file(s) in {out}: {names}",
                title="Saved",
                timeout=12,
                markup=False,
            )
        self.makeup_names = []
        self.last_export = paths
