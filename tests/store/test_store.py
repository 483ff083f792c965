"""The repository verbs against a real database file."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from datetime import date, datetime

import pytest
from store_helpers import HOSTILE, REFUSED

from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.model.group import AttendanceStatus as S
from facilitator.model.group import Facilitator, SlotKind
from facilitator.scheduling import SkipDate
from facilitator.store import ConflictError, Store, mentioned_members, open_store
from facilitator.store.migrations import MIGRATIONS
from tests.builders import WEEKS, make_group


@pytest.mark.sqlite_only
def test_created_on_first_use_with_schema_and_pragmas(store, data_dir):
    assert (data_dir / "facilitator.sqlite3").is_file()
    conn = store.db.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_group_round_trip_and_uid_is_stable(store, group):
    assert group.id > 0 and len(group.calendar_uid) == 36 and group.calendar_sequence == 0
    store.skip_date(group.id, date(2026, 9, 15))
    again = store.group(group.id)
    assert again.calendar_uid == group.calendar_uid and again.calendar_sequence == 1
    assert store.find_group("Tuesday group") == again == store.find_group(str(group.id))


def test_group_fields_are_kept(store):
    created = store.create_group(
        make_group(
            "Mine",
            facilitators=(Facilitator("Sam F", "s@x.org"),),
            is_open=True,
            capacity=10,
            location="Room 2",
        ),
        WEEKS,
    )
    assert created.facilitators == (Facilitator("Sam F", "s@x.org"),)
    assert (created.is_open, created.capacity, created.location) == (True, 10, "Room 2")
    assert store.session_weeks(created.id) == WEEKS


def test_duplicate_and_unknown_groups(store, group):
    with pytest.raises(FacilitatorError, match="already exists"):
        store.create_group(make_group(), WEEKS)
    with pytest.raises(NotFoundError, match="Tuesday group"):
        store.find_group("Thursday")


def test_impossible_start_is_refused_before_saving(store):
    with pytest.raises(FacilitatorError, match="2026-03-29"):
        store.create_group(
            make_group(first_date=date(2026, 3, 1), start_time=datetime(2026, 1, 1, 2, 30).time()),
            WEEKS,
        )
    assert store.groups() == []


def test_schedule_changes_bump_the_sequence(store, group):
    store.move_meeting(group.id, 2, datetime(2026, 9, 10, 10, 0))
    schedule = store.cancel_meeting(group.id, 3)
    assert schedule.meeting(3).start.date() == date(2026, 9, 22)
    schedule = store.cancel_meeting(group.id, 5, drop=True)
    assert schedule.meeting(5).cancelled
    assert schedule.meeting(2).moved and schedule.meeting(2).session_id == "plan-2"
    assert store.group(group.id).calendar_sequence == 3
    with pytest.raises(FacilitatorError, match="already cancelled"):
        store.cancel_meeting(group.id, 5)
    with pytest.raises(FacilitatorError, match="week 9 of 8"):
        store.move_meeting(group.id, 9, datetime(2026, 9, 10, 10, 0))
    with pytest.raises(FacilitatorError, match="not a meeting date"):
        store.skip_date(group.id, date(2026, 9, 2))
    assert store.group(group.id).calendar_sequence == 3


def test_cancel_group(store, group):
    cancelled = store.cancel_group(group.id)
    assert cancelled.cancelled and cancelled.calendar_sequence == 1


def test_holiday_skips_stored_at_creation(store):
    created = store.create_group(make_group(), WEEKS, [SkipDate(date(2026, 9, 8), "Some day")])
    slots = store.schedule(created.id).slots
    assert slots[1].kind is SlotKind.SKIPPED and slots[1].reason == "Some day"


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_are_stored_exactly_nfc(store, group, name):
    person = store.enrol(group.id, name)
    assert person.preferred_name == unicodedata.normalize("NFC", name).strip()
    assert store.find_participant(group.id, name).id == person.id


@pytest.mark.parametrize("name", REFUSED)
def test_names_with_control_characters_are_refused_at_input(store, group, name):
    with pytest.raises(FacilitatorError) as caught:
        store.enrol(group.id, name)
    assert "control character" in caught.value.message
    assert "\n" not in caught.value.message and "\x1b" not in caught.value.message
    with pytest.raises(FacilitatorError, match="control character"):
        store.enrol(group.id, "Ada", last_initial=name)
    with pytest.raises(FacilitatorError, match="control character"):
        store.create_group(make_group(name), WEEKS)
    with pytest.raises(FacilitatorError, match="control character"):
        store.create_group(make_group("Fine", location=name), WEEKS)
    person = store.enrol(group.id, "Ada")
    with pytest.raises(FacilitatorError, match="control character"):
        store.update_participant(person.id, preferred_name=name)
    assert store.participant(person.id).preferred_name == "Ada"


def test_names_are_stored_nfc(store, group):
    person = store.enrol(group.id, "Zoe\u0308")
    assert person.preferred_name == "Zoë"
    assert store.find_participant(group.id, "Zoë").id == person.id


def test_ambiguous_participant_lists_candidates(store, group):
    a = store.enrol(group.id, "Ada", last_initial="L")
    b = store.enrol(group.id, "Ada", last_initial="M")
    with pytest.raises(FacilitatorError) as caught:
        store.find_participant(group.id, "ada")
    assert str(a.id) in caught.value.message and str(b.id) in caught.value.message
    assert store.find_participant(group.id, "Ada M.").id == b.id
    assert store.find_participant(group.id, str(a.id)).id == a.id


def test_roll_defaults_to_present_and_skips_non_members(store, group):
    ada = store.enrol(group.id, "Ada")
    bo = store.enrol(group.id, "Bo", joined=date(2026, 9, 8))  # from week 2
    chidi = store.enrol(group.id, "Chidi")
    store.leave(chidi.id, date(2026, 9, 8))
    marks = store.mark_roll(group.id, 1, {ada.id: S.LATE})
    assert {(m.participant_id, m.status) for m in marks} == {
        (ada.id, S.LATE),
        (chidi.id, S.PRESENT),
    }
    week2 = store.mark_roll(group.id, 2)
    assert {m.participant_id for m in week2} == {ada.id, bo.id}
    with pytest.raises(FacilitatorError, match="not a member"):
        store.mark_roll(group.id, 2, {chidi.id: S.ABSENT})


def test_retaking_a_roll_replaces_it(store, group):
    ada = store.enrol(group.id, "Ada")
    store.mark_roll(group.id, 1, {ada.id: S.ABSENT})
    store.mark_roll(group.id, 1)
    assert [m.status for m in store.marks(group.id)] == [S.PRESENT]


def test_roll_of_dropped_week_is_refused(store, group):
    store.cancel_meeting(group.id, 2, drop=True)
    with pytest.raises(FacilitatorError, match="cancelled"):
        store.mark_roll(group.id, 2)


def test_summary_rate_completion_and_at_risk(store, group):
    ada, bo, cy = (store.enrol(group.id, n) for n in ("Ada", "Bo", "Cy"))
    store.mark_roll(group.id, 1, {bo.id: S.EXCUSED, cy.id: S.ABSENT})
    store.mark_roll(group.id, 2, {ada.id: S.LEFT_EARLY, cy.id: S.ABSENT})
    store.mark_roll(group.id, 3, {bo.id: S.LATE})
    rows = {r.participant.preferred_name: r for r in store.summary(group.id).rows}
    assert store.summary(group.id).weeks == (1, 2, 3)
    assert (rows["Ada"].attended, rows["Ada"].counted, rows["Ada"].meets_threshold) == (3, 3, True)
    assert not rows["Ada"].completed  # three of eight meetings held: nobody has completed yet
    assert (rows["Bo"].attended, rows["Bo"].counted, rows["Bo"].rate) == (2, 2, 1.0)
    assert rows["Cy"].rate == pytest.approx(1 / 3) and not rows["Cy"].meets_threshold
    assert not rows["Cy"].at_risk  # came back in week 3
    store.mark_roll(group.id, 4, {cy.id: S.ABSENT})
    store.mark_roll(group.id, 5, {cy.id: S.ABSENT})
    rows = {r.participant.preferred_name: r for r in store.summary(group.id).rows}
    assert rows["Cy"].at_risk and not rows["Ada"].at_risk


def test_notes_versioned_and_conflicts(store, group):
    ada = store.enrol(group.id, "Ada")
    first = store.save_note(group.id, 1, "Settled in.", expected_version=0)
    assert first.version == 1
    second = store.save_note(group.id, 1, "Settled in well.", expected_version=1)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        store.save_note(group.id, 1, "stale edit", expected_version=1)
    assert store.note(group.id, 1) == second
    personal = store.save_note(
        group.id, 1, "Quiet today.", participant_id=ada.id, expected_version=0
    )
    assert personal.participant_id == ada.id
    assert store.notes(group.id) == [second, personal]
    with pytest.raises(FacilitatorError, match="week 9 of 8"):
        store.save_note(group.id, 9, "x", expected_version=0)


def test_note_guard_names_other_members(store, group):
    people = [store.enrol(group.id, n) for n in ("Ada", "Bo", "美咲")]
    assert mentioned_members("Ada said Bo helped", people, people[0].id) == [people[1]]
    assert mentioned_members("Adam and Bob", people, None) == []
    assert mentioned_members("sat next to 美咲", people, people[0].id) == [people[2]]


def test_capacity(store):
    small = store.create_group(make_group(capacity=1), WEEKS)
    store.enrol(small.id, "Ada")
    with pytest.raises(FacilitatorError, match="full"):
        store.enrol(small.id, "Bo")


@pytest.mark.sqlite_only
def test_audit_rows_by_trigger_and_append_only(store, group):
    ada = store.enrol(group.id, "Ada Secretname", email="ada@example.org")
    store.mark_roll(group.id, 1, {ada.id: S.ABSENT})
    log = store.audit_log(50)
    assert {r["tbl"] for r in log} >= {"groups", "participants", "marks", "rolls"}
    assert all(r["actor"] == "tester" and r["at"].startswith("2026-11-22") for r in log)
    assert "Secretname" not in json.dumps(log) and "ada@example.org" not in json.dumps(log)
    conn = store.db.conn
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    assert store.verify_audit() is None


@pytest.mark.sqlite_only
def test_audit_chain_detects_tampering(store, group, data_dir):
    store.enrol(group.id, "Ada")
    store.close()
    raw = sqlite3.connect(data_dir / "facilitator.sqlite3")
    raw.execute("DROP TRIGGER audit_no_update")
    raw.execute("UPDATE audit SET actor = 'mallory' WHERE id = 2")
    raw.commit()
    raw.close()
    with open_store(data_dir) as reopened:
        assert reopened.verify_audit() == 2


def test_erase_removes_person_marks_and_notes(store, group):
    ada, bo = store.enrol(group.id, "Ada"), store.enrol(group.id, "Bo")
    store.mark_roll(group.id, 1, {ada.id: S.ABSENT})
    store.save_note(group.id, 1, "Fine.", participant_id=ada.id, expected_version=0)
    assert store.erase_participant(ada.id)
    assert [p.id for p in store.participants(group.id)] == [bo.id]
    assert {m.participant_id for m in store.marks(group.id)} == {bo.id}
    assert store.notes(group.id) == []
    with pytest.raises(NotFoundError):
        store.participant(ada.id)
    deleted = [r for r in store.audit_log(100) if r["action"] == "delete"]
    assert {r["tbl"] for r in deleted} == {"participants", "marks", "participant_notes"}


@pytest.mark.sqlite_only
def test_erased_name_is_gone_from_db_and_wal_bytes(store, group, data_dir):
    canary = "Quillonzia"
    keep = store.enrol(group.id, "Ada")
    person = store.enrol(group.id, canary, last_initial="Q", email="quillonzia@example.org")
    store.mark_roll(group.id, 1)
    store.save_note(
        group.id, 1, f"{canary} note text", participant_id=person.id, expected_version=0
    )
    store.leave(person.id, date(2026, 9, 20))  # an UPDATE leaves old copies in pages too
    for week in (2, 3):
        store.mark_roll(group.id, week)
    db_file = data_dir / "facilitator.sqlite3"
    assert canary.encode() in db_file.read_bytes() + _wal(db_file)
    store.erase_participant(person.id)
    for path in (db_file, db_file.with_name(db_file.name + "-wal")):
        data = path.read_bytes() if path.exists() else b""
        assert canary.encode() not in data, path
        assert canary.lower().encode() not in data, path
    assert store.participant(keep.id).preferred_name == "Ada"


def _wal(db_file):
    wal = db_file.with_name(db_file.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_reopen_keeps_everything(store, group, data_dir):
    ada = store.enrol(group.id, "Ada")
    store.mark_roll(group.id, 1, {ada.id: S.LATE})
    store.close()
    with open_store(data_dir) as again:
        assert again.marks(group.id)[0].status is S.LATE
        assert again.group(group.id) == group


@pytest.mark.sqlite_only
def test_newer_schema_is_refused(store, data_dir):
    store.db.conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store.close()
    with pytest.raises(FacilitatorError, match="newer version"):
        open_store(data_dir)


def test_foreign_database_is_refused(tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    conn = sqlite3.connect(other / "facilitator.sqlite3")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(FacilitatorError, match="not a facilitator database"):
        open_store(other)


@pytest.mark.sqlite_only
def test_read_only_database_gives_clear_error_and_loses_nothing(store, group, data_dir):
    store.enrol(group.id, "Ada")
    store.close()
    with open_store(data_dir, readonly=True) as ro:
        assert [p.preferred_name for p in ro.participants(group.id)] == ["Ada"]
        with pytest.raises(FacilitatorError, match="read-only"):
            ro.enrol(group.id, "Bo")
    with open_store(data_dir) as rw:
        rw.db.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(FacilitatorError, match="read-only"):
            rw.enrol(group.id, "Bo")
        rw.db.conn.execute("PRAGMA query_only = OFF")
        assert [p.preferred_name for p in rw.participants(group.id)] == ["Ada"]


@pytest.mark.sqlite_only
def test_full_disk_gives_clear_error_and_loses_nothing(store, group):
    ada = store.enrol(group.id, "Ada")
    store.mark_roll(group.id, 1)
    pages = store.db.conn.execute("PRAGMA page_count").fetchone()[0]
    store.db.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(FacilitatorError, match="disk is full"):
        for n in range(200):
            store.save_note(
                group.id, 1, "long note " * 400, participant_id=ada.id, expected_version=n
            )
    store.db.conn.execute("PRAGMA max_page_count = 1073741823")
    assert [m.participant_id for m in store.marks(group.id)] == [ada.id]
    assert store.db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_api_uses_no_sqlite_types():
    import inspect
    import typing

    for name, member in inspect.getmembers(Store, inspect.isfunction):
        if name.startswith("_"):
            continue
        hints = typing.get_type_hints(member)
        assert not any("sqlite3" in repr(h) for h in hints.values()), name


@pytest.mark.sqlite_only
def test_every_table_has_audit_triggers_that_run(store, group):
    from facilitator.store import migrations

    specs = [
        s
        for name in dir(migrations)
        if name.startswith("AUDITED_V")
        for s in getattr(migrations, name)
    ]
    triggers = {
        n for (n,) in store.db.conn.execute("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
    }
    tables = {
        n
        for (n,) in store.db.conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    # the log itself and its key (encrypted databases only) are the tables without triggers
    assert tables - {"audit", "audit_key"} == {s.table for s in specs}
    for spec in specs:
        assert {f"audit_{spec.table}_{a}" for a in ("insert", "update", "delete")} <= triggers
    # a row in every table fires its trigger (the trigger SQL is valid for each table)
    store.enrol(group.id, "Ada")
    store.mark_roll(group.id, 1)
    assert {r["tbl"] for r in store.audit_log(500)} >= {
        "groups",
        "group_weeks",
        "participants",
        "rolls",
        "marks",
    }
