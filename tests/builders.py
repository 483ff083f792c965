"""The one place tests build their data: a group (as a model object, saved in a store, or created
through the real CLI), the demo group, invite schedules and participants, and PDF courses.

Plain functions with sensible defaults and keyword overrides (no pytest import, no fixtures);
the fixtures in the conftest files are thin wrappers around them. Only obviously invented names.
Benchmarks keep their own data (``benchmarks/data.py``): they never import from ``tests/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from facilitator.model.group import (
    AttendanceStatus,
    Facilitator,
    Group,
    Mark,
    Meeting,
    Participant,
    Schedule,
    Slot,
    SlotKind,
)
from tests.helpers import run_cli

if TYPE_CHECKING:
    import psycopg

    from facilitator.content import Library
    from facilitator.outputs.pdf.course import Course
    from facilitator.store import Store

# -- a group as a model object ------------------------------------------------------------------

WEEKS = [(f"plan-{n}", f"Session {n}") for n in range(1, 9)]
"""Eight weeks of (plan, title), what ``Store.create_group`` takes."""


def weeks(count: int, title: str = "t{n}") -> list[tuple[str, str]]:
    """``count`` weeks of ``(plan-N, title)``; ``title`` is formatted with ``n``."""
    return [(f"plan-{n}", title.format(n=n)) for n in range(1, count + 1)]


def make_group(name: str = "Tuesday group", **changes: Any) -> Group:
    """A group to create (id and uid are assigned by the store): weekly on Tuesdays at 18:30
    Europe/Berlin from 1 September 2026, 90 minutes, the example curriculum. Any field of
    :class:`Group` can be overridden by keyword."""
    group = Group(
        id=0,
        name=name,
        display_name="Weekly group",
        curriculum_id="example",
        first_date=date(2026, 9, 1),
        start_time=time(18, 30),
        minutes=90,
        timezone="Europe/Berlin",
    )
    return replace(group, **changes)


def save_group(
    store: Store,
    group: Group | str | None = None,
    *,
    plan: Sequence[tuple[str, str]] = WEEKS,
    **changes: Any,
) -> Group:
    """Create ``group`` (a :func:`make_group` name or draft; the default draft if None) in
    ``store`` with ``plan``'s weeks; returns the saved group."""
    draft = group if isinstance(group, Group) else make_group(group or "Tuesday group")
    return store.create_group(replace(draft, **changes), list(plan))


def fixed_clock() -> datetime:
    """A frozen audit clock."""
    return datetime.fromisoformat("2026-11-22T12:00:00+00:00")


# -- a group through the CLI --------------------------------------------------------------------


def group_args(
    name: str = "Tue",
    *,
    curriculum: str = "example",
    start: str = "2026-09-01",
    at: str = "18:30",
    tz: str = "Europe/Berlin",
    extra: Sequence[str] = (),
) -> tuple[str, ...]:
    """The CLI arguments that create a weekly group (by default Berlin, 18:30, from
    1 September 2026, the example curriculum); ``extra`` is appended."""
    return (
        "group",
        "create",
        name,
        "--curriculum",
        curriculum,
        "--start",
        start,
        "--time",
        at,
        "--tz",
        tz,
        *extra,
    )


def cli_group(
    name: str = "Tue",
    *,
    people: Sequence[str] = (),
    initial: str | bool = False,
    data_dir: Path | None = None,
    **options: Any,
) -> str:
    """Create a group through the real CLI (``group_args(name, **options)``) and add ``people``
    to its roster (with ``--initial``: each name's first letter if ``initial`` is True, or that
    letter); fails the test if any command fails. Returns the group's name."""
    prefix: tuple[str | Path, ...] = ("--data-dir", data_dir) if data_dir is not None else ()
    created = run_cli(*prefix, *group_args(name, **options))
    assert created.code == 0, created.err
    for person in people:
        letter = person[0] if initial is True else initial
        extra = ("--initial", letter) if letter else ()
        added = run_cli(*prefix, "roster", "add", name, person, *extra)
        assert added.code == 0, added.err
    return name


def save_curriculum_group(
    store: Store, library: Library, name: str = "Tuesday group", **options: Any
) -> Group:
    """Create a group the way the app and ``group create`` do
    (:func:`facilitator.store.setup.create_from_curriculum`: the curriculum's weeks and
    length). Defaults as :func:`make_group`'s (the example curriculum, Tuesdays 18:30
    Europe/Berlin from 1 September 2026); ``curriculum_id`` and any other option of
    ``create_from_curriculum`` can be given by keyword."""
    from facilitator.store.setup import create_from_curriculum

    fields: dict[str, Any] = dict(
        curriculum_id="example",
        first_date=date(2026, 9, 1),
        start_time=time(18, 30),
        timezone="Europe/Berlin",
    )
    fields.update(options)
    return create_from_curriculum(store, library, name=name, **fields)


def save_demo_group(
    data_dir: Path,
    today: date = date(2026, 11, 22),
    timezone: str = "Europe/Berlin",
    *,
    library: Library | None = None,
) -> Group:
    """The demo group (nine invented people, rolls taken, started three meetings before
    ``today``) in the store under ``data_dir``; ``library`` defaults to that folder's."""
    from facilitator.demo import create_demo
    from facilitator.store import open_store
    from facilitator.workspace import Workspace

    if library is None:
        library = Workspace.from_options(data_dir).library
    with open_store(data_dir) as store:
        group = create_demo(store, library, today, timezone)
    assert group is not None
    return group


