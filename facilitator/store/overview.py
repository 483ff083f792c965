"""Every group's overview facts in one SQL statement (the home screen, a supervisor's view).

One statement, the same text on SQLite and PostgreSQL, whatever the number of groups: a
``UNION ALL`` of one branch per kind of row, tagged by its first column, with the same column
layout in every branch (typed by the first branch, the others padded with NULL). The group rows
carry the counts (members, rolls taken, attended and counted marks, last roll); the others the
group's lists (facilitators, weeks, skips, schedule changes, unfinished runs), from which each
group's schedule is built in Python as :meth:`schedule` builds it.

Neither engine has a portable way to aggregate a list into one column (SQLite 3.40 has no
``string_agg``, PostgreSQL no ``group_concat``, and their JSON aggregates differ), hence the
tagged rows: one round trip, one snapshot, no query per group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from facilitator.model.group import Facilitator, Group, Schedule
from facilitator.scheduling import ChangeKind, ScheduleChange, SkipDate, build_schedule
from facilitator.store.db import Database

N, F, T = 10, 1, 9
"""How many integer, real and text columns each branch has (after ``kind`` and ``gid``)."""


@dataclass(frozen=True, slots=True)
class GroupFacts:
    """What the overview shows about one group, read in one snapshot."""

    group: Group
    schedule: Schedule
    titles: tuple[str, ...]
    """Each curriculum week's session title, week 1 first."""
    members: int
    """Enrolled and not left."""
    open_runs: tuple[tuple[int, datetime], ...]
    """(week, saved at) of each live run not finished, most recently saved first."""
    held: int
    """Meetings whose roll was taken."""
    attended: int
    counted: int
    """Marks that count (excused left out), and those of them attended (late and left early
    included): the attendance rate's parts, as in the group's summary."""
    last_roll: int | None
    """The latest week whose roll was taken."""

    @property
    def rate(self) -> float | None:
        """Attended / counted over every held meeting (None before any mark counts)."""
        return self.attended / self.counted if self.counted else None


def _branch(
    kind: str, source: str, ints: Sequence[str], reals: Sequence[str], texts: Sequence[str]
) -> str:
    cells = [
        f"'{kind}'",
        "gid",
        *[*ints, *["NULL"] * (N - len(ints))],
        *[*reals, *["NULL"] * (F - len(reals))],
        *[*texts, *["NULL"] * (T - len(texts))],
    ]
    return f"SELECT {', '.join(cells)} FROM {source}"  # noqa: S608 - our literals only


ATTENDED = "('present', 'late', 'left-early')"

_BRANCHES = [
    _branch(
        "g",
        "(SELECT id AS gid, * FROM groups) g",
        [
            "minutes",
            "is_open",
            "capacity",
            "calendar_sequence",
            "cancelled",
            "(SELECT count(*) FROM participants p WHERE p.group_id = g.gid AND p.left_on IS NULL)",
            "(SELECT count(*) FROM rolls r WHERE r.group_id = g.gid)",
            f"(SELECT count(*) FROM marks m WHERE m.group_id = g.gid AND m.status IN {ATTENDED})",  # noqa: S608
            "(SELECT count(*) FROM marks m WHERE m.group_id = g.gid AND m.status <> 'excused')",
            "(SELECT max(week) FROM rolls r WHERE r.group_id = g.gid)",
        ],
        ["completion_threshold"],
        [
            "name",
            "display_name",
            "curriculum_id",
            "first_date",
            "start_time",
            "timezone",
            "location",
            "holidays",
            "calendar_uid",
        ],
    ),
    _branch(
        "f", "(SELECT group_id AS gid, * FROM facilitators) f", ["position"], [], ["name", "email"]
    ),
    _branch(
        "w", "(SELECT group_id AS gid, * FROM group_weeks) w", ["week"], [], ["session_id", "title"]
    ),
    _branch("s", "(SELECT group_id AS gid, * FROM skips) s", ["cancelled"], [], ["day", "reason"]),
    _branch("c", "(SELECT group_id AS gid, * FROM changes) c", ["week"], [], ["kind", "start"]),
    _branch(
        "r",
        "(SELECT group_id AS gid, * FROM meeting_runs WHERE finished = 0) r",
        ["week"],
        [],
        ["saved_at"],
    ),
]


