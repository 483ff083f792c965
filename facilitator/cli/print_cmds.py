"""Print commands: weekly print runs, make-up packs, workbooks, reports, single handouts.

reportlab is imported inside the commands only, so other commands stay fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from facilitator.cli import formatting, params, pass_workspace, terminal
from facilitator.workspace import Workspace

if TYPE_CHECKING:
    from facilitator.outputs.pdf.course import Course
    from facilitator.outputs.pdf.document import PrintOptions
    from facilitator.outputs.pdf.runs import Job
    from facilitator.store import Store


def _print_options(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option(
            "--paper",
            type=click.Choice(["letter", "a4"]),
            help="Paper size (default: from settings, else the locale's usual size).",
        ),
        click.option("--large-print", is_flag=True, help="18 pt, 1.5 spacing, no italics."),
        click.option("--fillable", is_flag=True, help="Add form fields for typed answers."),
        click.option(
            "--duplex/--no-duplex",
            default=None,
            help="Printing on both sides: each person's pages start on the front of a sheet "
            "(default: 'duplex' in settings, else off).",
        ),
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            help="Folder to write to (default: prints/ in the data folder).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar, no file list."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _options(
    ws: Workspace, paper: str | None, large: bool, fillable: bool, duplex: bool | None
) -> PrintOptions:
    from facilitator.outputs.pdf.document import PrintOptions

    settings = ws.settings
    return PrintOptions(
        paper or settings.effective_paper(),
        large or settings.large_print,
        fillable,
        settings.duplex if duplex is None else duplex,
    )


def run_jobs(
    store: Store, jobs: Sequence[Job], out: Path, quiet: bool, group_id: int | None = None
) -> list[Path]:
    """Make, record (output ledger) and write each file (0600, atomically), with a progress
    bar on a terminal.

    Big runs use a second process (see :func:`facilitator.outputs.pdf.runs.make_all`); files
    are still written in order, each as soon as it and those before it are made.
    """
    from facilitator.exports import write_jobs

    show = not quiet and sys.stderr.isatty() and len(jobs) > 1
    bar: Any
    with click.progressbar(
        length=len(jobs),
        label="Printing",
        file=terminal.raw(sys.stderr),  # the bar's own redraws; its labels are file names
        hidden=not show,
        item_show_func=lambda name: name or "",
    ) as bar:
        written = write_jobs(
            store,
            jobs,
            out,
            group_id=group_id,
            parallel=True,
            progress=lambda done, total, name: bar.update(1, name),
        )
    if not quiet:
        for path in written:
            click.echo(formatting.line(str(path)))
    return written


def load_course(ws: Workspace, ref: str) -> tuple[Course, Store]:
    """Gather a group's course from the store and the content library."""
    from facilitator import exports
    from facilitator.store import open_store

    store = open_store(ws.data_dir, url=ws.database_url)
    click.get_current_context().call_on_close(store.close)
    group = store.find_group(ref)
    return exports.course(store, ws.library, ws.settings, group), store


