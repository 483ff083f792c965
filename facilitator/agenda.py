"""The live meeting runner's state, as pure values: start, pause, next, extend, re-budget.

Every transition takes ``now`` (a ``time.monotonic()`` reading) and returns a new
:class:`AgendaRun`; nothing here reads a clock, so a fake clock in tests is just a number.
Elapsed time is always computed from monotonic readings, never by counting ticks. A run can be
saved (:meth:`AgendaRun.snapshot`) and resumed in another process (:func:`resume`), which adds
the wall-clock time that passed while the app was closed if the meeting was running.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from facilitator.model.content import AgendaItem, AgendaKind

GROUNDING_SECONDS = 120
MIN_ITEM_SECONDS = 60
"""Re-budgeting never shrinks an unprotected item below a minute (buffers may go to zero)."""
MAX_RESUME_GAP = 4 * 3600
"""A gap longer than this while the app was closed is not added on resume (the meeting ended)."""


class ItemState(StrEnum):
    """Where an item is in the run."""

    PENDING = "pending"
    CURRENT = "current"
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class RunItem:
    """An agenda item as the live run sees it."""

    id: str
    title: str
    kind: str
    planned: int
    """Planned seconds from the plan."""
    budget: float
    """Seconds currently allotted (changes with extend, shorten and re-budget)."""
    protected: bool = False
    inserted: bool = False
    """Added during the meeting (a grounding pause)."""
    state: ItemState = ItemState.PENDING
    actual: float = 0.0
    """Seconds spent on the item so far (excluding the running stretch)."""

    @classmethod
    def from_plan(cls, item: AgendaItem) -> RunItem:
        """A run item for an agenda item of a plan."""
        return cls(
            item.id,
            item.title,
            str(item.kind),
            item.minutes * 60,
            item.minutes * 60.0,
            item.protected,
        )


@dataclass(frozen=True, slots=True)
class Projection:
    """Where an item falls from now on (seconds relative to now)."""

    item: RunItem
    starts_in: float
    ends_in: float


@dataclass(frozen=True, slots=True)
class RunStatus:
    """Everything the runner screen shows, computed for one instant."""

    current: RunItem | None
    next: RunItem | None
    elapsed: float
    """Seconds spent on the current item."""
    remaining: float
    """Seconds left of the current item's budget (negative when over)."""
    fraction: float
    """Share of the current budget used (0..1, capped)."""
    overrun: float
    """Seconds the current item is past its budget (0 when within)."""
    late_by: float
    """Projected end minus planned end, in seconds (negative when early)."""
    projected_end_in: float
    """Seconds from now to the projected end of the meeting."""
    projections: tuple[Projection, ...]
    running: bool
    finished: bool

    @property
    def warning(self) -> bool:
        """The current item is in its last fifth (or last minute)."""
        budget = self.elapsed + self.remaining
        return not self.finished and self.overrun == 0 and self.remaining <= max(60.0, budget / 5)

    @property
    def danger(self) -> bool:
        """The current item is over its budget."""
        return not self.finished and self.overrun > 0


