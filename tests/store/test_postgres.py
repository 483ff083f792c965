"""The store on PostgreSQL: choosing the engine, migrations, the server's audit log,
serialisable transactions that re-run, a lost connection, and one-line errors.

The engine-neutral verbs are tested on both engines by the rest of tests/store (the ``engine``
fixture); this file holds what only PostgreSQL has.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import psycopg
import pytest

from facilitator.errors import FacilitatorError, ServerUnreachable
from facilitator.model.group import AttendanceStatus as S
from facilitator.store import ConflictError, Store, open_store, server_url
from facilitator.store import attendance as attendance_module
from facilitator.store.engines import shown_url
from facilitator.store.pg import migrations as pg_migrations
from facilitator.store.retry import RetryTransaction
from tests.builders import WEEKS, fixed_clock
from tests.builders import make_group as draft


@pytest.fixture
def pg(pg_url: str) -> Store:
    with Store(pg_url, actor="tester", clock=fixed_clock) as opened:
        yield opened


def raw(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True)


# -- choosing the engine ---------------------------------------------------------------------


def test_the_url_chooses_the_engine_from_argument_environment_or_settings(
    pg_url, data_dir, monkeypatch
):
    with open_store(data_dir) as default:
        assert default.engine == "sqlite" and (data_dir / "facilitator.sqlite3").is_file()
    with open_store(data_dir, url=pg_url) as given:
        assert given.engine == "postgresql"
        given.create_group(draft("From the argument"), WEEKS)
    monkeypatch.setenv("FACILITATOR_DATABASE_URL", pg_url.replace("postgresql://", "postgres://"))
    with open_store(data_dir) as from_env:
        assert [g.name for g in from_env.groups()] == ["From the argument"]
    monkeypatch.delenv("FACILITATOR_DATABASE_URL")
    (data_dir / "settings.toml").write_text(f'database_url = "{pg_url}"\n')
    assert server_url(data_dir) == pg_url
    with open_store(data_dir) as from_settings:
        assert from_settings.engine == "postgresql"
        assert [g.name for g in from_settings.groups()] == ["From the argument"]
    with open_store(data_dir) as again:  # the SQLite file is untouched by all this
        assert again.engine == "postgresql"


def test_bad_and_unreachable_urls_are_one_line_without_the_password(tmp_path, data_dir):
    secret = "hunter2-secret"
    missing = tmp_path / "no-server"
    missing.mkdir()
    url = f"postgresql://alice:{secret}@/clinic?host={missing}&password={secret}"
    with pytest.raises(FacilitatorError) as caught:
        open_store(data_dir, url=url)
    message = caught.value.message
    assert "cannot connect" in message and "clinic" in message and secret not in message
    assert "\n" not in message
    with pytest.raises(FacilitatorError, match="not understood") as caught:
        open_store(data_dir, url=f"mysql://bob:{secret}@db/clinic")
    assert secret not in caught.value.message
    with pytest.raises(FacilitatorError, match="not usable") as caught:
        open_store(data_dir, url=f"postgresql://bob:{secret}@/x?nonsense_option=1")
    assert secret not in caught.value.message
    with pytest.raises(FacilitatorError, match="not usable") as caught:
        open_store(data_dir, url=f"postgresql://bob:{secret}@[::1")  # libpq quotes the URL
    assert secret not in caught.value.message and "bob@[::1" in caught.value.message


def test_the_scheme_may_be_in_capitals(pg_url, data_dir):
    with open_store(data_dir, url=pg_url.replace("postgresql", "POSTGRESQL", 1)) as store:
        assert store.engine == "postgresql" and store.groups() == []


def test_shown_url_drops_every_password():
    assert shown_url("postgresql://a:pw@h:5/db?sslmode=require&password=pw") == (
        "postgresql://a@h:5/db?sslmode=require"
    )
    assert shown_url("postgresql://h/db") == "postgresql://h/db"
    assert shown_url("postgresql://") == "postgresql://"
    assert shown_url("postgresql://u:pw@[::1") == "postgresql://u@[::1"


def test_sqlite_only_actions_are_one_line_errors(pg, tmp_path):
    with pytest.raises(FacilitatorError, match="pg_dump --format=custom") as caught:
        pg.backup(tmp_path / "b.dump")
    assert "test_" in caught.value.message  # the database's name, to paste
    assert not (tmp_path / "b.dump").exists()
    with pytest.raises(FacilitatorError, match="SQLite database file only"):
        pg.restore(tmp_path / "b.dump", tmp_path / "aside")


# -- migrations ----------------------------------------------------------------------------


def test_an_empty_database_is_migrated_once_even_by_two_at_once(pg_empty_url):
    opened: list[Store] = []
    errors: list[BaseException] = []

    def first_start() -> None:
        try:
            opened.append(Store(pg_empty_url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_start) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with raw(pg_empty_url) as conn:
        versions = [v for (v,) in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(pg_migrations.MIGRATIONS) + 1))
    for store in opened:
        store.close()


def test_newer_and_foreign_databases_are_refused(pg_url, pg_empty_url):
    with raw(pg_url) as conn:
        conn.execute("INSERT INTO schema_migrations (version) VALUES (99)")
    with pytest.raises(FacilitatorError, match="newer version"):
        Store(pg_url)
    with raw(pg_empty_url) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(FacilitatorError, match="not a facilitator database"):
        Store(pg_empty_url)


def test_every_table_has_an_audit_trigger_and_a_group(pg_url):
    with raw(pg_url) as conn:
        tables = {
            n
            for (n,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        triggers = {n for (n,) in conn.execute("SELECT tgname FROM pg_trigger")}
        with_group = {
            t
            for (t,) in conn.execute(
                "SELECT table_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_name = 'group_id'"
            )
        }
    audited = {s.table for s in pg_migrations.AUDITED}
    assert tables - {"audit", "schema_migrations"} == audited
    assert {f"audit_{t}" for t in audited} <= triggers
    # every table reaches its group (for row-level security): by a column, or via outputs
    assert audited - with_group == {"groups", "output_people"}


# -- the audit log ---------------------------------------------------------------------------


def test_audit_rows_name_the_database_role_and_never_names(pg, pg_url):
    group = pg.create_group(draft(), WEEKS)
    ada = pg.enrol(group.id, "Ada Secretname", email="ada@example.org")
    pg.mark_roll(group.id, 1, {ada.id: S.ABSENT})
    pg.save_note(group.id, 1, "Private note text", participant_id=ada.id, expected_version=0)
    pg.update_participant(ada.id, preferred_name="Ada Othername")
    log = pg.audit_log(100)
    assert {r["tbl"] for r in log} >= {"groups", "participants", "marks", "rolls"}
    assert {r["actor"] for r in log} == {"postgres"}  # the server's role, not the app's "tester"
    text = json.dumps(log)
    for secret in ("Secretname", "Othername", "ada@example.org", "Private note text"):
        assert secret not in text
    update = next(r for r in log if r["tbl"] == "participants" and r["action"] == "update")
    assert json.loads(update["changes"]) == {"preferred_name": "(changed)"}
    assert all(r["at"][:4] >= "2026" and r["at"].endswith("+00:00") for r in log)
    assert {r["tbl"] for r in pg.audit_log(100, group_id=group.id)} >= {"marks", "groups"}
    assert pg.audit_check().intact and pg.verify_audit() is None


def test_the_log_is_append_only_and_written_by_triggers_alone(pg, pg_url):
    pg.create_group(draft(), WEEKS)
    with raw(pg_url) as conn:
        for statement in (
            "UPDATE audit SET actor = 'mallory'",
            "DELETE FROM audit",
            "TRUNCATE audit",
            "INSERT INTO audit (tbl, action, changes) VALUES ('groups', 'insert', '{}')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # only the owner can take the guard away; the check then says so
        conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_no_update")
    checked = pg.audit_check()
    assert not checked.intact and "audit_no_update" in checked.summary()


def test_under_set_role_the_log_names_the_role_that_acted(pg, pg_url):
    group = pg.create_group(draft(), WEEKS)
    with raw(pg_url) as conn:
        conn.execute("CREATE ROLE audit_alice")
        conn.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO audit_alice")
        conn.execute("GRANT INSERT ON audit TO audit_alice")
        # row-level security (migration 2): a staff role that facilitates the group
        conn.execute("GRANT facilitator_staff TO audit_alice")
        conn.execute("INSERT INTO group_logins VALUES (%s, 'audit_alice')", (group.id,))
        conn.execute("SET ROLE audit_alice")
        conn.execute("UPDATE groups SET location = 'Room 9' WHERE id = %s", (group.id,))
        conn.execute("RESET ROLE")
        conn.execute("DROP OWNED BY audit_alice")
        conn.execute("DROP ROLE audit_alice")
    newest = pg.audit_log(1)[0]
    # the login that connected, and the role it acted as (migration 2 records both)
    assert (newest["tbl"], newest["actor"]) == ("groups", "postgres (as audit_alice)")
    assert json.loads(newest["changes"]) == {"location": ["", "Room 9"]}


# -- transactions ----------------------------------------------------------------------------


def test_a_conflicting_transaction_is_rolled_back_for_a_rerun(pg, pg_url):
    group = pg.create_group(draft(), WEEKS)
    pg.save_note(group.id, 1, "first", expected_version=0)
    with Store(pg_url) as other:
        block = pg.db.write()
        conn = block.__enter__()
        conn.execute("SELECT version FROM group_notes WHERE group_id = ?", (group.id,))
        other.save_note(group.id, 1, "theirs", expected_version=1)  # commits meanwhile
        with pytest.raises(RetryTransaction):
            try:
                conn.execute(
                    "UPDATE group_notes SET text = ? WHERE group_id = ?", ("mine", group.id)
                )
            except BaseException as exc:
                block.__exit__(type(exc), exc, exc.__traceback__)
                raise AssertionError("write() let the error through unchanged") from exc
    assert pg.note(group.id, 1).text == "theirs"


def test_a_stale_note_edit_reruns_and_then_is_a_conflict(pg, pg_url, monkeypatch):
    """Two facilitators save the same note at once: the one that loses the race is re-run,
    sees the other's version and is refused, exactly as a stale edit on SQLite."""
    group = pg.create_group(draft(), WEEKS)
    pg.save_note(group.id, 1, "first", expected_version=0)
    real_note = attendance_module._note
    calls = []

    with Store(pg_url) as other:

        def note_then_race(conn, group_id, week, participant_id):
            found = real_note(conn, group_id, week, participant_id)
            if conn.raw is pg.db.conn:  # only the verb under test records and races
                calls.append(found.version if found else 0)
                if len(calls) == 1:
                    other.save_note(group_id, week, "theirs", expected_version=1)
            return found

        monkeypatch.setattr(attendance_module, "_note", note_then_race)
        with pytest.raises(ConflictError, match="now version 2"):
            pg.save_note(group.id, 1, "mine", expected_version=1)
    assert calls[0] == 1 and 2 in calls[1:]  # read 1, failed to serialise, re-ran, read 2
    monkeypatch.setattr(attendance_module, "_note", real_note)
    assert pg.note(group.id, 1).text == "theirs"
    assert [v.text for v in pg.note_history(group.id, 1)] == ["first"]


