"""Group records: groups, facilitators, participants, meetings, schedules and attendance.

These are what facilitators create (the store persists them); content models are in
:mod:`facilitator.model.content`. A *SessionPlan* is content; a *Meeting* is one dated occurrence
of a plan for a *Group*. All datetimes here are timezone-aware, in the group's zone.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class AttendanceStatus(StrEnum):
    """How one participant attended one meeting."""

    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left-early"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def attended(self) -> bool:
        """Late and left early count as attended."""
        return self in (
            AttendanceStatus.PRESENT,
            AttendanceStatus.LATE,
            AttendanceStatus.LEFT_EARLY,
        )

    @property
    def counts_in_rate(self) -> bool:
        """Excused absences are left out of the attendance rate."""
        return self is not AttendanceStatus.EXCUSED


class SlotKind(StrEnum):
    """What happens on one week of the regular weekly series."""

    MEETING = "meeting"
    """A meeting on its regular date and time."""
    MOVED = "moved"
    """The meeting of this slot takes place at another date/time (``Meeting.start``)."""
    SKIPPED = "skipped"
    """No meeting: a holiday or an explicit skip date; the later sessions moved one week on."""
    CANCELLED = "cancelled"
    """No meeting: cancelled by the facilitator (session pushed on, or dropped)."""


@dataclass(frozen=True, slots=True)
class Facilitator:
    """A person who runs the group (organiser of invitations)."""

    name: str
    email: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """One running group of a curriculum."""

    id: int
    name: str
    """The facilitator's own name for the group (may name the topic; never sent to members)."""
    display_name: str
    """Neutral name for anything participants see, e.g. "Weekly group"."""
    curriculum_id: str
    first_date: date
    start_time: time
    """Local wall-clock start time, kept across DST changes."""
    minutes: int
    timezone: str
    """IANA zone name, e.g. "Europe/Berlin"."""
    location: str = ""
    facilitators: tuple[Facilitator, ...] = ()
    is_open: bool = False
    """Open groups accept new members during the course (rolling entry)."""
    capacity: int | None = None
    completion_threshold: float = 0.75
    holidays: str = ""
    """Country code with optional subdivision, e.g. "US" or "DE-BY"; empty for none."""
    calendar_uid: str = ""
    """Opaque uuid4 for the calendar series; stored at creation, never regenerated."""
    calendar_sequence: int = 0
    """Bumped on every schedule change; the invites' SEQUENCE."""
    cancelled: bool = False
    """The whole group was cancelled."""


@dataclass(frozen=True, slots=True)
class Participant:
    """A member of a group; people leave (``left``) rather than being deleted."""

    id: int
    group_id: int
    preferred_name: str
    """Any script, stored NFC."""
    last_initial: str = ""
    email: str = ""
    joined: date | None = None
    left: date | None = None
    large_print: bool = False
    opaque_id: str = ""
    """Random id for file names and mail bookkeeping; never derived from the name."""

    @property
    def file_id(self) -> str:
        """What names this person's files (``week03-<file id>.pdf``): never the name."""
        return self.opaque_id or f"p{self.id}"

    @property
    def sign_in_name(self) -> str:
        """Preferred name plus last initial: all that sign-in sheets show."""
        return (
            f"{self.preferred_name} {self.last_initial}."
            if self.last_initial
            else self.preferred_name
        )

    def enrolled_on(self, day: date) -> bool:
        """Whether this person is a member on ``day`` (joined on or before, not yet left)."""
        return (self.joined is None or self.joined <= day) and (
            self.left is None or day < self.left
        )


@dataclass(frozen=True, slots=True)
class Meeting:
    """One dated occurrence of a session plan for a group."""

    group_id: int
    week: int
    """1-based position of the session in the curriculum (stays with the session)."""
    session_id: str
    start: datetime
    """Aware datetime in the group's zone."""
    minutes: int
    slot_start: datetime
    """Where the regular series put this meeting (differs from ``start`` when moved)."""
    cancelled: bool = False
    """Cancelled and dropped: the session does not take place at all."""

    @property
    def moved(self) -> bool:
        """The meeting is not at its regular slot."""
        return self.start != self.slot_start


