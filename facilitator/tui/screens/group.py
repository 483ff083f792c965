"""One group: roster, schedule, attendance grid, notes and meeting history, in tabs."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    Group,
    Meeting,
    Participant,
    Schedule,
    SlotKind,
)
from facilitator.tui.screens.attendance_tab import AttendanceTab
from facilitator.tui.screens.notes_tab import NotesTab
from facilitator.tui.widgets.choice import ChoiceDialog
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextDialog
from facilitator.tui.widgets.grid import AttendanceGrid
from facilitator.tui.widgets.person_dialog import PersonDialog, PersonForm
from facilitator.tui.widgets.plan_choice import PlanChoice
from facilitator.tui.widgets.progress import ProgressDialog

if TYPE_CHECKING:
    from facilitator.actions.roster import Erased
    from facilitator.exports import Progress
    from facilitator.tui.app import FacilitatorApp


def slot_label(kind: str, reason: str) -> str:
    """ "skipped (Christmas Day)", "cancelled" (never "cancelled (cancelled)")."""
    return f"{kind} ({reason})" if reason and kind not in reason else str(kind)


def erase_summary(result: Erased) -> str:
    """The notification after an erase: files deleted, files not reached, backups."""
    parts = [f"Deleted {len(result.deleted)} file(s) that named them."]
    if result.reprintable:
        parts.append(
            f"{len(result.reprintable)} listed the whole group "
            f"({', '.join(p.name for p in result.reprintable[:3])}"
            f"{' ...' if len(result.reprintable) > 3 else ''}): print them again if needed."
        )
    if result.unreachable:
        parts.append(
            "Could not delete (do it by hand): "
            + "; ".join(f"{p} ({why})" for p, why in result.unreachable)
        )
    held = ", ".join(str(p) for p in result.backups)
    parts.append(f"Backups made earlier still hold the name{': ' + held if held else ''}.")
    return " ".join(parts)


class GroupScreen(AttendanceTab, NotesTab, Screen[None]):
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
        self.reload()

    # -- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything about the group again and repaint each tab."""
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

    def _fill_roster(self) -> None:
        table = self.query_one("#roster", DataTable)
        table.clear()
        for p in self.fapp.store.participants(self.group_id):
            table.add_row(
                Text(p.preferred_name),
                Text(p.last_initial),
                Text(p.email),
                str(p.joined or ""),
                str(p.left or ""),
                "yes" if p.large_print else "",
                p.file_id,
                key=str(p.id),
            )

    def _fill_schedule(self) -> None:
        assert self.schedule is not None
        table = self.query_one("#schedule", DataTable)
        table.clear()
        for slot in self.schedule.slots:
            if slot.kind in (SlotKind.SKIPPED, SlotKind.CANCELLED):
                table.add_row(
                    "",
                    f"{slot.start:%a %d %b %Y}",
                    f"{slot.start:%H:%M}",
                    Text(slot_label(slot.kind, slot.reason), style="dim"),
                    "",
                )
        for m in self.schedule.meetings:
            status = "dropped" if m.cancelled else ("moved" if m.moved else "")
            table.add_row(
                str(m.week),
                f"{m.start:%a %d %b %Y}",
                f"{m.start:%H:%M}",
                status,
                Text(self._title(m.week)),
                key=f"w{m.week}",
            )
        table.sort(table.ordered_columns[1].key, key=lambda d: datetime.strptime(d, "%a %d %b %Y"))

    def _title(self, week: int) -> str:
        return self.session_titles[week - 1] if 0 < week <= len(self.session_titles) else ""

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

    def action_add_participant(self) -> None:
        """Enrol someone: name (a full name is split), last initial, e-mail, large print."""
        if not self._guard("add a person"):
            return

        def enrol(form: PersonForm | None) -> None:
            if form is None:
                return
            store = self.fapp.store
            twins = [
                p
                for p in store.participants(self.group_id)
                if p.left is None
                and p.preferred_name.casefold() == form.preferred_name.casefold()
                and p.last_initial.casefold() == form.last_initial.casefold()
            ]
            today = self.fapp.clock.now().date()
            if self._do(
                "add the person",
                lambda: store.enrol(
                    self.group_id,
                    form.preferred_name,
                    last_initial=form.last_initial,
                    email=form.email,
                    large_print=form.large_print,
                    joined=today,
                ),
            ):
                shown = Participant(0, 0, form.preferred_name, form.last_initial).sign_in_name
                self.notify(f"Added {shown} and saved.")
                self._warn_script(form.preferred_name, form.last_initial)
                if twins:
                    self.notify(
                        f"{shown} was already in the group (id {twins[0].id}): if this is the "
                        "same person, erase the new entry (x on the roster).",
                        severity="warning",
                        timeout=12,
                    )

        self.app.push_screen(PersonDialog("Add a person"), enrol)

    def action_edit_participant(self) -> None:
        """Change the selected person's name, initial, e-mail or large print."""
        pid = self._selected_participant()
        if pid is None or not self._guard("edit a person"):
            return
        person = self.fapp.store.participant(pid)

        def save(form: PersonForm | None) -> None:
            if form is None:
                return
            if self._do(
                "save the change",
                lambda: self.fapp.store.update_participant(
                    pid,
                    preferred_name=form.preferred_name,
                    last_initial=form.last_initial,
                    email=form.email,
                    large_print=form.large_print,
                ),
            ):
                self.notify("Saved.")
                self._warn_script(form.preferred_name, form.last_initial)

        self.app.push_screen(PersonDialog(f"Edit {person.sign_in_name}", person), save)

    def _warn_script(self, name: str, initial: str) -> None:
        """Warn when no installed font prints the script of a name just entered."""
        from facilitator.actions.roster import script_warning

        warning = script_warning(name, initial)
        if warning:
            self.notify(
                warning[0].upper() + warning[1:], title="Name", severity="warning", timeout=15
            )

    def action_large_print(self) -> None:
        """Switch large print on or off for the selected person's worksheets."""
        pid = self._selected_participant()
        if pid is None or not self._guard("change large print"):
            return
        person = self.fapp.store.participant(pid)
        self._do(
            "save the change",
            lambda: self.fapp.store.update_participant(pid, large_print=not person.large_print),
        )
        self.notify(
            f"Large print {'off' if person.large_print else 'on'} for {person.sign_in_name}."
        )

    def action_leave(self) -> None:
        """The selected person leaves the group today (their record stays)."""
        pid = self._selected_participant()
        if pid is None or not self._guard("end a membership"):
            return
        person = self.fapp.store.participant(pid)
        today: date = self.fapp.clock.now().date()

        def done(ok: bool | None) -> None:
            if ok:
                self._do("end the membership", lambda: self.fapp.store.leave(pid, today))

        self.app.push_screen(
            ConfirmDialog(
                f"{person.sign_in_name} leaves the group today?",
                "They stay in past attendance; they get no further worksheets or invitations.",
                yes="Leaves",
            ),
            done,
        )

    def action_erase(self) -> None:
        """Remove the selected person entirely (name, attendance and notes)."""
        pid = self._selected_participant()
        if pid is None or not self._guard("erase"):
            return
        person = self.fapp.store.participant(pid)

        def done(ok: bool | None) -> None:
            if not ok:
                return
            from facilitator.actions.roster import erase

            try:
                result = erase(self.fapp.workspace, self.fapp.store, pid)
            except FacilitatorError as exc:
                self.notify(exc.message, title="Could not erase", severity="error", timeout=10)
                return
            self.last_erase = result
            self.reload()
            self.notify(
                erase_summary(result),
                title="Erased",
                severity="warning" if result.unreachable else "information",
                timeout=15,
                markup=False,
            )

        self.app.push_screen(
            ConfirmDialog(
                f"Erase {person.sign_in_name} completely?",
                "Their name, attendance and notes are removed from the database for good, and "
                "every file that names them is deleted, printouts of the whole group too (print "
                "them again). Backups made earlier still contain them. Use 'Leaves' to keep "
                "their record.",
                yes="Erase",
            ),
            done,
        )

    def action_move(self) -> None:
        """Move the selected meeting to another date and time."""
        week = self._selected_week()
        if week is None or not self._guard("move a meeting"):
            return
        assert self.schedule is not None
        current = self.schedule.meeting(week).start

        def move(value: str | None) -> None:
            if not value:
                return
            try:
                start = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
            except ValueError:  # ask again with the text as typed, so nothing is lost
                self.notify("Write the new time as YYYY-MM-DD HH:MM.", severity="error")
                self.app.push_screen(
                    TextDialog(f"Move week {week} to (YYYY-MM-DD HH:MM)", value), move
                )
                return
            self._do(
                "move the meeting", lambda: self.fapp.store.move_meeting(self.group_id, week, start)
            )
            self.notify(f"Week {week} moved; other weeks unchanged. Send updated invites.")

        self.app.push_screen(
            TextDialog(f"Move week {week} to (YYYY-MM-DD HH:MM)", f"{current:%Y-%m-%d %H:%M}"), move
        )

    def action_cancel_meeting(self) -> None:
        """Cancel the selected meeting: push it and the later sessions on a week, or drop it."""
        week = self._selected_week()
        if week is None or not self._guard("cancel a meeting"):
            return

        def chosen(how: str | None) -> None:
            if how is None:
                return
            drop = how == "drop"
            if self._do(
                "cancel",
                lambda: self.fapp.store.cancel_meeting(self.group_id, week, drop=drop),
            ):
                self.notify(
                    f"Week {week}'s session dropped; later dates unchanged."
                    if drop
                    else f"Week {week} cancelled; it and every later session move one week on."
                )

        self.app.push_screen(
            ChoiceDialog(
                f"Cancel week {week}'s meeting?",
                "Push on: the group still gets every session and the course ends a week later. "
                "Drop: this session is not held at all and later weeks keep their dates. "
                "Send updated invitations afterwards.",
                [("push", "Push on"), ("drop", "Drop the session")],
            ),
            chosen,
        )

    def action_edit_group(self) -> None:
        """Edit the group's settings (what follows is said after saving)."""
        from facilitator.tui.group_actions import edit_group

        edit_group(self.fapp, self.group_id, self.reload)

    def action_use_plan(self) -> None:
        """Hold another plan (an alternate first) in the selected week, if not yet held."""
        week = self._selected_week()
        if week is None or not self._guard("change a week's plan"):
            return
        library = self.fapp.workspace.library
        assert self.group is not None
        entry = library.curricula.get(self.group.curriculum_id)
        current = self.fapp.store.session_weeks(self.group_id)[week - 1][0]
        spec = next((w for w in entry.model.weeks if w.number == week), None) if entry else None
        alternates = [
            (a, library.sessions[a].model.title)
            for a in (spec.alternates if spec else ())
            if a in library.sessions
        ]
        taken = {a for a, _ in alternates}
        others = sorted(
            ((i, e.model.title) for i, e in library.sessions.items() if i not in taken),
            key=lambda pair: pair[1].casefold(),
        )

        def use(ident: str | None) -> None:
            if not ident or ident == current:
                return
            plan = library.plan(ident)
            if self._do(
                "change the plan",
                lambda: self.fapp.store.use_session(self.group_id, week, plan.id, plan.title),
            ):
                self.notify(
                    f"Week {week} now uses “{plan.title}”. Export invitations again (i) to "
                    "update the facilitators' calendars."
                )

        self.app.push_screen(PlanChoice(f"Plan for week {week}", current, alternates, others), use)

    def action_skip(self) -> None:
        """Skip the selected meeting's date (like a holiday)."""
        week = self._selected_week()
        if week is None or not self._guard("skip a week"):
            return
        assert self.schedule is not None
        day = self.schedule.meeting(week).start.date()
        later = len(self.schedule.meetings) - week

        def done(ok: bool | None) -> None:
            if ok and self._do("skip", lambda: self.fapp.store.skip_date(self.group_id, day)):
                self.notify(f"No meeting on {day}; later sessions moved one week on.")

        self.app.push_screen(
            ConfirmDialog(
                f"No meeting on {day:%a %d %b %Y}?",
                f"Week {week} and the {later} week(s) after it each move one week later, so the "
                "group still gets every session. Send updated invitations afterwards.",
                yes="Skip this date",
            ),
            done,
        )

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
