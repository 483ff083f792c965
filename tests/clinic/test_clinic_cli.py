"""The clinic's commands from the real CLI: init (twice), add-user (hostile names), share and
unshare between two logins, a supervisor's write, and the SQLite refusals."""

from __future__ import annotations

import psycopg
import pytest

from facilitator.store.pg.migrations import MIGRATIONS
from tests.helpers import one_line_error, run_cli

LATEST = len(MIGRATIONS)
"""The schema version a new clinic database is migrated to."""

WEEKLY = ("--curriculum", "example", "--start", "2026-09-01", "--time", "18:30", "--tz", "UTC")


@pytest.fixture
def cli():
    """The real CLI in-process (``stdin=`` what a command reads)."""
    return run_cli


def catalog(url: str) -> dict[str, list[tuple]]:
    """Everything ``clinic init`` makes: tables, policies, grants, functions, triggers, rights."""
    queries = {
        "tables": "SELECT relname, relkind, relrowsecurity, relforcerowsecurity, reloptions "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE nspname = current_schema() ORDER BY 1",
        "policies": "SELECT tablename, policyname, cmd, roles::text, qual, with_check "
        "FROM pg_policies ORDER BY 1, 2",
        "grants": "SELECT table_name, grantee, privilege_type FROM "
        "information_schema.role_table_grants WHERE table_schema = current_schema() "
        "ORDER BY 1, 2, 3",
        "columns": "SELECT table_name, column_name, grantee, privilege_type FROM "
        "information_schema.column_privileges WHERE table_schema = current_schema() "
        "ORDER BY 1, 2, 3, 4",
        "functions": "SELECT proname, prosrc, proconfig::text, prosecdef, proacl::text "
        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE nspname = current_schema() ORDER BY 1",
        "triggers": "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
        "rights": "SELECT datacl::text FROM pg_database WHERE datname = current_database()",
        "schema": "SELECT nspacl::text FROM pg_namespace WHERE nspname = current_schema()",
        "migrations": "SELECT version, applied_by FROM schema_migrations ORDER BY 1",
        "roles": "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'facilitator_%' "
        "ORDER BY 1",
    }
    with psycopg.connect(url, autocommit=True) as conn:
        return {k: conn.execute(q).fetchall() for k, q in queries.items()}


def test_clinic_init_makes_everything_once_and_then_changes_nothing(cli, pg_empty_url):
    first = cli("--database", pg_empty_url, "clinic", "init")
    assert first.code == 0, first.err
    assert f"schema 0 -> {LATEST}" in first.out and "row-level security on" in first.out
    made = catalog(pg_empty_url)
    assert made["policies"] and made["roles"] == [
        ("facilitator_staff", False),
        ("facilitator_supervisor", False),
    ]
    again = cli("--database", pg_empty_url, "clinic", "init")
    assert again.code == 0, again.err
    assert f"already set up (schema {LATEST}): nothing changed" in again.out
    assert catalog(pg_empty_url) == made


def test_clinic_init_needs_a_role_that_may_create_roles(cli, clinic):
    url = clinic.add("nobody")
    before = catalog(clinic.owner_url)
    one_line_error(cli("--database", url, "clinic", "init"), "CREATEROLE", "nothing was changed")
    one_line_error(
        cli("--database", url, "clinic", "add-user", "x1", "--role", "staff"), "CREATEROLE"
    )
    assert catalog(clinic.owner_url) == before


def test_the_clinic_commands_need_a_server(cli):
    for args in (
        ("clinic", "init"),
        ("clinic", "add-user", "ann", "--role", "staff"),
        ("clinic", "import", "x.sqlite3"),
        ("group", "share", "G", "ann"),
        ("group", "unshare", "G", "ann"),
    ):
        one_line_error(cli(*args), "needs a PostgreSQL database URL")


