"""Who gets which calendar file: one per participant, one for the facilitators, one public.

* ``<opaque_id>.ics`` per current participant with an e-mail: METHOD:REQUEST whose only ATTENDEE
  is that participant, the group's neutral display name as SUMMARY, the location, nothing about
  the topic. With ``publish=True`` it is a METHOD:PUBLISH without any ATTENDEE instead.
* ``<opaque_id>.ics`` per participant who has *left*: a CANCEL of the series (RFC 5546's way to
  remove an attendee), so the meetings leave their calendar. (Mailed only to people who were sent
  an invite before.)
* ``facilitator.ics``: full titles, an override per meeting with its session title and agenda;
  a REQUEST to the co-facilitators (as ATTENDEEs), or a PUBLISH when there are none.
* ``group-public.ics``: METHOD:PUBLISH, neutral, no attendees, for anyone without e-mail.

A cancelled group turns every file into a cancellation of the series; ``cancel_week`` makes
files that cancel the one meeting of that week (RECURRENCE-ID).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.model.group import Group, Participant, Schedule, Slot, SlotKind
from facilitator.outputs import ics
from facilitator.outputs.ics import Method, Person, SessionText, View

FACILITATOR_FILE = "facilitator.ics"
PUBLIC_FILE = "group-public.ics"


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone a file is mailed to; ``key`` is opaque (never a name) for the sent-ledger."""

    key: str
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Invite:
    """One calendar file and the people it is for."""

    filename: str
    method: Method
    kind: str
    """``participant``, ``left``, ``facilitators`` or ``public``."""
    data: bytes
    fingerprint: str
    """sha256 of the file without DTSTAMP: equal when nothing but the export time changed."""
    recipients: tuple[Recipient, ...] = ()
    cancels: bool = False
    """Calls something off: mailed only to people who were sent an invite before."""


@dataclass(frozen=True, slots=True)
class Private:
    """What only the facilitators' file shows: the curriculum title and each week's session."""

    title: str = ""
    sessions: Mapping[int, SessionText] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InviteSet:
    """The files of one run, and who got none (with why, for the facilitator's screen)."""

    invites: tuple[Invite, ...]
    skipped: tuple[str, ...] = ()


def build_invites(
    group: Group,
    schedule: Schedule,
    participants: Iterable[Participant],
    *,
    stamp: datetime,
    private: Private | None = None,
    alarm_minutes: int = 0,
    publish: bool = False,
    cancel_week: int | None = None,
) -> InviteSet:
    """Every calendar file for ``group``; ``stamp`` is the DTSTAMP (the CLI passes now)."""
    ics.check_uid(group)
    people = sorted(participants, key=lambda p: p.id)
    organizer = _organizer(group)
    if organizer is None and not publish:
        raise FacilitatorError(
            "invitations need a facilitator with an e-mail address "
            "(the organiser); add one, or use --publish"
        )
    neutral = View(
        Method.PUBLISH,
        group.display_name,
        group.location,
        organizer=organizer,
        alarm_minutes=alarm_minutes,
        cancelled=group.cancelled,
    )
    slot = _cancelled_slot(schedule, cancel_week) if cancel_week is not None else None

    def render(view: View, *, whole: bool = False) -> Callable[[datetime], bytes]:
        def build(at: datetime) -> bytes:
            if slot is not None and not whole:
                cal = ics.occurrence_cancel(group, slot, view, stamp=at)
            elif group.cancelled or view.cancelled:
                cal = ics.series_cancel(group, schedule, view, stamp=at)
            else:
                cal = ics.series_calendar(group, schedule, view, stamp=at)
            return bytes(cal.to_ical())

        return build

    out: list[Invite] = []
    skipped: list[str] = []
    stopping = group.cancelled or slot is not None
    for person in people:
        problem = _unreachable(person)
        if problem:
            skipped.append(f"{person.sign_in_name}: {problem}")
            continue
        left = person.left is not None and person.left <= stamp.date()
        me = Recipient(person.opaque_id, person.sign_in_name, ics.ascii_email(person.email))
        attendee = Person(person.sign_in_name, person.email)
        if publish:
            view = _with(neutral, cancelled=neutral.cancelled or left)
            build = render(view, whole=True)  # a PUBLISH replaces the whole series
        else:
            view = _with(
                neutral,
                method=Method.CANCEL if left or stopping else Method.REQUEST,
                attendees=(attendee,),
                cancelled=neutral.cancelled or left,
            )
            build = render(view, whole=left)
        out.append(
            _invite(
                f"{person.opaque_id}.ics",
                "left" if left else "participant",
                view,
                build,
                stamp,
                (me,),
                cancels=left or stopping,
            )
        )
    out.append(_facilitators(group, schedule, neutral, private, render, stamp, stopping))
    public = _with(neutral, method=Method.PUBLISH, organizer=organizer)
    out.append(
        _invite(
            PUBLIC_FILE, "public", public, render(public, whole=True), stamp, (), cancels=stopping
        )
    )
    return InviteSet(tuple(out), tuple(skipped))


