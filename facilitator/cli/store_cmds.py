"""Group, roster, schedule, attendance, notes, backup and demo commands (the store's CLI)."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from facilitator.cli import formatting, params, pass_workspace
from facilitator.errors import FacilitatorError
from facilitator.model.group import (
    AttendanceStatus,
    Facilitator,
    Group,
    Schedule,
    SlotKind,
    split_full_name,
)
from facilitator.paths import replaceable
from facilitator.scheduling import week_in_range
from facilitator.store import DB_NAME, Store, open_store
from facilitator.store.db import disk_full, folder_writable
from facilitator.workspace import Workspace

if TYPE_CHECKING:
    from facilitator.actions.roster import Erased

STATUS_CODES = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.LEFT_EARLY: "LE",
    AttendanceStatus.EXCUSED: "EX",
    AttendanceStatus.ABSENT: "A",
}


DATE, TIME, DATETIME = params.DATE, params.TIME, params.DATETIME


def _store(ws: Workspace) -> Store:
    try:
        store = open_store(ws.data_dir)
    except FacilitatorError:
        # A read-only data folder (a read-only mount) or a full disk: reading commands work;
        # any command that writes then says "read-only" on one line and changes nothing.
        path = ws.data_dir / DB_NAME
        if not path.is_file() or (folder_writable(ws.data_dir) and not disk_full(path)):
            raise
        store = open_store(ws.data_dir, readonly=True)
    click.get_current_context().call_on_close(store.close)
    return store


def _echo(text: str, err: bool = False) -> None:
    """One line of output; any line break inside a value shows as an escape."""
    click.echo(formatting.line(text), err=err)


def _interactive() -> bool:
    return sys.stdin.isatty()


# -- groups ------------------------------------------------------------------------------------


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
    from facilitator.store.setup import create_from_curriculum

    people = [Facilitator(facilitator_name, facilitator_email)] if facilitator_name else []
    created = create_from_curriculum(
        _store(ws),
        ws.library,
        name=name,
        facilitators=people,
        first_date=options.pop("start"),
        skip_dates=skip,
        timezone=options.pop("tz"),
        curriculum_id=options.pop("curriculum"),
        **options,
    )
    _echo(f"created group {created.id} '{created.name}' ({created.curriculum_id})")


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
    from facilitator.store.setup import edit_group

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
    store = _store(ws)
    after, said = edit_group(store, store.find_group(group_ref).id, **changes)
    _echo(f"group {after.id} '{after.name}' saved")
    for line in said or ["nothing changed"]:
        _echo(f"  {line}")


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
        for g in _store(ws).groups()
    ]
    formatting.table(("ID", "NAME", "CURRICULUM", "FIRST", "TIME", "STATUS"), rows)


@group.command("show")
@click.argument("group_ref", metavar="GROUP")
@pass_workspace
def group_show(ws: Workspace, group_ref: str) -> None:
    """Show a group's settings."""
    store = _store(ws)
    g = store.find_group(group_ref)
    members = [p for p in store.participants(g.id) if p.left is None]
    click.echo(
        "\n".join(f"{k + ':':<16}{formatting.line(v)}" for k, v in _describe(g, len(members)))
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
    store = _store(ws)
    cancelled = store.cancel_group(store.find_group(group_ref).id)
    _echo(f"cancelled group '{cancelled.name}' (calendar sequence {cancelled.calendar_sequence})")


# -- roster ------------------------------------------------------------------------------------


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
    store = _store(ws)
    person = store.enrol(
        store.find_group(group_ref).id,
        name,
        last_initial=initial,
        email=email,
        joined=joined,
        large_print=large_print,
    )
    _echo(f"added {person.sign_in_name} (id {person.id})")
    preferred, split = split_full_name(name)
    if split and not initial:  # a full name would print in full on the sign-in sheet
        _echo(
            f"warning: sign-in sheets will show '{person.preferred_name}' in full; to show only "
            f"the initial: facilitator roster edit {shlex.quote(group_ref)} {person.id} "
            f"--name {shlex.quote(preferred)} --initial {shlex.quote(split)}",
            err=True,
        )
    _warn_script(person.preferred_name, person.last_initial)


def _warn_script(name: str, initial: str) -> None:
    """Warn (stderr) when no installed font prints a name's script."""
    from facilitator.actions.roster import script_warning

    warning = script_warning(name, initial)
    if warning:
        _echo(f"warning: {warning}", err=True)


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
    store = _store(ws)
    found = store.find_participant(store.find_group(group_ref).id, person)
    after = store.update_participant(
        found.id, preferred_name=name, last_initial=initial, email=email, large_print=large_print
    )
    changes = [
        f"{what} {before!r} -> {now!r}"
        for what, before, now in (
            ("name", found.preferred_name, after.preferred_name),
            ("initial", found.last_initial, after.last_initial),
            ("e-mail", found.email, after.email),
            ("large print", found.large_print, after.large_print),
        )
        if before != now
    ]
    _echo(f"participant {after.id} ({after.sign_in_name}): " + ("; ".join(changes) or "unchanged"))
    _warn_script(after.preferred_name, after.last_initial)


@roster.command("list")
@click.argument("group_ref", metavar="GROUP")
@pass_workspace
def roster_list(ws: Workspace, group_ref: str) -> None:
    """List the participants, including those who left."""
    store = _store(ws)
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
        for p in store.participants(store.find_group(group_ref).id)
    ]
    formatting.table(("ID", "NAME", "EMAIL", "JOINED", "LEFT", "NEEDS", "FILES"), rows)


