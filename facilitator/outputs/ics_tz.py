"""VTIMEZONE components in the shape every client reads: RRULE-style, else one RDATE per value.

``icalendar``'s ``Timezone.from_tzinfo`` (and ``Calendar.add_missing_timezones()``) write
comma-separated RDATE lists, which ical.js (Thunderbird) and Outlook misread (they use only the
first value, so meetings after a DST change land an hour off), start the zone at the span's
first day, and date daylight onsets in the offset after the change. Here the transitions come
from :mod:`zoneinfo` (public API only: the UTC offset is sampled and each change located to the
second by bisection) from the year before the first meeting to the year after the last, and are
summarised:

* no transition in the span: one STANDARD without RRULE (e.g. Asia/Kolkata);
* one "spring" and one "autumn" transition a year that follow a fixed
  ``BYMONTH=m;BYDAY=nWD`` rule at a fixed local time: one STANDARD and one DAYLIGHT each with
  ``RRULE:FREQ=YEARLY`` (works for the southern hemisphere and Pacific/Chatham's +12:45/+13:45);
* anything else (the zone's rules changed within the span, e.g. Asia/Almaty in 2024): one
  observance for the offset in force before the first change, then one observance per kind of
  change with one RDATE property per transition.

Every observance set starts in 1970 (:data:`EPOCH`), as Google's do (Outlook's start in 1601):
the yearly rules are dated back to their 1970 onsets, and the offset in force before the span is
said to hold since 1970. So every parser finds an observance for the first meeting (one whose
VTIMEZONE starts at a change reads earlier times with that change's offset), and vobject
(Radicale) keeps our VTIMEZONE: it drops a zone that looks like UTC from 2000 to 2020 (a London
zone starting in 2026 does) and falls back to pytz, whose fixed offset then drifts an hour across
every DST change of a weekly series.
"""

from __future__ import annotations

import calendar as _monthcal
import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facilitator.errors import FacilitatorError

if TYPE_CHECKING:
    import icalendar

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_STEP = timedelta(hours=12)
"""Sampling step; zones never change offset twice within it."""


@dataclass(frozen=True, slots=True)
class Transition:
    """One change of UTC offset in a zone."""

    at: datetime
    """The UTC instant of the change."""
    offset_from: timedelta
    offset_to: timedelta
    name: str
    """Abbreviation after the change (TZNAME), e.g. ``CEST`` or ``+1345``."""
    summer: bool = False
    """The zone calls the time after the change daylight saving time (zoneinfo's ``dst() > 0``)."""

    @property
    def local(self) -> datetime:
        """Naive wall-clock time of the change, in the offset before it (VTIMEZONE DTSTART)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def daylight(self) -> bool:
        """A change to a larger offset starts daylight time."""
        return self.offset_to > self.offset_from


def zone(name: str) -> ZoneInfo:
    """The zone called ``name``, or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FacilitatorError(f"unknown time zone '{name}'") from None


def transitions(name: str, start: datetime, end: datetime) -> tuple[Transition, ...]:
    """Every offset change of zone ``name`` between the UTC instants ``start`` and ``end``."""
    return _transitions(name, start.astimezone(UTC), end.astimezone(UTC))


@functools.lru_cache(maxsize=64)
def _transitions(name: str, start: datetime, end: datetime) -> tuple[Transition, ...]:
    tz = zone(name)
    found: list[Transition] = []
    here, before = start, _offset(tz, start)
    while here < end:
        there = min(here + _STEP, end)
        after = _offset(tz, there)
        if after != before:
            at = _bisect(tz, here, there, before)
            local = at.astimezone(tz)
            summer = (local.dst() or timedelta(0)) > timedelta(0)
            found.append(Transition(at, before, after, local.tzname() or "", summer))
        here, before = there, after
    return tuple(found)


