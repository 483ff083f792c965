"""Completion and rolls that can be corrected: a forecast until the last meeting is held,
dropped weeks never count as held, one mark changed (or taken away) at a time, a roll cleared."""

from __future__ import annotations

import pytest

from facilitator.errors import FacilitatorError
from facilitator.model.group import AttendanceStatus as S
from facilitator.model.group import Completion


def by_name(store, group) -> dict:
    return {r.participant.preferred_name: r for r in store.summary(group.id).rows}


def test_completion_is_a_forecast_until_the_last_meeting_is_held(store, group):
    _, bo, cy = (store.enrol(group.id, n) for n in ("Ada", "Bo", "Cy"))
    assert by_name(store, group)["Ada"].completion is Completion.IN_PROGRESS
    store.mark_roll(group.id, 1, {bo.id: S.ABSENT, cy.id: S.ABSENT})
    store.mark_roll(group.id, 2, {cy.id: S.ABSENT})
    store.mark_roll(group.id, 3, {cy.id: S.ABSENT})
    rows = by_name(store, group)
    # 3 of 8 held: Ada 3/3 is on track, Bo 2/3 is below 75% but can still make it,
    # Cy 0/3 could reach at most 5/8 < 75%.
    assert rows["Ada"].completion is Completion.ON_TRACK and not rows["Ada"].completed
    assert rows["Bo"].completion is Completion.BEHIND
    assert rows["Cy"].completion is Completion.OUT_OF_REACH
    assert store.summary(group.id).held_text == "3 of 8 held"
    for week in range(4, 9):
        store.mark_roll(group.id, week, {bo.id: S.ABSENT} if week == 4 else {})
    rows = by_name(store, group)
    assert rows["Ada"].completion is Completion.COMPLETED and rows["Ada"].completed
    assert rows["Bo"].completion is Completion.COMPLETED  # 6 of 8 = 75%
    assert rows["Cy"].completion is Completion.NOT_COMPLETED
    assert store.summary(group.id).finished


def test_dropped_weeks_do_not_count_as_held(store, group):
    ada = store.enrol(group.id, "Ada")
    store.mark_roll(group.id, 1)
    store.mark_roll(group.id, 2)
    store.mark_roll(group.id, 3)
    store.cancel_meeting(group.id, 5, drop=True)
    summary = store.summary(group.id)
    assert summary.held_text == "3 of 7 held" and summary.dropped == (5,)
    assert summary.rows[0].remaining == 4  # weeks 4, 6, 7, 8
    # a roll taken before the week was dropped does not count either
    store.mark_roll(group.id, 6)
    store.cancel_meeting(group.id, 6, drop=True)
    summary = store.summary(group.id)
    assert summary.weeks == (1, 2, 3) and summary.held_text == "3 of 6 held"
    assert 6 not in summary.rows[0].marks and ada.id == summary.rows[0].participant.id


def test_someone_who_left_gets_a_final_answer(store, group):
    from datetime import date

    ada = store.enrol(group.id, "Ada")
    store.mark_roll(group.id, 1)
    store.mark_roll(group.id, 2, {ada.id: S.ABSENT})
    store.leave(ada.id, date(2026, 9, 10))  # after week 2 (8 Sep), before week 3
    row = by_name(store, group)["Ada"]
    assert row.remaining == 0 and row.completion is Completion.NOT_COMPLETED


def test_one_mark_changes_and_can_be_taken_away(store, group):
    ada, bo = (store.enrol(group.id, n) for n in ("Ada", "Bo"))
    # the first mark of a week takes the roll: everyone present, this person as given
    store.set_mark(group.id, 2, ada.id, S.LATE)
    assert {(m.participant_id, m.status) for m in store.marks(group.id)} == {
        (ada.id, S.LATE),
        (bo.id, S.PRESENT),
    }
    store.set_mark(group.id, 2, ada.id, None)  # back to "not taken" for Ada only
    assert [(m.participant_id, m.status) for m in store.marks(group.id)] == [(bo.id, S.PRESENT)]
    assert store.held_weeks(group.id) == [2]
    store.set_mark(group.id, 2, bo.id, None)  # the last mark goes: so does the roll
    assert store.marks(group.id) == [] and store.held_weeks(group.id) == []


def test_clear_a_roll(store, group):
    ada = store.enrol(group.id, "Ada")
    store.enrol(group.id, "Bo")
    store.mark_roll(group.id, 1, {ada.id: S.ABSENT})
    store.mark_roll(group.id, 2)
    assert store.clear_roll(group.id, 1) == 2
    assert store.held_weeks(group.id) == [2]
    assert {m.week for m in store.marks(group.id)} == {2}
    with pytest.raises(FacilitatorError, match="week 1 has no roll to clear"):
        store.clear_roll(group.id, 1)
    # the audit log records the deletion of each mark and of the roll
    rows = store.audit_log(10)
    assert sum(r["tbl"] == "marks" and r["action"] == "delete" for r in rows) == 2
    assert any(r["tbl"] == "rolls" and r["action"] == "delete" for r in rows)