@roster.command("leave")
@click.argument("group_ref", metavar="GROUP")
@click.argument("person")
@click.option("--on", "on", callback=DATE, required=True, help="Last membership ends on this date.")
@pass_workspace
def roster_leave(ws: Workspace, group_ref: str, person: str, on: date) -> None:
    """End a membership (the person stays in past attendance)."""
    store = _store(ws)
    found = store.find_participant(store.find_group(group_ref).id, person)
    _echo(f"{store.leave(found.id, on).sign_in_name} left on {on}")


@roster.command("erase")
@click.argument("group_ref", metavar="GROUP")
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def roster_erase(ws: Workspace, group_ref: str, person: str, yes: bool) -> None:
    """Erase a person entirely: name, attendance, notes and every file that names them
    (printouts that list the group too: print them again). Backups still hold them."""
    from facilitator.actions.roster import erase

    store = _store(ws)
    found = store.find_participant(store.find_group(group_ref).id, person)
    if not yes:
        if not _interactive():
            raise FacilitatorError("erasing needs confirmation: run it at a terminal or add --yes")
        click.confirm(
            formatting.line(
                f"Erase {found.sign_in_name} (id {found.id}), all their attendance and notes, "
                "and every file that names them?"
            ),
            abort=True,
        )
    for line in erase_report(erase(ws, store, found.id)):
        _echo(line)


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


# -- schedule ----------------------------------------------------------------------------------


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
    store = _store(ws)
    g = store.find_group(group_ref)
    titles = [t or s for s, t in store.session_weeks(g.id)]
    formatting.table(
        ("WEEK", "DATE", "TIME", "STATUS", "SESSION"), _schedule_rows(store.schedule(g.id), titles)
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
    store = _store(ws)
    g = store.find_group(group_ref)
    plan = ws.library.plan(session_id)
    old_id, old_title = store.use_session(g.id, week, plan.id, plan.title)
    _echo(f"week {week}: {plan.title} ({plan.id}) instead of {old_title or old_id} ({old_id})")
    entry = ws.library.curricula.get(g.curriculum_id)
    weeks = entry.model.weeks if entry else ()
    alternates = next((w.alternates for w in weeks if w.number == week), ())
    if plan.id not in alternates and plan.id != old_id:
        _echo(f"note: {plan.id} is not one of the curriculum's alternates for week {week}")
    _echo("the facilitators' invitations changed: export them again to send the update")


@schedule.command("move")
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=params.WEEK)
@click.option("--to", "to", callback=DATETIME, required=True, help="'YYYY-MM-DD HH:MM' local time.")
@pass_workspace
def schedule_move(ws: Workspace, group_ref: str, week: int, to: datetime) -> None:
    """Move one meeting to another date and time."""
    store = _store(ws)
    g = store.find_group(group_ref)
    moved = store.move_meeting(g.id, week, to).meeting(week)
    _echo(f"week {week} moved to {moved.start:%Y-%m-%d %H:%M %Z}")


