"""The group screen's schedule tab (``SchedulePane``): the table of meetings and skipped dates,
and moving, cancelling or skipping a meeting, or holding another plan in a week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from facilitator.actions import schedule as schedule_actions
from facilitator.actions.overview import GroupView
from facilitator.model.group import SlotKind
from facilitator.tui.screens.pane import GroupPane, MeetingAction, fill_table, row_key
from facilitator.tui.widgets.choice import ChoiceDialog
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextDialog
from facilitator.tui.widgets.plan_choice import PlanChoice

SCHEDULE_COLUMNS = ("Week", "Date", "Time", "Status", "Session")


def slot_label(kind: str, reason: str) -> str:
    """ "skipped (Christmas Day)", "cancelled" (never "cancelled (cancelled)")."""
    return f"{kind} ({reason})" if reason and kind not in reason else str(kind)


class SchedulePane(GroupPane):
    """The meetings and skipped dates; each change here posts ``SchedulePane.Changed``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "run_meeting", "Run meeting"),
        Binding("m", "meeting('move')", "Move"),
        Binding("c", "meeting('cancel')", "Cancel"),
        Binding("k", "meeting('skip')", "Skip"),
        Binding("U", "meeting('use_plan')", "Plan"),
        Binding("n", "note", "Note"),
    ]
    MAIN = "#schedule"
    SELECTS_WEEK = True

    class Changed(Message):
        """A meeting was moved, cancelled or skipped, or a week's plan changed."""

        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    def __init__(self, group_id: int) -> None:
        super().__init__("Schedule", group_id, id="tab-schedule")

    def compose(self) -> ComposeResult:
        yield DataTable(id="schedule", cursor_type="row", zebra_stripes=True)

    def paint(self, view: GroupView) -> None:
        table = self.query_one("#schedule", DataTable)

        def fill() -> None:
            for slot in view.schedule.slots:
                if slot.kind in (SlotKind.SKIPPED, SlotKind.CANCELLED):
                    table.add_row(
                        "",
                        f"{slot.start:%a %d %b %Y}",
                        f"{slot.start:%H:%M}",
                        Text(slot_label(slot.kind, slot.reason), style="dim"),
                        "",
                    )
            for m in view.schedule.meetings:
                status = "dropped" if m.cancelled else ("moved" if m.moved else "")
                table.add_row(
                    str(m.week),
                    f"{m.start:%a %d %b %Y}",
                    f"{m.start:%H:%M}",
                    status,
                    Text(view.title(m.week)),
                    key=f"w{m.week}",
                )
            table.sort(
                table.ordered_columns[1].key, key=lambda d: datetime.strptime(d, "%a %d %b %Y")
            )

        fill_table(table, SCHEDULE_COLUMNS, fill)

    def selected_week(self) -> int | None:
        """The week of the selected row (None on a skipped date's row)."""
        key = row_key(self.query_one("#schedule", DataTable))
        return int(key[1:]) if key.startswith("w") else None

    def action_meeting(self, action: MeetingAction) -> None:
        """Move, cancel, skip or re-plan the selected meeting."""
        week = self.selected_week()
        if week is not None:
            self.act(action, week)

    def act(self, action: MeetingAction, week: int) -> None:
        """Carry out a meeting's action (chosen here or on another tab)."""
        acts: dict[MeetingAction, Callable[[int], None]] = {
            "move": self.move,
            "cancel": self.cancel_meeting,
            "skip": self.skip,
            "use_plan": self.use_plan,
        }
        acts[action](week)

    def action_run_meeting(self) -> None:
        """Run the selected meeting live."""
        week = self.selected_week()
        if week is None:
            self.notify("No meeting selected.", severity="warning")
            return
        self.fapp.run_meeting(self.group_id, week)

    def action_note(self) -> None:
        """The selected meeting's group note."""
        week = self.selected_week()
        if week is not None:
            self.post_message(self.NoteRequested(week, None))

    def _changed(self, what: str) -> None:
        self.post_message(self.Changed(what))

    def move(self, week: int) -> None:
        """Move a meeting to another date and time."""
        if self.view is None or not self._guard("move a meeting"):
            return
        current = self.view.schedule.meeting(week).start

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
            if self._do(
                "move the meeting",
                lambda: schedule_actions.move(self.fapp.store, self.group_id, week, start),
            ):
                self._changed(f"week {week} moved")
                self.notify(f"Week {week} moved; other weeks unchanged. Send updated invites.")

        self.app.push_screen(
            TextDialog(f"Move week {week} to (YYYY-MM-DD HH:MM)", f"{current:%Y-%m-%d %H:%M}"), move
        )

    def cancel_meeting(self, week: int) -> None:
        """Cancel a meeting: push it and the later sessions on a week, or drop it."""
        if not self._guard("cancel a meeting"):
            return

        def chosen(how: str | None) -> None:
            if how is None:
                return
            drop = how == "drop"
            if self._do(
                "cancel",
                lambda: schedule_actions.cancel(self.fapp.store, self.group_id, week, drop=drop),
            ):
                self._changed(f"week {week} cancelled")
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

    def use_plan(self, week: int) -> None:
        """Hold another plan (an alternate first) in a week, if not yet held."""
        if self.view is None or not self._guard("change a week's plan"):
            return
        ws = self.fapp.workspace
        choices = schedule_actions.plan_choices(ws, self.fapp.store, self.group_id, week)
        current, alternates, others = (
            choices.current,
            list(choices.alternates),
            list(choices.others),
        )

        def use(ident: str | None) -> None:
            if not ident or ident == current:
                return
            done: list[schedule_actions.PlanUsed] = []
            if self._do(
                "change the plan",
                lambda: done.append(
                    schedule_actions.use_plan(ws, self.fapp.store, self.group_id, week, ident)
                ),
            ):
                self._changed(f"week {week} re-planned")
                self.notify(
                    f"Week {week} now uses “{done[0].title}”. Export invitations again (i) to "
                    "update the facilitators' calendars."
                )

        self.app.push_screen(PlanChoice(f"Plan for week {week}", current, alternates, others), use)

    def skip(self, week: int) -> None:
        """Skip a meeting's date (like a holiday)."""
        if self.view is None or not self._guard("skip a week"):
            return
        day = self.view.schedule.meeting(week).start.date()
        later = len(self.view.schedule.meetings) - week

        def done(ok: bool | None) -> None:
            if ok and self._do(
                "skip", lambda: schedule_actions.skip(self.fapp.store, self.group_id, day)
            ):
                self._changed(f"{day} skipped")
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
