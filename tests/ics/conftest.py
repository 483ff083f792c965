"""Fixtures for the invite tests: model objects built by hand (no store), third-party checkers."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facilitator.model.group import (
    Facilitator,
    Group,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)

ROOT = Path(__file__).resolve().parents[2]
CHECKERS = Path(__file__).resolve().parent / "checkers"
"""The project's own third-party checkers: libical (Python/GObject) and ical.js (node)."""
ICALJS_MODULES = CHECKERS / "node_modules"
STAMP = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
UID = "6f1c2a9e-3b7d-4c1e-9a55-0d2f4e8b7c61"

TOPIC = "Canarytopic Recovery Circle"
"""Private group name: must never reach a participant."""
CURRICULUM_TITLE = "Canarycurriculum Of Secrets"
SESSION_TITLES = {w: f"Canarysession {w} Title" for w in range(1, 13)}


def make_schedule(
    zone: str,
    first: date,
    at: time,
    weeks: int,
    *,
    skip: tuple[int, ...] = (),
    cancel: tuple[int, ...] = (),
    move: dict[int, datetime] | None = None,
    minutes: int = 90,
) -> Schedule:
    """A weekly schedule: ``skip``/``cancel`` are slot indexes; ``move`` maps week -> start.

    Like the store's scheduler, sessions are pushed on past skipped and cancelled slots.
    """
    tz = ZoneInfo(zone)
    move = move or {}
    slots: list[Slot] = []
    meetings: list[Meeting] = []
    week, index = 1, 0
    while week <= weeks:
        start = datetime.combine(first + timedelta(weeks=index), at, tzinfo=tz)
        if index in skip:
            slots.append(Slot(index, start, SlotKind.SKIPPED, "holiday"))
        elif index in cancel:
            slots.append(Slot(index, start, SlotKind.CANCELLED, "cancelled", week))
        else:
            moved = move.get(week)
            kind = SlotKind.MOVED if moved else SlotKind.MEETING
            slots.append(Slot(index, start, kind, "", week))
            meetings.append(Meeting(1, week, f"plan-{week}", moved or start, minutes, start))
            week += 1
        index += 1
    return Schedule(1, zone, tuple(slots), tuple(meetings))


def make_group(zone: str = "Europe/Berlin", **changes: object) -> Group:
    """A group with a topic-revealing private name and a neutral display name."""
    group = Group(
        id=1,
        name=TOPIC,
        display_name="Tuesday group",
        curriculum_id="ssc",
        first_date=date(2027, 3, 2),
        start_time=time(18, 30),
        minutes=90,
        timezone=zone,
        location="Room 4, 12 Example Street",
        facilitators=(
            Facilitator("Fayola Facil", "fayola@example.org"),
            Facilitator("Corwin Cofac", "corwin@example.org"),
        ),
        calendar_uid=UID,
        calendar_sequence=0,
    )
    return replace(group, **changes)  # type: ignore[arg-type]


def make_participants(n: int = 4) -> list[Participant]:
    """Invented canary names; every one unique enough to grep for."""
    names = [
        "Zephyrine",
        "Quillon",
        "Marisolde",
        "Thaddeo",
        "Ysoldine",
        "Brannoc",
        "Elowyn",
        "Kestrin",
        "Orlaith",
        "Peregrin",
        "Sabelle",
        "Wendeline",
    ]
    return [
        Participant(
            id=i + 1,
            group_id=1,
            preferred_name=names[i],
            last_initial="Q",
            email=f"{names[i].lower()}@example.org",
            opaque_id=f"p{i + 1:02d}x7k",
        )
        for i in range(n)
    ]


def _python_with_libical() -> str | None:
    for python in ("/usr/bin/python3", shutil.which("python3") or ""):
        if not python:
            continue
        probe = subprocess.run(
            [
                python,
                "-c",
                "import gi; gi.require_version('ICalGLib', '3.0'); "
                "from gi.repository import ICalGLib",
            ],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return python
    return None


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


def _missing(what: str, install: str) -> None:
    """Skip (fail under CI, where .ci/install-system-deps has run) naming what to install."""
    message = f"{what} not installed: {install} (or run bash .ci/install-system-deps)"
    if _in_ci():
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def libical_python() -> str:
    """A python with libical's GObject bindings."""
    python = _python_with_libical()
    if python is None:
        _missing("libical's Python bindings", "apt-get install python3-gi gir1.2-ical-3.0")
    assert python is not None
    return python


@pytest.fixture(scope="session")
def libical_check(libical_python: str) -> list[str]:
    """The command that validates .ics files with libical (tests/ics/checkers/libical_check.py)."""
    return [libical_python, str(CHECKERS / "libical_check.py")]


@pytest.fixture(scope="session")
def icaljs_check() -> list[str]:
    """The command that validates and expands an .ics file with ical.js."""
    node = shutil.which("node")
    if node is None:
        _missing("node", "apt-get install nodejs npm")
    if not (ICALJS_MODULES / "ical.js").is_dir():
        _missing("ical.js", "cd tests/ics/checkers && npm ci")
    assert node is not None
    return [node, str(CHECKERS / "icaljs_check.mjs")]
