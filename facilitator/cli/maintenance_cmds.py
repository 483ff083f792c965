"""Back up and restore the data, create the demo group, read and check the audit log
(``backup``, ``restore``, ``demo``, ``audit``)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from facilitator.cli import formatting, params, pass_workspace
from facilitator.cli.common import echo, store_of
from facilitator.workspace import Workspace


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_workspace
def backup(ws: Workspace, file: Path) -> None:
    """Copy the database to FILE (private, checked). It keeps erased names: store it safely."""
    echo(f"backed up to {store_of(ws).backup(file)}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_workspace
def restore(ws: Workspace, file: Path) -> None:
    """Replace the data with a backup; the current data is kept aside first."""
    aside = ws.data_dir / f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    echo(f"restored {file}; the previous data is kept in {store_of(ws).restore(file, aside)}")


@click.command()
@click.option("--quiet", is_flag=True, help="Print nothing unless something goes wrong.")
@pass_workspace
def demo(ws: Workspace, quiet: bool) -> None:
    """Create a demo group with invented participants (does nothing if it exists)."""
    from facilitator.demo import create_demo

    created = create_demo(store_of(ws), ws.library, date.today())
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
    click.echo(checked.verdict())


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


COMMANDS = [backup, restore, demo, audit]
