"""Fixtures for the PDF tests: the shipped library and courses built from model objects."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facilitator.config import Settings
from facilitator.content import ContentRoot, Library, load_library
from facilitator.model.group import (
    AttendanceStatus,
    Group,
    Mark,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)
from facilitator.outputs.pdf.course import Course

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def library() -> Library:
    """The bundled curricula and handouts."""
    lib = load_library([ContentRoot(ROOT / "curricula", bundled=True),
                        ContentRoot(ROOT / "handouts", bundled=True)])
    return lib


def make_course(library: Library, names: Sequence[str], curriculum: str = "example", *,
                absent_week: int | None = None, large: Sequence[str] = ()) -> Course:
    """A course over ``curriculum`` with invented participants, meetings at 18:00 weekly."""
    model = library.curriculum(curriculum)
    zone = ZoneInfo("Europe/Berlin")
    first = date(2026, 3, 3)
    group = Group(id=7, name="Private topic group SECRETTOPIC", display_name="Tuesday group",
                  curriculum_id=model.id, first_date=first, start_time=time(18, 0),
                  minutes=model.meeting_minutes, timezone="Europe/Berlin")
    meetings, slots = [], []
    for week in model.weeks:
        start = datetime.combine(first + timedelta(weeks=week.number - 1), time(18, 0), zone)
        meetings.append(Meeting(group.id, week.number, week.session, start,
                                model.meeting_minutes, start))
        slots.append(Slot(week.number - 1, start, SlotKind.MEETING, week=week.number))
    people = [Participant(id=i + 1, group_id=group.id, preferred_name=name,
                          last_initial="Q", opaque_id=f"opaque{i + 1:03d}",
                          large_print=name in large)
              for i, name in enumerate(names)]
    marks = []
    if absent_week is not None:
        marks = [Mark(p.id, absent_week, AttendanceStatus.ABSENT if i == 0
                      else AttendanceStatus.PRESENT) for i, p in enumerate(people)]
    return Course(group=group, curriculum=model,
                  plans={w.number: library.plan(w.session) for w in model.weeks},
                  handouts={k: e.model for k, e in library.handouts.items()},
                  roster=people, schedule=Schedule(group.id, "Europe/Berlin", tuple(slots),
                                                   tuple(meetings)),
                  settings=Settings(), marks=marks)


def pdf_text(data: bytes) -> str:
    """Text of every page (pypdf), NFKC-normalised, without format/bidi controls."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def squash(text: str) -> str:
    """Whitespace removed (names may wrap across lines)."""
    return re.sub(r"\s+", "", text)
