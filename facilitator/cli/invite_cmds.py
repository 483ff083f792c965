"""Invite commands: ``invites GROUP --out DIR`` writes calendar files, ``invites send`` mails them.

icalendar and the mail code are imported inside the commands, never when the CLI starts.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from facilitator.actions import groups
from facilitator.actions import invites as invites_actions
from facilitator.cli import formatting, params, pass_workspace
from facilitator.cli.common import store_of
from facilitator.workspace import Workspace


class _InvitesGroup(click.Group):
    """``invites GROUP ...`` runs ``invites write GROUP ...``; ``invites send GROUP`` sends."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["write", *args]
        return super().parse_args(ctx, args)


def _options(func: Any) -> Any:
    func = click.option(
        "--cancel",
        "cancel_week",
        type=params.WEEK,
        metavar="WEEK",
        help="Files that cancel this week's meeting (cancel it in the schedule first).",
    )(func)
    func = click.option(
        "--publish",
        is_flag=True,
        help="Participants get PUBLISH files without attendees (most private; no RSVP).",
    )(func)
    return click.argument("group")(func)


@click.group(cls=_InvitesGroup)
def invites() -> None:
    """Calendar invitations: one file per participant, one for facilitators, one public.

    \b
    facilitator invites GROUP --out DIR      write the files
    facilitator invites send GROUP           e-mail each person their own file
    """


@invites.command("write")
@_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the .ics files (created, private).",
)
@pass_workspace
def write(ws: Workspace, group: str, publish: bool, cancel_week: int | None, out: Path) -> None:
    """Write the calendar files of GROUP into --out."""
    store = store_of(ws)
    done = invites_actions.write(
        ws,
        store,
        groups.find(store, group).id,
        stamp=datetime.now(UTC),
        out=out,
        publish=publish,
        cancel_week=cancel_week,
    )
    for file in done.files:
        who = ", ".join(f"{name} <{email}>" for name, email in file.recipients) or file.kind
        click.echo(formatting.line(f"{file.filename:<22} {file.method:<8} {who}"))
    _skipped(done.skipped)
    click.echo(f"{len(done.files)} file(s) in {out} (SEQUENCE {done.sequence}).")


@invites.command("send")
@_options
@click.option("--dry-run", is_flag=True, help="Show who would get what; send nothing.")
@pass_workspace
def send(ws: Workspace, group: str, publish: bool, cancel_week: int | None, dry_run: bool) -> int:
    """E-mail each person their own calendar file (one message each; unchanged ones skipped)."""
    store = store_of(ws)
    planned = invites_actions.plan_send(
        ws,
        store,
        groups.find(store, group).id,
        stamp=datetime.now(UTC),
        publish=publish,
        cancel_week=cancel_week,
    )
    _skipped(planned.skipped)
    if dry_run:
        for d in planned.deliveries:
            verb = "would send" if d.send else f"skip ({d.why})"
            _line(f"{verb:<20} {d.method:<8} {d.filename:<18}", d)
        return 0
    server = invites_actions.server(ws)
    invites_actions.sender(ws, planned.group)
    todo = planned.to_send
    password = invites_actions.password(ws, _ask if sys.stdin.isatty() else None) if todo else None
    if todo:
        click.echo(
            f"Sending {todo} invite(s) through {server.host}:{server.port} (at most "
            f"{server.per_message:g} s each, {server.per_run:g} s in all)..."
        )

    def progress(o: invites_actions.Outcome) -> None:
        sent = "sent" if o.delivery.send else f"skip ({o.delivery.why})"
        verb = "FAILED" if o.error else sent
        _line(f"{verb:<20} {o.delivery.method:<8}", o.delivery, o.error)

    done = invites_actions.send(
        ws, planned, password=password, stamp=datetime.now(UTC), progress=progress
    )
    click.echo(
        f"{done.sent} sent, {done.failed} failed, {done.skipped} skipped.",
        err=bool(done.failed),
    )
    return 1 if done.failed else 0


def _ask(user: str) -> str:
    """Ask for the SMTP password (hidden). The prompt is written to /dev/tty, past the gate:
    escape the user name here."""
    return str(click.prompt(formatting.line(f"SMTP password for {user}"), hide_input=True))


def _line(head: str, delivery: invites_actions.Delivery, error: str = "") -> None:
    tail = f": {error}" if error else ""
    click.echo(formatting.line(f"{head} {delivery.name} <{delivery.email}>{tail}"), err=bool(error))


def _skipped(skipped: tuple[str, ...]) -> None:
    for note in skipped:
        click.echo(formatting.line(f"note: no invite for {note}"), err=True)


COMMANDS = [invites]
