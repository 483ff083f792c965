"""Invite commands: ``invites GROUP --out DIR`` writes calendar files, ``invites send`` mails them.

icalendar and the mail code are imported inside the commands, never when the CLI starts.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from facilitator.cli import formatting, params, pass_workspace
from facilitator.errors import FacilitatorError
from facilitator.workspace import Workspace

if TYPE_CHECKING:
    from facilitator.model.group import Group
    from facilitator.outputs.ics_invites import InviteSet


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
    from facilitator.exports import write_invites
    from facilitator.store import open_store

    found, made = _build(ws, group, publish=publish, cancel_week=cancel_week)
    with open_store(ws.data_dir, url=ws.database_url) as store:
        write_invites(store, made, out, found.id)
    for invite in made.invites:
        who = ", ".join(f"{r.name} <{r.email}>" for r in invite.recipients) or invite.kind
        click.echo(formatting.line(f"{invite.filename:<22} {invite.method:<8} {who}"))
    _skipped(made)
    click.echo(f"{len(made.invites)} file(s) in {out} (SEQUENCE {found.calendar_sequence}).")


@invites.command("send")
@_options
@click.option("--dry-run", is_flag=True, help="Show who would get what; send nothing.")
@pass_workspace
def send(ws: Workspace, group: str, publish: bool, cancel_week: int | None, dry_run: bool) -> int:
    """E-mail each person their own calendar file (one message each; unchanged ones skipped)."""
    from facilitator.outputs import mail

    found, made = _build(ws, group, publish=publish, cancel_week=cancel_week)
    ledger = mail.Ledger.load(ws.data_dir)
    deliveries = mail.plan(made.invites, found.calendar_uid, ledger)
    _skipped(made)
    if dry_run:
        for d in deliveries:
            verb = "would send" if d.action is mail.Action.SEND else f"skip ({d.action})"
            _line(f"{verb:<20} {d.invite.method:<8} {d.invite.filename:<18}", d)
        return 0
    smtp, sender = _smtp(ws, found)
    todo = [d for d in deliveries if d.action is mail.Action.SEND]
    password = _password(smtp) if todo else None
    budget = mail.Budget.of(smtp)
    if todo:
        click.echo(
            f"Sending {len(todo)} invite(s) through {smtp.host}:{smtp.port} (at most "
            f"{budget.per_message:g} s each, {budget.per_run:g} s in all)..."
        )

    def progress(o: Any) -> None:
        if o.error:
            verb = "FAILED"
        else:
            verb = (
                "sent" if o.delivery.action is mail.Action.SEND else f"skip ({o.delivery.action})"
            )
        _line(f"{verb:<20} {o.delivery.invite.method:<8}", o.delivery, o.error)

    outcomes = mail.send_all(
        deliveries,
        connect=mail.connector(smtp, password, budget),
        sender=sender,
        display_name=found.display_name,
        ledger=ledger,
        stamp=datetime.now(UTC),
        budget=budget,
        progress=progress,
    )
    stopped = [o for o in outcomes if o.stopped]
    failed = sum(not o.ok for o in outcomes)
    sent = len(todo) - failed
    if stopped:
        raise FacilitatorError(
            f"{stopped[0].error}; stopped: {sent} sent, {len(stopped)} not sent and not "
            "marked sent (run 'invites send' again to send them)"
        )
    click.echo(
        f"{sent} sent, {failed} failed, {len(outcomes) - len(todo)} skipped.",
        err=bool(failed),
    )
    return 1 if failed else 0


def _build(
    ws: Workspace, ref: str, *, publish: bool, cancel_week: int | None
) -> tuple[Group, InviteSet]:
    """Read the group from the store and build every file (DTSTAMP: now)."""
    from facilitator.exports import invite_set
    from facilitator.store import open_store

    with open_store(ws.data_dir, url=ws.database_url) as store:
        group = store.find_group(ref)
        made = invite_set(
            store,
            ws.library,
            ws.settings,
            group,
            stamp=datetime.now(UTC),
            publish=publish,
            cancel_week=cancel_week,
        )
    return group, made


def _smtp(ws: Workspace, group: Group) -> tuple[Any, str]:
    smtp = ws.settings.smtp
    if not smtp.host:
        raise FacilitatorError(
            "no mail server set: add [smtp] host, port, user and sender to "
            f"{ws.data_dir / 'settings.toml'} (see docs/INVITES.md)"
        )
    sender = smtp.sender or next((f.email for f in group.facilitators if f.email), "")
    if not sender:
        raise FacilitatorError("no sender address: set [smtp] sender in settings.toml")
    return smtp, sender


def _password(smtp: Any) -> str | None:
    """The SMTP password: from the environment variable named in settings, else a prompt."""
    if not smtp.user:
        return None
    password = os.environ.get(smtp.password_env)
    if password:
        return password
    if not sys.stdin.isatty():
        raise FacilitatorError(
            f"no SMTP password: set ${smtp.password_env} (there is no terminal to ask on)"
        )
    # a hidden prompt is written to /dev/tty, past the gate: escape the user name here
    return str(click.prompt(formatting.line(f"SMTP password for {smtp.user}"), hide_input=True))


def _line(head: str, delivery: Any, error: str = "") -> None:
    person = delivery.recipient
    tail = f": {error}" if error else ""
    click.echo(formatting.line(f"{head} {person.name} <{person.email}>{tail}"), err=bool(error))


def _skipped(made: InviteSet) -> None:
    for note in made.skipped:
        click.echo(formatting.line(f"note: no invite for {note}"), err=True)


COMMANDS = [invites]
