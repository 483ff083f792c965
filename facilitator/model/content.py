"""Content models: session plans, curricula and handouts, exactly as their YAML files spell them.

Field names are the YAML keys. Models are frozen and reject unknown keys; scalars use the strict
types from :mod:`facilitator.model.scalars`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from facilitator.model.scalars import Fraction, Identifier, Text, WholeNumber, YesNo


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Texts = tuple[Text, ...]


class AgendaKind(StrEnum):
    """What an agenda item is for; the live runner and printouts treat some kinds specially."""

    ARRIVAL = "arrival"
    PRACTICE = "practice"
    CHECK_IN = "check-in"
    REVIEW = "review"
    TEACHING = "teaching"
    EXERCISE = "exercise"
    BREAK = "break"
    ASSIGNMENT = "assignment"
    CLOSING = "closing"
    BUFFER = "buffer"


class AgendaItem(_Model):
    """One timed segment of a meeting."""

    id: Identifier
    """Unique within its plan."""
    title: Text
    kind: AgendaKind
    minutes: Annotated[WholeNumber, Field(ge=1, le=240)]
    protected: YesNo = False
    """Never shortened or skipped when the meeting runs late."""
    sensitive: YesNo = False
    """Touches material that can be distressing; needs a content note and an opt-out."""
    script: Text = ""
    """What the facilitator says and does, cautions, and how to debrief."""
    handouts: tuple[Identifier, ...] = ()
    materials: Texts = ()
    content_note: Text = ""
    """Said before the item so that people can choose how to take part."""
    opt_out: Text = ""
    """What someone can do instead of the exercise."""
    lead: Text = ""
    """Which facilitator leads this item (e.g. "co-facilitator"); empty means either."""


class SessionPlan(_Model):
    """A reusable plan for one meeting (a file ``*.session.yaml``)."""

    id: Identifier
    title: Text
    summary: Text
    minutes: Annotated[WholeNumber, Field(ge=5, le=480)]
    objectives: Texts = ()
    agenda: Annotated[tuple[AgendaItem, ...], Field(min_length=1)]
    home_practice: Texts = ()
    materials: Texts = ()
    preparation: Texts = ()
    """What the facilitator does before the meeting."""
    tags: Texts = ()

    def timeline(self) -> tuple[tuple[int, AgendaItem], ...]:
        """Each agenda item with the minute it starts at (0 for the first); the meeting ends
        at :meth:`agenda_minutes`. Every agenda with times (CLI, builder, calendar, guide)
        reads this."""
        starts, offset = [], 0
        for item in self.agenda:
            starts.append((offset, item))
            offset += item.minutes
        return tuple(starts)

    def agenda_minutes(self) -> int:
        """The agenda's length: its items' minutes added up (``minutes`` is the plan's stated
        length, which validation checks against this)."""
        return sum(item.minutes for item in self.agenda)

    def handout_ids(self) -> tuple[str, ...]:
        """Every handout the plan hands out, in agenda order, without repeats.

        A review item's handouts are earlier sheets it goes back over: they are not handed out
        (nor printed) again, so they are left out here (see :meth:`reviewed_handouts`).
        """
        seen: dict[str, None] = {}
        for item in self.agenda:
            if item.kind is not AgendaKind.REVIEW:
                seen.update(dict.fromkeys(item.handouts))
        return tuple(seen)

    def reviewed_handouts(self) -> tuple[tuple[str, str], ...]:
        """(item id, handout id) for each earlier sheet a review item goes back over."""
        return tuple(
            (item.id, handout)
            for item in self.agenda
            if item.kind is AgendaKind.REVIEW
            for handout in item.handouts
        )


class Week(_Model):
    """One week of a curriculum and the plan it uses."""

    number: Annotated[WholeNumber, Field(ge=1, le=104)]
    session: Identifier
    alternates: tuple[Identifier, ...] = ()
    """Plans a facilitator may swap in for this week."""
    note: Text = ""


class FollowUp(_Model):
    """An optional meeting after the last week (a booster), scheduled separately."""

    session: Identifier
    note: Text = ""


class Curriculum(_Model):
    """An ordered course of plans (a file ``*.curriculum.yaml``)."""

    id: Identifier
    title: Text
    audience: Text
    description: Text
    meeting_minutes: Annotated[WholeNumber, Field(ge=5, le=480)]
    weeks: Annotated[tuple[Week, ...], Field(min_length=1)]
    follow_ups: tuple[FollowUp, ...] = ()
    """Optional follow-up or booster meetings after the course; they never replace a week."""
    agreements: Texts = ()
    """Group agreements read at the first meeting and printed on request."""
    completion_threshold: Fraction = 0.75
    """Share of the meetings held that a participant attends to complete the course."""
    version: Text = "1"
    """Content version, printed in worksheet footers."""
    language: Text = "en"


class ParagraphBlock(_Model):
    """Running text."""

    type: Literal["paragraph"]
    text: Text
    heading: Text = ""


class PromptBlock(_Model):
    """A question with room to write."""

    type: Literal["prompt"]
    text: Text
    answer: Literal["lines", "box"] = "lines"
    size: Annotated[WholeNumber, Field(ge=1, le=30)] = 4
    """Lines of writing space (for a box, its height in lines)."""


class ChecklistBlock(_Model):
    """Tick boxes."""

    type: Literal["checklist"]
    text: Text = ""
    items: Annotated[Texts, Field(min_length=1)]


class ScaleBlock(_Model):
    """A 0-10 rating."""

    type: Literal["scale"]
    text: Text
    low: Text = "not at all"
    high: Text = "completely"


class TrackerBlock(_Model):
    """A days-of-the-week grid, one row per practice."""

    type: Literal["tracker"]
    text: Text = ""
    rows: Annotated[Texts, Field(min_length=1)]


class TableBlock(_Model):
    """A table with headings, optional filled rows and blank rows to write in."""

    type: Literal["table"]
    text: Text = ""
    columns: Annotated[Texts, Field(min_length=1, max_length=6)]
    rows: tuple[Texts, ...] = ()
    blank_rows: Annotated[WholeNumber, Field(ge=0, le=30)] = 0


class CommitmentBlock(_Model):
    """A statement with lines to sign and date."""

    type: Literal["commitment"]
    text: Text
    lines: Texts = ("Signature (optional)", "Date")


Block = Annotated[
    ParagraphBlock
    | PromptBlock
    | ChecklistBlock
    | ScaleBlock
    | TrackerBlock
    | TableBlock
    | CommitmentBlock,
    Field(discriminator="type"),
]
BLOCK_TYPES = ("paragraph", "prompt", "checklist", "scale", "tracker", "table", "commitment")


class Handout(_Model):
    """A participant worksheet (a file ``*.handout.yaml``); text may use template variables."""

    id: Identifier
    title: Text
    purpose: Text
    how_to_use: Text
    safety_note: Text
    blocks: Annotated[tuple[Block, ...], Field(min_length=1)]
    tags: Texts = ()


ContentModel = SessionPlan | Curriculum | Handout