@click.command(name="print")
@click.argument("group")
@click.option("--week", type=params.WEEK, help="Guide and packet for this week.")
@click.option(
    "--makeup", type=params.WEEK, metavar="WEEK", help="Catch-up packs for who missed WEEK."
)
@click.option(
    "--workbook",
    is_flag=True,
    help="The whole course's workbook: everyone's in one file (with --per-participant: "
    "a blank one and one file each).",
)
@click.option(
    "--course",
    "whole_course",
    is_flag=True,
    help="Everything for the whole course at once: the workbook, and each week's guide and "
    "sign-in sheet.",
)
@click.option("--report", is_flag=True, help="The facilitator's record of the course so far.")
@click.option(
    "--with-notes",
    is_flag=True,
    help="With --report: add each meeting's group note (quick notes from the live runner too).",
)
@click.option(
    "--spares",
    type=click.IntRange(0, 50),
    default=None,
    help="Blank worksheet sets at the end of the packet (default 2) or blank "
    "workbooks at the end of the workbook (default 1).",
)
@click.option(
    "--per-participant", is_flag=True, help="One file per participant instead (--week, --workbook)."
)
@click.option(
    "--accessible",
    is_flag=True,
    help="With --week N or --workbook: one HTML file per participant for screen readers "
    "(headings, lists, labelled form fields) instead of PDFs.",
)
@_print_options
@pass_workspace
def print_(
    ws: Workspace,
    group: str,
    week: int | None,
    makeup: int | None,
    workbook: bool,
    whole_course: bool,
    report: bool,
    with_notes: bool,
    spares: int | None,
    per_participant: bool,
    accessible: bool,
    paper: str | None,
    large_print: bool,
    fillable: bool,
    duplex: bool | None,
    out: Path | None,
    quiet: bool,
) -> None:
    """Print a week's guide and packet, catch-up packs, the workbook, the whole course or the
    course record."""
    chosen = [week is not None, makeup is not None, workbook, whole_course, report]
    if sum(chosen) != 1:
        raise click.UsageError("choose one of --week N, --makeup N, --workbook, --course, --report")
    if with_notes and not report:
        raise click.UsageError("--with-notes goes with --report")
    if per_participant and not (week is not None or workbook):
        raise click.UsageError("--per-participant goes with --week N or --workbook")
    if accessible and not (week is not None or workbook):
        raise click.UsageError("--accessible goes with --week N or --workbook")
    options = _options(ws, paper, large_print, fillable, duplex)
    from facilitator.outputs.pdf import runs

    course, store = load_course(ws, group)
    for line in runs.font_warnings(course):
        click.echo(line, err=True)
    if accessible and week is not None:
        jobs = runs.accessible_week_jobs(course, week, options)
    elif accessible:
        jobs = runs.accessible_workbook_jobs(course, options)
    elif week is not None:
        jobs = runs.week_jobs(
            course,
            week,
            options,
            spares=2 if spares is None else spares,
            per_participant=per_participant,
        )
    elif makeup is not None:
        jobs = runs.makeup_jobs(course, makeup, options)
    elif workbook:
        jobs = runs.workbook_jobs(
            course, options, per_participant=per_participant, spares=1 if spares is None else spares
        )
    elif whole_course:
        jobs = runs.course_jobs(course, options, spares=1 if spares is None else spares)
    else:
        from dataclasses import replace

        from facilitator.exports import meeting_notes, timings

        if with_notes:  # notes are never in a default print
            course = replace(course, notes=meeting_notes(store, course.group.id))
        jobs = runs.report_jobs(
            course, store.summary(course.group.id), options, timings(store, course.group.id)
        )
    if not jobs and not quiet:
        why = (
            "nobody missed that meeting"
            if makeup is not None
            else "no current participants, and --spares 0"
        )
        click.echo(f"Nothing to print: {why}.", err=True)
    from facilitator.exports import prints_dir

    folder = out or prints_dir(ws.data_dir, course.group.id)
    run_jobs(store, jobs, folder, quiet, course.group.id)


@click.command(name="print-handout")
@click.argument("handout_id")
@_print_options
@pass_workspace
def print_handout(
    ws: Workspace,
    handout_id: str,
    paper: str | None,
    large_print: bool,
    fillable: bool,
    duplex: bool | None,
    out: Path | None,
    quiet: bool,
) -> None:
    """Print one blank handout."""
    options = _options(ws, paper, large_print, fillable, duplex)
    from facilitator.outputs.pdf.runs import handout_job
    from facilitator.outputs.pdf.worksheet import SheetValues

    entry = ws.library.handouts.get(handout_id)
    handout = ws.library.handout(handout_id)
    values = SheetValues(support_lines=ws.settings.effective_support_lines())
    job = handout_job(handout, options, values, entry.shown if entry else "")
    from facilitator.store import open_store

    store = open_store(ws.data_dir, url=ws.database_url)
    click.get_current_context().call_on_close(store.close)
    run_jobs(store, [job], out or ws.data_dir / "prints" / "handouts", quiet)


COMMANDS = [print_, print_handout]
