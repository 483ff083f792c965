"""PostgreSQL migration 2: a clinic's people and what each may see, enforced by the server.

- Group roles ``facilitator_staff`` and ``facilitator_supervisor`` (NOLOGIN); a person's login
  role is a member of one of them (``facilitator clinic add-user``).
- ``group_logins``: which login roles facilitate which group. The creator of a group facilitates
  it: an AFTER INSERT trigger on ``groups`` adds ``current_user`` (never a value the app sends),
  and ``groups.created_by`` defaults to ``current_user``. ``group share`` / ``unshare`` add and
  remove co-facilitators; the last one cannot be removed.
- Row-level security, ENABLED and FORCED on every table: staff read and change only rows of the
  groups they facilitate (and the audit rows about them); supervisors read everything and are
  granted no write at all; the owner (who ran ``clinic init``) has a policy of its own. Views
  are ``security_invoker``, so they never read with the owner's rights.
- The audit log: only the owner may UPDATE, DELETE or TRUNCATE it (and its triggers refuse even
  that). Rows are written by the SECURITY INVOKER audit triggers, so ``current_user`` inside them
  is the role that made the change; ``login`` records ``session_user`` too, the person who logged
  in, which differs under SET ROLE (a pooler's login acting as a person's role). A direct
  INSERT is refused unless it is marked as imported (``origin``: the original actor and time
  from an embedded database), and even then ``actor``, ``login`` and
  ``at`` are the server's. PUBLIC loses TEMPORARY on the database and CREATE on the schema, so
  no user can make a function or trigger of their own that writes to the log from inside a
  trigger.
- The SECURITY DEFINER helpers the policies call take the role as an argument (inside them
  ``current_user`` is the owner) and answer only for a role the session's login may act as, with
  ``search_path`` pinned.

Every table in the schema must be listed in :data:`REACH` (how its rows find their group): the
migration refuses a table it does not know, so a later migration adding a table has to say.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from facilitator.errors import FacilitatorError
from facilitator.store.migrations import Audited

if TYPE_CHECKING:
    from facilitator.store.pg.db import PgConnection

STAFF = "facilitator_staff"
SUPERVISOR = "facilitator_supervisor"
GROUP_ROLES = (STAFF, SUPERVISOR)

AUDITED_CLINIC = (Audited("group_logins", ("group_id", "login")),)
"""Sharing is audited like every other change (who shared a group with whom)."""

MINE = "group_id IN (SELECT my_groups(current_user))"
"""A row of a group the current role facilitates."""

REACH: dict[str, str | None] = {
    "groups": "id IN (SELECT my_groups(current_user)) "
    "OR (created_by = current_user AND unclaimed(id, current_user))",
    "group_logins": MINE,
    "facilitators": MINE,
    "group_weeks": MINE,
    "skips": MINE,
    "changes": MINE,
    "participants": MINE,
    "rolls": MINE,
    "marks": MINE,
    "group_notes": MINE,
    "participant_notes": MINE,
    "meeting_runs": MINE,
    "note_history": MINE,
    "outputs": f"CASE WHEN group_id IS NULL THEN written_by = current_user ELSE {MINE} END",
    # through the rows of those tables the role may see (their policies apply to the subquery)
    "output_people": "EXISTS (SELECT 1 FROM outputs o WHERE o.id = output_id) "
    "AND EXISTS (SELECT 1 FROM participants p WHERE p.id = participant_id)",
    # and the rows about no group (a backup's ledger entry) that the role itself wrote
    "audit": f"{MINE} OR (group_id IS NULL AND actor = current_user)",
    "schema_migrations": None,  # no group's data: everyone reads it
}
"""Each table: the staff's USING expression (None: readable by all, written by the owner)."""

COLUMNS_V2 = [
    "ALTER TABLE groups ADD COLUMN created_by text NOT NULL DEFAULT current_user",
    "ALTER TABLE outputs ADD COLUMN written_by text NOT NULL DEFAULT current_user",
    # who logged in (session_user), beside the role that acted (actor = current_user)
    "ALTER TABLE audit ADD COLUMN login text",
    # an imported row: the original actor, time and ids (from the embedded database)
    "ALTER TABLE audit ADD COLUMN origin jsonb",
    """CREATE TABLE group_logins (
        group_id bigint NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
        login text NOT NULL, added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (group_id, login))""",
    "CREATE INDEX group_logins_login ON group_logins (login, group_id)",
    # every group there is (made before this migration) is facilitated by whoever made it
    "INSERT INTO group_logins (group_id, login) SELECT id, created_by FROM groups",
]

