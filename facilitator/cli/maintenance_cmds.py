"""Back up and restore the data, create the demo group, read and check the audit log
(``backup``, ``restore``, ``demo``, ``audit``)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from facilitator.actions import data, groups
from facilitator.cli import formatting, params, pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.workspace import Workspace


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_workspace
def backup(ws: Workspace, file: Path) -> None:
    """Copy the database to FILE (private, checked). It keeps erased names: store it safely."""
    echo(f"backed up to {data.backup(store_of(ws), file)}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_workspace
def restore(ws: Workspace, file: Path) -> None:
    """Replace the data with a backup; the current data is kept aside first."""
    aside = data.restore(ws, store_of(ws), file, datetime.now())
    echo(f"restored {file}; the previous data is kept in {aside}")


@click.command()
@click.option("--quiet", is_flag=True, help="Print nothing unless something goes wrong.")
@pass_workspace
def demo(ws: Workspace, quiet: bool) -> None:
    """Create a demo group with invented participants (does nothing if it exists)."""
    from facilitator.actions import demo as demo_actions

    created = demo_actions.create(ws, store_of(ws), date.today())
    if not quiet:
        echo(
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
    store = store_of(ws)
    if not verify_only:
        gid = groups.find(store, group_ref).id if group_ref else None
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
            for r in data.audit_rows(store, limit, group_id=gid, every_save=every_save)
        ]
        formatting.table(("ID", "WHEN (UTC)", "WHO", "TABLE", "ROW", "ACTION", "CHANGES"), rows)
    checked = data.audit_check(store)
    if not checked.intact:
        raise click.ClickException(checked.summary())
    for note_text in checked.notes:
        click.echo(f"note: {note_text}", err=True)
    click.echo(checked.verdict())


COMMANDS = [backup, restore, demo, audit]