# -- invites: a hand-built schedule, a topic-revealing group, invented participants --------------

STAMP = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
UID = "6f1c2a9e-3b7d-4c1e-9a55-0d2f4e8b7c61"
TOPIC = "Canarytopic Recovery Circle"
"""Private group name: must never reach a participant."""
CURRICULUM_TITLE = "Canarycurriculum Of Secrets"
SESSION_TITLES = {w: f"Canarysession {w} Title" for w in range(1, 13)}


def invite_group(zone: str = "Europe/Berlin", **changes: Any) -> Group:
    """:func:`make_group` with a topic-revealing private name and a neutral display name, a
    location, two facilitators and a fixed calendar uid (id 1, from 2 March 2027)."""
    fields: dict[str, Any] = dict(
        id=1,
        display_name="Tuesday group",
        curriculum_id="ssc",
        first_date=date(2027, 3, 2),
        timezone=zone,
        location="Room 4, 12 Example Street",
        facilitators=(
            Facilitator("Fayola Facil", "fayola@example.org"),
            Facilitator("Corwin Cofac", "corwin@example.org"),
        ),
        calendar_uid=UID,
        calendar_sequence=0,
    )
    fields.update(changes)
    return make_group(fields.pop("name", TOPIC), **fields)


def make_schedule(
    zone: str,
    first: date,
    at: time,
    count: int,
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
    while week <= count:
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


CANARY_NAMES = (
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
)


def make_participants(n: int = 4) -> list[Participant]:
    """Invented canary names with e-mail addresses; every one unique enough to grep for."""
    return [
        Participant(
            id=i + 1,
            group_id=1,
            preferred_name=CANARY_NAMES[i],
            last_initial="Q",
            email=f"{CANARY_NAMES[i].lower()}@example.org",
            opaque_id=f"p{i + 1:02d}x7k",
        )
        for i in range(n)
    ]


# -- PDFs: a course built from model objects ----------------------------------------------------


def make_course(
    library: Library,
    names: Sequence[str],
    curriculum: str = "example",
    *,
    absent_week: int | None = None,
    large: Sequence[str] = (),
) -> Course:
    """A course over ``curriculum`` with invented participants, meetings at 18:00 weekly."""
    from facilitator.config import Settings
    from facilitator.outputs.pdf.course import Course

    model = library.curriculum(curriculum)
    zone = ZoneInfo("Europe/Berlin")
    group = make_group(
        "Private topic group SECRETTOPIC",
        id=7,
        display_name="Tuesday group",
        curriculum_id=model.id,
        first_date=date(2026, 3, 3),
        start_time=time(18, 0),
        minutes=model.meeting_minutes,
    )
    meetings, slots = [], []
    for week in model.weeks:
        day = group.first_date + timedelta(weeks=week.number - 1)
        start = datetime.combine(day, time(18), zone)
        meetings.append(
            Meeting(group.id, week.number, week.session, start, model.meeting_minutes, start)
        )
        slots.append(Slot(week.number - 1, start, SlotKind.MEETING, week=week.number))
    people = [
        Participant(
            id=i + 1,
            group_id=group.id,
            preferred_name=name,
            last_initial="Q",
            opaque_id=f"opaque{i + 1:03d}",
            large_print=name in large,
        )
        for i, name in enumerate(names)
    ]
    marks = []
    if absent_week is not None:
        marks = [
            Mark(p.id, absent_week, AttendanceStatus.ABSENT if i == 0 else AttendanceStatus.PRESENT)
            for i, p in enumerate(people)
        ]
    return Course(
        group=group,
        curriculum=model,
        plans={w.number: library.plan(w.session) for w in model.weeks},
        handouts={k: e.model for k, e in library.handouts.items()},
        roster=people,
        schedule=Schedule(group.id, "Europe/Berlin", tuple(slots), tuple(meetings)),
        settings=Settings(),
        marks=marks,
    )


# -- a clinic (PostgreSQL) -----------------------------------------------------------------


@dataclass
class Clinic:
    """A clinic in the throwaway PostgreSQL cluster: a fresh migrated database (its owner is
    the cluster's superuser), the owner's URL, and a URL per login made for the test with the
    real ``clinic add-user`` code. Roles belong to the whole cluster, so each test's logins
    carry its database's name."""

    owner_url: str
    cluster: object
    database: str
    logins: dict[str, str] = field(default_factory=dict)

    def login(self, short: str) -> str:
        """The full login name of ``short`` in this test (unique in the cluster)."""
        return f"{self.database}_{short}"

    def add(self, short: str, role: str = "staff") -> str:
        """Create the login ``short`` (staff or supervisor); return its URL."""
        name = self.login(short)
        from facilitator.actions import clinic

        clinic.add_user(self.owner_url, name, role)
        self.logins[short] = self.cluster.url(self.database, user=name)  # type: ignore[attr-defined]
        return self.logins[short]

    def raw(self, short: str | None = None) -> psycopg.Connection[Any]:
        """An autocommit connection as ``short`` (None: the owner)."""
        import psycopg

        url = self.owner_url if short is None else self.logins[short]
        return psycopg.connect(url, autocommit=True)


def make_clinic(pg_url: str, pg_cluster: object) -> Clinic:
    """Set up the database of ``pg_url`` as a clinic's owner does first (``clinic init``)."""
    from urllib.parse import urlsplit

    from facilitator.actions import clinic

    clinic.init(pg_url)
    return Clinic(pg_url, pg_cluster, urlsplit(pg_url).path.lstrip("/"))
