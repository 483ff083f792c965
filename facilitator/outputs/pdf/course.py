"""What a print run needs about one group, gathered once: plans, handouts, roster, schedule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from facilitator.config import Settings
from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.model.content import Curriculum, Handout, SessionPlan
from facilitator.model.group import AttendanceStatus, Group, Mark, Meeting, Participant, Schedule
from facilitator.outputs.pdf.worksheet import SheetValues

Timings = Mapping[int, Sequence[tuple[str, int, int]]]
"""Week -> (agenda item title, planned minutes, actual minutes) recorded by the live runner."""


@dataclass(frozen=True)
class Course:
    """One group and everything printed for it (model objects only: no database here)."""

    group: Group
    curriculum: Curriculum
    plans: Mapping[int, SessionPlan]
    """Week number -> the plan held that week."""
    handouts: Mapping[str, Handout]
    roster: Sequence[Participant]
    """Everyone ever enrolled, in roster order."""
    schedule: Schedule
    settings: Settings = field(default_factory=Settings)
    marks: Sequence[Mark] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    """Handout id -> file path as shown, for error messages."""
    notes: Mapping[int, str] = field(default_factory=dict)
    """Week -> the meeting's group note: only for a course record printed with notes."""

    @property
    def weeks(self) -> int:
        """Number of weeks in the course (the group's schedule, else the curriculum's)."""
        return len(self.schedule.meetings) or len(self.curriculum.weeks)

    def meeting(self, week: int) -> Meeting:
        """The meeting of a week; a one-line error for a week the course does not have."""
        if not 1 <= week <= self.weeks:
            raise NotFoundError(
                f"week {week} of {self.weeks}: this course has weeks 1 to {self.weeks}"
            )
        try:
            return self.schedule.meeting(week)
        except KeyError:
            raise NotFoundError(f"week {week} is not in the group's schedule") from None

    def scheduled_weeks(self) -> list[int]:
        """The weeks whose meeting takes place (not cancelled), in order."""
        return [w for w in range(1, self.weeks + 1) if not self.meeting(w).cancelled]

    def plan(self, week: int) -> SessionPlan:
        """The session plan of a week."""
        self.meeting(week)
        plan = self.plans.get(week)
        if plan is None:
            raise FacilitatorError(f"week {week}: its session plan is missing from the content")
        return plan

    def week_handouts(self, week: int) -> list[Handout]:
        """The handouts of a week's plan, in agenda order (missing ones are an error)."""
        out = []
        for ident in self.plan(week).handout_ids():
            handout = self.handouts.get(ident)
            if handout is None:
                raise FacilitatorError(f"week {week}: handout '{ident}' is missing")
            out.append(handout)
        return out

    def active(self, week: int) -> list[Participant]:
        """Members on the day of a week's meeting, in roster order."""
        day = self.meeting(week).start.date()
        return [p for p in self.roster if p.enrolled_on(day)]

    def absent(self, week: int) -> list[Participant]:
        """Members marked absent or excused in a week (who get a make-up pack)."""
        missed = {m.participant_id for m in self.marks if m.week == week and not m.status.attended}
        return [p for p in self.active(week) if p.id in missed]

    def status(self, participant: Participant, week: int) -> AttendanceStatus | None:
        """A participant's mark in a week, if the roll was taken."""
        for mark in self.marks:
            if mark.week == week and mark.participant_id == participant.id:
                return mark.status
        return None

    def values(self, week: int | None, participant: Participant | None = None) -> SheetValues:
        """Template values for a week's sheets (``participant`` None: a blank copy)."""
        date_text = meeting_date(self.meeting(week)) if week else ""
        return SheetValues(
            programme=self.curriculum.title,
            group_name=self.group.display_name,
            week=week,
            meeting_date=date_text,
            facilitator_names=" and ".join(f.name for f in self.group.facilitators),
            support_lines=self.settings.effective_support_lines(),
            participant_name=participant.preferred_name if participant else "",
            version=self.curriculum.version,
            language=self.curriculum.language,
        )


def meeting_date(meeting: Meeting) -> str:
    """A meeting's date as printed: "Tuesday 3 March 2026" (English, locale-independent)."""
    return day_text(meeting.start)


def day_text(day: date) -> str:
    """A date as printed: "Tuesday 3 March 2026" (English, locale-independent)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def clock(meeting: Meeting, offset_minutes: int) -> str:
    """Wall-clock time ``offset_minutes`` after a meeting's start, as 18:05."""
    total = meeting.start.hour * 60 + meeting.start.minute + offset_minutes
    return f"{total // 60 % 24:02d}:{total % 60:02d}"


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
