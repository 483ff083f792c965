"""The group screen's schedule tab: the table of meetings and skipped dates, and moving,
cancelling or skipping a meeting, or holding another plan in a week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from facilitator.actions import schedule as schedule_actions
from facilitator.model.group import Group, Schedule, SlotKind
from facilitator.tui.widgets.choice import ChoiceDialog
from facilitator.tui.widgets.dialogs import ConfirmDialog, TextDialog
from facilitator.tui.widgets.plan_choice import PlanChoice

if TYPE_CHECKING:
    from textual.screen import Screen

    from facilitator.tui.app import FacilitatorApp

    _Base = Screen[None]
else:
    _Base = object


def slot_label(kind: str, reason: str) -> str:
    """ "skipped (Christmas Day)", "cancelled" (never "cancelled (cancelled)")."""
    return f"{kind} ({reason})" if reason and kind not in reason else str(kind)


class ScheduleTab(_Base):
    """Mixed into the group screen: fills the schedule table and changes its meetings."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    group_id: int
    group: Group | None
    schedule: Schedule | None
    session_titles: list[str]
    _selected_week: Callable[[], int | None]
    _guard: Callable[[str], bool]
    _do: Callable[[str, object], bool]

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
                "move the meeting",
                lambda: schedule_actions.move(self.fapp.store, self.group_id, week, start),
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
                lambda: schedule_actions.cancel(self.fapp.store, self.group_id, week, drop=drop),
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

    def action_use_plan(self) -> None:
        """Hold another plan (an alternate first) in the selected week, if not yet held."""
        week = self._selected_week()
        if week is None or not self._guard("change a week's plan"):
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
                self.notify(
                    f"Week {week} now uses “{done[0].title}”. Export invitations again (i) to "
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
            if ok and self._do(
                "skip", lambda: schedule_actions.skip(self.fapp.store, self.group_id, day)
            ):
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
