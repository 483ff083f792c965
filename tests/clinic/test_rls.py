"""Row-level security from raw SQL: what each role sees and may change, enforced by the server
whatever client asks (psycopg here, not the app)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest

from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.model.group import AttendanceStatus as S
from facilitator.model.group import Facilitator
from facilitator.model.outputs import Output, OutputKind
from facilitator.store import Store
from tests.builders import WEEKS, fixed_clock
from tests.builders import make_group as draft

NO_GROUP_DATA = {"schema_migrations"}
"""Relations that hold nothing about any group (everyone may read them)."""


def _full_group(store: Store, name: str, person: str, tmp: Path) -> dict[str, set[int]]:
    """A group with a row in every table (roster, schedule, roll, notes and their history, a
    run, printed files); the ids that are its own."""
    group = store.create_group(draft(name, facilitators=[Facilitator(f"{person} Lead", "")]), WEEKS)
    ada = store.enrol(group.id, f"{person} Participant", email="p@example.org")
    bo = store.enrol(group.id, "Bo")
    store.skip_date(group.id, date(2026, 9, 8), "holiday")
    store.move_meeting(group.id, 3, datetime(2026, 9, 23, 18, 30))
    store.mark_roll(group.id, 1, {ada.id: S.LATE})
    store.save_note(group.id, 1, f"{person} group note", expected_version=0)
    store.save_note(group.id, 1, f"{person} group note, edited", expected_version=1)
    store.save_note(group.id, 1, "About a person", participant_id=ada.id, expected_version=0)
    store.save_run(group.id, 1, {"items": []}, saved_at=fixed_clock(), finished=True)
    store.record_outputs(
        [
            Output(tmp / f"{name}-week01-guide.pdf", OutputKind.GUIDE, group.id, (ada.id, bo.id)),
            Output(tmp / f"{name}-backup.sqlite3", OutputKind.BACKUP, None, (ada.id,)),
        ]
    )
    return {"group": {group.id}, "participant": {ada.id, bo.id}}


def _is_about(relation: str, row: dict, mine: dict[str, set[int]], login: str) -> bool:
    """Whether a row (as JSON) belongs to the groups, people or login in ``mine``."""
    if relation == "groups" and row.get("id") in mine["group"]:
        return True
    if row.get("group_id") in mine["group"]:
        return True
    if relation == "participants" and row.get("id") in mine["participant"]:
        return True
    if row.get("participant_id") in mine["participant"]:
        return True
    # what is about no group: a file the login wrote, the audit rows it made about that
    return row.get("group_id", 0) is None and login in (row.get("written_by"), row.get("actor"))


def _rows(conn: psycopg.Connection, relation: str) -> list[dict]:
    return [r for (r,) in conn.execute(f'SELECT to_jsonb(t) FROM "{relation}" t')]


@pytest.fixture
def two_staff(clinic, tmp_path):
    """Alice's and Bob's groups, each made through the app's store as that login."""
    clinic.add("alice")
    clinic.add("bob")
    clinic.add("sam", "supervisor")
    with Store(clinic.logins["alice"]) as alice:
        a = _full_group(alice, "Alice secret group", "Alice", tmp_path)
    with Store(clinic.logins["bob"]) as bob:
        b = _full_group(bob, "Bob group", "Bob", tmp_path)
    return a, b


def test_staff_see_no_row_of_anothers_groups_in_any_table_or_view(clinic, two_staff, relations):
    a, b = two_staff
    alice, bob_login = clinic.login("alice"), clinic.login("bob")
    with clinic.raw() as owner, clinic.raw("bob") as bob:
        found = relations(owner)
        assert {"facilitation"} <= {n for n, k in found if k == "v"}
        for relation, _kind in found:
            as_owner = _rows(owner, relation)
            as_bob = _rows(bob, relation)
            if relation in NO_GROUP_DATA:
                assert as_bob == as_owner
                continue
            # not vacuous: the owner sees rows of Alice's group in every table and view ...
            assert any(_is_about(relation, r, a, alice) for r in as_owner), relation
            # ... Bob none of them, and his own group's rows all
            assert not [r for r in as_bob if _is_about(relation, r, a, alice)], relation
            assert sorted(map(str, as_bob)) == sorted(
                str(r) for r in as_owner if _is_about(relation, r, b, bob_login)
            ), relation


