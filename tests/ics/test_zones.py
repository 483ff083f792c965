"""Four independent parsers (libical, ical.js, recurring-ical-events, vobject) expand each group's
series to exactly the UTC instants of the store's schedule (what ``facilitator schedule`` shows),
with our VTIMEZONE, in zones whose offset changed once (Asia/Almaty 2024, Europe/Moscow 2014,
America/Caracas 2016), a half-hour DST (Australia/Lord_Howe), a zone that dropped DST later
(America/Sao_Paulo 2018), odd offsets (Pacific/Chatham), Ramadan changes (Africa/Casablanca) and a
zone with offset +00:00 in winter (Europe/London, which vobject mistook for UTC when the
VTIMEZONE started in the year before the series)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
import vobject.icalendar

from facilitator.model.group import Schedule, SlotKind
from facilitator.outputs.ics import SessionText
from facilitator.outputs.ics_invites import Private, build_invites
from facilitator.outputs.ics_tz import vtimezone
from facilitator.store import open_store
from tests.builders import CURRICULUM_TITLE, SESSION_TITLES, STAMP, invite_group, save_group, weeks
from tests.ics.helpers import expected_instants, parse, utc

HERE = Path(__file__).parent
WEEKS = 12

# zone, first meeting (a Tuesday): every series crosses the zone's change named beside it
CASES = [
    ("Europe/London", date(2027, 9, 7)),  # BST -> GMT on 31 October
    ("Asia/Almaty", date(2023, 12, 19)),  # +06 -> +05 on 1 March 2024 (one-off)
    ("Europe/Moscow", date(2014, 9, 2)),  # +04 -> +03 on 26 October 2014 (one-off)
    ("America/Caracas", date(2016, 3, 15)),  # -04:30 -> -04 on 1 May 2016 (one-off)
    ("Australia/Lord_Howe", date(2027, 3, 2)),  # +11 -> +10:30 on 4 April (half an hour)
    ("America/Sao_Paulo", date(2018, 10, 2)),  # -03 -> -02 on 4 November 2018 (its last DST)
    ("Pacific/Chatham", date(2027, 3, 9)),  # +13:45 -> +12:45 on 4 April
    ("Africa/Casablanca", date(2027, 1, 26)),  # +01 -> +00 -> +01 around Ramadan (RDATEs)
]


@dataclass(frozen=True)
class Series:
    zone: str
    paths: list[Path]
    expected: list[str]
    schedule: Schedule


def _series(zone: str, first: date, folder: Path) -> Series:
    """A group made in a real store: week 3's date skipped, week 6 cancelled, week 5 moved."""
    with open_store(folder / "data") as store:
        group = save_group(
            store,
            invite_group(zone, first_date=first, start_time=time(18, 30)),
            plan=weeks(WEEKS),
        )
        store.skip_date(group.id, first + timedelta(weeks=2))
        moved = store.schedule(group.id).meeting(5).start.replace(tzinfo=None)
        store.move_meeting(group.id, 5, moved + timedelta(days=2, minutes=30))
        store.cancel_meeting(group.id, 6)
        for name in ("Zephyrine", "Quillon"):
            store.enrol(group.id, name, email=f"{name.lower()}@example.org")
        schedule = store.schedule(group.id)
        group = store.group(group.id)
        people = store.participants(group.id)
    private = Private(
        CURRICULUM_TITLE,
        {w: SessionText(SESSION_TITLES[w], "0:00 Arrive") for w in range(1, WEEKS + 1)},
    )
    made = build_invites(group, schedule, people, stamp=STAMP, private=private)
    paths = []
    for invite in made.invites:
        path = folder / invite.filename
        path.write_bytes(invite.data)
        paths.append(path)
    return Series(zone, paths, expected_instants(schedule), schedule)


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def series(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Series:
    zone, first = request.param
    return _series(zone, first, tmp_path_factory.mktemp("zones"))


def test_each_series_crosses_an_offset_change_with_a_skip_a_move_and_a_cancel(series) -> None:
    offsets = {m.start.utcoffset() for m in series.schedule.meetings if not m.cancelled}
    assert len(offsets) == 2, "the series must cross the zone's change"
    assert any(m.moved for m in series.schedule.meetings)
    kinds = [s.kind for s in series.schedule.slots]
    assert SlotKind.SKIPPED in kinds and SlotKind.CANCELLED in kinds
    assert len(series.expected) == WEEKS  # sessions pushed on past the skip and the cancel
    assert len(series.paths) == 4  # two participants, the facilitators, the public file


def test_libical_expands_to_the_schedule(series, libical_python) -> None:
    for path in series.paths:
        run = subprocess.run(
            [libical_python, str(HERE / "libical_expand.py"), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.split() == series.expected, path.name


def test_icaljs_expands_to_the_schedule(series, icaljs_check) -> None:
    for path in series.paths:
        run = subprocess.run([*icaljs_check, str(path)], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        lines = run.stdout.splitlines()
        assert lines[-1] == f"OK {path}"
        got = sorted(line.split()[1].replace(".000Z", "Z") for line in lines[:-1])
        assert got == series.expected, path.name


def _rie(cal: icalendar.Calendar) -> list[str]:
    found = recurring_ical_events.of(cal).between(
        datetime(1990, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    )
    return sorted(utc(e["DTSTART"].dt) for e in found)


def unknown_name(zone: str) -> str:
    """A TZID that zoneinfo does not know, one per zone (icalendar caches zones by TZID)."""
    return "Test-" + zone.replace("/", "-")


def _renamed(data: bytes, tzid: str) -> icalendar.Calendar:
    """The calendar with its TZID renamed to one zoneinfo does not know, so that icalendar
    builds the zone from our VTIMEZONE instead of reading its own zone data."""
    cal = parse(data)
    for component in cal.walk():
        if component.name == "VTIMEZONE":
            component["TZID"] = tzid
        for values in component.values():
            for value in values if isinstance(values, list) else [values]:
                params = getattr(value, "params", None)
                if params is not None and "TZID" in params:
                    params["TZID"] = tzid
    return parse(cal.to_ical())


def test_recurring_ical_events_expands_to_the_schedule(series) -> None:
    for path in series.paths:
        data = path.read_bytes()
        assert _rie(parse(data)) == series.expected, path.name
        renamed = _renamed(data, unknown_name(series.zone))
        assert f"TZID={unknown_name(series.zone)}".encode() in renamed.to_ical()
        assert _rie(renamed) == series.expected, path.name


def _vobject_instants(data: bytes) -> list[str]:
    """Expand like Radicale: vobject's rruleset of the master, overrides by RECURRENCE-ID."""
    # vobject keeps one process-wide TZID -> tzinfo map (first come, first kept): clear it so
    # that this file's VTIMEZONE is read, as in a fresh Radicale.
    getattr(vobject.icalendar, "__tzidMap").clear()
    vobject.icalendar.registerTzid("UTC", vobject.icalendar.utc)
    cal = vobject.readOne(data.decode("utf-8"))
    found: list[Any] = cal.contents["vevent"]
    master = next(e for e in found if not hasattr(e, "recurrence_id"))
    kind = type(master.dtstart.value.tzinfo)
    assert kind.__module__.startswith("dateutil"), f"vobject used {kind}, not our VTIMEZONE"
    moved = {
        utc(e.recurrence_id.value): e.dtstart.value for e in found if hasattr(e, "recurrence_id")
    }
    return sorted(utc(moved.get(utc(when), when)) for when in master.getrruleset())


def test_vobject_expands_to_the_schedule(series) -> None:
    for path in series.paths:
        assert _vobject_instants(path.read_bytes()) == series.expected, path.name


def test_series_ends_with_until_in_utc_not_count(series) -> None:
    """UNTIL, not COUNT (calcurse shows phantom meetings after a COUNT series with EXDATEs),
    in UTC as RFC 5545 requires with a TZID DTSTART: the end of the last slot's local day."""
    last = series.schedule.slots[-1].start
    for path in series.paths:
        master = next(
            e for e in parse(path.read_bytes()).walk("VEVENT") if "RECURRENCE-ID" not in e
        )
        text = master["RRULE"].to_ical().decode()
        assert "COUNT" not in text
        assert re.search(r"(^|;)UNTIL=\d{8}T\d{6}Z(;|$)", text), text
        [until] = master["RRULE"]["UNTIL"]
        local = until.astimezone(ZoneInfo(series.zone))
        assert (local.date(), local.time()) == (last.date(), time(23, 59, 59))
        assert last < until < last + timedelta(weeks=1)


@pytest.mark.parametrize(
    ("zone", "first"),
    [*CASES, ("Asia/Kolkata", date(2027, 3, 2)), ("America/New_York", date(2027, 2, 23))],
    ids=lambda v: str(v),
)
def test_observances_start_in_1970_and_agree_with_zoneinfo(zone: str, first: date) -> None:
    """The VTIMEZONE starts in 1970 (yearly rules from their 1970 onset, else the offset before
    the first change since 1 January 1970) and, read back by icalendar under a name zoneinfo
    does not know, gives zoneinfo's offset every six hours of the span it was made for."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(18, 30), tzinfo=tz)
    end = start + timedelta(weeks=WEEKS + 4)
    component = vtimezone(zone, start, end)
    parts = [p for p in component.walk() if p.name in ("STANDARD", "DAYLIGHT")]
    assert min(p["DTSTART"].dt for p in parts) == datetime(1970, 1, 1) or all(
        p["DTSTART"].dt.year == 1970 and "RRULE" in p for p in parts
    )
    copy = icalendar.Timezone.from_ical(component.to_ical())
    copy["TZID"] = unknown_name(zone)
    theirs = copy.to_tz()
    moment = datetime(start.year - 1, 1, 1, tzinfo=UTC)
    while moment < datetime(end.year + 1, 12, 31, tzinfo=UTC):
        assert moment.astimezone(theirs).utcoffset() == moment.astimezone(tz).utcoffset(), moment
        moment += timedelta(hours=6)