def _facilitators(
    group: Group,
    schedule: Schedule,
    neutral: View,
    private: Private | None,
    render: Callable[..., Callable[[datetime], bytes]],
    stamp: datetime,
    stopping: bool,
) -> Invite:
    """facilitator.ics: the facilitators' own view, sent to the co-facilitators."""
    organizer = neutral.organizer
    others = ics.attendees_of([Person(f.name, f.email) for f in group.facilitators])
    others = tuple(
        p for p in others if organizer is None or p.email.lower() != organizer.email.lower()
    )
    private = private or Private()
    summary = " - ".join(
        t for t in (ics.clean_line(group.name), ics.clean_line(private.title)) if t
    )
    description = ics.weeks_outline(private.sessions, schedule) if private.sessions else ""
    method = (Method.CANCEL if stopping else Method.REQUEST) if others else Method.PUBLISH
    view = _with(
        neutral,
        method=method,
        summary=summary or group.display_name,
        description=description,
        attendees=others,
        sessions=private.sessions,
    )
    recipients = tuple(Recipient(_key("cofacilitator", p.email), p.name, p.email) for p in others)
    whole = method is Method.PUBLISH
    return _invite(
        FACILITATOR_FILE,
        "facilitators",
        view,
        render(view, whole=whole),
        stamp,
        recipients,
        cancels=stopping,
    )


def _invite(
    filename: str,
    kind: str,
    view: View,
    build: Callable[[datetime], bytes],
    stamp: datetime,
    recipients: tuple[Recipient, ...],
    *,
    cancels: bool,
) -> Invite:
    data = build(stamp)
    return Invite(
        filename,
        view.method,
        kind,
        data,
        fingerprint(data),
        recipients,
        cancels=cancels or view.cancelled,
    )


def fingerprint(data: bytes) -> str:
    """sha256 of a calendar file without its DTSTAMP lines (fresh at every export).

    Only reads what icalendar wrote (DTSTAMP is a short UTC value, never folded), so two runs
    that differ in nothing but the export time give the same fingerprint.
    """
    kept = [line for line in data.split(b"\r\n") if not line.startswith(b"DTSTAMP:")]
    return hashlib.sha256(b"\r\n".join(kept)).hexdigest()


def _with(view: View, **changes: object) -> View:
    from dataclasses import replace

    return replace(view, **changes)  # type: ignore[arg-type]


def _organizer(group: Group) -> Person | None:
    """The first facilitator with a usable address organises the series."""
    for person in group.facilitators:
        if ics.valid_email(person.email):
            return Person(person.name, ics.ascii_email(person.email))
    return None


def _unreachable(person: Participant) -> str:
    if not person.email:
        return "no e-mail address (give them group-public.ics)"
    if not ics.valid_email(person.email):
        return "e-mail address not usable (fix it in the roster)"
    if not person.opaque_id:
        return "no opaque id (the roster record is incomplete)"
    return ""


def _key(kind: str, email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]
    return f"{kind}-{digest}"


def _cancelled_slot(schedule: Schedule, week: int) -> Slot:
    """The slot where curriculum week ``week`` was called off."""
    if not any(m.week == week for m in schedule.meetings):
        raise NotFoundError(f"week {week} of {len(schedule.meetings)}: no such week")
    for slot in schedule.slots:
        if slot.kind is SlotKind.CANCELLED and slot.week == week:
            return slot
    meeting = schedule.meeting(week)
    if meeting.cancelled:
        for slot in schedule.slots:
            if slot.start == meeting.slot_start:
                return slot
    raise FacilitatorError(
        f"week {week} is not cancelled in the schedule; cancel it there "
        "first, so the calendar SEQUENCE goes up"
    )
