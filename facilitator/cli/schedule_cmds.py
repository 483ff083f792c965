"""A group's schedule: show it, hold another session, move, cancel or skip meetings
(``facilitator schedule ...``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import click

from facilitator.actions import groups
from facilitator.actions import schedule as schedule_actions
from facilitator.cli import formatting, params, pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.model.group import Schedule, SlotKind
from facilitator.workspace import Workspace

DATE, DATETIME = params.DATE, params.DATETIME


class _DefaultGroup(click.Group):
    """``schedule GROUP`` means ``schedule show GROUP``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup)
def schedule() -> None:
    """Show a group's schedule (schedule GROUP), or move, cancel or skip meetings."""


@schedule.command("show")
@click.argument("group_ref", metavar="GROUP")
@pass_workspace
def schedule_show(ws: Workspace, group_ref: str) -> None:
    """Week, date, local time, status and session title of every meeting."""
    store = store_of(ws)
    shown = schedule_actions.show(store, groups.find(store, group_ref).id)
    formatting.table(
        ("WEEK", "DATE", "TIME", "STATUS", "SESSION"), _schedule_rows(shown.schedule, shown.titles)
    )


def _schedule_rows(plan: Schedule, titles: Sequence[str]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for slot in plan.slots:
        meeting = plan.meeting(slot.week) if slot.week else None
        if meeting is not None and meeting.slot_start != slot.start:
            meeting = None  # a cancelled slot whose session was pushed on to a later one
        when = meeting.start if meeting else slot.start
        status = {
            SlotKind.MEETING: "meeting",
            SlotKind.MOVED: f"moved from {slot.start:%Y-%m-%d %H:%M}",
        }.get(
            slot.kind,
            slot.reason
            if slot.reason.startswith(slot.kind.value)
            else f"{slot.kind.value}: {slot.reason}",
        )
        rows.append(
            (
                str(meeting.week) if meeting else "-",
                f"{when:%Y-%m-%d %a}",
                f"{when:%H:%M %Z}",
                status,
                titles[meeting.week - 1] if meeting else "",
            )
        )
    return rows


@schedule.command("use")
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=int)
@click.argument("session_id")
@pass_workspace
def schedule_use(ws: Workspace, group_ref: str, week: int, session_id: str) -> None:
    """Hold another session plan (e.g. an alternate) in a week not yet held."""
    store = store_of(ws)
    used = schedule_actions.use_plan(ws, store, groups.find(store, group_ref).id, week, session_id)
    old = used.old_title or used.old_id
    echo(f"week {week}: {used.title} ({used.plan_id}) instead of {old} ({used.old_id})")
    if not used.alternate:
        echo(f"note: {used.plan_id} is not one of the curriculum's alternates for week {week}")
    echo("the facilitators' invitations changed: export them again to send the update")


@schedule.command("move")
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=params.WEEK)
@click.option("--to", "to", callback=DATETIME, required=True, help="'YYYY-MM-DD HH:MM' local time.")
@pass_workspace
def schedule_move(ws: Workspace, group_ref: str, week: int, to: datetime) -> None:
    """Move one meeting to another date and time."""
    store = store_of(ws)
    moved = schedule_actions.move(store, groups.find(store, group_ref).id, week, to)
    echo(f"week {week} moved to {moved.start:%Y-%m-%d %H:%M %Z}")


@schedule.command("cancel")
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=params.WEEK)
@click.option("--drop", is_flag=True, help="Drop the session instead of pushing the rest on.")
@pass_workspace
def schedule_cancel(ws: Workspace, group_ref: str, week: int, drop: bool) -> None:
    """Cancel one meeting: later sessions move one week on (or, with --drop, it is dropped)."""
    store = store_of(ws)
    plan = schedule_actions.cancel(store, groups.find(store, group_ref).id, week, drop=drop)
    last = plan.meetings[-1].start
    echo(f"week {week} {'dropped' if drop else 'cancelled'}; last meeting {last:%Y-%m-%d}")


@schedule.command("skip")
@click.argument("group_ref", metavar="GROUP")
@click.argument("day", metavar="DATE", callback=DATE)
@pass_workspace
def schedule_skip(ws: Workspace, group_ref: str, day: date) -> None:
    """No meeting on DATE: the remaining sessions move one week on."""
    store = store_of(ws)
    plan = schedule_actions.skip(store, groups.find(store, group_ref).id, day)
    echo(f"skipped {day}; last meeting {plan.meetings[-1].start:%Y-%m-%d}")


COMMANDS = [schedule]
