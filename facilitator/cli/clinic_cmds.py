"""A clinic on one PostgreSQL server (``facilitator clinic init | add-user | import``) and
sharing a group with a co-facilitator (``facilitator group share | unshare``).

The commands format what :mod:`facilitator.actions.clinic` returns; see docs/CLINIC.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from facilitator.actions import clinic as actions
from facilitator.cli import pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.workspace import Workspace


@click.group()
def clinic() -> None:
    """Set up a clinic's PostgreSQL server: schema and roles, people, moving in."""


@clinic.command("init")
@pass_workspace
def clinic_init(ws: Workspace) -> None:
    """Create or upgrade the clinic's schema, roles, row-level security and audit triggers.

    Run it as the database owner (a role with CREATEROLE). Running it again changes nothing."""
    url = actions.server(ws.data_dir, ws.database_url, "clinic init")
    done = actions.init(url)
    if not done.changed:
        echo(f"{done.where} is already set up (schema {done.after}): nothing changed")
        return
    made = f"; made roles {', '.join(done.roles_made)}" if done.roles_made else ""
    echo(f"{done.where}: schema {done.before} -> {done.after}{made}; row-level security on")


@clinic.command("add-user")
@click.argument("login")
@click.option(
    "--role",
    type=click.Choice(sorted(actions.ROLES)),
    required=True,
    help="staff: facilitate their own groups; supervisor: read every group, change none.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read a password from the first line of standard input (default: none, for peer or "
    "certificate authentication).",
)
@pass_workspace
def clinic_add_user(ws: Workspace, login: str, role: str, password_stdin: bool) -> None:
    """Create the login role LOGIN in the clinic's staff or supervisor group."""
    url = actions.server(ws.data_dir, ws.database_url, "clinic add-user")
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    done = actions.add_user(url, login, role, password)
    if not done.changed:
        echo(f"'{done.login}' is already {role}: nothing changed")
        return
    secret = "with a password" if done.password_set else "no password (peer or certificate)"
    if done.created:
        echo(f"created login '{done.login}' ({role}), {secret}")
    elif done.joined:
        kept = secret if done.password_set else "password unchanged"
        echo(f"login '{done.login}' is now {role}, {kept}")
    else:
        echo(f"login '{done.login}' ({role}): password changed")


@clinic.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_workspace
def clinic_import(ws: Workspace, file: Path) -> None:
    """Copy an embedded database FILE (groups, roster, schedule, attendance, notes, runs and
    their audit history) into the clinic's database; you facilitate what you import."""
    from facilitator.actions.clinic_import import import_file

    actions.server(ws.data_dir, ws.database_url, "clinic import")
    done = import_file(store_of(ws), file)
    counts = ", ".join(f"{n} {what}" for what, n in done.counts.items() if n)
    names = ", ".join(f"'{g}'" for g in done.groups)
    echo(f"imported {len(done.groups)} group(s) ({names}) from {file}: {counts}")
    if done.skipped_audit:
        echo(f"note: {done.skipped_audit} audit row(s) about no group stayed in the file")


@click.command("share")
@click.argument("group_ref", metavar="GROUP")
@click.argument("login")
@pass_workspace
def group_share(ws: Workspace, group_ref: str, login: str) -> None:
    """Add LOGIN as a co-facilitator of GROUP (PostgreSQL only; you must facilitate it)."""
    actions.server(ws.data_dir, ws.database_url, "group share")
    done = actions.share(store_of(ws), group_ref, login)
    _shared(done, "now facilitates" if done.changed else "already facilitates")


@click.command("unshare")
@click.argument("group_ref", metavar="GROUP")
@click.argument("login")
@pass_workspace
def group_unshare(ws: Workspace, group_ref: str, login: str) -> None:
    """Remove LOGIN from GROUP's facilitators (the last one stays; PostgreSQL only)."""
    actions.server(ws.data_dir, ws.database_url, "group unshare")
    _shared(actions.unshare(store_of(ws), group_ref, login), "no longer facilitates")


def _shared(done: actions.ShareResult, verb: str) -> None:
    tail = "" if done.changed else " (nothing changed)"
    echo(f"'{done.login}' {verb} '{done.group}'{tail}; facilitators: {', '.join(done.logins)}")


COMMANDS = [clinic]
