"""Add, edit, list, end and erase participants (``facilitator roster ...``)."""

from __future__ import annotations

import shlex
from datetime import date
from typing import TYPE_CHECKING

import click

from facilitator.actions import groups
from facilitator.actions import roster as roster_actions
from facilitator.cli import common, formatting, params, pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.errors import FacilitatorError
from facilitator.workspace import Workspace

if TYPE_CHECKING:
    from facilitator.actions.roster import Erased

DATE = params.DATE


@click.group()
def roster() -> None:
    """Add, list, end and erase participants."""


@roster.command("add")
@click.argument("group_ref", metavar="GROUP")
@click.argument("name")
@click.option("--initial", default="", help="Last initial (sign-in sheets show only this).")
@click.option("--email", default="")
@click.option("--joined", callback=DATE, help="Join date (default: from the start).")
@click.option("--large-print", is_flag=True, help="Print this person's handouts large.")
@pass_workspace
def roster_add(
    ws: Workspace,
    group_ref: str,
    name: str,
    initial: str,
    email: str,
    joined: date | None,
    large_print: bool,
) -> None:
    """Enrol a participant (the name is kept as typed; sign-in sheets show it with --initial)."""
    store = store_of(ws)
    done = roster_actions.enrol(
        store,
        groups.find(store, group_ref).id,
        name,
        initial=initial,
        email=email,
        joined=joined,
        large_print=large_print,
    )
    person = done.person
    echo(f"added {person.sign_in_name} (id {person.id})")
    if done.full_name:  # a full name would print in full on the sign-in sheet
        preferred, split = done.full_name
        echo(
            f"warning: sign-in sheets will show '{person.preferred_name}' in full; to show only "
            f"the initial: facilitator roster edit {shlex.quote(group_ref)} {person.id} "
            f"--name {shlex.quote(preferred)} --initial {shlex.quote(split)}",
            err=True,
        )
    _warn_script(done.script_warning)


def _warn_script(warning: str) -> None:
    """Warn (stderr) when no installed font prints a name's script."""
    if warning:
        echo(f"warning: {warning}", err=True)


@roster.command("edit")
@click.argument("group_ref", metavar="GROUP")
@click.argument("person")
@click.option("--name", help="New preferred name.")
@click.option("--initial", help="New last initial ('' for none).")
@click.option("--email", help="New e-mail address ('' for none).")
@click.option("--large-print/--standard-print", default=None, help="Worksheets in large print.")
@pass_workspace
def roster_edit(
    ws: Workspace,
    group_ref: str,
    person: str,
    name: str | None,
    initial: str | None,
    email: str | None,
    large_print: bool | None,
) -> None:
    """Change a participant's name, last initial, e-mail or large print."""
    from facilitator.email_address import usable_email as valid_email

    if all(value is None for value in (name, initial, email, large_print)):
        raise FacilitatorError(
            "nothing to change: give --name, --initial, --email or --large-print/--standard-print"
        )
    if email and not valid_email(email.strip()):
        raise FacilitatorError(f"--email: '{email}' is not a usable e-mail address")
    store = store_of(ws)
    found = roster_actions.find(store, groups.find(store, group_ref).id, person)
    done = roster_actions.edit(
        store, found.id, name=name, initial=initial, email=email, large_print=large_print
    )
    changes = [f"{what} {before!r} -> {now!r}" for what, before, now in done.changes()]
    after = done.after
    echo(f"participant {after.id} ({after.sign_in_name}): " + ("; ".join(changes) or "unchanged"))
    _warn_script(done.script_warning)


@roster.command("list")
@click.argument("group_ref", metavar="GROUP")
@pass_workspace
def roster_list(ws: Workspace, group_ref: str) -> None:
    """List the participants, including those who left."""
    store = store_of(ws)
    rows = [
        (
            str(p.id),
            p.sign_in_name,
            p.email,
            str(p.joined or ""),
            str(p.left or ""),
            "large print" if p.large_print else "",
            p.file_id,
        )
        for p in roster_actions.listing(store, groups.find(store, group_ref).id)
    ]
    formatting.table(("ID", "NAME", "EMAIL", "JOINED", "LEFT", "NEEDS", "FILES"), rows)


@roster.command("leave")
@click.argument("group_ref", metavar="GROUP")
@click.argument("person")
@click.option("--on", "on", callback=DATE, required=True, help="Last membership ends on this date.")
@pass_workspace
def roster_leave(ws: Workspace, group_ref: str, person: str, on: date) -> None:
    """End a membership (the person stays in past attendance)."""
    store = store_of(ws)
    found = roster_actions.find(store, groups.find(store, group_ref).id, person)
    echo(f"{roster_actions.leave(store, found.id, on).sign_in_name} left on {on}")


@roster.command("erase")
@click.argument("group_ref", metavar="GROUP")
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def roster_erase(ws: Workspace, group_ref: str, person: str, yes: bool) -> None:
    """Erase a person entirely: name, attendance, notes and every file that names them
    (printouts that list the group too: print them again). Backups still hold them."""
    store = store_of(ws)
    found = roster_actions.find(store, groups.find(store, group_ref).id, person)
    if not yes:
        if not common.interactive():
            raise FacilitatorError("erasing needs confirmation: run it at a terminal or add --yes")
        click.confirm(
            formatting.line(
                f"Erase {found.sign_in_name} (id {found.id}), all their attendance and notes, "
                "and every file that names them?"
            ),
            abort=True,
        )
    for line in erase_report(roster_actions.erase(ws, store, found.id)):
        echo(line)


def erase_report(done: Erased) -> list[str]:
    """What ``roster erase`` says: each file deleted, each it could not reach, the backups."""
    lines = [f"erased participant {done.participant_id}"]
    if not done.database_clean:
        lines[0] += (
            " (another window still has the database open; its log is cleared when it closes)"
        )
    if done.deleted:
        lines.append(f"deleted {len(done.deleted)} file(s) that named them:")
        shared = set(done.reprintable)
        lines += [
            f"  {p}" + ("  (lists the group: print or export it again)" if p in shared else "")
            for p in done.deleted
        ]
    if done.unreachable:
        lines.append(f"could not delete {len(done.unreachable)} file(s); delete them by hand:")
        lines += [f"  {p}: {why}" for p, why in done.unreachable]
    lines.append(
        "backups made earlier still hold the name"
        + (": " + ", ".join(str(p) for p in done.backups) if done.backups else "")
        + " (delete them or make new ones)"
    )
    return lines


COMMANDS = [roster]