def _logins(url: str) -> set[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        return {n for (n,) in conn.execute("SELECT rolname FROM pg_roles")}


@pytest.mark.parametrize(
    "hostile",
    [
        "ann'; DROP ROLE postgres; --",
        'ann"b',
        "ann;bob",
        "a" * 200,
        "ann bob",
        "pg_signal_backend",
        "facilitator_staff",
        "public",
        "",
        "Ωmega",
    ],
)
def test_add_user_refuses_a_hostile_login(cli, clinic, hostile):
    before = _logins(clinic.owner_url)
    one_line_error(
        cli("--database", clinic.owner_url, "clinic", "add-user", hostile, "--role", "staff"),
        "login",
    )
    assert _logins(clinic.owner_url) == before


def test_add_user_quotes_names_and_never_sends_a_password_in_clear(cli, clinic):
    db = ("--database", clinic.owner_url)
    odd = f"{clinic.database}.Ann-Lee@clinic"  # dots, capitals, @ and -: quoted, kept exactly
    made = cli(*db, "clinic", "add-user", odd, "--role", "staff")
    assert made.code == 0, made.err
    assert f"created login '{odd}' (staff), no password" in made.out
    assert odd in _logins(clinic.owner_url)
    again = cli(*db, "clinic", "add-user", odd, "--role", "staff")
    assert again.code == 0 and "nothing changed" in again.out
    one_line_error(cli(*db, "clinic", "add-user", odd, "--role", "supervisor"), "already staff")
    secret = "correct horse 'battery'; staple"
    boss = clinic.login("boss")
    with_password = cli(
        *db,
        "clinic",
        "add-user",
        boss,
        "--role",
        "supervisor",
        "--password-stdin",
        stdin=secret + "\n",
    )
    assert with_password.code == 0, with_password.err
    assert "with a password" in with_password.out
    with psycopg.connect(clinic.owner_url, autocommit=True) as conn:
        stored, member = conn.execute(
            "SELECT rolpassword, pg_has_role(oid, 'facilitator_supervisor', 'MEMBER') "
            "FROM pg_authid WHERE rolname = %s",
            (boss,),
        ).fetchone()
        (none_for_ann,) = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (odd,)
        ).fetchone()
    assert stored.startswith("SCRAM-SHA-256$") and secret not in stored and member
    assert none_for_ann is None
    one_line_error(
        cli(
            *db,
            "clinic",
            "add-user",
            clinic.login("e"),
            "--role",
            "staff",
            "--password-stdin",
            stdin="\n",
        ),
        "empty",
    )


def test_share_and_unshare_between_two_logins(cli, clinic):
    alice_url, bob_url = clinic.add("alice"), clinic.add("bob")
    sam_url = clinic.add("sam", "supervisor")
    alice, bob = clinic.login("alice"), clinic.login("bob")
    a, b = ("--database", alice_url), ("--database", bob_url)
    assert cli(*a, "group", "create", "Tue", *WEEKLY).code == 0
    assert cli(*a, "roster", "add", "Tue", "Ada").code == 0
    one_line_error(cli(*b, "group", "show", "Tue"), "no group 'Tue'")
    one_line_error(cli(*b, "group", "share", "Tue", bob), "no group 'Tue'")  # not his to share

    shared = cli(*a, "group", "share", "Tue", bob)
    assert shared.code == 0, shared.err
    assert shared.out.strip() == f"'{bob}' now facilitates 'Tue'; facilitators: {alice}, {bob}"
    assert "nothing changed" in cli(*a, "group", "share", "Tue", bob).out
    # Bob now takes the roll; Alice sees it; the log names Bob's login
    assert cli(*b, "attend", "Tue", "1", "--absent", "Ada").code == 0
    assert " A " in f" {cli(*a, 'attendance', 'Tue').out} "
    log = cli(*a, "audit", "Tue", "--limit", "100").out
    assert bob in log and "group_logins" in log

    one_line_error(cli(*a, "group", "share", "Tue", clinic.login("sam")), "supervisor")
    one_line_error(cli(*a, "group", "share", "Tue", clinic.login("ghost")), "no login")
    one_line_error(cli(*a, "group", "share", "Tue", "x'; --"), "login")
    clinic.add("carol")
    refused = one_line_error(
        cli("--database", sam_url, "group", "share", "Tue", clinic.login("carol")),
        "not allowed",
        "supervisor",
    )
    assert "permission denied for table group_logins" in refused

    gone = cli(*b, "group", "unshare", "Tue", alice)
    assert gone.code == 0, gone.err
    assert gone.out.strip() == f"'{alice}' no longer facilitates 'Tue'; facilitators: {bob}"
    one_line_error(cli(*a, "group", "show", "Tue"), "no group 'Tue'")
    one_line_error(cli(*b, "group", "unshare", "Tue", bob), "last facilitator")
    one_line_error(cli(*b, "group", "unshare", "Tue", alice), "does not facilitate")
    with psycopg.connect(clinic.owner_url, autocommit=True) as conn:
        assert conn.execute("SELECT login FROM group_logins").fetchall() == [(bob,)]


