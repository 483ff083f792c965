"""A clinic on one PostgreSQL server: set it up, add people, share groups (see docs/CLINIC.md).

``init`` and ``add_user`` are the database owner's (a role with CREATEROLE); ``share`` and
``unshare`` a facilitator's, on a group they facilitate. What anyone may see and change is the
server's business (row-level security, grants: :mod:`facilitator.store.pg.clinic_schema`): these
functions only check first, so that the usual refusals read as one plain line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.errors import FacilitatorError, NotFoundError
from facilitator.store import Store, server_url
from facilitator.store.pg.clinic_schema import GROUP_ROLES, STAFF, SUPERVISOR
from facilitator.store.retry import retried

ROLES = {"staff": STAFF, "supervisor": SUPERVISOR}
LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]*")
MAX_LOGIN = 63
"""PostgreSQL's identifier length (NAMEDATALEN - 1 bytes): a longer name would be cut."""
RESERVED = {"public", "none", "current_user", "session_user", "current_role", "postgres"}


def server(data_dir: Path, url: str | None, what: str) -> str:
    """The PostgreSQL URL in force, or a one-line refusal: ``what`` needs one."""
    chosen = server_url(data_dir, url)
    if not chosen:
        raise FacilitatorError(
            f"{what} needs a PostgreSQL database URL (--database postgresql://..., "
            "$FACILITATOR_DATABASE_URL or database_url in settings.toml); the embedded "
            "database file is one person's"
        )
    return chosen


def require_server_store(store: Store, what: str) -> None:
    """Refuse ``what`` on the SQLite file, on one line."""
    if store.engine != "postgresql":
        raise FacilitatorError(
            f"{what} needs a PostgreSQL database URL (--database postgresql://...); the "
            "embedded database file is one person's"
        )


def checked_login(login: str) -> str:
    """A login role's name, as typed, or a one-line refusal (it is quoted anyway)."""
    if not login or len(login.encode()) > MAX_LOGIN:
        raise FacilitatorError(f"login must be 1 to {MAX_LOGIN} characters (got {len(login)})")
    if not LOGIN.fullmatch(login):
        raise FacilitatorError(
            "login may hold only letters A-Z and a-z, digits, '_', '.', '@' and '-', and "
            "starts with a letter or '_'"
        )
    if login.lower() in RESERVED or login.lower().startswith("pg_") or login in GROUP_ROLES:
        raise FacilitatorError(f"'{login}' is reserved: choose another login name")
    return login


# -- the owner's: init and add-user ---------------------------------------------------------


@dataclass
class InitResult:
    """What ``clinic init`` found and did."""

    where: str
    before: int
    after: int
    roles_made: list[str] = field(default_factory=list)
    hardened: bool = False
    """PUBLIC lost TEMPORARY on the database or CREATE on the schema just now."""

    @property
    def changed(self) -> bool:
        return self.before != self.after or bool(self.roles_made) or self.hardened


def _owner_checks(db: Any) -> None:
    """The database owner (a role with CREATEROLE) runs the clinic's set-up."""
    with db.read() as conn:
        row = conn.execute(
            "SELECT current_user, rolsuper, rolcreaterole, "
            "(SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = 'groups') FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    user, superuser, createrole, owner = row
    if not (superuser or createrole):
        raise FacilitatorError(
            f"role '{user}' may not create roles: run this as the database owner, a role "
            "with CREATEROLE (nothing was changed)"
        )
    if owner is not None and owner != user and not superuser:
        raise FacilitatorError(
            f"the clinic's tables belong to role '{owner}', not '{user}': run this as "
            f"'{owner}' (nothing was changed)"
        )


def _group_roles(db: Any) -> set[str]:
    with db.read() as conn:
        return {
            str(n)
            for (n,) in conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY(?)", (list(GROUP_ROLES),)
            )
        }


def init(url: str) -> InitResult:
    """Create or migrate the clinic's schema, roles, policies and triggers; idempotent."""
    from facilitator.store.pg.clinic_schema import harden, rights
    from facilitator.store.pg.db import PgDatabase
    from facilitator.store.pg.migrations import migrate, schema_version

    db = PgDatabase(url)
    try:
        _owner_checks(db)
        before = schema_version(db)
        roles_before = _group_roles(db)
        with db.read() as conn:
            rights_before = rights(conn)
        migrate(db)
        result = InitResult(db.shown, before, schema_version(db))
        with db.write() as conn:
            harden(conn)
            result.hardened = rights(conn) != rights_before
        result.roles_made = sorted(_group_roles(db) - roles_before)
        return result
    finally:
        db.close()


@dataclass
class AddUserResult:
    login: str
    role: str
    created: bool
    joined: bool
    password_set: bool

    @property
    def changed(self) -> bool:
        return self.created or self.joined or self.password_set