@dataclass(frozen=True, slots=True)
class AgendaRun:
    """The state of one meeting's live run."""

    items: tuple[RunItem, ...]
    current: int = 0
    running: bool = False
    anchor: float | None = None
    """Monotonic reading when the current stretch began (None when paused)."""
    clock_used: float = 0.0
    """Seconds of meeting time used before ``clock_anchor`` (pauses included once started)."""
    clock_anchor: float | None = None
    """Monotonic reading the meeting clock counts from (None before the first start)."""
    finished: bool = False
    notes: tuple[str, ...] = field(default=())

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def for_plan(cls, agenda: Iterable[AgendaItem]) -> AgendaRun:
        """A fresh run of a plan's agenda (not started)."""
        items = tuple(RunItem.from_plan(item) for item in agenda)
        first = replace(items[0], state=ItemState.CURRENT)
        return cls((first, *items[1:]))

    @property
    def started(self) -> bool:
        """Whether the meeting clock has started."""
        return self.clock_anchor is not None or self.clock_used > 0 or self.finished

    @property
    def planned_total(self) -> float:
        """Planned seconds of the meeting, not counting inserted items."""
        return float(sum(item.planned for item in self.items if not item.inserted))

    # -- reading ----------------------------------------------------------------------------

    def elapsed(self, now: float) -> float:
        """Seconds spent on the current item."""
        if self.finished:
            return 0.0
        running = now - self.anchor if self.running and self.anchor is not None else 0.0
        return self.items[self.current].actual + max(0.0, running)

    def meeting_time_used(self, now: float) -> float:
        """Seconds of meeting time used since the first start (pauses count)."""
        if self.clock_anchor is None:
            return self.clock_used
        return self.clock_used + max(0.0, now - self.clock_anchor)

    def status(self, now: float) -> RunStatus:
        """What to show at ``now``."""
        if self.finished:
            return RunStatus(
                None,
                None,
                0,
                0,
                1,
                0,
                self.meeting_time_used(now) - self.planned_total,
                0,
                (),
                False,
                True,
            )
        item = self.items[self.current]
        elapsed = self.elapsed(now)
        remaining = item.budget - elapsed
        projections = []
        offset = 0.0
        for later in self.items[self.current :]:
            length = max(0.0, remaining) if later is item else later.budget
            projections.append(Projection(later, offset, offset + length))
            offset += length
        late_by = self.meeting_time_used(now) + offset - self.planned_total
        upcoming = self.items[self.current + 1] if self.current + 1 < len(self.items) else None
        fraction = min(1.0, elapsed / item.budget) if item.budget > 0 else 1.0
        return RunStatus(
            item,
            upcoming,
            elapsed,
            remaining,
            fraction,
            max(0.0, -remaining),
            late_by,
            offset,
            tuple(projections),
            self.running,
            False,
        )

    # -- transitions ------------------------------------------------------------------------

    def toggle(self, now: float) -> AgendaRun:
        """Start or pause the current item's timer (the meeting clock starts once)."""
        if self.finished:
            return self
        if self.running:
            return self._settle(now, running=False)
        clock_anchor = self.clock_anchor if self.clock_anchor is not None else now
        return replace(self, running=True, anchor=now, clock_anchor=clock_anchor)

    def advance(self, now: float, *, skip: bool = False) -> AgendaRun:
        """Finish (or skip) the current item and make the next one current."""
        if self.finished:
            return self
        run = self._settle(now, running=self.running)
        done = ItemState.SKIPPED if skip else ItemState.DONE
        items = list(run.items)
        items[run.current] = replace(items[run.current], state=done)
        if run.current + 1 >= len(items):
            used = run.meeting_time_used(now)
            return replace(
                run,
                items=tuple(items),
                finished=True,
                running=False,
                anchor=None,
                clock_used=used,
                clock_anchor=None,
            )
        items[run.current + 1] = replace(items[run.current + 1], state=ItemState.CURRENT)
        return replace(run, items=tuple(items), current=run.current + 1)

    def skip(self, now: float) -> AgendaRun:
        """Skip the current item; protected items cannot be skipped (the run is unchanged)."""
        if self.finished or self.items[self.current].protected:
            return self
        return self.advance(now, skip=True)

    def back(self, now: float) -> AgendaRun:
        """Return to the previous item, which becomes current again with its time so far."""
        if self.finished or self.current == 0:
            return self
        run = self._settle(now, running=self.running)
        items = list(run.items)
        items[run.current] = replace(items[run.current], state=ItemState.PENDING)
        items[run.current - 1] = replace(items[run.current - 1], state=ItemState.CURRENT)
        return replace(run, items=tuple(items), current=run.current - 1)

    def adjust(self, seconds: float) -> AgendaRun:
        """Extend (positive) or shorten (negative) the current item, never below a minute."""
        if self.finished:
            return self
        item = self.items[self.current]
        budget = max(float(MIN_ITEM_SECONDS), item.budget + seconds)
        return self._replace_item(self.current, replace(item, budget=budget))

    def rebudget(self, now: float) -> AgendaRun:
        """Shrink the remaining unprotected items so the meeting ends on time.

        Buffers are used first, then every later unprotected item shrinks in proportion to its
        budget (to at least a minute). Protected items and the current item are never cut. If
        the meeting cannot end on time even so, it ends as early as the rules allow.
        """
        if self.finished:
            return self
        status = self.status(now)
        excess = status.late_by
        if excess <= 0:
            return self
        later = range(self.current + 1, len(self.items))
        items = list(self.items)
        for i in later:
            if items[i].kind == AgendaKind.BUFFER and excess > 0:
                cut = min(items[i].budget, excess)
                items[i] = replace(items[i], budget=items[i].budget - cut)
                excess -= cut
        flexible = [
            i for i in later if not items[i].protected and items[i].kind != AgendaKind.BUFFER
        ]
        room = sum(max(0.0, items[i].budget - MIN_ITEM_SECONDS) for i in flexible)
        if excess > 0 and room > 0:
            share = min(1.0, excess / room)
            for i in flexible:
                spare = max(0.0, items[i].budget - MIN_ITEM_SECONDS)
                items[i] = replace(items[i], budget=items[i].budget - spare * share)
        return replace(self, items=tuple(items))

    def grounding_pause(self, now: float, title: str = "Grounding pause") -> AgendaRun:
        """Insert a short grounding practice now, then re-budget; the interrupted item resumes
        afterwards with the time it had left."""
        if self.finished:
            return self
        run = self._settle(now, running=self.running)
        interrupted = replace(run.items[run.current], state=ItemState.PENDING)
        pause = RunItem(
            "grounding",
            title,
            str(AgendaKind.PRACTICE),
            0,
            float(GROUNDING_SECONDS),
            protected=True,
            inserted=True,
            state=ItemState.CURRENT,
        )
        items = (*run.items[: run.current], pause, interrupted, *run.items[run.current + 1 :])
        return replace(run, items=items).rebudget(now)

    def add_note(self, text: str) -> AgendaRun:
        """Attach a quick note to the run."""
        return replace(self, notes=(*self.notes, text))

    # -- persistence ------------------------------------------------------------------------

    def snapshot(self, now: float) -> dict[str, Any]:
        """A JSON-ready record of the run as of ``now`` (monotonic readings are not stored)."""
        run = self._settle(now, running=self.running)
        return {
            "version": 1,
            "current": run.current,
            "running": run.running,
            "finished": run.finished,
            "started": run.started,
            "clock_used": run.meeting_time_used(now),
            "notes": list(run.notes),
            "items": [
                {
                    "id": i.id,
                    "title": i.title,
                    "kind": i.kind,
                    "planned": i.planned,
                    "budget": i.budget,
                    "protected": i.protected,
                    "inserted": i.inserted,
                    "state": str(i.state),
                    "actual": i.actual,
                }
                for i in run.items
            ],
        }

    def fidelity(self) -> list[tuple[str, float, float, str]]:
        """Planned vs actual per item: (title, planned minutes, actual minutes, state)."""
        return [(i.title, i.planned / 60, i.actual / 60, str(i.state)) for i in self.items]

    # -- internals --------------------------------------------------------------------------

    def _settle(self, now: float, *, running: bool) -> AgendaRun:
        """Fold the running stretch into the current item's ``actual``; re-anchor at ``now``."""
        if self.finished:
            return self
        item = self.items[self.current]
        actual = self.elapsed(now)
        run = self._replace_item(self.current, replace(item, actual=actual))
        return replace(run, running=running, anchor=now if running else None)

    def _replace_item(self, index: int, item: RunItem) -> AgendaRun:
        items = list(self.items)
        items[index] = item
        return replace(self, items=tuple(items))