@schedule.command("cancel")
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=params.WEEK)
@click.option("--drop", is_flag=True, help="Drop the session instead of pushing the rest on.")
@pass_workspace
def schedule_cancel(ws: Workspace, group_ref: str, week: int, drop: bool) -> None:
    """Cancel one meeting: later sessions move one week on (or, with --drop, it is dropped)."""
    store = _store(ws)
    plan = store.cancel_meeting(store.find_group(group_ref).id, week, drop=drop)
    last = plan.meetings[-1].start
    _echo(f"week {week} {'dropped' if drop else 'cancelled'}; last meeting {last:%Y-%m-%d}")


@schedule.command("skip")
@click.argument("group_ref", metavar="GROUP")
@click.argument("day", metavar="DATE", callback=DATE)
@pass_workspace
def schedule_skip(ws: Workspace, group_ref: str, day: date) -> None:
    """No meeting on DATE: the remaining sessions move one week on."""
    store = _store(ws)
    plan = store.skip_date(store.find_group(group_ref).id, day)
    _echo(f"skipped {day}; last meeting {plan.meetings[-1].start:%Y-%m-%d}")


# -- attendance and notes ----------------------------------------------------------------------


@click.command()
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=params.WEEK)
@click.option("--absent", multiple=True, metavar="P", help="Absent (repeatable).")
@click.option("--late", multiple=True, metavar="P", help="Came late (counts as attended).")
@click.option("--left-early", multiple=True, metavar="P", help="Left early (counts as attended).")
@click.option("--excused", multiple=True, metavar="P", help="Excused (left out of the rate).")
@click.option(
    "--clear", is_flag=True, help="Remove the week's roll (the meeting is then not held)."
)
@click.option("--yes", is_flag=True, help="Do not ask before taking a future meeting's roll.")
@pass_workspace
def attend(
    ws: Workspace, /, group_ref: str, week: int, clear: bool, yes: bool, **named: tuple[str, ...]
) -> None:
    """Take the roll of a meeting: everyone present except those named (or --clear it)."""
    store = _store(ws)
    g = store.find_group(group_ref)
    if clear:
        if any(named.values()):
            raise FacilitatorError(
                "--clear removes the whole roll; it takes no --absent/--late/..."
            )
        _echo(f"cleared week {week}'s roll ({store.clear_roll(g.id, week)} mark(s) removed)")
        return
    exceptions: dict[int, AttendanceStatus] = {}
    for kind, refs in named.items():
        for ref in refs:
            person = store.find_participant(g.id, ref)
            status = AttendanceStatus(kind.replace("_", "-"))
            earlier = exceptions.setdefault(person.id, status)
            if earlier is not status:
                raise FacilitatorError(
                    f"{person.sign_in_name} is given two marks: --{earlier.value} and "
                    f"--{status.value}; give each person one"
                )
    plan = store.schedule(g.id)
    week_in_range(week, len(plan.meetings))
    meeting = plan.meeting(week)
    if meeting.start.date() > datetime.now(meeting.start.tzinfo).date() and not yes:
        question = f"week {week} meets on {meeting.start:%Y-%m-%d}, in the future"
        if not _interactive():
            raise FacilitatorError(f"{question}; add --yes to take its roll now")
        click.confirm(f"{question}. Take its roll now?", abort=True)
    marks = store.mark_roll(g.id, week, exceptions)
    counts = {s: sum(m.status is s for m in marks) for s in AttendanceStatus}
    _echo(f"saved week {week}: " + ", ".join(f"{n} {s.value}" for s, n in counts.items() if n))


