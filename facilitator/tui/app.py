"""The application object and its factory, used by the CLI and by tests."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from facilitator.errors import FacilitatorError
from facilitator.tui.clock import Clock, SystemClock
from facilitator.workspace import Workspace

if TYPE_CHECKING:
    from facilitator.store import Store
    from facilitator.tui.outbox import Outbox


class FacilitatorApp(App[None]):
    """Plan, run and document groups."""

    TITLE = "facilitator"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark,f1", "help", "Help"),
    ]

    def __init__(self, workspace: Workspace, clock: Clock | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.clock: Clock = clock or SystemClock()
        self.readonly_reason = ""
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self._outbox: Outbox | None = None
        self._quit_warned = False

    @property
    def store(self) -> Store:
        """The database, opened on first use (the home screen does that off the UI thread)."""
        with self._store_lock:
            if self._store is None:
                self._store = self._open_store()
            return self._store

    @property
    def outbox(self) -> Outbox:
        """Saves that must survive the server being out of reach (tui/outbox.py)."""
        if self._outbox is None:
            from facilitator.tui.outbox import Outbox

            self._outbox = Outbox(
                inline=self.store.engine != "postgresql",
                report=self.call_from_thread,
                failed=lambda label, message: self.notify(
                    message, title=f"Not saved: {label}", severity="error", timeout=15
                ),
            )
        return self._outbox

    @property
    def outbox_started(self) -> bool:
        return self._outbox is not None

    async def action_quit(self) -> None:
        """Quit; with saves still waiting for the server, say so first (a second Ctrl+Q
        quits without them)."""
        waiting = self._outbox.pending if self._outbox is not None else 0
        if waiting and not self._quit_warned:
            self._quit_warned = True
            self.notify(
                f"{waiting} change(s) are not saved yet: the server is out of reach. "
                "Press Ctrl+Q again to quit without them.",
                severity="warning",
                timeout=15,
            )
            return
        await super().action_quit()

    def _open_store(self) -> Store:
        """Open the database; fall back to read-only with a banner if it cannot be written."""
        from facilitator.actions.data import open_data

        opened = open_data(self.workspace, actor="app", lenient=True)
        self.readonly_reason = opened.readonly_reason
        return opened.store

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications never interpret markup: messages may carry names and file paths."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        from facilitator.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        from facilitator.tui import live

        live.start(self)  # co-facilitators' changes, on a PostgreSQL store

    def on_unmount(self) -> None:
        if self._outbox is not None:
            self._outbox.close()
        if self._store is not None:
            self._store.close()

    # -- navigation used by screens and the command palette ----------------------------------

    def open_group(self, group_id: int) -> None:
        """Show one group."""
        from facilitator.tui.screens.group import GroupScreen

        self.push_screen(GroupScreen(group_id))

    def export(self, group_id: int, kind: str) -> None:
        """Open a group and start one of its exports (print, invites, ...)."""
        from facilitator.tui.screens.group import GroupScreen

        screen = GroupScreen(group_id)
        self.push_screen(screen)
        self.call_after_refresh(screen.action_export, kind)

    def run_meeting(self, group_id: int, week: int) -> None:
        """Open the live runner for one meeting (resuming it if it was interrupted)."""
        from facilitator.actions import meetings
        from facilitator.tui.screens.runner import RunnerScreen

        try:
            to_run = meetings.prepare(self.workspace, self.store, group_id, week, self.clock.now())
        except FacilitatorError as exc:
            self.notify(exc.message, severity="error")
            return
        group, meeting, plan, days = to_run.group, to_run.meeting, to_run.plan, to_run.days_ahead
        if to_run.ask_first:
            from facilitator.tui.widgets.dialogs import ConfirmDialog

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.push_screen(RunnerScreen(group, meeting, plan))

            self.push_screen(
                ConfirmDialog(
                    f"Week {week} meets on {meeting.start:%a %d %b %Y}, in {days} day(s). "
                    "Run it now?",
                    "Running it records its timings and any roll you take as that week's.",
                    yes="Run it now",
                ),
                confirmed,
            )
            return
        self.push_screen(RunnerScreen(group, meeting, plan))

    def new_group(self) -> None:
        """The new-group form (Home's g, and "New group" in the command palette)."""
        from facilitator.tui.group_actions import new_group

        new_group(self)

    def edit_settings(self) -> None:
        """Settings: support lines (locale), paper, large print, duplex."""
        from facilitator.actions import settings
        from facilitator.tui.widgets.settings_dialog import SettingsDialog

        def save(values: dict[str, str | bool] | None) -> None:
            if values is None:
                return
            try:
                saved = settings.save(self.workspace, **values)
            except FacilitatorError as exc:
                self.notify(exc.message, title="Settings not saved", severity="error")
                return
            except ImportError:  # an environment installed before tomlkit was a dependency
                self.notify(
                    "Saving settings needs the tomlkit package: reinstall facilitator.",
                    title="Settings not saved",
                    severity="error",
                )
                return
            self.notify(
                f"Saved. Support lines: {saved.locale or 'each group’s own country'}.",
                title="Settings",
            )

        try:
            current = settings.current(self.workspace)
        except FacilitatorError as exc:
            self.notify(exc.message, title="Fix settings.toml first", severity="error")
            return
        self.push_screen(SettingsDialog(current), save)

    def open_builder(self, curriculum_id: str) -> None:
        """Open the curriculum builder."""
        from facilitator.tui.screens.builder import BuilderScreen

        self.push_screen(BuilderScreen(curriculum_id))

    def action_help(self) -> None:
        """Show the keys of the current screen (a dialog's too, such as the door roll)."""
        from facilitator.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette: the app's own commands, then Textual's."""
        from facilitator.actions import overview

        yield SystemCommand("New group", "Create a group from a curriculum", self.new_group)
        yield SystemCommand("Settings", "Support lines, paper, large print", self.edit_settings)
        for row in overview.rows(self.store, self.clock.now()):
            gid = row.group.id
            yield SystemCommand(
                f"Open group: {row.group.name}",
                "Roster, schedule, attendance",
                lambda gid=gid: self.open_group(gid),
            )
            if row.meeting is not None:
                week = row.meeting.week
                yield SystemCommand(
                    f"Run meeting: {row.group.name}, week {week}",
                    "The live agenda runner",
                    lambda gid=gid, week=week: self.run_meeting(gid, week),
                )
                yield SystemCommand(
                    f"Print week {week}: {row.group.name}",
                    "Facilitator guide and the packet of worksheets",
                    lambda gid=gid: self.export(gid, "week"),
                )
            for kind, what in (
                ("course", "Print whole course"),
                ("invites", "Calendar files"),
                ("report", "Group report"),
            ):
                yield SystemCommand(
                    f"{what}: {row.group.name}",
                    "Written into the private data folder",
                    lambda gid=gid, kind=kind: self.export(gid, kind),
                )
        for ident in sorted(self.workspace.library.curricula):
            yield SystemCommand(
                f"Edit curriculum: {ident}",
                "The curriculum builder",
                lambda ident=ident: self.open_builder(ident),
            )
        yield SystemCommand("Help", "Keys for this screen", self.action_help)
        yield from _screen_commands(screen)
        # Textual's own: only what a facilitator needs (no screenshots, key panel, maximize)
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Quit"):
                yield command


def _screen_commands(screen: Screen[object]) -> Iterable[SystemCommand]:
    """The current screen's own actions (print, make-up packs, move, skip, cancel, runner
    steps...; on the group screen the shown tab's first), named as in its help, so the palette
    offers what this screen can do."""
    from facilitator.tui.screens.help import screen_keys

    if screen.is_modal:
        return
    for node, binding in screen_keys(screen):
        if not binding.description:
            continue
        if binding.action.startswith(("app.", "tab(")) or binding.action == "leave":
            continue
        key = binding.key.split(",")[0].replace("_", " ")
        yield SystemCommand(
            binding.description,
            f"This screen (key {key})",
            lambda node=node, action=binding.action: node.run_action(action),
        )


def make_app(workspace: Workspace, clock: Clock | None = None) -> FacilitatorApp:
    """Build the app for a workspace (the CLI and the tests both use this)."""
    return FacilitatorApp(workspace, clock)