def resume(record: dict[str, Any], now: float, wall_gap: float) -> AgendaRun:
    """Rebuild a run saved by :meth:`AgendaRun.snapshot` in a new process.

    ``wall_gap`` is the wall-clock seconds since the record was saved. That time passed in the
    room too: it is added to the meeting clock once the meeting had started, and to the current
    item if its timer was running (unless implausible: negative or over :data:`MAX_RESUME_GAP`).
    """
    items = tuple(
        RunItem(
            d["id"],
            d["title"],
            d["kind"],
            int(d["planned"]),
            float(d["budget"]),
            bool(d["protected"]),
            bool(d["inserted"]),
            ItemState(d["state"]),
            float(d["actual"]),
        )
        for d in record["items"]
    )
    finished, started = bool(record["finished"]), bool(record["started"])
    running = bool(record["running"]) and not finished
    gap = wall_gap if started and not finished and 0 <= wall_gap <= MAX_RESUME_GAP else 0.0
    current = int(record["current"])
    if running and gap:
        items = (
            *items[:current],
            replace(items[current], actual=items[current].actual + gap),
            *items[current + 1 :],
        )
    return AgendaRun(
        items,
        current,
        running,
        now if running else None,
        float(record["clock_used"]) + gap,
        now if started and not finished else None,
        finished,
        tuple(record.get("notes", ())),
    )