ROLES = f"""DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{STAFF}') THEN
    CREATE ROLE {STAFF} NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{SUPERVISOR}') THEN
    CREATE ROLE {SUPERVISOR} NOLOGIN;
  END IF;
END $$"""  # noqa: S608 - our own constant role names

# Functions; {path} is the pinned search_path (pg_catalog, this schema, pg_temp).
FUNCTIONS = [
    # The groups a role facilitates, for a role the session's login may act as (else none).
    # (plpgsql, not sql: its plan is cached for the session, where a SECURITY DEFINER sql
    # function, never inlined, would be planned again in every query that checks a policy)
    """CREATE FUNCTION my_groups(who name) RETURNS SETOF bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {path} AS $$
    BEGIN
      IF who = session_user OR pg_has_role(session_user, who, 'MEMBER') THEN
        RETURN QUERY SELECT l.group_id FROM group_logins l WHERE l.login = who;
      END IF;
    END $$""",
    # A group ``who`` created that nobody facilitates yet: only while its creation is under way
    # (the INSERT's RETURNING and the trigger that adds its creator).
    """CREATE FUNCTION unclaimed(gid bigint, who name) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {path} AS $$
    BEGIN
      RETURN (who = session_user OR pg_has_role(session_user, who, 'MEMBER'))
        AND NOT EXISTS (SELECT 1 FROM group_logins l WHERE l.group_id = gid)
        AND (NOT EXISTS (SELECT 1 FROM groups g WHERE g.id = gid)
             OR EXISTS (SELECT 1 FROM groups g WHERE g.id = gid AND g.created_by = who));
    END $$""",
    # The creator facilitates the group: the role that inserted it, never a value sent.
    """CREATE FUNCTION creator_facilitates() RETURNS trigger
    LANGUAGE plpgsql SET search_path = {path} AS $$
    BEGIN
      INSERT INTO group_logins (group_id, login) VALUES (NEW.id, current_user);
      RETURN NULL;
    END $$""",
    # A group keeps at least one facilitator (unless the group itself is going).
    """CREATE FUNCTION keep_a_facilitator() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = {path} AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM groups g WHERE g.id = OLD.group_id)
         AND NOT EXISTS (SELECT 1 FROM group_logins l WHERE l.group_id = OLD.group_id) THEN
        RAISE EXCEPTION 'a group keeps at least one facilitator: % is the last one of group %',
          OLD.login, OLD.group_id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$""",
    # Rows come from the audit triggers, or are imported (marked, in the importer's name).
    """CREATE OR REPLACE FUNCTION audit_stamp() RETURNS trigger
    LANGUAGE plpgsql SET search_path = {path} AS $$
    BEGIN
      IF pg_trigger_depth() < 2 AND NEW.origin IS NULL THEN
        RAISE EXCEPTION 'the audit log is written only by the audit triggers'
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF pg_trigger_depth() >= 2 THEN
        NEW.origin := NULL;
      END IF;
      NEW.actor := current_user;
      NEW.login := session_user;
      NEW.at := clock_timestamp();
      RETURN NEW;
    END $$""",
]

TRIGGERS = [
    """CREATE TRIGGER creator_facilitates AFTER INSERT ON groups
        FOR EACH ROW EXECUTE FUNCTION creator_facilitates()""",
    """CREATE TRIGGER keep_a_facilitator AFTER DELETE ON group_logins
        FOR EACH ROW EXECUTE FUNCTION keep_a_facilitator()""",
]

VIEWS = [
    # Who facilitates which group: read with the reader's rights (security_invoker), so the
    # policies of groups and group_logins apply as if the reader queried them.
    """CREATE VIEW facilitation WITH (security_invoker = true) AS
        SELECT g.id AS group_id, g.name AS group_name, l.login, l.added_at
        FROM groups g JOIN group_logins l ON l.group_id = g.id""",
]


def _quoted(conn: PgConnection, name: str) -> str:
    from psycopg import sql

    return sql.Identifier(name).as_string(conn.raw)


