"""Create, edit, list, show and cancel groups (``facilitator group ...``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from facilitator.actions import groups
from facilitator.cli import formatting, params, pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.errors import FacilitatorError
from facilitator.model.group import Facilitator, Group
from facilitator.workspace import Workspace

DATE, TIME = params.DATE, params.TIME


@click.group()
def group() -> None:
    """Create, list, show and cancel groups."""


@group.command("create")
@click.argument("name")
@click.option("--curriculum", required=True, help="Curriculum id (see 'facilitator curricula').")
@click.option("--start", callback=DATE, required=True, help="Date of the first meeting.")
@click.option("--time", "start_time", callback=TIME, required=True, help="Local start time, HH:MM.")
@click.option("--tz", required=True, help="IANA time zone, e.g. Europe/London.")
@click.option("--location", default="", help="Room or video link.")
@click.option("--holidays", default="", help="Skip public holidays of CC or CC-SUBDIV.")
@click.option("--skip", callback=DATE, multiple=True, help="A date without a meeting (repeatable).")
@click.option("--facilitator", "facilitator_name", default="", help="Facilitator's name.")
@click.option("--facilitator-email", default="", help="Facilitator's email.")
@click.option("--display-name", default="Weekly group", help="Neutral name participants see.")
@click.option("--minutes", type=click.IntRange(5, 480), help="Length (default: curriculum's).")
@click.option("--open", "is_open", is_flag=True, help="Accept new members during the course.")
@click.option("--capacity", type=params.CAPACITY, help="Most members at once.")
@pass_workspace
def group_create(
    ws: Workspace,
    /,
    name: str,
    facilitator_name: str,
    facilitator_email: str,
    skip: tuple[date, ...],
    **options: Any,
) -> None:
    """Create a group from a curriculum with a weekly schedule."""
    people = [Facilitator(facilitator_name, facilitator_email)] if facilitator_name else []
    created = groups.create(
        ws,
        store_of(ws),
        name=name,
        facilitators=people,
        first_date=options.pop("start"),
        skip_dates=skip,
        timezone=options.pop("tz"),
        curriculum_id=options.pop("curriculum"),
        **options,
    )
    g = created.group
    echo(f"created group {g.id} '{g.name}' ({g.curriculum_id})")


@group.command("edit")
@click.argument("group_ref", metavar="GROUP")
@click.option("--name", help="The facilitators' own name for the group.")
@click.option("--display-name", help="Neutral name participants see.")
@click.option("--location", help="Room or video link.")
@click.option("--time", "start_time", callback=TIME, help="New local start time, HH:MM.")
@click.option("--facilitator", "names", multiple=True, help="Facilitator (repeatable, in order).")
@click.option("--facilitator-email", "emails", multiple=True, help="Their e-mail, in order.")
@click.option("--capacity", type=click.IntRange(min=1), help="Most members at once.")
@click.option("--open/--closed", "is_open", default=None, help="Accept new members or not.")
@pass_workspace
def group_edit(
    ws: Workspace,
    /,
    group_ref: str,
    names: tuple[str, ...],
    emails: tuple[str, ...],
    **options: Any,
) -> None:
    """Change a group's names, location, time, facilitators, capacity or entry; prints what
    follows (meetings that move, invitations to send again)."""
    from facilitator.email_address import usable_email as valid_email

    changes = {k: v for k, v in options.items() if v is not None}
    if len(emails) > len(names):
        raise FacilitatorError("--facilitator-email: one per --facilitator, in the same order")
    for email in emails:
        if email and not valid_email(email):
            raise FacilitatorError(f"--facilitator-email: '{email}' is not a usable address")
    if names:
        padded = [*emails, *[""] * (len(names) - len(emails))]
        changes["facilitators"] = tuple(
            Facilitator(n, e) for n, e in zip(names, padded, strict=True)
        )
    if not changes:
        raise FacilitatorError("nothing to change: give at least one option (see --help)")
    store = store_of(ws)
    done = groups.edit(store, groups.find(store, group_ref).id, **changes)
    echo(f"group {done.group.id} '{done.group.name}' saved")
    for line in done.said or ["nothing changed"]:
        echo(f"  {line}")


@group.command("list")
@pass_workspace
def group_list(ws: Workspace) -> None:
    """List the groups."""
    rows = [
        (
            str(g.id),
            g.name,
            g.curriculum_id,
            g.first_date.isoformat(),
            f"{g.start_time:%H:%M} {g.timezone}",
            "cancelled" if g.cancelled else "",
        )
        for g in groups.listing(store_of(ws))
    ]
    formatting.table(("ID", "NAME", "CURRICULUM", "FIRST", "TIME", "STATUS"), rows)


@group.command("show")
@click.argument("group_ref", metavar="GROUP")
@pass_workspace
def group_show(ws: Workspace, group_ref: str) -> None:
    """Show a group's settings."""
    shown = groups.show(store_of(ws), group_ref)
    click.echo(
        "\n".join(
            f"{k + ':':<16}{formatting.line(v)}" for k, v in _describe(shown.group, shown.members)
        )
    )


def _describe(g: Group, members: int) -> list[tuple[str, str]]:
    people = ", ".join(f"{f.name} <{f.email}>" if f.email else f.name for f in g.facilitators)
    return [
        ("Group", f"{g.name} (id {g.id})"),
        ("Shown as", g.display_name),
        ("Curriculum", g.curriculum_id),
        ("First meeting", g.first_date.isoformat()),
        ("Time", f"{g.start_time:%H:%M}, {g.minutes} minutes, {g.timezone}"),
        ("Location", g.location or "-"),
        ("Facilitators", people or "-"),
        ("Entry", "open" if g.is_open else "closed"),
        ("Members", f"{members}" + (f" of {g.capacity}" if g.capacity else "")),
        ("Completion", f"{g.completion_threshold:.0%} of meetings held"),
        ("Holidays", g.holidays or "-"),
        ("Status", "cancelled" if g.cancelled else "active"),
        ("Calendar", f"sequence {g.calendar_sequence}"),
    ]


@group.command("cancel")
@click.argument("group_ref", metavar="GROUP")
@pass_workspace
def group_cancel(ws: Workspace, group_ref: str) -> None:
    """Cancel a whole group (invitations become cancellations)."""
    store = store_of(ws)
    cancelled = groups.cancel(store, groups.find(store, group_ref).id)
    echo(f"cancelled group '{cancelled.name}' (calendar sequence {cancelled.calendar_sequence})")


from facilitator.cli.clinic_cmds import group_share, group_unshare  # noqa: E402 (a clinic's)

group.add_command(group_share)
group.add_command(group_unshare)
COMMANDS = [group]