@click.command()
@click.argument("group_ref", metavar="GROUP")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this CSV file (notes are never included).",
)
@pass_workspace
def attendance(ws: Workspace, group_ref: str, csv_path: Path | None) -> None:
    """Attendance matrix: participant x week, rate, completion and at-risk."""
    store = _store(ws)
    group_id = store.find_group(group_ref).id
    if csv_path is not None:
        from facilitator.exports import attendance_csv

        if not csv_path.parent.is_dir():  # a typo in the folder must not become a new folder
            raise FacilitatorError(f"{csv_path.parent}: no such folder for the CSV file")
        replaceable(csv_path)
        _echo(f"wrote {attendance_csv(store, group_id, csv_path)}")
        return
    summary = store.summary(group_id)
    rows = [
        (
            r.participant.sign_in_name,
            *(STATUS_CODES[r.marks[w]] if w in r.marks else "·" for w in summary.weeks),
            "-" if r.rate is None else f"{r.rate:.0%}",
            r.completion.value,
            "AT RISK" if r.at_risk else "",
        )
        for r in summary.rows
    ]
    formatting.table(
        ("NAME", *(f"W{w}" for w in summary.weeks), "RATE", "COMPLETION", "RISK"), rows
    )
    dropped = ", ".join(str(w) for w in summary.dropped)
    click.echo(
        f"meetings: {summary.held_text}" + (f"; week {dropped} cancelled" if dropped else "")
    )
    click.echo("P present, L late, LE left early, EX excused, A absent, · not a member")


@click.command()
@click.argument("group_ref", metavar="GROUP")
@click.argument("week", type=params.WEEK)
@click.argument("text")
@click.option("--participant", "person", metavar="P", help="A short note about one participant.")
@pass_workspace
def note(ws: Workspace, group_ref: str, week: int, text: str, person: str | None) -> None:
    """Save the note of a meeting (or about one participant at it)."""
    from facilitator.store import mentioned_members

    store = _store(ws)
    g = store.find_group(group_ref)
    about = store.find_participant(g.id, person).id if person else None
    current = store.note(g.id, week, about)
    saved = store.save_note(
        g.id, week, text, participant_id=about, expected_version=current.version if current else 0
    )
    if about is not None:
        for other in mentioned_members(text, store.participants(g.id), about):
            _echo(f"warning: this note names another member ({other.sign_in_name})", err=True)
    _echo(f"saved note for week {week} (version {saved.version})")
    if current is not None and current.text != saved.text:
        _echo(
            f"version {current.version} is kept: facilitator notes {shlex.quote(group_ref)} "
            f"--week {week} --history"
        )


@click.command()
@click.argument("group_ref", metavar="GROUP")
@click.option("--week", type=int, help="Only this week's notes.")
@click.option("--history", is_flag=True, help="Also every earlier version of each note.")
@pass_workspace
def notes(ws: Workspace, group_ref: str, week: int | None, history: bool) -> None:
    """The notes of a group's meetings, in full (and with --history their earlier versions)."""
    store = _store(ws)
    g = store.find_group(group_ref)
    if week is not None:
        week_in_range(week, len(store.schedule(g.id).meetings))
    names = {p.id: p.sign_in_name for p in store.participants(g.id)}
    earlier = store.note_history(g.id) if history else []
    shown = [n for n in store.notes(g.id) if week is None or n.week == week]
    if not shown:
        _echo("no notes" + (f" for week {week}" if week is not None else ""))
    for n in sorted(shown, key=lambda n: (n.week, n.participant_id or 0)):
        about = "group" if n.participant_id is None else names.get(n.participant_id, "")
        _echo(f"week {n.week} · {about} · version {n.version}")
        _echo(_indent(n.text))
        for old in (o for o in earlier if (o.week, o.participant_id) == (n.week, n.participant_id)):
            _echo(
                f"  earlier: version {old.version}, replaced {old.replaced_at:%Y-%m-%d %H:%M} UTC"
            )
            _echo(_indent(old.text, "    "))


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines() or [""])