def _offset(tz: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(tz).utcoffset() or timedelta(0)


def _bisect(tz: ZoneInfo, low: datetime, high: datetime, before: timedelta) -> datetime:
    """The first second in (low, high] whose offset differs from ``before``."""
    while high - low > timedelta(seconds=1):
        mid = low + (high - low) / 2
        mid = mid.replace(microsecond=0)
        if mid <= low:
            break
        if _offset(tz, mid) == before:
            low = mid
        else:
            high = mid
    return high


def vtimezone(name: str, first: datetime, last: datetime) -> icalendar.Timezone:
    """A VTIMEZONE for zone ``name`` valid for meetings from ``first`` to ``last``.

    Its observances start in 1970 (:data:`EPOCH`) and describe the zone exactly from the whole
    year before ``first`` to the end of the year after ``last``. The component is cached and
    shared: callers add it to calendars and never change it.
    """
    return _vtimezone(name, first.year, last.year)


EPOCH = datetime(1970, 1, 1)
"""Local time from which every VTIMEZONE's observances run (Google's choice)."""


@functools.lru_cache(maxsize=32)
def _vtimezone(name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    import icalendar

    span_start = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    span_end = datetime(last_year + 2, 1, 1, tzinfo=UTC)
    found = transitions(name, span_start, span_end)
    tz = icalendar.Timezone()
    tz.add("tzid", name)
    rules = _yearly_rules(found, first_year - 1, last_year + 1) if found else None
    if rules is not None:
        for change, rule in rules:
            tz.add_component(
                _observance(change, change.daylight, start=_epoch_onset(change, rule), rule=rule)
            )
        return tz
    tz.add_component(_since_epoch(name, span_start))
    for group in _by_kind(found):
        # The first change is repeated as an RDATE: ical.js ignores DTSTART as an onset when an
        # observance has RDATEs (the recurrence set is a union, so the repeat is harmless).
        change = group[0]
        tz.add_component(
            _observance(change, change.summer, start=change.local, rdates=[t.local for t in group])
        )
    return tz


def _since_epoch(name: str, at: datetime) -> icalendar.cal.Component:
    """The offset in force at ``at``, said to hold from :data:`EPOCH` until the next change."""
    import icalendar

    local = at.astimezone(zone(name))
    offset = local.utcoffset() or timedelta(0)
    summer = (local.dst() or timedelta(0)) > timedelta(0)
    part = icalendar.TimezoneDaylight() if summer else icalendar.TimezoneStandard()
    part.add("dtstart", EPOCH)
    part.add("tzoffsetfrom", offset)
    part.add("tzoffsetto", offset)
    part.add("tzname", local.tzname() or "")
    return part


def _epoch_onset(change: Transition, rule: dict[str, object]) -> datetime:
    """The first onset of the yearly ``rule`` in 1970, at the local time of ``change``."""
    from dateutil.rrule import YEARLY, rrule, weekday

    byday = str(rule["byday"])
    series = rrule(
        YEARLY,
        dtstart=datetime.combine(EPOCH.date(), change.local.time()),
        bymonth=int(str(rule["bymonth"])),
        byweekday=weekday(_WEEKDAYS.index(byday[-2:]), int(byday[:-2])),
        count=1,
    )
    return next(iter(series))


def _observance(
    change: Transition,
    daylight: bool,
    *,
    start: datetime,
    rule: dict[str, object] | None = None,
    rdates: list[datetime] | None = None,
) -> icalendar.cal.Component:
    import icalendar

    part = icalendar.TimezoneDaylight() if daylight else icalendar.TimezoneStandard()
    part.add("dtstart", start)
    part.add("tzoffsetfrom", change.offset_from)
    part.add("tzoffsetto", change.offset_to)
    part.add("tzname", change.name)
    if rule is not None:
        part.add("rrule", rule)
    for when in rdates or ():
        part.add("rdate", when)  # one property per value: ical.js reads only the first of a list
    return part


def _by_kind(found: tuple[Transition, ...]) -> list[list[Transition]]:
    groups: dict[tuple[timedelta, timedelta, str], list[Transition]] = {}
    for change in found:
        groups.setdefault((change.offset_from, change.offset_to, change.name), []).append(change)
    return list(groups.values())


def _yearly_rules(
    found: tuple[Transition, ...], first_year: int, last_year: int
) -> list[tuple[Transition, dict[str, object]]] | None:
    """Two yearly rules (one daylight, one standard) covering every year, or ``None``."""
    groups = _by_kind(found)
    if len(groups) != 2 or {g[0].daylight for g in groups} != {True, False}:
        return None
    out = []
    for group in groups:
        years = [t.local.year for t in group]
        if years != list(range(first_year, last_year + 1)):
            return None
        rule = _common_rule(group)
        if rule is None:
            return None
        out.append((group[0], rule))
    return sorted(out, key=lambda pair: pair[0].at)


def _common_rule(group: list[Transition]) -> dict[str, object] | None:
    """``BYMONTH``/``BYDAY`` shared by every change of ``group`` at one local time, if any."""
    local = [t.local for t in group]
    if len({(d.month, d.weekday(), d.time()) for d in local}) != 1:
        return None
    nth = {(d.day - 1) // 7 + 1 for d in local}
    if all(d.day + 7 > _monthcal.monthrange(d.year, d.month)[1] for d in local):
        week = -1  # tzdata's "lastSun" rules: prefer them where both readings fit
    elif len(nth) == 1:
        week = nth.pop()
    else:
        return None
    return {
        "freq": "yearly",
        "bymonth": local[0].month,
        "byday": f"{week}{_WEEKDAYS[local[0].weekday()]}",
    }