@dataclass(frozen=True, slots=True)
class Slot:
    """One week of the regular weekly series (the calendar's RRULE occurrences)."""

    index: int
    """0-based occurrence number in the series."""
    start: datetime
    kind: SlotKind
    reason: str = ""
    """Why there is no meeting (holiday name, "skipped", "cancelled")."""
    week: int | None = None
    """The curriculum week held in (or moved out of) this slot."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """A group's computed schedule: the weekly slots and the meetings they produce."""

    group_id: int
    timezone: str
    slots: tuple[Slot, ...]
    meetings: tuple[Meeting, ...]
    """One per curriculum week, in week order (dropped ones have ``cancelled=True``)."""

    def meeting(self, week: int) -> Meeting:
        """The meeting of curriculum week ``week`` (1-based)."""
        for meeting in self.meetings:
            if meeting.week == week:
                return meeting
        raise KeyError(week)


@dataclass(frozen=True, slots=True)
class Mark:
    """One attendance mark."""

    participant_id: int
    week: int
    status: AttendanceStatus


@dataclass(frozen=True, slots=True)
class Note:
    """A facilitator note on one meeting: for the group, or short, about one participant.

    Notes live apart from attendance and are never in a default export.
    """

    group_id: int
    week: int
    text: str
    version: int
    """Starts at 1, bumped on every save; a save naming an older version is a conflict."""
    participant_id: int | None = None
    """``None`` for the group note of the meeting."""


class Completion(StrEnum):
    """Where a participant stands against the completion threshold.

    Only once no meeting is left for them (the course's last meeting held, or they left) is
    the answer final: completed or not completed. Until then it is a forecast.
    """

    IN_PROGRESS = "in progress"
    """Nothing counted yet."""
    ON_TRACK = "on track"
    """At or above the threshold so far."""
    BEHIND = "behind"
    """Below the threshold so far, but attending the rest would still reach it."""
    OUT_OF_REACH = "out of reach"
    """Even attending every remaining meeting would not reach the threshold."""
    COMPLETED = "completed"
    NOT_COMPLETED = "not completed"

    @property
    def final(self) -> bool:
        """No meeting is left that could change this."""
        return self in (Completion.COMPLETED, Completion.NOT_COMPLETED)


@dataclass(frozen=True, slots=True)
class NoteVersion:
    """An earlier version of a note, kept when a later save replaced it."""

    group_id: int
    week: int
    text: str
    version: int
    replaced_at: datetime
    """When the next version replaced this one (UTC)."""
    participant_id: int | None = None


@dataclass(frozen=True, slots=True)
class ParticipantAttendance:
    """One row of the attendance report: a participant's marks and what they add up to."""

    participant: Participant
    marks: dict[int, AttendanceStatus]
    """Week -> status, for the meetings held while this person was a member."""
    attended: int
    """Meetings attended (present, late or left early)."""
    counted: int
    """Meetings that count in the rate (all marked ones except excused)."""
    meets_threshold: bool
    """Attended at least the group's completion threshold of the meetings counted so far."""
    at_risk: bool
    """Absent from the last two meetings held while a member (a current run of absences)."""
    remaining: int = 0
    """Meetings still to be held (not dropped, no roll yet) while this person is a member."""
    threshold: float = 0.75

    @property
    def rate(self) -> float | None:
        """Attended / counted, or ``None`` before anything counted."""
        return self.attended / self.counted if self.counted else None

    @property
    def completion(self) -> Completion:
        """Completed or not only when no meeting is left for this person; else a forecast."""
        if self.remaining == 0:
            return Completion.COMPLETED if self.meets_threshold else Completion.NOT_COMPLETED
        if self.counted == 0:
            return Completion.IN_PROGRESS
        if self.meets_threshold:
            return Completion.ON_TRACK
        best = self.counted + self.remaining
        reachable = self.attended + self.remaining >= math.ceil(self.threshold * best - 1e-9)
        return Completion.BEHIND if reachable else Completion.OUT_OF_REACH

    @property
    def completed(self) -> bool:
        """Completed the course: final, and the threshold was reached."""
        return self.completion is Completion.COMPLETED