def secure(conn: PgConnection) -> None:
    """Roles, functions, triggers, the view, grants and row-level security (migration 2)."""
    row = conn.execute("SELECT current_setting('server_version_num')::int").fetchone()
    if row is None or int(row[0]) < 150000:
        raise FacilitatorError(
            "a clinic database needs PostgreSQL 15 or newer (views that respect row-level "
            "security: security_invoker)"
        )
    (schema, owner) = conn.execute("SELECT current_schema(), current_user").fetchone() or ("", "")
    if not schema:
        raise FacilitatorError("no schema to create the tables in (check search_path)")
    q_schema, q_owner = _quoted(conn, str(schema)), _quoted(conn, str(owner))
    path = f"pg_catalog, {q_schema}, pg_temp"
    from facilitator.store.pg.migrations import audit_trigger

    conn.execute(ROLES)
    for statement in FUNCTIONS:
        conn.execute(statement.replace("{path}", path))
    for statement in TRIGGERS + VIEWS + [audit_trigger(s) for s in AUDITED_CLINIC]:
        conn.execute(statement)
    tables = [
        str(t)
        for (t,) in conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1"
        )
    ]
    unknown = sorted(set(tables) - set(REACH))
    if unknown:
        raise FacilitatorError(f"no row-level security rule for table(s) {', '.join(unknown)}")
    roles = f"{STAFF}, {SUPERVISOR}"
    conn.execute(f"GRANT USAGE ON SCHEMA {q_schema} TO {roles}")
    for table in tables:
        _secure_table(conn, table, REACH[table], q_owner)
    conn.execute(f"GRANT SELECT ON facilitation TO {roles}")
    conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {q_schema} TO {STAFF}")
    for function in ("my_groups(name)", "unclaimed(bigint, name)"):
        conn.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        conn.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {roles}")
    harden(conn)


HARDEN = """DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'could not revoke TEMPORARY on the database from PUBLIC (not its owner)';
END $$"""


def harden(conn: PgConnection) -> None:
    """No one but the owner makes objects in the database (a function or trigger of one's own
    could write to the log from inside a trigger), not even temporary ones. Database-wide
    rights are not copied with a database, so ``clinic init`` runs this every time."""
    (schema,) = conn.execute("SELECT current_schema()").fetchone() or ("",)
    conn.execute(f"REVOKE CREATE ON SCHEMA {_quoted(conn, str(schema))} FROM PUBLIC")
    conn.execute(HARDEN)


