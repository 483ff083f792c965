"""The live meeting runner: the current item large, its countdown, what comes next."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.cells import set_cell_size
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Digits, Footer, ProgressBar, Static

from facilitator.actions import attendance, meetings
from facilitator.agenda import AgendaRun, ItemState, RunStatus
from facilitator.errors import FacilitatorError
from facilitator.model.content import SessionPlan
from facilitator.model.group import AttendanceStatus, Group, Meeting, Participant
from facilitator.text import reflow
from facilitator.tui.widgets.big_clock import BigClock
from facilitator.tui.widgets.dialogs import TextDialog, TextViewer
from facilitator.tui.widgets.door import DoorAttendance
from facilitator.tui.widgets.line import Line

if TYPE_CHECKING:
    from facilitator.tui.app import FacilitatorApp


LEAVE_WAIT_S = 2.0
"""Leaving the runner waits this long at most for the last save to reach a reachable server."""

HEADER = ("", "Item", "Min", "Planned", "Projected", "Actual")
WIDTHS = (2, 44, 4, 8, 10, 7)


def row_line(cells: tuple[str, ...]) -> str:
    """One agenda row as fixed-width columns (wide characters measured by terminal cells)."""
    return " ".join(set_cell_size(cell, width) for cell, width in zip(cells, WIDTHS, strict=True))


def mmss(seconds: float) -> str:
    """Seconds as m:ss (minutes may exceed 59)."""
    whole = int(abs(seconds))
    return f"{'-' if seconds < 0 else ''}{whole // 60:d}:{whole % 60:02d}"


class RunnerScreen(Screen[None]):
    """Runs one meeting. Every transition is saved, so closing or a crash resumes here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "start_pause", "Start/pause"),
        Binding("n", "next", "Next"),
        Binding("p", "previous", "Previous"),
        Binding("plus,equals_sign", "extend", "+1 min"),
        Binding("minus", "shorten", "-1 min"),
        Binding("s", "skip", "Skip"),
        Binding("b", "rebudget", "Re-budget"),
        Binding("g", "grounding", "Grounding pause"),
        Binding("t", "script", "Script"),
        Binding("o", "note", "Note"),
        Binding("a", "door", "Attendance"),
        Binding("L", "presenter", "Large clock"),
        Binding("escape", "leave", "Back"),
    ]

    now: reactive[float] = reactive(0.0, init=False)

    def __init__(self, group: Group, meeting: Meeting, plan: SessionPlan) -> None:
        super().__init__()
        self.group, self.meeting, self.plan = group, meeting, plan
        self.run: AgendaRun = AgendaRun.for_plan(plan.agenda)
        self._shown: dict[str, object] = {}
        """What each widget currently shows, so a repaint touches only what changed."""
        self._rows: list[tuple[str, ...]] = []
        self._row_lines: list[Line] = []
        """One line widget per agenda item, in order."""
        self._door: tuple[list[Participant], dict[int, AttendanceStatus]] | None = None
        """The door roll's people and marks as last read or taken (when the server is out of
        reach, the door shows these)."""

    @property
    def fapp(self) -> FacilitatorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        local = self.meeting.start
        yield Static(
            Text(
                f"Week {self.meeting.week} · {self.plan.title} · "
                f"{local:%a %d %b %H:%M} · {self.group.name}"
            ),
            id="run-title",
        )
        with Vertical(id="current"):
            yield Line(id="cur-kind")
            yield Static("", id="cur-title")
            with Horizontal(id="clock-row"):
                yield Digits("0:00", id="countdown")
                yield Line(id="overrun")
            yield BigClock(id="big-clock")
            yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="progress")
            yield Line(id="next")
        with VerticalScroll(id="agenda"):
            yield Line(row_line(HEADER), id="agenda-header")
        yield Line(id="run-status")
        yield Line(id="save-banner")
        yield Footer()

    def on_mount(self) -> None:
        carried = meetings.resumed(
            self.fapp.store,
            self.group.id,
            self.meeting.week,
            monotonic=self.fapp.clock.monotonic(),
            now=self.fapp.clock.now(),
        )
        if carried is not None:
            self.run = carried
        with contextlib.suppress(FacilitatorError):  # read now, for the door if the line drops
            self._door = self._read_door()
        self.now = self.fapp.clock.monotonic()
        self.set_interval(0.5, self._tick)

    def _tick(self) -> None:
        self.now = self.fapp.clock.monotonic()
        self._show_outbox()

    def _show_outbox(self) -> None:
        """The banner while saves wait for the server ("not saved yet: reconnecting ...")."""
        outbox = self.fapp.outbox if self.fapp.outbox_started else None
        text = outbox.banner() if outbox is not None else ""
        banner = self.query_one("#save-banner", Line)
        if text or self._shown.get("#save-banner"):
            self._set("#save-banner", text)
        banner.set_class(bool(text), "waiting")

    def _save(
        self,
        label: str,
        job: Callable[[], object],
        done: Callable[[], None] | None = None,
        saved_already: Callable[[], bool] | None = None,
    ) -> None:
        """Save through the app's outbox: in order, kept and retried while the server is out
        of reach; ``done`` (a "saved" message) only after the commit."""
        self.fapp.outbox.put(label, job, done=done, saved_already=saved_already)
        self._show_outbox()

    def watch_now(self) -> None:
        self._paint(self.run.status(self.now))

    # -- painting ---------------------------------------------------------------------------

    def _set(self, selector: str, value: str) -> None:
        """Show ``value`` (plain text, never markup) in a widget, if it is not shown already."""
        if self._shown.get(selector) == value:
            return
        self._shown[selector] = value
        widget = self.query_one(selector)
        if isinstance(widget, Line):
            widget.show(value)
        elif isinstance(widget, Digits):
            widget.update(value)
            self.query_one("#big-clock", BigClock).show(value)
        elif isinstance(widget, ProgressBar):
            widget.update(progress=float(value))
        else:
            widget.update(Text(value))  # type: ignore[attr-defined]

    def _paint(self, status: RunStatus) -> None:
        current = self.query_one("#current")
        current.set_class(status.warning, "warning")
        current.set_class(status.danger, "danger")
        if status.finished or status.current is None:
            self._paint_finished()
            return
        item = status.current
        marks = " · protected" if item.protected else ""
        state = "running" if status.running else "paused"
        self._set("#cur-kind", f"{item.kind.upper()}{marks} · {state}")
        self._set("#cur-title", item.title)
        # past the item's end the clock counts up (+2:10) instead of freezing at 0:00
        shown = mmss(status.remaining) if status.remaining >= 0 else "+" + mmss(-status.remaining)
        self._set("#countdown", shown)
        self._set("#overrun", f"over by {mmss(status.overrun)}" if status.overrun else "")
        self._set("#progress", f"{status.fraction * 100:.1f}")
        nxt = status.next
        self._set("#next", f"Next: {nxt.title} ({nxt.budget / 60:.0f} min)" if nxt else "Last item")
        end = self._wall(status.projected_end_in)
        late = status.late_by / 60
        verdict = (
            f"{late:.0f} min late"
            if late >= 1
            else f"{-late:.0f} min early"
            if late <= -1
            else "on time"
        )
        self._set(
            "#run-status",
            f"Projected end {end:%H:%M} ({verdict}) · planned end "
            f"{self.meeting.start + timedelta(minutes=self.plan.minutes):%H:%M}",
        )
        self._update_rows(status)

    def _paint_finished(self) -> None:
        self._set("#cur-kind", "FINISHED")
        self._set("#cur-title", "The meeting is over. The table shows planned vs actual.")
        self._set("#countdown", "0:00")
        self._set("#overrun", "")
        self._set("#progress", "100")
        self._set("#next", "Escape returns to the group.")
        if self._shown.get("#run-status") != "Saved with the meeting's record.":
            self._set("#run-status", "The meeting's record: planned vs actual, below.")
        self._update_rows(None)

    def _wall(self, seconds_from_now: float) -> datetime:
        """Wall time in the group's zone; before the first start, counted from the meeting's
        planned start if that is still ahead."""
        now = self.fapp.clock.now().astimezone(self.meeting.start.tzinfo)
        if not self.run.started:
            now = max(now, self.meeting.start)
        return now + timedelta(seconds=seconds_from_now)

    def _row_texts(self, status: RunStatus | None) -> list[tuple[str, ...]]:
        """The agenda table's cells as text, for the run as it is now."""
        projected = {}
        if status is not None:
            base = self.run.current
            projected = {
                base + i: f"{self._wall(p.starts_in):%H:%M}"
                for i, p in enumerate(status.projections)
            }
        rows: list[tuple[str, ...]] = []
        offset = 0
        for i, item in enumerate(self.run.items):
            planned = self.meeting.start + timedelta(seconds=offset)
            offset += item.planned
            marker = {ItemState.CURRENT: "▶", ItemState.DONE: "✓", ItemState.SKIPPED: "–"}.get(
                item.state, " "
            )
            done = item.state in (ItemState.DONE, ItemState.SKIPPED)
            rows.append(
                (
                    marker,
                    item.title + (" 🔒" if item.protected else ""),
                    f"{item.budget / 60:.0f}",
                    "" if item.inserted else f"{planned:%H:%M}",
                    projected.get(i, ""),
                    mmss(item.actual) if done else "",
                )
            )
        return rows

    def _update_rows(self, status: RunStatus | None) -> None:
        """Bring the agenda list up to date, repainting only the rows that changed."""
        rows = self._row_texts(status)
        if len(rows) != len(self._row_lines):  # an item was inserted: new rows, old ones go
            container = self.query_one("#agenda", VerticalScroll)
            old, self._row_lines = self._row_lines, [Line(classes="agenda-row") for _ in rows]
            for line in old:
                line.remove()
            container.mount_all(self._row_lines)
            self._rows = [("",) * len(HEADER)] * len(rows)
        for i, (line, was, new) in enumerate(zip(self._row_lines, self._rows, rows, strict=True)):
            if was != new:
                line.show(row_line(new))
            current = i == self.run.current and not self.run.finished
            if line.has_class("current") != current:
                line.set_class(current, "current")
        self._rows = rows

    # -- actions ----------------------------------------------------------------------------

    def _apply(self, run: AgendaRun) -> None:
        """Adopt a new run state, save it (one transaction), repaint what changed."""
        ending = run.finished and not self.run.finished
        self.run = run
        now = self.fapp.clock.monotonic()
        self._save_run(run, now, announce=ending)
        self.now = now
        self._paint(self.run.status(now))

    def _save_run(self, run: AgendaRun, now: float, *, announce: bool = False) -> None:
        """The run as it is now (its snapshot taken here, saved when the outbox gets to it)."""
        store, gid, week = self.fapp.store, self.group.id, self.meeting.week
        record, at, finished = run.snapshot(now), self.fapp.clock.now(), run.finished
        self._save(
            "the meeting's timings",
            lambda: meetings.save_snapshot(store, gid, week, record, at=at, finished=finished),
            self._finished_saved if announce else None,
        )

    def _finished_saved(self) -> None:
        """The finished run is committed: only now is the record called saved."""
        self.notify("Meeting finished; the planned-vs-actual record is saved.")
        if self.is_mounted and self.run.finished:
            self._set("#run-status", "Saved with the meeting's record.")

    def action_start_pause(self) -> None:
        """Start or pause the timer."""
        self._apply(self.run.toggle(self.fapp.clock.monotonic()))

    def action_next(self) -> None:
        """Finish the current item; on the last one, ask before ending the meeting."""
        if not self.run.finished and self.run.current == len(self.run.items) - 1:
            from facilitator.tui.widgets.dialogs import ConfirmDialog

            def done(ok: bool | None) -> None:
                if ok:
                    self._advance()

            self.app.push_screen(
                ConfirmDialog(
                    "End the meeting?",
                    "This is the last item. Ending it saves the planned-vs-actual record.",
                    yes="End the meeting",
                ),
                done,
            )
            return
        self._advance()

    def _advance(self) -> None:
        self._apply(self.run.advance(self.fapp.clock.monotonic()))

    def action_previous(self) -> None:
        """Go back one item."""
        self._apply(self.run.back(self.fapp.clock.monotonic()))

    def action_extend(self) -> None:
        """One more minute for the current item."""
        self._apply(self.run.adjust(60))

    def action_shorten(self) -> None:
        """One minute less for the current item."""
        self._apply(self.run.adjust(-60))

    def action_skip(self) -> None:
        """Skip the current item (not possible for protected items)."""
        if not self.run.finished and self.run.items[self.run.current].protected:
            self.notify("Protected items are never skipped.", severity="warning")
            return
        self._apply(self.run.skip(self.fapp.clock.monotonic()))

    def action_rebudget(self) -> None:
        """Shrink the remaining unprotected items to end on time."""
        now = self.fapp.clock.monotonic()
        before = self.run.status(now).late_by
        self._apply(self.run.rebudget(now))
        after = self.run.status(now).late_by
        if before <= 0:
            self.notify("Already on time; nothing to change.")
        elif after > 30:
            self.notify(
                f"Shortened what could be shortened; still {after / 60:.0f} min late "
                "(protected items are never cut).",
                severity="warning",
            )
        else:
            self.notify("Re-budgeted: the meeting now ends on time.")

    def action_grounding(self) -> None:
        """Insert a two-minute grounding practice now and say what it took from which items."""
        titles = [(i.title, i.budget) for i in self.run.items if not i.inserted]
        self._apply(self.run.grounding_pause(self.fapp.clock.monotonic()))
        after = [(i.title, i.budget) for i in self.run.items if not i.inserted]
        taken = [
            f"{title} −{(old - new) / 60:.0f} min"
            for (title, old), (_, new) in zip(titles, after, strict=False)
            if old - new >= 30
        ]
        self.notify(
            "Grounding pause added (2 min). "
            + ("Time taken from: " + ", ".join(taken) + "." if taken else "Nothing was cut.")
        )

    def action_script(self) -> None:
        """Show the current item's script, content note and opt-out."""
        if self.run.finished:
            return
        ident = self.run.items[self.run.current].id
        item = next((i for i in self.plan.agenda if i.id == ident), None)
        if item is None:
            text = (
                "Invite everyone to feel their feet on the floor, notice five things they can "
                "see, and breathe out slowly three times. Then return to where you were."
            )
        else:
            parts = [
                f"Content note: {item.content_note}" if item.content_note else "",
                f"Opt-out: {item.opt_out}" if item.opt_out else "",
                item.script,
            ]
            text = "\n\n".join(reflow(p) for p in parts if p.strip()) or "No script."
        self.app.push_screen(TextViewer(self.run.items[self.run.current].title, text))

    def action_note(self) -> None:
        """Add a quick note to the meeting: kept with the run and added to the meeting's
        group note (Notes tab, history, report), with the time it was taken."""

        def save(text: str | None) -> None:
            if not (text and text.strip()):
                return
            self._apply(self.run.add_note(text.strip()))
            store, gid, week = self.fapp.store, self.group.id, self.meeting.week
            line = meetings.quick_note_line(self.meeting, text, self.fapp.clock.now())
            self._save(
                "a quick note",
                lambda: meetings.append_line(store, gid, week, line),
                lambda: self.notify(f"Note saved to week {week}'s notes."),
                lambda: meetings.has_line(store, gid, week, line),  # lost during COMMIT?
            )

        self.app.push_screen(TextDialog("Quick note for this meeting (Enter saves)"), save)

    def action_presenter(self) -> None:
        """Switch the large-clock view (readable across the room) on or off."""
        self.set_class(not self.has_class("presenter"), "presenter")

    def action_door(self) -> None:
        """Take attendance at the door."""
        store = self.fapp.store
        try:
            self._door = self._read_door()
        except FacilitatorError as exc:  # the server is out of reach: the roster read before
            if self._door is None:
                self.notify(exc.message, title="Cannot read the roster", severity="error")
                return
        members, marks = self._door

        def save(exceptions: dict | None) -> None:  # type: ignore[type-arg]
            if exceptions is None:
                return
            gid, week, taken = self.group.id, self.meeting.week, dict(exceptions)
            self._door = (
                members,
                {p.id: taken.get(p.id, AttendanceStatus.PRESENT) for p in members},
            )
            self._save(
                f"the roll of week {week}",
                lambda: attendance.take_roll(store, gid, week, taken),
                lambda: self.notify(
                    f"Roll saved: {len(members) - len(taken)} present, {len(taken)} exception(s)."
                ),
            )

        self.app.push_screen(DoorAttendance(members, marks), save)

    def _read_door(self) -> tuple[list[Participant], dict[int, AttendanceStatus]]:
        door = attendance.door(self.fapp.store, self.group.id, self.meeting)
        return list(door.members), dict(door.marks)

    def action_leave(self) -> None:
        """Back to where we came from; the run is saved and resumes when reopened (a runner
        opened and left without starting records nothing)."""
        now = self.fapp.clock.monotonic()
        if not self.run.started and not self._saved_before():
            self.app.pop_screen()
            return
        self._save_run(self.run, now)
        outbox = self.fapp.outbox
        if not outbox.waiting:  # the group screen shows the record: let it reach the server
            outbox.drain(LEAVE_WAIT_S)
        if outbox.pending:
            self.notify(
                f"{outbox.pending} change(s) not saved yet: they are kept and saved when the "
                "server is back (keep the app open).",
                severity="warning",
                timeout=15,
            )
        self.app.pop_screen()

    def _saved_before(self) -> bool:
        try:
            return meetings.started(self.fapp.store, self.group.id, self.meeting.week)
        except FacilitatorError:
            return True  # cannot tell: keep the run
