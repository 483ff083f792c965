"""Take the roll, show attendance, save and read notes (``attend``, ``attendance``,
``note``, ``notes``)."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime
from pathlib import Path

import click

from facilitator.actions import attendance as attendance_actions
from facilitator.actions import groups, roster
from facilitator.actions import notes as notes_actions
from facilitator.cli import common, formatting, params, pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.errors import FacilitatorError
from facilitator.model.group import AttendanceStatus
from facilitator.workspace import Workspace

STATUS_CODES = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.LEFT_EARLY: "LE",
    AttendanceStatus.EXCUSED: "EX",
    AttendanceStatus.ABSENT: "A",
}


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
    store = store_of(ws)
    g = groups.find(store, group_ref)
    if clear:
        if any(named.values()):
            raise FacilitatorError(
                "--clear removes the whole roll; it takes no --absent/--late/..."
            )
        removed = attendance_actions.clear_roll(store, g.id, week)
        echo(f"cleared week {week}'s roll ({removed} mark(s) removed)")
        return
    exceptions = attendance_actions.exceptions(
        store,
        g.id,
        [
            (AttendanceStatus(kind.replace("_", "-")), ref)
            for kind, refs in named.items()
            for ref in refs
        ],
    )
    meeting = attendance_actions.future_meeting(store, g.id, week, datetime.now(UTC))
    if meeting is not None and not yes:
        question = f"week {week} meets on {meeting.start:%Y-%m-%d}, in the future"
        if not common.interactive():
            raise FacilitatorError(f"{question}; add --yes to take its roll now")
        click.confirm(f"{question}. Take its roll now?", abort=True)
    marks = attendance_actions.take_roll(store, g.id, week, exceptions)
    counts = {s: sum(m.status is s for m in marks) for s in AttendanceStatus}
    echo(f"saved week {week}: " + ", ".join(f"{n} {s.value}" for s, n in counts.items() if n))


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
    store = store_of(ws)
    group_id = groups.find(store, group_ref).id
    if csv_path is not None:
        from facilitator.actions.exports import attendance_csv

        echo(f"wrote {attendance_csv(ws, store, group_id, csv_path)}")
        return
    summary = attendance_actions.summary(store, group_id)
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
    store = store_of(ws)
    g = groups.find(store, group_ref)
    about = roster.find(store, g.id, person).id if person else None
    done = notes_actions.save(store, g.id, week, text, participant_id=about)
    for other in done.names_others:
        echo(f"warning: this note names another member ({other.sign_in_name})", err=True)
    saved, current = done.note, done.earlier
    echo(f"saved note for week {week} (version {saved.version})")
    if current is not None and current.text != saved.text:
        echo(
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
    store = store_of(ws)
    g = groups.find(store, group_ref)
    shown = notes_actions.listing(store, g.id, week=week, with_history=history)
    if not shown:
        echo("no notes" + (f" for week {week}" if week is not None else ""))
    for item in sorted(shown, key=lambda s: (s.note.week, s.note.participant_id or 0)):
        n = item.note
        echo(f"week {n.week} · {item.about} · version {n.version}")
        echo(_indent(n.text))
        for old in item.earlier:
            echo(f"  earlier: version {old.version}, replaced {old.replaced_at:%Y-%m-%d %H:%M} UTC")
            echo(_indent(old.text, "    "))


def _indent(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines() or [""])


COMMANDS = [attend, attendance, note, notes]
