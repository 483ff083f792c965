"""Content commands: validate, curricula, handouts, show."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.cli import formatting, params, pass_workspace
from facilitator.content import ContentRoot, load_library
from facilitator.workspace import Workspace


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@pass_workspace
def validate(ws: Workspace, paths: tuple[Path, ...]) -> int:
    """Check content files; print every problem as path:line: key: message.

    With PATHs, only problems in those files or folders are shown (references still resolve
    against all content). Exit status: 0 clean, 1 problems found, 2 usage error.
    """
    roots = ws.content_roots()
    known = [root.path.resolve() for root in roots]
    extra = [ContentRoot(p) for p in paths if not _inside(_where(p), known)]
    library = load_library(roots + extra)
    wanted = [_where(p) for p in paths]
    problems = [p for p in library.problems if not wanted or _inside(_where(Path(p.path)), wanted)]
    for problem in problems:
        click.echo(formatting.line(str(problem)))
    counts = (
        f"{len(library.curricula)} curricula, {len(library.sessions)} session plans, "
        f"{len(library.handouts)} handouts"
    )
    if problems:
        click.echo(f"{len(problems)} problem(s) found ({counts} loaded).", err=True)
        return 1
    click.echo(f"No problems: {counts}.")
    return 0


def _where(path: Path) -> Path:
    """Where ``path`` lives: its folder resolved, its own name kept (a content file that is a
    link to a device is still reported under the folder it sits in)."""
    return path.parent.resolve() / path.name if path.name else path.resolve()


def _inside(path: Path, folders: list[Path]) -> bool:
    return any(path == folder or folder in path.parents for folder in folders)


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
