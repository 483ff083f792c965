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
SHARED_TOOLS = ROOT.parent / "shared" / "tools"
ICALJS_MODULES = ROOT / ".ci" / "icaljs" / "node_modules"
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


@pytest.fixture(scope="session")
def libical_python() -> str:
    """A python with libical's GObject bindings (installed by .ci/install-system-deps)."""
    if not (SHARED_TOOLS / "ics_libical_check.py").is_file():
        pytest.skip("../shared/tools is not beside the repository")
    python = _python_with_libical()
    if python is None:
        if _in_ci():
            pytest.fail("libical bindings missing: run bash .ci/install-system-deps")
        pytest.skip("libical bindings not installed (bash .ci/install-system-deps)")
    return python


@pytest.fixture(scope="session")
def icaljs_check(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that runs ../shared/tools/ics_icaljs_check.mjs with ical.js resolvable.

    ES modules ignore NODE_PATH, so the unchanged script is copied into a folder whose
    ``node_modules`` links to ``.ci/icaljs/node_modules`` (installed by the CI script).
    """
    script = SHARED_TOOLS / "ics_icaljs_check.mjs"
    if not script.is_file():
        pytest.skip("../shared/tools is not beside the repository")
    node = shutil.which("node")
    if node is None or not (ICALJS_MODULES / "ical.js").is_dir():
        if _in_ci():
            pytest.fail("node or ical.js missing: run bash .ci/install-system-deps")
        pytest.skip("ical.js not installed (bash .ci/install-system-deps)")
    folder = tmp_path_factory.mktemp("icaljs")
    shutil.copy(script, folder / script.name)
    (folder / "node_modules").symlink_to(ICALJS_MODULES, target_is_directory=True)
    return [node, str(folder / script.name)]
