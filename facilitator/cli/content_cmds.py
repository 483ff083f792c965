"""Content commands: validate, curricula, handouts, show."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.actions import content
from facilitator.cli import formatting, params, pass_workspace
from facilitator.workspace import Workspace


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_workspace
def validate(ws: Workspace, paths: tuple[Path, ...]) -> int:
    """Check content files; print every problem as path:line: key: message.

    With PATHs, only problems in those files or folders are shown (references still resolve
    against all content). Exit status: 0 clean, 1 problems found, 2 usage error.
    """
    found = content.validate(ws, paths)
    for problem in found.problems:
        click.echo(formatting.line(str(problem)))
    counts = (
        f"{found.curricula} curricula, {found.sessions} session plans, {found.handouts} handouts"
    )
    if found.problems:
        click.echo(f"{len(found.problems)} problem(s) found ({counts} loaded).", err=True)
        return 1
    click.echo(f"No problems: {counts}.")
    return 0


@click.command()
@pass_workspace
def curricula(ws: Workspace) -> None:
    """List the curricula: id, title, weeks and minutes per meeting."""
    rows = [
        (c.model.id, c.model.title, str(len(c.model.weeks)), str(c.model.meeting_minutes))
        for c in sorted(ws.library.curricula.values(), key=lambda e: e.model.id)
    ]
    formatting.table(("ID", "TITLE", "WEEKS", "MINUTES"), rows)
    formatting.problem_hint(ws.library)


@click.command()
@pass_workspace
def handouts(ws: Workspace) -> None:
    """List the handouts: id, title and the plans that use them."""
    usage = ws.library.handout_usage()
    rows = [
        (h.model.id, h.model.title, ", ".join(usage.get(h.model.id, [])) or "(unused)")
        for h in sorted(ws.library.handouts.values(), key=lambda e: e.model.id)
    ]
    formatting.table(("ID", "TITLE", "USED BY"), rows)
    formatting.problem_hint(ws.library)


@click.command()
@click.argument("curriculum")
@click.option("--week", type=params.WEEK, help="Show only this week.")
@click.option("--brief", is_flag=True, help="Agenda outline only, without scripts.")
@pass_workspace
def show(ws: Workspace, curriculum: str, week: int | None, brief: bool) -> None:
    """Show a curriculum week by week: agenda with minutes and offsets, scripts, handouts."""
    library = ws.library
    model = library.curriculum(curriculum)
    weeks = [w for w in model.weeks if week is None or w.number == week]
    if not weeks:
        raise click.BadParameter(f"week {week} of {len(model.weeks)}", param_hint="'--week'")
    click.echo(formatting.literal(formatting.curriculum_header(model)))
    for w in weeks:
        click.echo(formatting.literal(formatting.week_text(library, w, brief=brief)))
    if week is None and model.follow_ups:
        click.echo(formatting.literal(formatting.follow_ups_text(library, model)))


COMMANDS = [validate, curricula, handouts, show]