def test_a_lost_connection_is_made_again_and_nothing_acknowledged_is_lost(pg, pg_url):
    group = pg.create_group(draft(), WEEKS)
    ada = pg.enrol(group.id, "Ada")
    pg.mark_roll(group.id, 1, {ada.id: S.LATE})
    with raw(pg_url) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    pg.mark_roll(group.id, 2)  # a write on the dead connection: reconnected first
    assert [(m.week, m.status) for m in pg.marks(group.id)] == [(1, S.LATE), (2, S.PRESENT)]


def test_read_only_is_refused_on_one_line(pg_url, data_dir):
    with Store(pg_url) as writer:
        group = writer.create_group(draft(), WEEKS)
    with Store(pg_url, readonly=True) as reader:
        assert reader.group(group.id).name == "Tuesday group"
        with pytest.raises(FacilitatorError, match="read-only"):
            reader.enrol(group.id, "Bo")


def test_integrity_errors_are_one_line(pg):
    group = pg.create_group(draft(), WEEKS)
    with pytest.raises(FacilitatorError, match="not saved"), pg.db.write() as conn:
        conn.execute("INSERT INTO rolls (group_id, week) VALUES (?, ?)", (group.id + 100, 1))


def test_an_error_in_a_batch_surfaces_at_commit_and_nothing_of_the_action_is_saved(pg):
    """Batched statements are sent without waiting for their answers: a refusal among them
    still fails the whole action, as one line, and the connection serves the next one."""
    from facilitator.store.db import batched

    group = pg.create_group(draft(), WEEKS)
    insert = "INSERT INTO rolls (group_id, week) VALUES (?, ?)"
    with pytest.raises(FacilitatorError, match="not saved") as caught:  # noqa: SIM117
        with pg.db.write() as conn, batched(conn):
            conn.execute(insert, (group.id, 1))
            conn.execute(insert, (group.id + 100, 2))  # no such group
            conn.execute(insert, (group.id, 3))
    assert "\n" not in caught.value.message
    assert pg.held_weeks(group.id) == []  # the first insert went with the failed action
    pg.mark_roll(group.id, 1)
    assert pg.held_weeks(group.id) == [1]