def test_a_supervisors_write_is_one_line_naming_the_permission(cli, clinic, data_dir):
    alice_url, sam_url = clinic.add("alice"), clinic.add("sam", "supervisor")
    assert cli("--database", alice_url, "group", "create", "Tue", *WEEKLY).code == 0
    assert cli("--database", alice_url, "roster", "add", "Tue", "Ada").code == 0
    s = ("--database", sam_url)
    assert "Ada" in cli(*s, "roster", "list", "Tue").out  # reads every group
    for args in (
        ("roster", "add", "Tue", "Bo"),
        ("attend", "Tue", "1"),
        ("note", "Tue", "1", "A note"),
        ("schedule", "skip", "Tue", "2026-09-08"),
        ("group", "create", "Wed", *WEEKLY),
    ):
        message = one_line_error(cli(*s, *args), "not allowed", "supervisor")
        assert "permission denied for table" in message and clinic.login("sam") in message
    assert "Bo" not in cli(*s, "roster", "list", "Tue").out
    # moving a laptop's groups in is a write too
    assert cli("group", "create", "Laptop", *WEEKLY).code == 0
    refused = one_line_error(
        cli(*s, "clinic", "import", str(data_dir / "facilitator.sqlite3")), "not allowed"
    )
    assert "supervisor" in refused and "nothing was changed" in refused


def test_a_clinic_run_by_an_owner_who_is_not_a_superuser(cli, pg_empty_url, pg_cluster):
    """The real set-up: the database belongs to a role with CREATEROLE (not a superuser), so
    row-level security, forced, applies to the owner too; its own policy lets it see all."""
    from urllib.parse import urlsplit

    database = urlsplit(pg_empty_url).path.lstrip("/")
    owner = f"{database}_owner"
    with psycopg.connect(pg_empty_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE")
        conn.execute(f"ALTER DATABASE {database} OWNER TO {owner}")
    o = ("--database", pg_cluster.url(database, user=owner))
    first = cli(*o, "clinic", "init")
    assert first.code == 0 and f"schema 0 -> {LATEST}" in first.out, first.err
    assert "nothing changed" in cli(*o, "clinic", "init").out
    for short, role in (("ann", "staff"), ("ben", "staff"), ("sue", "supervisor")):
        made = cli(*o, "clinic", "add-user", f"{database}_{short}", "--role", role)
        assert made.code == 0, made.err
    ann = ("--database", pg_cluster.url(database, user=f"{database}_ann"))
    ben = ("--database", pg_cluster.url(database, user=f"{database}_ben"))
    assert cli(*ann, "group", "create", "Ann's", *WEEKLY).code == 0
    assert cli(*ben, "group", "create", "Ben's", *WEEKLY).code == 0
    assert "Ann's" in cli(*o, "group", "list").out and "Ben's" in cli(*o, "group", "list").out
    assert "Ben's" not in cli(*ann, "group", "list").out
    sue = ("--database", pg_cluster.url(database, user=f"{database}_sue"))
    listed = cli(*sue, "group", "list").out
    assert "Ann's" in listed and "Ben's" in listed
    with psycopg.connect(pg_cluster.url(database, user=f"{database}_ann"), autocommit=True) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("CREATE TEMPORARY TABLE t (x int)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("CREATE TABLE public.t (x int)")
    # A backup by the owner reads through its own policy: pg_dump must be told so
    import subprocess

    from pg_cluster import find_bindir

    dump = [str(find_bindir() / "pg_dump"), "--format=plain", "--dbname", o[1]]
    refused = subprocess.run(dump, capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "row-level security" in refused.stderr
    made = subprocess.run([*dump, "--enable-row-security"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "Ann's" in made.stdout and "Ben's" in made.stdout


def test_staff_on_a_database_that_needs_an_upgrade_are_told_who_runs_it(cli, clinic):
    ann = clinic.add("ann")
    with psycopg.connect(clinic.owner_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE groups DROP COLUMN created_by CASCADE")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 2")
    one_line_error(cli("--database", ann, "group", "list"), "upgrade", "clinic init")
