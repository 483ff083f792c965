"""The overview of every group in one statement (``Store.overview``), on both engines: the same
facts the per-group verbs give, for any number of groups, in one SQL statement."""

from __future__ import annotations

from datetime import date, datetime

from facilitator.model.group import AttendanceStatus as S
from facilitator.overview import group_rows
from facilitator.store import Store
from tests.builders import WEEKS
from tests.builders import make_group as draft


def _world(store: Store) -> list[int]:
    """Three groups that differ in every fact the overview reports."""
    a = store.create_group(draft("A", location="Room 1"), WEEKS).id
    b = store.create_group(draft("B", first_date=date(2026, 9, 3)), WEEKS[:5]).id
    c = store.create_group(draft("C"), WEEKS).id
    people = [store.enrol(a, f"Person {n}").id for n in range(4)]
    store.enrol(b, "Only one")
    store.leave(people[3], date(2026, 9, 2))
    store.mark_roll(a, 1, {people[0]: S.ABSENT, people[1]: S.EXCUSED})
    store.mark_roll(a, 2, {people[2]: S.LATE})
    store.skip_date(b, date(2026, 9, 17), "holiday")
    store.move_meeting(a, 3, datetime(2026, 9, 16, 19, 0))
    store.cancel_meeting(c, 2, drop=True)
    store.save_run(
        a,
        2,
        {"items": [], "notes": []},
        saved_at=datetime.fromisoformat("2026-09-08T18:40:00+02:00"),
    )
    store.save_run(
        c,
        1,
        {"items": [], "notes": []},
        saved_at=datetime.fromisoformat("2026-09-01T18:40:00+02:00"),
        finished=True,
    )
    store.cancel_group(c)
    return [a, b, c]


def test_the_overview_holds_what_the_per_group_verbs_say(store: Store) -> None:
    ids = _world(store)
    facts = store.overview()
    assert [f.group.id for f in facts] == ids
    for f in facts:
        gid = f.group.id
        assert f.group == store.group(gid)
        assert f.schedule == store.schedule(gid)
        assert f.titles == tuple(t for _, t in store.session_weeks(gid))
        assert f.members == sum(1 for p in store.participants(gid) if p.left is None)
        assert f.open_runs == tuple(store.open_runs(gid))
        held = store.held_weeks(gid)
        assert f.held == len(held)
        assert f.last_roll == (max(held) if held else None)
    a, b, c = facts
    assert (a.members, b.members, c.members) == (3, 1, 0)
    # A's marks: week 1 absent, excused, present, present (excused not counted); week 2
    # present, present, late (person 3 had left): 5 attended of 6 counted
    assert (a.attended, a.counted) == (5, 6)
    assert a.rate == 5 / 6 and b.rate is None
    assert c.group.cancelled and c.open_runs == ()


def test_the_overview_of_some_groups_and_of_none(store: Store) -> None:
    a, _, c = _world(store)
    assert [f.group.id for f in store.overview([c, a, c])] == [a, c]
    assert store.overview([]) == []
    assert store.overview([999]) == []


def test_the_overview_is_one_statement_whatever_the_number_of_groups(store: Store) -> None:
    for n in range(12):
        store.create_group(draft(f"Group {n}"), WEEKS)
    statements: list[str] = []
    real = store.db.read

    def counting():  # type: ignore[no-untyped-def]
        cm = real()

        class Counting:
            def __enter__(self):  # type: ignore[no-untyped-def]
                conn = cm.__enter__()

                class Conn:
                    def execute(self, sql, params=None):  # type: ignore[no-untyped-def]
                        statements.append(sql)
                        return (
                            conn.execute(sql, params) if params is not None else conn.execute(sql)
                        )

                return Conn()

            def __exit__(self, *exc):  # type: ignore[no-untyped-def]
                return cm.__exit__(*exc)

        return Counting()

    store.db.read = counting  # type: ignore[method-assign]
    try:
        facts = store.overview()
    finally:
        store.db.read = real  # type: ignore[method-assign]
    assert len(facts) == 12 and len(statements) == 1


def test_home_rows_come_from_the_overview(store: Store) -> None:
    a, b, c = _world(store)
    now = datetime.fromisoformat("2026-09-08T18:50:00+02:00")
    rows = group_rows(store, now)
    by_id = {r.group.id: r for r in rows}
    assert by_id[a].in_progress and by_id[a].meeting is not None and by_id[a].meeting.week == 2
    assert by_id[a].session_title == "Session 2" and by_id[a].members == 3
    assert by_id[a].held == 2 and by_id[a].last_roll == 2 and by_id[a].rate == 5 / 6
    assert not by_id[b].in_progress and by_id[b].meeting is not None
    assert rows[-1].group.id == c  # cancelled groups last
    assert [r.group.id for r in group_rows(store, now, [b])] == [b]