def test_a_statement_after_a_batch_waits_for_the_batch_and_reads_its_rows(pg):
    from facilitator.store.db import batched

    group = pg.create_group(draft(), WEEKS)
    with pg.db.write() as conn:
        with batched(conn):
            for week in (1, 2):
                conn.execute("INSERT INTO rolls (group_id, week) VALUES (?, ?)", (group.id, week))
        done = conn.execute("DELETE FROM rolls WHERE group_id = ? AND week = ?", (group.id, 2))
        assert done.rowcount == 1
    assert pg.held_weeks(group.id) == [1]


def test_a_serialization_failure_in_a_batched_roll_save_reruns_it(pg, pg_url):
    """Two facilitators take the same week's roll at once: the save whose batched writes lose
    the race is run again, and both rolls' outcome is one consistent roll."""
    group = pg.create_group(draft(), WEEKS)
    ada, bo = pg.enrol(group.id, "Ada"), pg.enrol(group.id, "Bo")
    real_members = attendance_module._members
    raced = []
    with Store(pg_url) as other:

        def members_then_race(conn, group_id):
            found = real_members(conn, group_id)
            if conn.raw is pg.db.conn and not raced:
                raced.append(True)
                other.mark_roll(group_id, 1, {bo.id: S.ABSENT})  # commits meanwhile
            return found

        attendance_module._members = members_then_race
        try:
            pg.mark_roll(group.id, 1, {ada.id: S.LATE})
        finally:
            attendance_module._members = real_members
    assert raced
    assert {m.participant_id: m.status for m in pg.marks(group.id)} == {
        ada.id: S.LATE,
        bo.id: S.PRESENT,
    }