def test_staff_cannot_change_anothers_groups(clinic, two_staff):
    a, _ = two_staff
    (gid,) = a["group"]
    pid = min(a["participant"])
    with clinic.raw("bob") as bob:
        assert bob.execute("UPDATE groups SET location = 'x' WHERE id = %s", (gid,)).rowcount == 0
        assert bob.execute("DELETE FROM marks WHERE group_id = %s", (gid,)).rowcount == 0
        assert bob.execute("DELETE FROM participants WHERE id = %s", (pid,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            bob.execute("INSERT INTO rolls (group_id, week) VALUES (%s, 5)", (gid,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            bob.execute(
                "INSERT INTO group_logins (group_id, login) VALUES (%s, current_user)", (gid,)
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # created_by is the server's
            bob.execute("UPDATE groups SET created_by = 'x'")
    with clinic.raw() as owner:
        assert owner.execute("SELECT location FROM groups WHERE id = %s", (gid,)).fetchone() == (
            "",
        )
        assert owner.execute(
            "SELECT count(*) FROM rolls WHERE group_id = %s", (gid,)
        ).fetchone() == (1,)
    with Store(clinic.logins["bob"]) as bob_app:
        with pytest.raises(NotFoundError):
            bob_app.find_group("Alice secret group")
        with pytest.raises(NotFoundError):
            bob_app.group(gid)


def test_a_supervisor_reads_everything_and_every_write_fails(clinic, two_staff, relations):
    with clinic.raw() as owner, clinic.raw("sam") as sam:
        found = relations(owner)
        for relation, kind in found:
            assert sorted(map(str, _rows(sam, relation))) == sorted(
                map(str, _rows(owner, relation))
            ), relation
            column = owner.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                "AND attidentity = '' AND NOT attisdropped ORDER BY attnum LIMIT 1",
                (relation,),
            ).fetchone()[0]
            writes = [
                f'INSERT INTO "{relation}" DEFAULT VALUES',
                f'UPDATE "{relation}" SET "{column}" = "{column}"',
                f'DELETE FROM "{relation}"',
            ]
            if kind != "v":
                writes.append(f'TRUNCATE "{relation}" CASCADE')
            refused = (psycopg.errors.InsufficientPrivilege,)
            if kind == "v":  # a view of two tables cannot be written at all
                refused += (psycopg.errors.ObjectNotInPrerequisiteState,)
            for statement in writes:
                with pytest.raises(refused):
                    sam.execute(statement)
        counts = {r: len(_rows(owner, r)) for r, _ in found}
    with clinic.raw() as owner:
        assert counts == {r: len(_rows(owner, r)) for r, _ in found}
    with Store(clinic.logins["sam"]) as sam_app:
        group = sam_app.find_group("Alice secret group")
        with pytest.raises(FacilitatorError) as caught:
            sam_app.mark_roll(group.id, 2)
        message = caught.value.message
        assert "not allowed" in message and "supervisor" in message
        assert "permission denied for table" in message and "\n" not in message


def test_staff_cannot_alter_the_audit_log_nor_forge_its_actor(clinic, two_staff):
    with clinic.raw("alice") as alice:
        before = alice.execute("SELECT count(*) FROM audit").fetchone()[0]
        assert before > 0
        for statement in (
            "UPDATE audit SET actor = 'mallory'",
            "DELETE FROM audit",
            "TRUNCATE audit",
            "ALTER TABLE audit DISABLE TRIGGER audit_no_update",
            "DROP TRIGGER audit_no_update ON audit",
            "DROP TRIGGER audit_marks ON marks",
            "ALTER TABLE marks DISABLE TRIGGER ALL",
            "ALTER TABLE audit NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY staff_read ON audit",
            # written only by the triggers: a direct row is refused ...
            "INSERT INTO audit (tbl, action, changes) VALUES ('marks', 'insert', '{}')",
            # ... and the actor, login and time are never the client's
            "INSERT INTO audit (tbl, action, changes, actor) VALUES ('x', 'insert', '{}', 'eve')",
            "INSERT INTO audit (tbl, action, changes, login, origin) "
            "VALUES ('x', 'insert', '{}', 'eve', '{}')",
            # no function or trigger of one's own that could write to the log from a trigger
            "CREATE TEMPORARY TABLE t (x int)",
            "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(statement)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            alice.execute(f"SET ROLE {clinic.login('bob')}")
        # an imported row (marked as one) may be added about one's own group, in one's own name
        (gid,) = alice.execute("SELECT id FROM groups").fetchone()
        alice.execute(
            "INSERT INTO audit (tbl, action, group_id, changes, origin) VALUES "
            "('marks', 'insert', %s, '{}', '{\"actor\": \"eve\"}')",
            (gid,),
        )
        row = alice.execute(
            "SELECT actor, login, origin ->> 'actor' FROM audit ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert row == (clinic.login("alice"), clinic.login("alice"), "eve")
        assert alice.execute("SELECT count(*) FROM audit").fetchone()[0] == before + 1


def test_the_log_names_the_login_that_acted_even_through_a_cascade(clinic, two_staff):
    """The audit functions are SECURITY INVOKER: current_user inside them is the role whose
    statement changed the row, also for rows a foreign-key cascade deleted (the cascade runs
    as the tables' owner, but AFTER triggers fire after it, as the invoker)."""
    alice = clinic.login("alice")
    with Store(clinic.logins["alice"]) as store:
        group = store.find_group("Alice secret group")
        person = store.participants(group.id)[0]
        store.erase_participant(person.id)  # its marks and notes go by ON DELETE CASCADE
        log = store.audit_log(1000, group_id=group.id)
    assert {r["actor"] for r in log if r["tbl"] in ("groups", "group_logins", "participants")} == {
        alice
    }
    cascaded = [r for r in log if r["tbl"] == "marks" and r["action"] == "delete"]
    assert cascaded and {r["actor"] for r in cascaded} == {alice}
    with clinic.raw() as owner:
        rows = owner.execute(
            "SELECT DISTINCT actor, login FROM audit WHERE group_id = %s", (group.id,)
        ).fetchall()
    assert rows == [(alice, alice)]


def test_under_set_role_the_log_names_the_login_and_the_role(clinic, two_staff):
    """A pooler's login that switches to a person's role: both are named."""
    alice = clinic.login("alice")
    clinic.add("pooler")
    with clinic.raw() as owner:
        owner.execute(f"GRANT {alice} TO {clinic.login('pooler')}")
    with clinic.raw("pooler") as pooler:
        pooler.execute(f"SET ROLE {alice}")
        pooler.execute("UPDATE groups SET location = 'Room 4'")
    with Store(clinic.logins["alice"]) as store:
        newest = store.audit_log(1)[0]
    assert newest["actor"] == f"{clinic.login('pooler')} (as {alice})"
    assert newest["tbl"] == "groups" and '"Room 4"' in newest["changes"]


def test_views_and_functions_are_safe_by_construction(clinic):
    with clinic.raw() as owner:
        views = owner.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'v'"
        ).fetchall()
        assert views and all("security_invoker=true" in (o or []) for _, o in views)
        tables = owner.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        ).fetchall()
        assert tables and all(enabled and forced for _, enabled, forced in tables)
        unpinned = owner.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM "
            "unnest(coalesce(p.proconfig, '{}')) c WHERE c LIKE 'search_path=%')"
        ).fetchall()
        assert unpinned == []
        definers = {
            n
            for (n,) in owner.execute(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.prosecdef"
            )
        }
        # the audit functions run as the invoker, so current_user is who made the change
        assert definers == {"my_groups", "unclaimed", "keep_a_facilitator"}


def test_the_last_facilitator_stays_even_from_raw_sql(clinic, two_staff):
    with clinic.raw("alice") as alice:
        with pytest.raises(psycopg.errors.CheckViolation, match="at least one facilitator"):
            alice.execute("DELETE FROM group_logins")
        assert alice.execute("SELECT count(*) FROM group_logins").fetchone() == (1,)


def test_audit_verify_names_a_guard_the_owner_took_away(clinic, two_staff):
    with Store(clinic.owner_url) as store:
        assert store.audit_check().intact
        with clinic.raw() as owner:
            owner.execute("ALTER TABLE marks NO FORCE ROW LEVEL SECURITY")
            owner.execute("ALTER VIEW facilitation SET (security_invoker = false)")
        checked = store.audit_check()
    assert not checked.intact
    assert "not forced on marks" in checked.summary()
    assert "facilitation" in checked.summary()


def test_every_write_verb_works_for_staff_on_their_own_group(clinic, tmp_path):
    """The policies let the app do all it does, as a staff login (the store suite runs as the
    owner): change, correct, erase; a co-facilitator too."""
    clinic.add("alice")
    clinic.add("bob")
    with Store(clinic.logins["alice"]) as alice:
        ids = _full_group(alice, "Mine", "Alice", tmp_path)
        (gid,) = ids["group"]
        ada, bo = sorted(ids["participant"])
        group = alice.group(gid)
        alice.update_group(dataclasses.replace(group, location="Room 2"))
        alice.update_participant(bo, preferred_name="Bo B")
        alice.set_mark(gid, 1, bo, S.EXCUSED)
        alice.append_note(gid, 1, "one more line")
        alice.cancel_meeting(gid, 5, drop=True)
        alice.leave(bo, date(2026, 9, 20))
        alice.clear_roll(gid, 1)
        alice.forget_outputs([tmp_path / "Mine-week01-guide.pdf"])
        assert alice.erase_participant(ada)
        with alice.db.write() as conn:
            conn.execute(
                "INSERT INTO group_logins (group_id, login) VALUES (?, ?)",
                (gid, clinic.login("bob")),
            )
    with Store(clinic.logins["bob"]) as bob:
        bob.mark_roll(gid, 2)
        bob.save_note(gid, 2, "Bob was here", expected_version=0)
        assert [p.preferred_name for p in bob.participants(gid)] == ["Bo B"]
        bob.cancel_group(gid)
        assert bob.group(gid).cancelled and bob.group(gid).location == "Room 2"
        assert [o.kind.value for o in bob.outputs(group_id=gid)] == []
