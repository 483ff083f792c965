"""Calendar objects for a group's weekly series, built with icalendar (never hand-written text).

One series per group: a master VEVENT (``RRULE:FREQ=WEEKLY;UNTIL=<end of last slot's day, UTC>``,
``DTSTART;TZID=``, one EXDATE per skipped or cancelled week) plus an override VEVENT with
``RECURRENCE-ID`` for each moved meeting (and, in the facilitators' view, for every meeting, to
carry its session title and agenda). :mod:`facilitator.outputs.ics_invites` decides who gets
which view.

Every text value passes through :func:`clean_line` or :func:`clean_text` (icalendar lets C0
control characters through); e-mail addresses must pass :func:`valid_email` (email-validator) and
are written in their ASCII form (IDNA-encoded domain).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from facilitator.email_address import usable_email, wire_email
from facilitator.errors import FacilitatorError
from facilitator.model.group import Group, Meeting, Schedule, Slot, SlotKind
from facilitator.outputs.ics_tz import vtimezone, zone

if TYPE_CHECKING:
    import icalendar

PRODID = "-//facilitator//invites//EN"
"""Names the program only (no version, no organisation, no topic)."""

_CONTROLS = {i: None for i in (*range(0x20), *range(0x7F, 0xA0))}
_LINE_BREAKS = {ord(c): " " for c in "\r\n\t\v\f\x85\u2028\u2029"}


class Method(StrEnum):
    """iTIP method of a calendar file (RFC 5546)."""

    REQUEST = "REQUEST"
    """An invitation with RSVP: ORGANIZER plus the recipient as the only ATTENDEE."""
    PUBLISH = "PUBLISH"
    """"Add to calendar": no ATTENDEE at all."""
    CANCEL = "CANCEL"
    """Removes the series, or one meeting of it (with RECURRENCE-ID)."""


def clean_line(text: str) -> str:
    """A one-line value: line breaks become spaces, other control characters go."""
    return " ".join(text.translate(_LINE_BREAKS).translate(_CONTROLS).split())


def clean_text(text: str) -> str:
    """A multi-line value: line breaks kept as ``\\n``, other control characters removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(
        line.translate(_LINE_BREAKS).translate(_CONTROLS).rstrip() for line in lines
    ).strip("\n")


def valid_email(address: str) -> bool:
    """Whether ``address`` is a usable address (email-validator, offline) for ``mailto:``."""
    return usable_email(address)


def ascii_email(address: str) -> str:
    """A usable address as written in ``mailto:`` and SMTP (IDNA-encoded domain)."""
    return wire_email(address)


@dataclass(frozen=True, slots=True)
class Person:
    """A calendar user: the organiser or an attendee."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class SessionText:
    """What the facilitators' calendar shows for one curriculum week."""

    title: str
    agenda: str = ""


@dataclass(frozen=True, slots=True)
class View:
    """What one calendar file says about the series (texts, people, method)."""

    method: Method
    summary: str
    location: str = ""
    description: str = ""
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    alarm_minutes: int = 0
    sessions: Mapping[int, SessionText] = field(default_factory=dict)
    """Per-week title and agenda: given only for the facilitators' file."""
    cancelled: bool = False
    """The series (or the one meeting) is off: STATUS:CANCELLED."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One slot of the series with the meeting held in it (``None`` when there is none)."""

    slot: Slot
    meeting: Meeting | None


def occurrences(schedule: Schedule) -> list[Occurrence]:
    """Pair every slot with the meeting held in it (moved meetings keep their slot)."""
    held = {m.slot_start: m for m in schedule.meetings if not m.cancelled}
    by_week = {m.week: m for m in schedule.meetings if not m.cancelled}
    out = []
    for slot in schedule.slots:
        meeting = None
        if slot.kind in (SlotKind.MEETING, SlotKind.MOVED):
            meeting = held.get(slot.start) or by_week.get(slot.week or 0)
        out.append(Occurrence(slot, meeting))
    return out


def check_uid(group: Group) -> str:
    """The group's stored series UID; it must be an opaque UUID (never a name)."""
    try:
        return str(uuid.UUID(group.calendar_uid))
    except ValueError:
        raise FacilitatorError(
            f"group {group.id} has no valid calendar id; it is set when the group is created"
        ) from None


def series_calendar(
    group: Group, schedule: Schedule, view: View, *, stamp: datetime
) -> icalendar.Calendar:
    """The whole series as one calendar: VTIMEZONE, master VEVENT and its overrides."""
    cal = _series_frame(group, schedule, view)
    pairs = occurrences(schedule)
    cal.add_component(_master(group, view, stamp, pairs))
    for pair in pairs:
        if pair.meeting is not None and _needs_override(group, view, pair.meeting):
            cal.add_component(_override(group, view, stamp, pair.slot, pair.meeting))
    return cal


def series_cancel(
    group: Group, schedule: Schedule, view: View, *, stamp: datetime
) -> icalendar.Calendar:
    """The whole series called off: the master alone with STATUS:CANCELLED."""
    cal = _series_frame(group, schedule, view)
    cal.add_component(_master(group, replace(view, cancelled=True), stamp, occurrences(schedule)))
    return cal


def occurrence_cancel(
    group: Group, slot: Slot, view: View, *, stamp: datetime
) -> icalendar.Calendar:
    """METHOD:CANCEL for the one meeting of ``slot``, named by its RECURRENCE-ID."""
    cal = _calendar(view.method)
    start = slot.start.astimezone(zone(group.timezone))
    cal.add_component(vtimezone(group.timezone, start, start))
    event = _event(
        group, replace(view, cancelled=True), stamp, start, timedelta(minutes=group.minutes)
    )
    event.add("recurrence-id", start)
    cal.add_component(event)
    return cal