# -- backup, restore, demo ---------------------------------------------------------------------


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_workspace
def backup(ws: Workspace, file: Path) -> None:
    """Copy the database to FILE (private, checked). It keeps erased names: store it safely."""
    _echo(f"backed up to {_store(ws).backup(file)}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_workspace
def restore(ws: Workspace, file: Path) -> None:
    """Replace the data with a backup; the current data is kept aside first."""
    aside = ws.data_dir / f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    _echo(f"restored {file}; the previous data is kept in {_store(ws).restore(file, aside)}")


@click.command()
@click.option("--quiet", is_flag=True, help="Print nothing unless something goes wrong.")
@pass_workspace
def demo(ws: Workspace, quiet: bool) -> None:
    """Create a demo group with invented participants (does nothing if it exists)."""
    from facilitator.demo import create_demo

    created = create_demo(_store(ws), ws.library, date.today())
    if not quiet:
        _echo(
            f"created '{created.name}' (id {created.id})"
            if created
            else "the demo group already exists"
        )


@click.command()
@click.argument("group_ref", metavar="[GROUP]", required=False)
@click.option("--limit", type=params.ROWS, default=20, help="How many rows to show.")
@click.option("--verify", "verify_only", is_flag=True, help="Only check the hash chain.")
@click.option("--every-save", is_flag=True, help="List each live-runner save on its own row.")
@pass_workspace
def audit(
    ws: Workspace, group_ref: str | None, limit: int, verify_only: bool, every_save: bool
) -> None:
    """Who changed what and when (for one GROUP, or everything), and a check of the log's keyed
    hash chain, its ids and the head recorded outside the file (exit 1 saying what is wrong)."""
    store = _store(ws)
    if not verify_only:
        gid = store.find_group(group_ref).id if group_ref else None
        rows = [
            (
                str(r["id"]),
                r["at"][:19],
                r["actor"],
                r["tbl"],
                str(r["row_id"]),
                r["action"],
                r["changes"],
            )
            for r in (
                store.audit_log(limit, group_id=gid)
                if every_save
                else _fold_runner_saves(store.audit_log(limit * 50, group_id=gid))[:limit]
            )
        ]
        formatting.table(("ID", "WHEN (UTC)", "WHO", "TABLE", "ROW", "ACTION", "CHANGES"), rows)
    checked = store.audit_check()
    if not checked.intact:
        raise click.ClickException(checked.summary())
    for note_text in checked.notes:
        click.echo(f"note: {note_text}", err=True)
    click.echo(
        f"audit log intact ({checked.rows} rows; keyed hash chain verified, no ids missing, "
        "head as recorded)"
    )


def _fold_runner_saves(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive live-runner saves of one meeting (one per transition) as one row."""
    out: list[dict[str, Any]] = []
    count = 0
    for row in rows:  # newest first
        last = out[-1] if out else None
        same = (
            last is not None
            and row["tbl"] == last["tbl"] == "meeting_runs"
            and row["action"] == "update"
            and last["action"].startswith("update")
            and row["row_id"] == last["row_id"]
        )
        if not same:
            out.append(dict(row))
            count = 1
            continue
        assert last is not None
        count += 1
        first_at = row["at"][11:19]
        last["action"] = f"update x{count}"
        last["changes"] = f"{count} live-runner saves, {first_at} to {last['at'][11:19]} UTC"
    return out


COMMANDS = [
    group,
    roster,
    schedule,
    attend,
    attendance,
    note,
    notes,
    backup,
    restore,
    demo,
    audit,
]
