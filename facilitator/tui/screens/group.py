"""One group: attendance, roster, schedule, notes and meeting history, each a tab of its own.

The screen is a thin host. It reads the group (``reload``) and hands the result down to every
tab (a ``GroupView`` set as each pane's ``view``); each tab is a widget that owns its keys and
actions (``AttendancePane``, ``RosterPane``, ``SchedulePane``, ``NotesPane``, ``HistoryPane``)
and posts a message up when it changed something or needs a sibling to act. The screen's own
keys span the tabs: back, run, print and export, edit the group, switch tabs, and the week-wise
keys where a tab selects no meeting (the next one then).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TabbedContent

from facilitator.actions import overview
from facilitator.actions.overview import GroupView
from facilitator.errors import FacilitatorError, ServerUnreachable
from facilitator.tui.live import GroupChanged
from facilitator.tui.screens.attendance_tab import AttendancePane
from facilitator.tui.screens.notes_tab import HistoryPane, NotesPane
from facilitator.tui.screens.pane import GroupPane, MeetingAction, next_meeting
from facilitator.tui.screens.roster_tab import RosterPane
from facilitator.tui.screens.schedule_tab import SchedulePane
from facilitator.tui.widgets.progress import ProgressDialog

if TYPE_CHECKING:
    from textual.widget import Widget

    from facilitator.actions.roster import Erased
    from facilitator.tui.app import FacilitatorApp


class GroupScreen(Screen[None]):
    """Everything about one group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run_meeting", "Run meeting"),
        Binding("a", "add_participant", "Add person", show=False),
        Binding("G", "edit_group", "Edit group", show=False),
        Binding("p", "export('week')", "Print week"),
        Binding("u", "export('makeup')", "Make-up packs", show=False),
        Binding("w", "export('workbook')", "Workbook", show=False),
        Binding("W", "export('course')", "Whole course", show=False),
        Binding("R", "export('report')", "Report", show=False),
        Binding("i", "export('invites')", "Invites", show=False),
        Binding("v", "export('csv')", "CSV", show=False),
        # week-wise keys on a tab that selects no meeting: the next meeting
        Binding("m", "meeting('move')", "Move the next meeting", show=False),
        Binding("c", "meeting('cancel')", "Cancel the next meeting", show=False),
        Binding("k", "meeting('skip')", "Skip the next meeting", show=False),
        Binding("U", "meeting('use_plan')", "Another plan for the next meeting", show=False),
        Binding("n", "note", "Note on the next meeting", show=False),
        Binding("N", "hint('N')", show=False),
        Binding("h", "hint('h')", show=False),
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
        self.view: GroupView | None = None
        """The group as last read (each pane is given it as its ``view``)."""
        self._title = ""
        self._just_opened = False
        self.last_reload = ""
        """Why the group was last read again (a tab's change, "resumed", a co-facilitator)."""
        self.last_export: list[Path] = []
        """Files written by the most recent export (shown in a notification)."""
        self.last_erase: Erased | None = None
        """What the most recent erase did (shown in a notification)."""
        self.makeup_names: list[str] = []
        """Whose make-up packs the running export writes (named in its notification)."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="group-title")
        with TabbedContent(id="tabs"):
            for pane in (AttendancePane, RosterPane, SchedulePane, NotesPane, HistoryPane):
                yield pane(self.group_id)
        yield Footer()

    def on_mount(self) -> None:
        self.reload("opened")
        self._just_opened = True
        self.query_one("#grid").focus()

    def on_screen_resume(self) -> None:
        if self._just_opened:  # shown for the first time: on_mount has just read the group
            self._just_opened = False
            return
        self.reload("resumed")

    # -- data down --------------------------------------------------------------------------

    def on_group_changed(self, message: GroupChanged) -> None:
        """A co-facilitator changed this group (live sharing): read it again."""
        if message.concerns(self.group_id):
            self.reload(message.reason)

    def reload(self, reason: str = "") -> None:
        """Read the group again from the store and hand it down to every tab.

        The hook for anything that changed the group from outside this screen (a meeting run,
        a co-facilitator's change): ``reason`` says why, and is kept in ``last_reload``. A group
        that is gone closes the screen with a note; a server out of reach leaves what is shown
        and says so.
        """
        self.last_reload = reason
        try:
            view = overview.group(self.fapp.store, self.group_id)
        except ServerUnreachable as exc:  # e.g. back from a meeting while the server is away
            self.notify(exc.message, title="Could not read the group again", severity="error")
            return
        except FacilitatorError as exc:
            self.notify(exc.message, title="This group is gone", severity="error")
            if self.is_current:
                self.dismiss()
            return
        self._show_title(view, view.counts())
        self.view = view
        for pane in self.query(GroupPane).results(GroupPane):
            pane.view = view

    def _show_title(self, view: GroupView, counts: str) -> None:
        """The header: the group as set up, then its counts (members, meetings, at risk)."""
        g = view.group
        where = f" · {g.location}" if g.location else ""
        title = Text(
            f"{g.name} — shown to participants as “{g.display_name}” · {g.curriculum_id} · "
            f"{g.start_time:%H:%M} {g.timezone}{where}"
        )
        title.append(f"  ·  {counts}", style="not bold")
        if title.plain != self._title:  # most marks change no count: no repaint then
            self._title = title.plain
            self.query_one("#group-title", Static).update(title)

    # -- messages up ------------------------------------------------------------------------

    def on_attendance_pane_roll_saved(self, message: AttendancePane.RollSaved) -> None:
        """One mark: only the counts change (the grid shows the mark); a whole roll: all."""
        if message.summary is None or self.view is None:
            self.reload(f"week {message.week}'s roll")
        else:
            self._show_title(self.view, self.view.counts(message.summary))

    def on_roster_pane_changed(self, message: RosterPane.Changed) -> None:
        if message.erased is not None:
            self.last_erase = message.erased
        self.reload(f"roster: {message.what}")

    def on_schedule_pane_changed(self, message: SchedulePane.Changed) -> None:
        self.reload(f"schedule: {message.what}")

    def on_notes_pane_note_saved(self, message: NotesPane.NoteSaved) -> None:
        self.reload(f"week {message.week}'s note")

    def on_group_pane_person_action_requested(
        self, message: GroupPane.PersonActionRequested
    ) -> None:
        self.query_one(RosterPane).act(message.action, message.participant_id)

    def on_group_pane_meeting_action_requested(
        self, message: GroupPane.MeetingActionRequested
    ) -> None:
        week = message.week if message.week is not None else self._next_week()
        if week is None:
            self.notify("No meeting selected.", severity="warning")
            return
        self.query_one(SchedulePane).act(message.action, week)

    def on_group_pane_note_requested(self, message: GroupPane.NoteRequested) -> None:
        self.query_one(NotesPane).edit(message.week, message.participant_id)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """A tab shown (by a key or the mouse) takes the keyboard, so its keys work."""
        if isinstance(event.pane, GroupPane) and not event.pane.has_focus_within:
            event.pane.focus_main()

    # -- selection --------------------------------------------------------------------------

    def active_pane(self) -> GroupPane:
        """The tab shown."""
        tabs = self.query_one("#tabs", TabbedContent)
        return self.query_one(f"#{tabs.active or 'tab-attendance'}", GroupPane)

    def selected_week(self) -> int | None:
        """The meeting selected on the shown tab; on a tab that selects none, the next one."""
        pane = self.active_pane()
        return pane.selected_week() if pane.SELECTS_WEEK else self._next_week()

    def _next_week(self) -> int | None:
        meeting = next_meeting(self.fapp, self.view.schedule) if self.view else None
        return meeting.week if meeting else None

    def key_bindings(self) -> list[tuple[Widget, Binding]]:
        """The keys that work here now: the shown tab's own, then the screen's (help and the
        command palette list these)."""
        pane = self.active_pane()
        seen: set[str] = set()
        found: list[tuple[Widget, Binding]] = []
        for node in (pane, self):
            for binding in node.BINDINGS:
                if isinstance(binding, Binding) and binding.key not in seen:
                    seen.add(binding.key)
                    found.append((node, binding))
        return found

    @property
    def grid_ids(self) -> list[int]:
        """Participant ids in the attendance grid's row order."""
        return self.query_one(AttendancePane).grid_ids

    # -- actions ----------------------------------------------------------------------------

    def action_tab(self, name: str) -> None:
        """Show one tab and put the keyboard in it."""
        self.query_one("#tabs", TabbedContent).active = f"tab-{name}"
        self.query_one(f"#tab-{name}", GroupPane).focus_main()

    def action_run_meeting(self) -> None:
        """Run the next meeting live (when none is left: the one selected on this tab)."""
        week = self._next_week()
        if week is None:
            week = self.active_pane().selected_week()
        if week is None:
            self.notify("No meeting selected.", severity="warning")
            return
        self.fapp.run_meeting(self.group_id, week)

    def action_add_participant(self) -> None:
        """Enrol someone (the roster tab's form)."""
        self.query_one(RosterPane).action_add_participant()

    def action_meeting(self, action: MeetingAction) -> None:
        """Move, cancel, skip or re-plan the next meeting (tabs that select no meeting)."""
        week = self._next_week()
        if week is None:
            self.notify("No meeting selected.", severity="warning")
            return
        self.query_one(SchedulePane).act(action, week)

    def action_note(self) -> None:
        """The next meeting's group note (tabs that select no meeting)."""
        week = self._next_week()
        if week is not None:
            self.query_one(NotesPane).edit(week, None)

    def action_hint(self, key: str) -> None:
        """Say where a tab's own key works."""
        if key == "N":
            self.notify("Choose a person and a week in the attendance grid first.")
        else:
            self.notify("Select a note on the Notes tab first.")

    def action_edit_group(self) -> None:
        """Edit the group's settings (what follows is said after saving)."""
        from facilitator.tui.group_actions import edit_group

        edit_group(self.fapp, self.group_id, lambda: self.reload("group edited"))

    def action_export(self, kind: str) -> None:
        """Print a week, make-up packs, the workbook, the whole course or the report; export
        invites or CSV.

        The work runs in a thread with a progress dialog; a notification says where the files
        went. Make-up packs and the week print use the selected (or next) meeting.
        """
        week = self.selected_week()
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
        from facilitator.actions import exports, invites, printing

        app = self.fapp
        ws, store = app.workspace, app.store

        def progress(done: int, total: int, name: str) -> None:
            app.call_from_thread(dialog.advance, done, total, name)

        try:
            if kind == "invites":
                made = invites.write(ws, store, self.group_id, stamp=app.clock.now())
                paths, out = list(made.paths), made.folder
                if made.skipped:  # say who got no file of their own, and why
                    app.call_from_thread(
                        self.notify,
                        "No invitation for: " + "; ".join(made.skipped),
                        title="Not invited",
                        severity="warning",
                        timeout=20,
                    )
            elif kind == "csv":
                paths = [exports.attendance_csv(ws, store, self.group_id)]
                out = paths[0].parent
            else:
                run = printing.plan(ws, store, self.group_id, printing.What(kind), week=week)
                # the screen is private: say whose make-up packs these are, not only file ids
                self.makeup_names = list(run.makeup_names)
                paths, out = printing.write(store, run, progress=progress), run.folder
        except FacilitatorError as exc:
            app.call_from_thread(self._export_done, dialog, [], None, exc.message)
            return
        app.call_from_thread(self._export_done, dialog, paths, out, "")

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
