"""Live sharing on the server: the NOTIFY triggers (what they announce, when, and that the
payload names nobody) and the listening ChangeFeed (own changes left out, reconnects)."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from facilitator.model.group import AttendanceStatus as S
from facilitator.store import Store, open_store
from facilitator.store.pg.live import CHANNEL, EVERYTHING, Change
from tests.builders import WEEKS
from tests.builders import make_group as draft


def listener(url: str) -> psycopg.Connection:
    conn = psycopg.connect(url, autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")
    return conn


def heard(conn: psycopg.Connection, wait: float = 5.0) -> list[dict[str, object]]:
    """Every notification that arrives (the first within ``wait`` seconds, a bound)."""
    got = [json.loads(n.payload) for n in conn.notifies(timeout=wait, stop_after=1)]
    got += [json.loads(n.payload) for n in conn.notifies(timeout=0.3)]
    return got


def test_a_roll_is_one_notification_of_its_group_with_no_name(pg_url: str) -> None:
    with Store(pg_url, actor="a") as store:
        group = store.create_group(draft(), WEEKS)
        people = [store.enrol(group.id, f"Zephyrine {n}").id for n in range(12)]
        ear = listener(pg_url)
        store.mark_roll(group.id, 1, {people[0]: S.ABSENT})
        got = heard(ear)
        assert got == [{"group": group.id, "what": "attendance"}]
        assert "Zephyrine" not in json.dumps(got)
        store.save_note(group.id, 1, "Zephyrine spoke first", expected_version=0)
        assert heard(ear) == [{"group": group.id, "what": "notes"}]
        store.move_meeting(
            group.id, 2, store.schedule(group.id).meeting(2).start.replace(tzinfo=None, hour=19)
        )
        assert {"group": group.id, "what": "schedule"} in heard(ear)


def test_raw_sql_notifies_too_and_a_rolled_back_change_does_not(pg_url: str) -> None:
    with Store(pg_url, actor="a") as store:
        group = store.create_group(draft(), WEEKS)
        person = store.enrol(group.id, "Someone").id
    ear = listener(pg_url)
    with psycopg.connect(pg_url) as other:  # a transaction, rolled back
        other.execute("UPDATE participants SET last_initial = 'Q' WHERE id = %s", (person,))
        other.rollback()
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("UPDATE participants SET last_initial = 'R' WHERE id = %s", (person,))
    assert heard(ear) == [{"group": group.id, "what": "roster"}]


def test_the_feed_leaves_out_its_own_changes_and_reports_a_reconnect(pg_url: str) -> None:
    with Store(pg_url, actor="a") as mine, Store(pg_url, actor="b") as theirs:
        group = mine.create_group(draft(), WEEKS)
        feed = mine.change_feed()
        assert feed is not None
        try:
            assert feed.wait(0.1) == []  # connects and listens
            mine.enrol(group.id, "Mine")
            theirs.enrol(group.id, "Theirs")
            got: list[Change] = []
            for _ in range(50):  # a bound, not a speed requirement
                got += feed.wait(0.2)
                if got:
                    break
            assert got == [Change(group.id, "roster")]
            with psycopg.connect(pg_url, autocommit=True) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'facilitator-live'"
                )
            seen: list[Change] = []
            for _ in range(50):
                seen += feed.wait(0.2)
                if Change(EVERYTHING, "reconnected") in seen:
                    break
            assert Change(EVERYTHING, "reconnected") in seen
        finally:
            feed.close()
            feed.wait(0)
        assert feed.conn is None


def test_sqlite_has_no_feed(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        assert store.change_feed() is None


@pytest.mark.parametrize("payload", ["", "{}", '{"group": "x", "what": 1}', "[1]"])
def test_a_foreign_payload_is_ignored(payload: str) -> None:
    from facilitator.store.pg.live import parse

    assert parse(payload) is None
