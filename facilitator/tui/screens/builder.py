"""The curriculum builder: the library of plans beside the weeks of one curriculum."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from facilitator.actions import content
from facilitator.errors import FacilitatorError
from facilitator.tui.editor import edit_in_editor
from facilitator.tui.plans import matches, preview
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextDialog

if TYPE_CHECKING:
    from facilitator.content.editing import CurriculumDraft
    from facilitator.tui.app import FacilitatorApp


class BuilderScreen(Screen[None]):
    """Arrange plans into weeks; the time budget and problems update with every edit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add_week", "Add week"),
        Binding("d", "remove_week", "Remove week"),
        Binding("shift+up", "move(-1)", "Move up"),
        Binding("shift+down", "move(1)", "Move down"),
        Binding("w", "swap", "Swap into week"),
        Binding("v", "alternate", "Use alternate"),
        Binding("f", "fork", "Fork"),
        Binding("e", "edit_plan", "Edit plan"),
        Binding("n", "rename", "Rename"),
        Binding("N", "rename_plan", "Rename plan", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+s", "save", "Save"),
        Binding("slash", "focus_filter", "Filter", show=False),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, curriculum_id: str) -> None:
        super().__init__()
        self.curriculum_id = curriculum_id
        self.draft: CurriculumDraft | None = None
        self.dirty = False
        self.plan_ids: list[str] = []
        self.undo: list[str] = []
        """The file's text before each change, newest last (u takes the last one back)."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="builder-title")
        with Horizontal(id="builder"):
            with Vertical(id="library-pane"):
                yield Static("Session plans", classes="section-title")
                yield Input(
                    placeholder="Filter: words, tag:x, kind:exercise  ( / )", id="plan-filter"
                )
                yield DataTable(id="plans", cursor_type="row", zebra_stripes=True)
            with Vertical(id="weeks-pane"):
                yield Static("Weeks", classes="section-title")
                yield DataTable(id="weeks", cursor_type="row", zebra_stripes=True)
                yield Static("", id="budget")
                yield Static("", id="builder-problems", markup=False)
        with VerticalScroll(id="preview"):
            yield Static("", id="preview-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        plans = self.query_one("#plans", DataTable)
        for label, width in (("Title", 30), ("Min", 3), ("Id", 30)):
            plans.add_column(label, width=width)
        weeks = self.query_one("#weeks", DataTable)
        for label, width in (("Wk", 2), ("Plan", 30), ("Min", 3), ("Alternates", 40)):
            weeks.add_column(label, width=width)
        self._open()
        self.query_one("#weeks", DataTable).focus()

    def _open(self) -> None:
        library = self.fapp.workspace.library
        entry = library.curricula.get(self.curriculum_id)
        if entry is None:
            self.notify(f"No curriculum '{self.curriculum_id}'.", severity="error")
            return
        self.draft = content.open_draft(self.fapp.workspace, self.curriculum_id)
        where = (
            "bundled: read-only, press f to fork" if self.draft.bundled else str(self.draft.path)
        )
        self.query_one("#builder-title", Static).update(
            Text(f"{entry.model.title} [{self.draft.id}] · {where}")
        )
        self._fill_plans("")
        self._refresh()

    # -- painting ---------------------------------------------------------------------------

    def _fill_plans(self, query: str) -> None:
        library = self.fapp.workspace.library
        table = self.query_one("#plans", DataTable)
        table.clear()
        entries = [
            e
            for e in sorted(library.sessions.values(), key=lambda e: e.model.id)
            if matches(e, query)
        ]
        self.plan_ids = [e.model.id for e in entries]
        for e in entries:
            table.add_row(Text(e.model.title), str(e.model.minutes), Text(e.model.id))

    def _refresh(self) -> None:
        """Repaint the weeks, the time budget and the problems after an edit."""
        assert self.draft is not None
        library = self.fapp.workspace.library
        table = self.query_one("#weeks", DataTable)
        row = table.cursor_row
        table.clear()
        over = 0
        total = 0
        for (number, session, minutes, meeting), (_, alternates) in zip(
            self.draft.budget(library), self.draft.weeks(), strict=True
        ):
            title = (
                library.sessions[session].model.title
                if session in library.sessions
                else f"{session} (missing!)"
            )
            shown = "?" if minutes is None else str(minutes)
            style = "bold red" if minutes is None or minutes > meeting else ""
            over += minutes is not None and minutes > meeting
            total += minutes or 0
            table.add_row(
                str(number),
                Text(title, style=style),
                Text(shown, style=style),
                Text(", ".join(alternates)),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        meeting = int(self.draft.doc.get("meeting_minutes", 0))
        weeks = len(self.draft.weeks())
        status = "unsaved changes" if self.dirty else "saved"
        self.query_one("#budget", Static).update(
            f"{weeks} weeks · {total} of {weeks * meeting} planned minutes · "
            f"{over} week(s) over {meeting} min · {status}"
        )
        problems = self.draft.check(library)
        self.query_one("#builder-problems", Static).update(
            "\n".join(str(p) for p in problems) or "No problems."
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill_plans(event.value)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        library = self.fapp.workspace.library
        ident = None
        if event.data_table.id == "plans" and 0 <= event.cursor_row < len(self.plan_ids):
            ident = self.plan_ids[event.cursor_row]
        elif event.data_table.id == "weeks" and self.draft is not None:
            weeks = self.draft.weeks()
            if 0 <= event.cursor_row < len(weeks):
                ident = weeks[event.cursor_row][0]
        if ident and ident in library.sessions:
            self.query_one("#preview-text", Static).update(preview(library.plan(ident)))

    # -- helpers ----------------------------------------------------------------------------

    def _selected_plan(self) -> str | None:
        row = self.query_one("#plans", DataTable).cursor_row
        return self.plan_ids[row] if 0 <= row < len(self.plan_ids) else None

    def _selected_week(self) -> int:
        return self.query_one("#weeks", DataTable).cursor_row

    def _checkpoint(self) -> None:
        if self.draft is not None:
            self.undo.append(self.draft.text())

    def action_undo(self) -> None:
        """Take the last change back (again and again, to the state when opened)."""
        if self.draft is None or not self.undo:
            self.notify("Nothing to undo.")
            return
        self.draft.restore(self.undo.pop())
        self._edited()
        self.notify("Undone.")

    def _focused_plan(self) -> str | None:
        """The plan of the list that has the keyboard: the selected week's, or the library's
        selected plan (never a cursor the user cannot see)."""
        weeks = self.query_one("#weeks", DataTable)
        if weeks.has_focus and self.draft is not None and self.draft.weeks():
            return self.draft.weeks()[min(self._selected_week(), len(self.draft.weeks()) - 1)][0]
        return self._selected_plan()

    def _edited(self) -> None:
        self.dirty = True
        self._refresh()

    # -- actions ----------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        """Jump to the plan filter."""
        self.query_one("#plan-filter", Input).focus()

    def action_add_week(self) -> None:
        """Add the selected library plan as a new week after the selected week."""
        plan = self._selected_plan()
        if self.draft is None or plan is None:
            return
        self._checkpoint()
        self.draft.add_week(plan, self._selected_week() + 1)
        self._edited()
        self.query_one("#weeks", DataTable).move_cursor(row=self._selected_week() + 1)

    def action_remove_week(self) -> None:
        """Remove the selected week."""
        if self.draft is None:
            return
        self._checkpoint()
        try:
            self.draft.remove_week(self._selected_week())
        except FacilitatorError as exc:
            self.notify(exc.message, severity="error")
            return
        self._edited()

    def action_move(self, delta: int) -> None:
        """Move the selected week up or down."""
        if self.draft is None:
            return
        self._checkpoint()
        target = self.draft.move_week(self._selected_week(), delta)
        self._edited()
        self.query_one("#weeks", DataTable).move_cursor(row=target)

    def action_swap(self) -> None:
        """Put the selected library plan into the selected week (the old one becomes an
        alternate)."""
        plan = self._selected_plan()
        if self.draft is None or plan is None:
            return
        self._checkpoint()
        self.draft.swap(self._selected_week(), plan)
        self._edited()

    def action_alternate(self) -> None:
        """Swap the week's first alternate in."""
        if self.draft is None:
            return
        index = self._selected_week()
        alternates = self.draft.weeks()[index][1]
        if not alternates:
            self.notify("This week has no alternates.")
            return
        self._checkpoint()
        self.draft.swap(index, alternates[0])
        self._edited()

    def action_save(self) -> None:
        """Save the curriculum file (comments and order kept)."""
        if self.draft is None:
            return
        try:
            path = content.save_draft(self.fapp.workspace, self.draft)
        except FacilitatorError as exc:
            self.notify(exc.message, severity="error")
            return
        self.dirty = False
        self._refresh()
        self.notify(f"Saved {path}")
        self._offer_to_groups()

    def _offer_to_groups(self) -> None:
        """Say which running groups use this curriculum and offer its new plans for their
        weeks not yet held (held weeks keep their history)."""
        from facilitator.actions import content

        ws = self.fapp.workspace
        try:
            changes = content.pending_changes(ws, self.fapp.store, self.curriculum_id)
        except FacilitatorError:
            return
        if not changes:
            return
        lines = [
            f"{c.group.name}: "
            + ", ".join(f"week {week} {old} -> {new}" for week, old, new in c.weeks)
            for c in changes
        ]

        def done(ok: bool | None) -> None:
            if not ok:
                self.notify("Groups unchanged; U on a group's schedule tab swaps one week.")
                return
            try:
                count = content.apply_changes(ws, self.fapp.store, changes)
            except FacilitatorError as exc:
                self.notify(exc.message, severity="error")
                return
            self.notify(f"{count} week(s) changed. Export those groups' invitations again.")

        self.app.push_screen(
            ConfirmDialog(
                "Use these changes in the groups running this curriculum?",
                "\n".join(lines) + "\nWeeks already held keep their plans.",
                yes="Apply to future weeks",
            ),
            done,
        )

    def action_fork(self) -> None:
        """Copy this curriculum into your own content folder under a new id."""
        if self.draft is None:
            return

        def done(new_id: str | None) -> None:
            if not new_id:
                return
            try:
                path = content.fork(self.fapp.workspace, self.curriculum_id, new_id)
            except FacilitatorError as exc:
                self.notify(exc.message, severity="error")
                return
            self.fapp.workspace.reload_library()
            self.curriculum_id = new_id.strip()
            self.dirty = False
            self._open()
            self.notify(f"Forked to {path}")

        self.app.push_screen(TextDialog("New id for your copy", f"{self.draft.id}-mine"), done)

    def action_edit_plan(self) -> None:
        """Open the plan of the focused list in $EDITOR (bundled plans are copied to your
        folder first)."""
        plan = self._focused_plan()
        if plan is None:
            return
        library = self.fapp.workspace.library
        entry = library.sessions[plan]
        if entry.root.bundled:

            def done(new_id: str | None) -> None:
                if new_id:
                    try:
                        path = content.copy_plan(self.fapp.workspace, plan, new_id)
                    except FacilitatorError as exc:
                        self.notify(exc.message, severity="error")
                        return
                    self._edit_file(str(path))

            self.app.push_screen(
                TextDialog("Bundled plans are read-only. Id for your copy:", f"{plan}-mine"), done
            )
            return
        self._edit_file(str(entry.path))

    def _edit_file(self, path: str) -> None:
        if edit_in_editor(self.app, path):
            self.fapp.workspace.reload_library()
            self._fill_plans(self.query_one("#plan-filter", Input).value)
            self._refresh()

    def action_rename(self) -> None:
        """Give the curriculum a new title (what worksheets print); saved with ctrl+s."""
        if self.draft is None:
            return
        draft = self.draft

        def done(title: str | None) -> None:
            if title is None:
                return
            self._checkpoint()
            try:
                draft.rename(title)
            except FacilitatorError as exc:
                self.notify(exc.message, severity="error")
                return
            self.query_one("#builder-title", Static).update(
                Text(f"{draft.title} [{draft.id}] · {draft.path}")
            )
            self._edited()

        shown = draft.title.removesuffix(" (my copy)")
        self.app.push_screen(
            TextDialog("Title of this curriculum (printed on worksheets)", shown), done
        )

    def action_rename_plan(self) -> None:
        """Give the focused list's plan (one of your own) a new title; written at once."""
        plan = self._focused_plan()
        if plan is None:
            return
        library = self.fapp.workspace.library
        entry = library.sessions[plan]

        def done(title: str | None) -> None:
            if title is None:
                return
            try:
                path = content.rename_plan(self.fapp.workspace, plan, title)
            except FacilitatorError as exc:
                self.notify(exc.message, severity="error")
                return
            self.fapp.workspace.reload_library()
            self._fill_plans(self.query_one("#plan-filter", Input).value)
            self._refresh()
            self.notify(f"Renamed; saved {path}")

        shown = entry.model.title.removesuffix(" (my copy)")
        self.app.push_screen(TextDialog(f"Title of plan {plan}", shown), done)

    def action_back(self) -> None:
        """Leave; unsaved changes are confirmed first."""
        if not self.dirty:
            self.app.pop_screen()
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.app.pop_screen()

        self.app.push_screen(
            ConfirmDialog(
                "Leave without saving?", "Your changes to the weeks will be lost.", yes="Discard"
            ),
            done,
        )
