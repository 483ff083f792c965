"""Third-party parsers (libical, ical.js, recurring-ical-events) accept every file and expand the
series to the same UTC instants as the schedule, across DST changes, with a skipped and a moved
week, in zones with and without DST, south of the equator, and with odd offsets."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events

from facilitator.outputs.ics import SessionText
from facilitator.outputs.ics_invites import Private, build_invites
from tests.builders import (
    CURRICULUM_TITLE,
    SESSION_TITLES,
    STAMP,
    invite_group,
    make_participants,
    make_schedule,
)
from tests.ics.helpers import expected_instants, parse, utc

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
# zone, first meeting (a Tuesday), weeks: each series crosses a DST change where the zone has one
CASES = [
    ("Europe/Berlin", date(2027, 3, 2), 8),  # CET -> CEST on 28 March
    ("America/New_York", date(2027, 2, 23), 8),  # EST -> EDT on 14 March
    ("Australia/Sydney", date(2027, 3, 9), 8),  # AEDT -> AEST on 4 April (southern)
    ("Asia/Kolkata", date(2027, 3, 2), 8),  # no DST: a single STANDARD
    ("Pacific/Chatham", date(2027, 3, 9), 8),  # +13:45 -> +12:45 on 4 April
    ("Africa/Casablanca", date(2027, 1, 26), 10),  # Ramadan rule: RDATE fallback
]


def _files(zone: str, first: date, weeks: int, folder: Path) -> tuple[list[Path], list[str]]:
    tz = ZoneInfo(zone)
    moved = datetime.combine(first + timedelta(weeks=5, days=2), time(19, 0), tzinfo=tz)
    schedule = make_schedule(zone, first, time(18, 30), weeks, skip=(2,), move={5: moved})
    group = invite_group(zone, first_date=first)
    private = Private(
        CURRICULUM_TITLE,
        {w: SessionText(SESSION_TITLES[w], "0:00 Arrive") for w in range(1, weeks + 1)},
    )
    made = build_invites(
        group, schedule, make_participants(3), stamp=STAMP, private=private, alarm_minutes=30
    )
    paths = []
    for invite in made.invites:
        path = folder / invite.filename
        path.write_bytes(invite.data)
        paths.append(path)
    return paths, expected_instants(schedule)


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def series(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Path], list[str]]:
    zone, first, weeks = request.param
    return _files(zone, first, weeks, tmp_path_factory.mktemp("series"))


def test_schedule_really_crosses_dst_and_has_skip_and_move(series) -> None:
    paths, expected = series
    master = next(
        e for e in parse(paths[0].read_bytes()).walk("VEVENT") if "RECURRENCE-ID" not in e
    )
    assert (
        len(
            master.get("EXDATE")
            if isinstance(master.get("EXDATE"), list)
            else [master.get("EXDATE")]
        )
        == 1
    )
    assert any("RECURRENCE-ID" in e for e in parse(paths[0].read_bytes()).walk("VEVENT"))
    assert len(expected) >= 8


def test_libical_accepts_every_file(series, libical_check) -> None:
    paths, _ = series
    run = subprocess.run(
        [*libical_check, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("OK   ") == len(paths)


def test_libical_expands_to_the_schedule(series, libical_python) -> None:
    paths, expected = series
    for path in paths:
        run = subprocess.run(
            [libical_python, str(HERE / "libical_expand.py"), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.split() == expected, path.name


def test_icaljs_accepts_and_expands_to_the_schedule(series, icaljs_check) -> None:
    paths, expected = series
    for path in paths:
        run = subprocess.run([*icaljs_check, str(path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        lines = run.stdout.splitlines()
        assert lines[-1] == f"OK {path}"
        got = sorted(line.split()[1].replace(".000Z", "Z") for line in lines[:-1])
        assert got == expected, path.name


def test_recurring_ical_events_expands_to_the_schedule(series) -> None:
    paths, expected = series
    for path in paths:
        cal = parse(path.read_bytes())
        found = recurring_ical_events.of(cal).between(
            datetime(2020, 1, 1, tzinfo=UTC), datetime(2035, 1, 1, tzinfo=UTC)
        )
        assert sorted(utc(e["DTSTART"].dt) for e in found) == expected, path.name


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("broken-*.ics")), ids=lambda p: p.name)
def test_broken_files_are_rejected_by_both_checkers(
    fixture: Path, libical_check, icaljs_check
) -> None:
    libical = subprocess.run(
        [*libical_check, str(fixture)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert libical.returncode == 1 and "FAIL" in libical.stdout
    icaljs = subprocess.run(
        [*icaljs_check, str(fixture)], capture_output=True, text=True, timeout=60
    )
    assert icaljs.returncode == 1 and "FAIL" in icaljs.stderr
