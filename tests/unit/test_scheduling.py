"""The weekly schedule: wall-clock time kept across DST, impossible times refused, skips push on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitator.errors import FacilitatorError
from facilitator.model.group import SlotKind
from facilitator.scheduling import (
    ChangeKind,
    ScheduleChange,
    SkipDate,
    build_schedule,
    holiday_skips,
    week_in_range,
)

SESSIONS = [f"s{i}" for i in range(1, 9)]


def plan(zone: str, first: date, at: time = time(18, 30), **kw: object):
    return build_schedule(
        1,
        first_date=first,
        start_time=at,
        minutes=90,
        timezone=zone,
        session_ids=kw.pop("sessions", SESSIONS),
        **kw,
    )  # type: ignore[arg-type]


H = timedelta(hours=1)
# zone, first meeting, DST transition inside the series (None: none), offset before, after
DST_TABLE = [
    ("America/New_York", date(2026, 2, 17), date(2026, 3, 8), -5 * H, -4 * H),
    ("America/New_York", date(2026, 3, 10), None, -4 * H, -4 * H),
    ("America/New_York", date(2026, 10, 13), date(2026, 11, 1), -4 * H, -5 * H),
    ("America/New_York", date(2026, 11, 3), None, -5 * H, -5 * H),
    ("Europe/Berlin", date(2026, 3, 10), date(2026, 3, 29), 1 * H, 2 * H),
    ("Europe/Berlin", date(2026, 3, 31), None, 2 * H, 2 * H),
    ("Europe/Berlin", date(2026, 10, 6), date(2026, 10, 25), 2 * H, 1 * H),
    ("Europe/Berlin", date(2026, 10, 27), None, 1 * H, 1 * H),
    ("Australia/Sydney", date(2026, 3, 17), date(2026, 4, 5), 11 * H, 10 * H),
    ("Australia/Sydney", date(2026, 4, 7), None, 10 * H, 10 * H),
    ("Australia/Sydney", date(2026, 9, 15), date(2026, 10, 4), 10 * H, 11 * H),
    ("Australia/Sydney", date(2026, 10, 6), None, 11 * H, 11 * H),
    ("Asia/Kolkata", date(2026, 3, 3), None, 5.5 * H, 5.5 * H),
    ("Asia/Kolkata", date(2026, 10, 13), None, 5.5 * H, 5.5 * H),
    ("Pacific/Chatham", date(2026, 3, 17), date(2026, 4, 5), 13.75 * H, 12.75 * H),
    ("Pacific/Chatham", date(2026, 4, 7), None, 12.75 * H, 12.75 * H),
    ("Pacific/Chatham", date(2026, 9, 8), date(2026, 9, 27), 12.75 * H, 13.75 * H),
    ("Pacific/Chatham", date(2026, 9, 29), None, 13.75 * H, 13.75 * H),
    ("America/Sao_Paulo", date(2026, 10, 13), None, -3 * H, -3 * H),
    ("America/Sao_Paulo", date(2027, 2, 9), None, -3 * H, -3 * H),
    ("Europe/London", date(2028, 2, 29), date(2028, 3, 26), 0 * H, 1 * H),  # from Feb 29
    ("Europe/London", date(2028, 2, 15), date(2028, 3, 26), 0 * H, 1 * H),  # through Feb 29
]


@pytest.mark.parametrize(("zone", "first", "switch", "before", "after"), DST_TABLE)
def test_meetings_keep_local_time_and_weekday_across_dst(zone, first, switch, before, after):
    schedule = plan(zone, first)
    assert len(schedule.meetings) == 8
    for n, meeting in enumerate(schedule.meetings):
        local = meeting.start
        assert local.date() == first + timedelta(weeks=n)
        assert (local.hour, local.minute) == (18, 30)
        assert local.weekday() == first.weekday()
        expected = before if switch is None or local.date() < switch else after
        assert local.utcoffset() == expected, (zone, local)
        assert local.tzinfo is not None and str(local.tzinfo) == zone


def test_series_through_feb_29_has_a_meeting_on_it():
    dates = [m.start.date() for m in plan("Europe/London", date(2028, 2, 15)).meetings]
    assert date(2028, 2, 29) in dates


@pytest.mark.parametrize(
    ("zone", "first", "at", "day", "word"),
    [
        ("America/New_York", date(2026, 2, 22), time(2, 30), "2026-03-08", "does not exist"),
        ("America/New_York", date(2026, 10, 11), time(1, 30), "2026-11-01", "happens twice"),
        ("Europe/Berlin", date(2026, 3, 15), time(2, 30), "2026-03-29", "does not exist"),
        ("Europe/Berlin", date(2026, 10, 11), time(2, 30), "2026-10-25", "happens twice"),
        ("Pacific/Chatham", date(2026, 9, 6), time(3, 0), "2026-09-27", "does not exist"),
        ("Australia/Sydney", date(2026, 3, 22), time(2, 30), "2026-04-05", "happens twice"),
    ],
)
def test_impossible_local_time_is_refused_naming_the_date(zone, first, at, day, word):
    with pytest.raises(FacilitatorError) as caught:
        plan(zone, first, at)
    assert day in caught.value.message
    assert word in caught.value.message
    assert "\n" not in caught.value.message


def test_unknown_zone_is_a_clear_error():
    with pytest.raises(FacilitatorError, match="unknown time zone"):
        plan("Mars/Olympus", date(2026, 1, 6))
    with pytest.raises(FacilitatorError, match="unknown time zone"):
        plan("../../etc/passwd", date(2026, 1, 6))


def test_skip_pushes_the_remaining_sessions_one_week_on():
    schedule = plan("Europe/Berlin", date(2026, 1, 6), skips=[SkipDate(date(2026, 1, 20))])
    assert [m.week for m in schedule.meetings] == list(range(1, 9))
    assert schedule.meeting(3).start.date() == date(2026, 1, 27)
    assert schedule.meeting(8).start.date() == date(2026, 3, 3)
    kinds = [s.kind for s in schedule.slots]
    assert kinds.count(SlotKind.SKIPPED) == 1 and len(kinds) == 9
    assert schedule.slots[2].start.date() == date(2026, 1, 20)


def test_us_thanksgiving_is_skipped_and_every_session_still_happens():
    first = date(2026, 11, 5)  # a Thursday
    skips = holiday_skips("US", first, 8)
    assert SkipDate(date(2026, 11, 26), "Thanksgiving Day") in skips
    schedule = plan("America/New_York", first, skips=skips)
    assert len([m for m in schedule.meetings if not m.cancelled]) == 8
    assert date(2026, 11, 26) not in {m.start.date() for m in schedule.meetings}
    skipped = [s for s in schedule.slots if s.kind is SlotKind.SKIPPED]
    assert skipped[0].reason == "Thanksgiving Day"


def test_subdivision_holidays_and_bad_codes():
    assert any(s.day == date(2027, 1, 6) for s in holiday_skips("DE-BY", date(2026, 12, 30), 8))
    with pytest.raises(FacilitatorError, match="no holiday calendar"):
        holiday_skips("ZZ", date(2026, 1, 1), 8)
    with pytest.raises(FacilitatorError, match="no holiday calendar"):
        holiday_skips("US-XX", date(2026, 1, 1), 8)


def test_move_keeps_the_slot_and_session():
    to = datetime(2026, 1, 22, 10, 0)
    schedule = plan(
        "Europe/Berlin", date(2026, 1, 6), changes=[ScheduleChange(3, ChangeKind.MOVE, to)]
    )
    meeting = schedule.meeting(3)
    assert meeting.moved and meeting.start.replace(tzinfo=None) == to
    assert meeting.session_id == "s3" and meeting.slot_start.date() == date(2026, 1, 20)
    assert schedule.slots[2].kind is SlotKind.MOVED and schedule.slots[2].week == 3
    assert schedule.meeting(4).start.date() == date(2026, 1, 27)


def test_move_to_a_nonexistent_time_is_refused():
    with pytest.raises(FacilitatorError, match="2026-03-08"):
        plan(
            "America/New_York",
            date(2026, 1, 6),
            changes=[ScheduleChange(2, ChangeKind.MOVE, datetime(2026, 3, 8, 2, 15))],
        )


def test_drop_cancels_the_session_without_pushing():
    schedule = plan("Europe/Berlin", date(2026, 1, 6), changes=[ScheduleChange(2, ChangeKind.DROP)])
    assert schedule.meeting(2).cancelled
    assert schedule.meeting(8).start.date() == date(2026, 2, 24)
    assert schedule.slots[1].kind is SlotKind.CANCELLED and schedule.slots[1].week == 2


def test_cancel_and_push_marks_the_slot_cancelled():
    schedule = plan(
        "Europe/Berlin",
        date(2026, 1, 6),
        skips=[SkipDate(date(2026, 1, 13), "cancelled", cancelled=True)],
    )
    assert schedule.slots[1].kind is SlotKind.CANCELLED
    assert schedule.meeting(2).start.date() == date(2026, 1, 20)
    assert not any(m.cancelled for m in schedule.meetings)


def test_endless_skips_are_refused():
    skips = [SkipDate(date(2026, 1, 6) + timedelta(weeks=n)) for n in range(200)]
    with pytest.raises(FacilitatorError, match="skipped or cancelled"):
        plan("UTC", date(2026, 1, 6), skips=skips)


def test_week_in_range_message():
    week_in_range(8, 8)
    with pytest.raises(FacilitatorError, match="week 9 of 8"):
        week_in_range(9, 8)
    with pytest.raises(FacilitatorError, match="week 0 of 8"):
        week_in_range(0, 8)


ZONES = [
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "Europe/London",
    "Australia/Lord_Howe",
]


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first=st.dates(date(2024, 1, 1), date(2030, 12, 31)),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
)
def test_any_series_either_keeps_wall_clock_or_is_refused(zone, first, at):
    try:
        schedule = plan(zone, first, at)
    except FacilitatorError as exc:
        assert "does not exist" in exc.message or "happens twice" in exc.message
        return
    for n, meeting in enumerate(schedule.meetings):
        assert meeting.start.date() == first + timedelta(weeks=n)
        assert meeting.start.time() == at
        # the wall-clock time survives a round trip through UTC (it exists, once)
        back = meeting.start.astimezone(UTC).astimezone(meeting.start.tzinfo)
        assert back.replace(tzinfo=None) == meeting.start.replace(tzinfo=None)