def rights(conn: PgConnection) -> tuple[str, str]:
    """The database's and the schema's access lists (to tell whether :func:`harden` changed
    anything)."""
    row = conn.execute(
        "SELECT (SELECT coalesce(datacl::text, '') FROM pg_database "
        "WHERE datname = current_database()), (SELECT coalesce(nspacl::text, '') "
        "FROM pg_namespace WHERE nspname = current_schema())"
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else ("", "")


def _secure_table(conn: PgConnection, table: str, reach: str | None, q_owner: str) -> None:
    conn.execute(f"REVOKE ALL ON {table} FROM PUBLIC")
    conn.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    conn.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    conn.execute(f"CREATE POLICY owner_all ON {table} TO {q_owner} USING (true) WITH CHECK (true)")
    conn.execute(
        f"CREATE POLICY supervisor_read ON {table} FOR SELECT TO {SUPERVISOR} USING (true)"
    )
    conn.execute(f"GRANT SELECT ON {table} TO {SUPERVISOR}")
    if reach is None:
        conn.execute(f"CREATE POLICY staff_read ON {table} FOR SELECT TO {STAFF} USING (true)")
        conn.execute(f"GRANT SELECT ON {table} TO {STAFF}")
        return
    if table == "audit":
        # read the rows about one's groups; insert only through the triggers (any group: a
        # group's creation is logged before its creator is added) or marked as imported
        conn.execute(f"CREATE POLICY staff_read ON audit FOR SELECT TO {STAFF} USING ({reach})")
        conn.execute(
            f"CREATE POLICY staff_log ON audit FOR INSERT TO {STAFF} "
            f"WITH CHECK (origin IS NULL OR {MINE})"
        )
        conn.execute(
            f"GRANT SELECT, INSERT (tbl, row_id, group_id, participant_id, action, changes, "
            f"origin) ON audit TO {STAFF}"
        )
        return
    if table == "groups":
        conn.execute(f"CREATE POLICY staff_rows ON groups TO {STAFF} USING ({reach})")
        conn.execute(
            f"CREATE POLICY staff_create ON groups FOR INSERT TO {STAFF} "
            "WITH CHECK (created_by = current_user)"
        )
        columns = [
            str(c)
            for (c,) in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                "current_schema() AND table_name = 'groups' AND column_name NOT IN "
                "('id', 'created_by') ORDER BY ordinal_position"
            )
        ]
        conn.execute(
            f"GRANT SELECT, INSERT, DELETE, UPDATE ({', '.join(columns)}) ON groups TO {STAFF}"
        )
        return
    if table == "group_logins":
        # share: a facilitator adds a login; the creation trigger adds the creator itself
        conn.execute(
            f"CREATE POLICY staff_rows ON group_logins FOR SELECT TO {STAFF} USING ({reach})"
        )
        conn.execute(
            f"CREATE POLICY staff_unshare ON group_logins FOR DELETE TO {STAFF} USING ({reach})"
        )
        conn.execute(
            f"CREATE POLICY staff_share ON group_logins FOR INSERT TO {STAFF} WITH CHECK ("
            f"{reach} OR (login = current_user AND unclaimed(group_id, current_user)))"
        )
        conn.execute(f"GRANT SELECT, INSERT, DELETE ON group_logins TO {STAFF}")
        return
    conn.execute(
        f"CREATE POLICY staff_rows ON {table} TO {STAFF} USING ({reach}) WITH CHECK ({reach})"
    )
    conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {STAFF}")


MIGRATION_2: list[str | Callable[[PgConnection], None]] = [*COLUMNS_V2, secure]
"""Migration 2's steps (statements and one Python step; see store/pg/migrations.py)."""


def role_of(db: object) -> str:
    """`` for role 'x' (a supervisor: reads only)`` and the like, for a refused write's message;
    '' when it cannot be told (the connection is gone)."""
    conn = getattr(db, "conn", None)
    try:
        row = conn.execute(  # type: ignore[union-attr]
            "SELECT current_user, "
            "EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = %s "
            "AND pg_has_role(current_user, r.oid, 'MEMBER')), "
            "EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = %s "
            "AND pg_has_role(current_user, r.oid, 'MEMBER'))",
            (SUPERVISOR, STAFF),
        ).fetchone()
    except Exception:
        return ""
    if row is None:
        return ""
    user, supervisor, staff = row
    if supervisor:
        return f" for database role '{user}' (a supervisor reads every group and changes none)"
    if staff:
        return f" for database role '{user}' (staff change only the groups they facilitate)"
    return f" for database role '{user}'"


def unguarded(conn: PgConnection) -> str:
    """What ``audit --verify`` reports about the clinic's guards ('' when all is well): a table
    without row-level security enabled and forced, a view that reads with its owner's rights,
    the creator or last-facilitator trigger gone (only the owner could do any of that)."""
    rows = conn.execute(
        "SELECT c.relname, c.relkind, c.relrowsecurity AND c.relforcerowsecurity, "
        "coalesce('security_invoker=true' = ANY(c.reloptions), false) "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY 1"
    ).fetchall()
    if not any(name == "group_logins" for name, *_ in rows):
        return ""  # not a clinic's database yet (schema 1)
    open_tables = [str(n) for n, kind, forced, _ in rows if kind in ("r", "p") and not forced]
    open_views = [str(n) for n, kind, _, invoker in rows if kind in ("v", "m") and not invoker]
    triggers = {
        str(n)
        for (n,) in conn.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND t.tgenabled <> 'D'"
        )
    }
    missing = sorted({"creator_facilitates", "keep_a_facilitator"} - triggers)
    found = []
    if open_tables:
        found.append(f"row-level security off or not forced on {', '.join(open_tables[:4])}")
    if open_views:
        found.append(f"view(s) reading with their owner's rights: {', '.join(open_views[:4])}")
    if missing:
        found.append(f"trigger(s) gone or disabled: {', '.join(missing)}")
    return "; ".join(found)
