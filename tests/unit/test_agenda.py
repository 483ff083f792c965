"""The live runner's pure state machine, driven with a fake monotonic clock (plain numbers)."""

from __future__ import annotations

import json

import pytest

from facilitator.agenda import AgendaRun, ItemState, resume
from facilitator.model.content import AgendaItem

M = 60.0


def item(ident: str, minutes: int, kind: str = "exercise", protected: bool = False) -> AgendaItem:
    return AgendaItem.model_validate(
        {
            "id": ident,
            "title": ident.title(),
            "kind": kind,
            "minutes": minutes,
            "protected": protected,
        }
    )


AGENDA = [
    item("arrival", 5, "arrival"),
    item("teaching", 10, "teaching"),
    item("exercise", 25),
    item("assign", 5, "assignment"),
    item("buffer", 5, "buffer"),
    item("closing", 10, "closing", protected=True),
]


def fresh() -> AgendaRun:
    return AgendaRun.for_plan(AGENDA)


def test_countdown_comes_from_monotonic_readings_not_ticks() -> None:
    run = fresh().toggle(1000.0)
    status = run.status(1000.0 + 3 * M)
    assert status.current is not None and status.current.id == "arrival"
    assert status.elapsed == pytest.approx(3 * M)
    assert status.remaining == pytest.approx(2 * M)
    assert status.next is not None and status.next.id == "teaching"
    assert status.projected_end_in == pytest.approx(2 * M + 55 * M)
    assert not status.warning and not status.danger
    assert run.status(1000.0 + 4.5 * M).warning


def test_overrun_and_lateness() -> None:
    run = fresh().toggle(0.0)
    status = run.status(7 * M)
    assert status.danger and status.overrun == pytest.approx(2 * M)
    assert status.late_by == pytest.approx(2 * M)


def test_pause_stops_the_item_but_not_the_meeting_clock() -> None:
    run = fresh().toggle(0.0).toggle(1 * M)  # paused after a minute
    status = run.status(10 * M)
    assert status.elapsed == pytest.approx(1 * M) and not status.running
    assert run.meeting_time_used(10 * M) == pytest.approx(10 * M)
    assert status.late_by == pytest.approx(9 * M)


def test_next_records_actual_and_previous_returns() -> None:
    run = fresh().toggle(0.0).advance(4 * M)
    assert run.items[0].state is ItemState.DONE and run.items[0].actual == pytest.approx(4 * M)
    assert run.status(6 * M).elapsed == pytest.approx(2 * M)
    back = run.back(6 * M)
    assert back.current == 0 and back.status(6 * M).elapsed == pytest.approx(4 * M)
    assert back.items[1].actual == pytest.approx(2 * M)


def test_extend_and_shorten_by_a_minute_never_below_one() -> None:
    run = fresh().adjust(M)
    assert run.items[0].budget == 6 * M
    for _ in range(10):
        run = run.adjust(-M)
    assert run.items[0].budget == M


def test_protected_items_cannot_be_skipped() -> None:
    run = fresh().toggle(0.0)
    for t in range(5):
        run = run.advance(float(t))
    assert run.items[run.current].id == "closing"
    assert run.skip(10.0) == run
    skipped = fresh().toggle(0).skip(M)
    assert skipped.items[0].state is ItemState.SKIPPED and skipped.current == 1


def test_rebudget_uses_buffer_first_then_shrinks_unprotected_in_proportion() -> None:
    run = fresh().toggle(0.0)
    run = run.advance(15 * M)  # arrival took 15 minutes: 10 late
    rebudgeted = run.rebudget(15 * M)
    budgets = {i.id: i.budget / M for i in rebudgeted.items}
    assert budgets["buffer"] == 0
    assert budgets["closing"] == 10  # protected: untouched
    assert budgets["teaching"] == 10  # the current item is never cut
    # 5 minutes left to recover from exercise (25) and assign (5), in proportion to what each
    # can give above its one-minute floor (24 and 4 of 28).
    assert budgets["exercise"] == pytest.approx(25 - 5 * 24 / 28)
    assert budgets["assign"] == pytest.approx(5 - 5 * 4 / 28)
    assert rebudgeted.status(15 * M).late_by == pytest.approx(0, abs=1e-6)


def test_rebudget_when_impossible_never_cuts_protected_or_below_floor() -> None:
    run = fresh().toggle(0.0).advance(58 * M)
    rebudgeted = run.rebudget(58 * M)
    budgets = {i.id: i.budget for i in rebudgeted.items}
    assert budgets["closing"] == 10 * M
    assert all(budgets[k] == M for k in ("exercise", "assign"))
    assert rebudgeted.status(58 * M).late_by > 0


def test_grounding_pause_inserts_practice_and_interrupted_item_resumes() -> None:
    run = fresh().toggle(0.0).advance(5 * M).advance(15 * M)  # exercise started at 15
    paused = run.grounding_pause(20 * M)
    current = paused.items[paused.current]
    assert current.inserted and current.title == "Grounding pause" and current.protected
    resumed = paused.advance(22 * M)
    assert resumed.items[resumed.current].id == "exercise"
    assert resumed.status(22 * M).elapsed == pytest.approx(5 * M)
    # the two minutes came out of the buffer, so the meeting still ends on time
    assert paused.status(20 * M).late_by == pytest.approx(0, abs=1e-6)


def test_finishing_records_fidelity() -> None:
    run = fresh().toggle(0.0)
    for t in (6, 16, 40, 45, 45, 56):
        run = run.advance(t * M)
    assert run.finished and run.status(60 * M).finished
    fidelity = run.fidelity()
    assert fidelity[0] == ("Arrival", 5, 6, "done")
    assert fidelity[2] == ("Exercise", 25, 24, "done")
    assert fidelity[4] == ("Buffer", 5, 0, "done")


def test_snapshot_round_trips_through_json_and_resume_adds_the_gap() -> None:
    run = fresh().toggle(100.0).advance(100 + 5 * M).add_note("Room was cold")
    record = json.loads(json.dumps(run.snapshot(100 + 7 * M)))
    # The app crashed; it is reopened 3 minutes later in a new process (new monotonic base).
    again = resume(record, now=50.0, wall_gap=3 * M)
    status = again.status(50.0)
    assert status.current is not None and status.current.id == "teaching"
    assert status.elapsed == pytest.approx(5 * M)  # 2 before the crash + 3 during it
    assert again.meeting_time_used(50.0 + M) == pytest.approx(11 * M)
    assert again.notes == ("Room was cold",) and again.running


def test_resume_of_a_paused_run_does_not_count_the_gap_on_the_item() -> None:
    run = fresh().toggle(0.0).toggle(2 * M)
    again = resume(run.snapshot(2 * M), now=0.0, wall_gap=5 * M)
    assert again.status(0.0).elapsed == pytest.approx(2 * M) and not again.running
    assert again.meeting_time_used(0.0) == pytest.approx(7 * M)


def test_implausible_gap_is_ignored() -> None:
    run = fresh().toggle(0.0)
    again = resume(run.snapshot(M), now=0.0, wall_gap=-3600)
    assert again.status(0.0).elapsed == pytest.approx(M)


def test_a_finished_meeting_shows_neither_warning_nor_danger() -> None:
    run = fresh().toggle(0.0)
    for t in range(6):
        run = run.advance(float(t))
    status = run.status(100 * M)
    assert status.finished and not status.warning and not status.danger
