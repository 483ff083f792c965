"""Print commands: weekly print runs, make-up packs, workbooks, reports, single handouts.

reportlab is imported inside the commands only, so other commands stay fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from facilitator.actions import groups, printing
from facilitator.actions.printing import Paper, PrintRun
from facilitator.cli import formatting, params, pass_workspace, terminal
from facilitator.cli.common import store_of
from facilitator.workspace import Workspace

if TYPE_CHECKING:
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


def _paper(paper: str | None, large: bool, fillable: bool, duplex: bool | None) -> Paper:
    return Paper(paper, large, fillable, duplex)


def run_jobs(store: Store, run: PrintRun, quiet: bool) -> list[Path]:
    """Write a print run, with a progress bar on a terminal and the file list after.

    Big runs use a second process (see :func:`facilitator.outputs.pdf.runs.make_all`); files
    are still written in order, each as soon as it and those before it are made.
    """
    show = not quiet and sys.stderr.isatty() and run.count > 1
    bar: Any
    with click.progressbar(
        length=run.count,
        label="Printing",
        file=terminal.raw(sys.stderr),  # the bar's own redraws; its labels are file names
        hidden=not show,
        item_show_func=lambda name: name or "",
    ) as bar:
        written = printing.write(
            store, run, parallel=True, progress=lambda done, total, name: bar.update(1, name)
        )
    if not quiet:
        for path in written:
            click.echo(formatting.line(str(path)))
    return written


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
    store = store_of(ws)
    if week is not None:
        what, on = printing.What.WEEK, week
    elif makeup is not None:
        what, on = printing.What.MAKEUP, makeup
    else:
        what, on = _WHAT[(workbook, whole_course)], None
    run = printing.plan(
        ws,
        store,
        groups.find(store, group).id,
        what,
        week=on,
        paper=_paper(paper, large_print, fillable, duplex),
        spares=spares,
        per_participant=per_participant,
        accessible=accessible,
        with_notes=with_notes,
        out=out,
    )
    for line in run.warnings:
        click.echo(line, err=True)
    if not run.jobs and not quiet:
        click.echo(f"Nothing to print: {run.nothing_because}.", err=True)
    run_jobs(store, run, quiet)


_WHAT = {
    (True, False): printing.What.WORKBOOK,
    (False, True): printing.What.COURSE,
    (False, False): printing.What.REPORT,
}


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
    run = printing.plan_handout(
        ws, handout_id, paper=_paper(paper, large_print, fillable, duplex), out=out
    )
    run_jobs(store_of(ws), run, quiet)


COMMANDS = [print_, print_handout]
