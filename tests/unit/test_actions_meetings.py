"""facilitator.actions: schedule, attendance, notes and the live runner's meetings, on a real
SQLite store (no front end)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from facilitator.actions import attendance, meetings, notes, overview, roster, schedule
from facilitator.errors import FacilitatorError
from facilitator.model.group import AttendanceStatus
from tests.unit.actions_world import FIRST, World, world

ABSENT, LATE = AttendanceStatus.ABSENT, AttendanceStatus.LATE


@pytest.fixture
def w(data_dir: Path) -> Iterator[World]:
    yield from world(data_dir)


def test_show_has_a_title_for_every_meeting(w: World) -> None:
    shown = schedule.show(w.store, w.group.id)
    assert len(shown.titles) == len(shown.schedule.meetings) == 8
    assert all(shown.titles)


def test_plan_choices_put_the_curriculums_alternates_first(w: World) -> None:
    choices = schedule.plan_choices(w.ws, w.store, w.group.id, 2)
    assert choices.current == "ssc-02-body-awareness"
    assert [a for a, _ in choices.alternates] == [
        "ssc-alt-somatic-practice",
        "ssc-alt-rolling-orientation",
    ]
    others = [title.casefold() for _, title in choices.others]
    assert others == sorted(others)
    assert not {a for a, _ in choices.alternates} & {o for o, _ in choices.others}


def test_use_plan_says_whether_it_is_an_alternate(w: World) -> None:
    used = schedule.use_plan(w.ws, w.store, w.group.id, 2, "ssc-alt-somatic-practice")
    assert (used.old_id, used.plan_id, used.alternate) == (
        "ssc-02-body-awareness",
        "ssc-alt-somatic-practice",
        True,
    )
    assert schedule.show(w.store, w.group.id).titles[1] == used.title
    other = schedule.use_plan(w.ws, w.store, w.group.id, 4, "ssc-alt-communication")
    assert not other.alternate


def test_move_cancel_and_skip(w: World) -> None:
    moved = schedule.move(w.store, w.group.id, 3, datetime(2026, 3, 17, 10, 0))
    assert moved.start.replace(tzinfo=None) == datetime(2026, 3, 17, 10, 0)
    last = schedule.show(w.store, w.group.id).schedule.meetings[-1].start.date()
    pushed = schedule.cancel(w.store, w.group.id, 5)
    assert pushed.meetings[-1].start.date() == last + timedelta(weeks=1)
    dropped = schedule.cancel(w.store, w.group.id, 6, drop=True)
    assert dropped.meetings[-1].start.date() == last + timedelta(weeks=1)
    skipped = schedule.skip(w.store, w.group.id, pushed.meetings[-1].start.date())
    assert skipped.meetings[-1].start.date() == last + timedelta(weeks=2)


def test_a_roll_with_exceptions_then_one_mark_then_cleared(w: World) -> None:
    ada = roster.enrol(w.store, w.group.id, "Ada").person
    bex = roster.enrol(w.store, w.group.id, "Bex").person
    marks = attendance.exceptions(w.store, w.group.id, [(ABSENT, "Ada"), (LATE, str(bex.id))])
    assert marks == {ada.id: ABSENT, bex.id: LATE}
    with pytest.raises(FacilitatorError, match="two marks"):
        attendance.exceptions(w.store, w.group.id, [(ABSENT, "Ada"), (LATE, "Ada")])
    attendance.take_roll(w.store, w.group.id, 1, marks)
    roll = attendance.roll(w.store, w.group.id, 1)
    assert roll.taken and roll.marks == {ada.id: ABSENT, bex.id: LATE}
    attendance.set_mark(w.store, w.group.id, 1, ada.id, AttendanceStatus.PRESENT)
    summary = attendance.summary(w.store, w.group.id)
    assert {r.participant.id: r.marks[1] for r in summary.rows} == {
        ada.id: AttendanceStatus.PRESENT,
        bex.id: LATE,
    }
    assert attendance.clear_roll(w.store, w.group.id, 1) == 2
    assert not attendance.roll(w.store, w.group.id, 1).taken


def test_a_future_meeting_is_told_apart(w: World) -> None:
    eve = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)  # Sunday night in London: week 2 is ahead
    assert attendance.future_meeting(w.store, w.group.id, 1, eve) is None
    ahead = attendance.future_meeting(w.store, w.group.id, 2, eve)
    assert ahead is not None and ahead.week == 2
    with pytest.raises(FacilitatorError, match="week 9 of 8"):
        attendance.future_meeting(w.store, w.group.id, 9, eve)


def test_the_door_expects_only_who_is_enrolled_that_day(w: World) -> None:
    early = roster.enrol(w.store, w.group.id, "Ada", joined=FIRST).person
    late = roster.enrol(w.store, w.group.id, "Bex", joined=date(2026, 3, 20)).person
    week1 = schedule.show(w.store, w.group.id).schedule.meeting(1)
    door = attendance.door(w.store, w.group.id, week1)
    assert [p.id for p in door.members] == [early.id]
    attendance.take_roll(w.store, w.group.id, 1)
    assert attendance.door(w.store, w.group.id, week1).marks == {early.id: AttendanceStatus.PRESENT}
    assert late.id not in attendance.door(w.store, w.group.id, week1).marks


def test_notes_keep_versions_refuse_a_stale_edit_and_warn_about_other_names(w: World) -> None:
    ada = roster.enrol(w.store, w.group.id, "Ada").person
    roster.enrol(w.store, w.group.id, "Bex")
    first = notes.save(w.store, w.group.id, 1, "Quiet start.")
    assert first.earlier is None and first.note.version == 1
    second = notes.save(w.store, w.group.id, 1, "Quiet start; warmed up.")
    assert second.earlier == first.note
    with pytest.raises(FacilitatorError, match="changed elsewhere"):
        notes.save(w.store, w.group.id, 1, "stale", expected_version=1)
    about = notes.save(w.store, w.group.id, 1, "Sat next to Bex.", participant_id=ada.id)
    assert [p.preferred_name for p in about.names_others] == ["Bex"]
    assert (
        notes.save(w.store, w.group.id, 1, "Ada spoke.", participant_id=ada.id).names_others == ()
    )
    shown = notes.listing(w.store, w.group.id, with_history=True)
    assert [(s.about, s.note.version, len(s.earlier)) for s in shown] == [
        ("group", 2, 1),
        (ada.sign_in_name, 2, 1),
    ]
    assert notes.listing(w.store, w.group.id, week=2) == []
    with pytest.raises(FacilitatorError, match="week 9 of 8"):
        notes.listing(w.store, w.group.id, week=9)
    assert [v.text for v in notes.history(w.store, w.group.id, 1)] == ["Quiet start."]
    assert [v.text for v in notes.history(w.store, w.group.id, 1, ada.id)] == ["Sat next to Bex."]
    assert notes.note(w.store, w.group.id, 1, ada.id) == shown[1].note


def test_a_meeting_ahead_asks_first_and_a_run_resumes_with_its_quick_notes(w: World) -> None:
    before = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    to_run = meetings.prepare(w.ws, w.store, w.group.id, 1, before)
    assert to_run.days_ahead == 1 and to_run.ask_first
    assert to_run.plan.id == "ssc-01-orientation"
    assert meetings.resumed(w.store, w.group.id, 1, monotonic=0.0, now=before) is None
    from facilitator.agenda import AgendaRun

    run = AgendaRun.for_plan(to_run.plan.agenda).toggle(100.0)  # started at 100 s
    meetings.save(w.store, w.group.id, 1, run, monotonic=160.0, now=before)
    assert meetings.started(w.store, w.group.id, 1)
    assert not meetings.prepare(w.ws, w.store, w.group.id, 1, before).ask_first
    back = meetings.resumed(
        w.store, w.group.id, 1, monotonic=5.0, now=before + timedelta(seconds=30)
    )
    assert back is not None and back.started
    assert back.elapsed(5.0) == pytest.approx(90.0)  # 60 s run + 30 s away
    meetings.quick_note(w.store, w.group.id, to_run.meeting, "  breathing space  ", before)
    assert notes.note(w.store, w.group.id, 1) is not None
    assert notes.note(w.store, w.group.id, 1).text == "12:00 breathing space"  # London, GMT


def test_overview_rows_and_one_group(w: World) -> None:
    now = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    rows = overview.rows(w.store, now)
    assert [r.group.id for r in rows] == [w.group.id]
    assert rows[0].meeting is not None and rows[0].meeting.week == 2
    view = overview.group(w.store, w.group.id)
    assert view.group == w.group and len(view.titles) == 8
    assert overview.upcoming(view.schedule, now) == rows[0].meeting
    assert overview.countdown(rows[0].meeting.start, now, 90).startswith("in ")