def _series_frame(group: Group, schedule: Schedule, view: View) -> icalendar.Calendar:
    """VCALENDAR with METHOD and the VTIMEZONE covering every slot and meeting."""
    if not schedule.slots:
        raise FacilitatorError(f"group {group.id} has no meetings to put in a calendar")
    cal = _calendar(view.method)
    tz = zone(group.timezone)
    starts = [s.start.astimezone(tz) for s in schedule.slots]
    starts += [m.start.astimezone(tz) for m in schedule.meetings]
    cal.add_component(vtimezone(group.timezone, min(starts), max(starts)))
    return cal


def _master(group: Group, view: View, stamp: datetime, pairs: list[Occurrence]) -> icalendar.Event:
    tz = zone(group.timezone)
    first = pairs[0].slot.start.astimezone(tz)
    master = _event(group, view, stamp, first, timedelta(minutes=group.minutes))
    # UNTIL, not COUNT: calcurse counts EXDATEs differently and shows phantom meetings after a
    # COUNT series with EXDATEs. In UTC, as RFC 5545 requires with a TZID DTSTART; like Google,
    # the end of the last slot's local day, so a client that repeats the first offset across a
    # DST change (calcurse outside the group's zone) still reaches the last meeting.
    last_day = pairs[-1].slot.start.astimezone(tz).date()
    until = datetime.combine(last_day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)
    master.add("rrule", {"freq": "weekly", "until": until})
    for pair in pairs:
        if pair.meeting is None:
            master.add("exdate", pair.slot.start.astimezone(tz))  # one property per date
    return master


def _calendar(method: Method) -> icalendar.Calendar:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method.value)
    return cal


def _event(
    group: Group, view: View, stamp: datetime, start: datetime, length: timedelta
) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", check_uid(group))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", max(0, group.calendar_sequence))
    event.add("dtstart", start)
    event.add("dtend", start + length)
    event.add("summary", clean_line(view.summary) or "Meeting")
    if clean_line(view.location):
        event.add("location", clean_line(view.location))
    if clean_text(view.description):
        event.add("description", clean_text(view.description))
    event.add("class", "PRIVATE")
    event.add("transp", "OPAQUE")
    event.add("status", "CANCELLED" if view.cancelled else "CONFIRMED")
    _people(event, view)
    if view.alarm_minutes > 0 and not view.cancelled and view.method is not Method.CANCEL:
        event.add_component(_alarm(view))
    return event


def _people(event: icalendar.Event, view: View) -> None:
    import icalendar

    if view.organizer is not None:
        organizer = icalendar.vCalAddress(f"mailto:{_email(view.organizer)}")
        if _cn(view.organizer.name):
            organizer.params["CN"] = _cn(view.organizer.name)
        event.add("organizer", organizer)
    if view.method is Method.PUBLISH:
        return  # PUBLISH allows no ATTENDEE (RFC 5546)
    for person in view.attendees:
        attendee = icalendar.vCalAddress(f"mailto:{_email(person)}")
        if _cn(person.name):
            attendee.params["CN"] = _cn(person.name)
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        if view.method is Method.REQUEST:
            attendee.params["RSVP"] = "TRUE"
        event.add("attendee", attendee)


def _email(person: Person) -> str:
    return wire_email(person.email)


def _cn(name: str) -> str:
    """A name for a CN parameter: one line (icalendar encodes quotes and ^ per RFC 6868)."""
    return clean_line(name)


def _alarm(view: View) -> icalendar.Alarm:
    import icalendar

    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", clean_line(view.summary) or "Meeting")
    alarm.add("trigger", timedelta(minutes=-view.alarm_minutes))
    return alarm


def _needs_override(group: Group, view: View, meeting: Meeting) -> bool:
    return meeting.moved or meeting.minutes != group.minutes or meeting.week in view.sessions


def _override(
    group: Group, view: View, stamp: datetime, slot: Slot, meeting: Meeting
) -> icalendar.Event:
    tz = zone(group.timezone)
    session = view.sessions.get(meeting.week)
    if session is not None:
        title = f"{clean_line(view.summary)}: week {meeting.week}, {clean_line(session.title)}"
        description = "\n\n".join(
            t for t in (clean_text(session.agenda), clean_text(view.description)) if t
        )
        view = replace(view, summary=title, description=description)
    start = meeting.start.astimezone(tz)
    event = _event(group, view, stamp, start, timedelta(minutes=meeting.minutes))
    event.add("recurrence-id", slot.start.astimezone(tz))
    return event


def weeks_outline(sessions: Mapping[int, SessionText], schedule: Schedule) -> str:
    """One line per held meeting for the facilitators' master DESCRIPTION."""
    lines = []
    for meeting in schedule.meetings:
        session = sessions.get(meeting.week)
        title = clean_line(session.title) if session else meeting.session_id
        when = "cancelled" if meeting.cancelled else meeting.start.strftime("%a %d %b %Y %H:%M")
        lines.append(f"Week {meeting.week} ({when}): {title}")
    return "\n".join(lines)


def attendees_of(people: Sequence[Person]) -> tuple[Person, ...]:
    """People with a usable address, each once (first occurrence wins), in ASCII form."""
    seen: dict[str, Person] = {}
    for person in people:
        if valid_email(person.email):
            address = wire_email(person.email)
            seen.setdefault(address.lower(), Person(person.name, address))
    return tuple(seen.values())