def test_placeholders_keep_quoted_text_and_percent_signs(pg):
    from facilitator.store.pg.db import placeholders

    assert placeholders("SELECT '?', \"a?\", ? WHERE x LIKE '5%'") == (
        "SELECT '?', \"a?\", %s WHERE x LIKE '5%%'"
    )
    with pg.db.read() as conn:
        assert conn.execute("SELECT '?%', ? || '%'", ("50",)).fetchone() == ("?%", "50%")


def test_database_files_are_left_alone(pg_url, data_dir: Path):
    with open_store(data_dir, url=pg_url) as store:
        store.create_group(draft(), WEEKS)
    assert not (data_dir / "facilitator.sqlite3").exists()


def test_a_server_crash_and_restart_loses_nothing_acknowledged(pg, pg_cluster):
    group = pg.create_group(draft(), WEEKS)
    ada = pg.enrol(group.id, "Ada")
    pg.mark_roll(group.id, 1, {ada.id: S.LATE})
    pg.save_note(group.id, 1, "Acknowledged", expected_version=0)
    pg_cluster.stop_server("immediate")  # as a crash: no shutdown checkpoint
    try:
        with pytest.raises(ServerUnreachable) as caught:
            pg.mark_roll(group.id, 2)
        assert not caught.value.maybe_saved and "\n" not in caught.value.message
        assert "nothing of this change was saved" in caught.value.message
    finally:
        pg_cluster.start()
    pg.mark_roll(group.id, 2)  # reconnected by itself
    assert [(m.week, m.status) for m in pg.marks(group.id)] == [(1, S.LATE), (2, S.PRESENT)]
    assert pg.note(group.id, 1).text == "Acknowledged"