def add_user(url: str, login: str, role: str, password: str | None = None) -> AddUserResult:
    """Make ``login`` a login role in the ``role`` group role ("staff" or "supervisor"), with
    a password (sent as a SCRAM verifier, never in clear) or none (peer, certificate)."""
    from psycopg import sql

    from facilitator.store.pg.db import PgDatabase
    from facilitator.store.pg.migrations import schema_version

    login = checked_login(login)
    if role not in ROLES:
        raise FacilitatorError(f"--role must be staff or supervisor, not '{role}'")
    group_role = ROLES[role]
    other = ROLES["supervisor" if role == "staff" else "staff"]
    if password is not None and not password:
        raise FacilitatorError("the password read from standard input is empty")
    db = PgDatabase(url)
    try:
        _owner_checks(db)
        if set(GROUP_ROLES) - _group_roles(db) or schema_version(db) < 2:
            raise FacilitatorError(
                f"{db.shown} is not set up for a clinic yet: run 'facilitator clinic init' first"
            )
        with db.write() as conn:
            found = conn.execute(
                "SELECT rolcanlogin, pg_has_role(oid, ?, 'MEMBER'), "
                "pg_has_role(oid, ?, 'MEMBER') FROM pg_roles WHERE rolname = ?",
                (group_role, other, login),
            ).fetchone()
            name = sql.Identifier(login)
            result = AddUserResult(login, role, False, False, False)
            if found is None:
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}")
                    .format(name, sql.Identifier(group_role))
                    .as_string(conn.raw)
                )
                result.created = True
            else:
                can_login, in_group, in_other = found
                if not can_login:
                    raise FacilitatorError(
                        f"'{login}' is a role that cannot log in; nothing was changed"
                    )
                if in_other:
                    raise FacilitatorError(
                        f"'{login}' is already {'a supervisor' if role == 'staff' else 'staff'}; "
                        "one person has one role (nothing was changed)"
                    )
                if not in_group:
                    conn.execute(
                        sql.SQL("GRANT {} TO {}")
                        .format(sql.Identifier(group_role), name)
                        .as_string(conn.raw)
                    )
                    result.joined = True
            if password is not None:
                verifier = conn.raw.pgconn.encrypt_password(
                    password.encode(), login.encode(), b"scram-sha-256"
                )
                conn.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}")
                    .format(name, sql.Literal(verifier.decode()))
                    .as_string(conn.raw)
                )
                result.password_set = True
        return result
    finally:
        db.close()


# -- a facilitator's: share and unshare ------------------------------------------------------


@dataclass
class ShareResult:
    group: str
    login: str
    changed: bool
    logins: list[str]


def facilitators_of(store: Store, group_id: int) -> list[str]:
    """The logins facilitating a group (those the caller may see)."""
    with store.db.read() as conn:
        return [
            str(n)
            for (n,) in conn.execute(
                "SELECT login FROM group_logins WHERE group_id = ? ORDER BY added_at, login",
                (group_id,),
            )
        ]


def _staff_login(conn: Any, login: str) -> None:
    found = conn.execute(
        "SELECT rolcanlogin, pg_has_role(oid, ?, 'MEMBER'), pg_has_role(oid, ?, 'MEMBER') "
        "FROM pg_roles WHERE rolname = ?",
        (STAFF, SUPERVISOR, login),
    ).fetchone()
    if found is None or not found[0]:
        raise NotFoundError(
            f"no login '{login}' on the server (the database owner adds people with "
            "'facilitator clinic add-user')"
        )
    if found[2]:
        raise FacilitatorError(
            f"'{login}' is a supervisor: supervisors read every group already and change none"
        )
    if not found[1]:
        raise FacilitatorError(f"'{login}' is not clinic staff ({STAFF}); nothing was changed")


@retried
def share(store: Store, group_ref: str, login: str) -> ShareResult:
    """Add ``login`` as a co-facilitator of a group the caller facilitates."""
    require_server_store(store, "group share")
    login = checked_login(login)
    group = store.find_group(group_ref)
    with store.db.write() as conn:
        _staff_login(conn, login)
        current = {
            str(n)
            for (n,) in conn.execute(
                "SELECT login FROM group_logins WHERE group_id = ?", (group.id,)
            )
        }
        changed = login not in current
        if changed:
            conn.execute(
                "INSERT INTO group_logins (group_id, login) VALUES (?, ?)", (group.id, login)
            )
    return ShareResult(group.name, login, changed, facilitators_of(store, group.id))


@retried
def unshare(store: Store, group_ref: str, login: str) -> ShareResult:
    """Remove ``login`` from a group's facilitators; the last one stays."""
    require_server_store(store, "group unshare")
    login = checked_login(login)
    group = store.find_group(group_ref)
    with store.db.write() as conn:
        current = [
            str(n)
            for (n,) in conn.execute(
                "SELECT login FROM group_logins WHERE group_id = ? ORDER BY login", (group.id,)
            )
        ]
        if login not in current:
            raise FacilitatorError(
                f"'{login}' does not facilitate group '{group.name}' (it is facilitated by "
                f"{', '.join(current) or 'nobody you can see'}); nothing was changed"
            )
        if current == [login]:
            raise FacilitatorError(
                f"'{login}' is the last facilitator of group '{group.name}': share it with "
                "someone else first; nothing was changed"
            )
        conn.execute("DELETE FROM group_logins WHERE group_id = ? AND login = ?", (group.id, login))
    return ShareResult(group.name, login, True, facilitators_of(store, group.id))