def overview_sql(count: int | None) -> str:
    """The statement: every group, or the ``count`` groups whose ids are its parameters (each
    branch takes the same list)."""
    if count is None:
        return " UNION ALL ".join(_BRANCHES)
    where = " WHERE gid IN (" + ", ".join("?" * count) + ")"
    return " UNION ALL ".join(b + where for b in _BRANCHES)


class OverviewMixin:
    """The overview of many groups at once."""

    db: Database

    def overview(self, group_ids: Sequence[int] | None = None) -> list[GroupFacts]:
        """Every group's facts (or those of ``group_ids``), in id order: one statement."""
        ids = list(dict.fromkeys(group_ids)) if group_ids is not None else None
        if ids == []:
            return []
        sql = overview_sql(None if ids is None else len(ids))
        params = [] if ids is None else ids * len(_BRANCHES)
        with self.db.read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return _assemble(rows)


def _assemble(rows: list[tuple[Any, ...]]) -> list[GroupFacts]:
    by_kind: dict[str, dict[int, list[tuple[Any, ...]]]] = {k: {} for k in "gfwscr"}
    for row in rows:
        by_kind[row[0]].setdefault(int(row[1]), []).append(row[2:])
    facts = []
    for gid in sorted(by_kind["g"]):
        ints, reals, texts = _split(by_kind["g"][gid][0])
        minutes, is_open, capacity, sequence, cancelled = ints[:5]
        members, held, attended, counted, last_roll = ints[5:]
        name, display, curriculum, first, start, tz, location, holidays, uid = texts
        people = sorted((_split(r) for r in by_kind["f"].get(gid, [])), key=lambda r: r[0][0])
        group = Group(
            id=gid,
            name=name,
            display_name=display,
            curriculum_id=curriculum,
            first_date=date.fromisoformat(first),
            start_time=time.fromisoformat(start),
            minutes=minutes,
            timezone=tz,
            location=location,
            facilitators=tuple(Facilitator(t[0], t[1]) for _, _, t in people),
            is_open=bool(is_open),
            capacity=capacity,
            completion_threshold=reals[0],
            holidays=holidays,
            calendar_uid=uid,
            calendar_sequence=sequence,
            cancelled=bool(cancelled),
        )
        weeks = sorted((_split(r) for r in by_kind["w"].get(gid, [])), key=lambda r: r[0][0])
        skips = [
            SkipDate(date.fromisoformat(t[0]), t[1], bool(i[0]))
            for i, _, t in map(_split, by_kind["s"].get(gid, []))
        ]
        changes = [
            ScheduleChange(i[0], ChangeKind(t[0]), datetime.fromisoformat(t[1]) if t[1] else None)
            for i, _, t in map(_split, by_kind["c"].get(gid, []))
        ]
        schedule = build_schedule(
            gid,
            first_date=group.first_date,
            start_time=group.start_time,
            minutes=minutes,
            timezone=tz,
            session_ids=[t[0] for _, _, t in weeks],
            skips=skips,
            changes=changes,
        )
        runs = sorted(
            (
                (int(i[0]), datetime.fromisoformat(t[0]))
                for i, _, t in map(_split, by_kind["r"].get(gid, []))
            ),
            key=lambda r: r[1],
            reverse=True,
        )
        facts.append(
            GroupFacts(
                group=group,
                schedule=schedule,
                titles=tuple(str(t[1]) for _, _, t in weeks),
                members=int(members),
                open_runs=tuple(runs),
                held=int(held),
                attended=int(attended),
                counted=int(counted),
                last_roll=None if last_roll is None else int(last_roll),
            )
        )
    return facts


def _split(cells: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
    return cells[:N], cells[N : N + F], cells[N + F :]