def test_without_psycopg_the_error_says_what_to_install(pg_url, data_dir, monkeypatch):
    import sys

    with monkeypatch.context() as patched:
        patched.setitem(sys.modules, "psycopg", None)  # as if not installed
        with pytest.raises(FacilitatorError, match=r"pip install 'facilitator\[postgres\]'"):
            open_store(data_dir, url=pg_url)


def test_the_store_api_uses_no_driver_types():
    import inspect
    import typing

    for name, member in inspect.getmembers(Store, inspect.isfunction):
        if name.startswith("_"):
            continue
        hints = typing.get_type_hints(member)
        assert not any("psycopg" in repr(h) or "sqlite3" in repr(h) for h in hints.values()), name


def test_a_passphrase_for_encryption_is_refused_on_postgres(pg_url, data_dir, monkeypatch):
    monkeypatch.setenv("FACILITATOR_PASSPHRASE", "correct horse")
    with pytest.raises(FacilitatorError, match="encryption at rest is for the SQLite file"):
        open_store(data_dir, url=pg_url)


def test_a_role_with_table_grants_alone_writes_audited_rows_and_cannot_touch_the_log(
    pg_cluster, pg_url
):
    """A login whose only rights come from the clinic's staff role (no grants of its own, no
    sequence grants: identity columns need none) works through the app, every row of the log
    names it, and it can neither change the log nor write a row of it by hand."""
    database = pg_url.rpartition("/")[2].partition("?")[0]
    role = f"staff_{database}"
    with raw(pg_url) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN IN ROLE facilitator_staff")
    try:
        with Store(pg_cluster.url(database, user=role)) as staff:
            group = staff.create_group(draft(), WEEKS)
            staff.enrol(group.id, "Ada")
            staff.mark_roll(group.id, 1)
            assert {r["actor"] for r in staff.audit_log(100)} == {role}
            for statement in (
                "UPDATE audit SET actor = 'x'",
                "DELETE FROM audit",
                "TRUNCATE audit",
                "INSERT INTO audit (tbl, action, changes) VALUES ('groups', 'insert', '{}')",
                "ALTER TABLE audit DISABLE TRIGGER audit_no_update",
            ):
                with pytest.raises(FacilitatorError, match="not allowed"), staff.db.write() as c:
                    c.execute(statement)
            assert staff.audit_check().intact
    finally:
        with raw(pg_url) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def test_every_write_verb_runs_again_after_a_serialization_failure():
    """A verb that opens a write transaction is wrapped in ``@retried``: on PostgreSQL its
    transaction can be stopped with 40001 and must run again whole (restore: the file's)."""
    import ast

    folder = Path(__file__).resolve().parents[2] / "facilitator" / "store"
    bare = []
    for path in sorted(folder.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef):
                continue
            body = ast.get_source_segment(source, node) or ""
            if "db.write()" not in body or node.name in {"restore", "migrate"}:
                continue
            if "retried" not in [ast.unparse(d) for d in node.decorator_list]:
                bare.append(f"{path.name}:{node.name}")
    assert bare == []