@dataclass(frozen=True, slots=True)
class AttendanceSummary:
    """The attendance report of one group: a participant x week matrix and totals."""

    group_id: int
    weeks: tuple[int, ...]
    """Curriculum weeks whose roll has been taken (meetings held), in order; never a dropped
    week."""
    rows: tuple[ParticipantAttendance, ...]
    planned: int = 0
    """Meetings that take place in the course (dropped sessions not counted)."""
    dropped: tuple[int, ...] = ()
    """Weeks whose session was cancelled and dropped."""

    @property
    def held_text(self) -> str:
        """ "3 of 7 held" (dropped weeks count in neither number)."""
        return f"{len(self.weeks)} of {self.planned or len(self.weeks)} held"

    @property
    def finished(self) -> bool:
        """Every meeting of the course has been held."""
        return self.planned > 0 and len(self.weeks) >= self.planned


def split_initial(text: str) -> tuple[str, str]:
    """Split "Quinn Z." or "Quinn Z" into ("Quinn", "Z"); other text is all preferred name."""
    words = text.split()
    if len(words) >= 2:
        last = words[-1].rstrip(".")
        if len(last) == 1 and last.isalpha():
            return " ".join(words[:-1]), last
    return " ".join(words), ""


PARTICLES = frozenset(
    "van von der den de del della di da du le la dos das ter ten bin ibn al el".split()  # noqa: SIM905
)
"""Lower-case words that belong to the surname that follows them ("Anna van der Berg")."""

_FAMILY_FIRST = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def split_full_name(text: str) -> tuple[str, str]:
    """Split a typed full name into (preferred name, last initial), in any script.

    "Дарья Петрова" -> ("Дарья", "П"); "Siobhan O'Brien-Smith" -> ("Siobhan", "O");
    "Anna van der Berg" -> ("Anna", "B"); "Quinn Z." -> ("Quinn", "Z"); names written family
    name first in Chinese, Japanese or Korean script: "田中 美咲" -> ("美咲", "田"). One word
    stays whole with no initial. Callers show the result before saving: it is a guess.
    """
    words = unicodedata.normalize("NFC", text).split()
    if len(words) < 2:
        return " ".join(words), ""
    if all(_family_first(w) for w in words):
        return " ".join(words[1:]), _initial(words[0])
    given, surname = words[:-1], words[-1]
    if len(surname.rstrip(".")) == 1:  # "Quinn Z." or "Quinn Z": the initial is given
        return " ".join(given), surname.rstrip(".").upper()
    while len(given) > 1 and given[-1] in PARTICLES:
        given = given[:-1]
    return " ".join(given), _initial(surname)


def _family_first(word: str) -> bool:
    return all(unicodedata.name(c, "").startswith(_FAMILY_FIRST) for c in word)


def _initial(surname: str) -> str:
    """The first letter of a surname with its combining marks, upper-cased where the script
    has case; an Arabic article (al-, ال) is passed over."""
    word = surname.lstrip("'’-")
    for article in ("ال", "al-", "Al-", "el-", "El-"):
        if word.startswith(article) and len(word) > len(article):
            word = word[len(article) :]
            break
    letters = [c for c in word if c.isalpha() or unicodedata.combining(c)]
    if not letters:
        return ""
    first = letters[0]
    for c in letters[1:]:
        if not unicodedata.combining(c):
            break
        first += c
    return unicodedata.normalize(
        "NFC", first.upper() if len(first.upper()) == len(first) else first
    )


def has_visible(text: str) -> bool:
    """Whether ``text`` has anything visible (not only spaces, controls, zero-width marks)."""
    return any(unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp") for c in text)
