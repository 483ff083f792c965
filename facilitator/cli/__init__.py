"""The command line: ``facilitator`` opens the app; subcommands script everything else.

Commands stay thin: parse arguments, call the core, print. Heavy imports (textual, reportlab,
icalendar) happen inside the commands that need them, so ``--version`` and ``validate`` stay fast.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from pathlib import Path
from typing import Any

import click

from facilitator import __version__
from facilitator.cli import terminal
from facilitator.errors import FacilitatorError
from facilitator.text import visible
from facilitator.workspace import Workspace

pass_workspace = click.make_pass_decorator(Workspace)

# Subcommand name -> module defining it (in that module's COMMANDS list). Modules are imported
# only when their command runs, so `--version` and `validate` never pay for the PDF, calendar or
# database code.
LAZY_COMMANDS: dict[str, str] = {
    "validate": "content_cmds",
    "curricula": "content_cmds",
    "handouts": "content_cmds",
    "show": "content_cmds",
    "group": "group_cmds",
    "roster": "roster_cmds",
    "schedule": "schedule_cmds",
    "attend": "attendance_cmds",
    "attendance": "attendance_cmds",
    "note": "attendance_cmds",
    "notes": "attendance_cmds",
    "backup": "maintenance_cmds",
    "restore": "maintenance_cmds",
    "demo": "maintenance_cmds",
    "audit": "maintenance_cmds",
    "print": "print_cmds",
    "print-handout": "print_cmds",
    "invites": "invite_cmds",
    "clinic": "clinic_cmds",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = LAZY_COMMANDS.get(cmd_name)
        if module_name is None:
            return super().get_command(ctx, cmd_name)
        module = importlib.import_module(f"facilitator.cli.{module_name}")
        return next((c for c in module.COMMANDS if c.name == cmd_name), None)

    def invoke(self, ctx: click.Context) -> Any:
        # click turns a closed pipe into exit 1 on its own; ours is exit 0 (see main)
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise OutputClosed from exc


class OutputClosed(Exception):
    """The reader of our output went away (``facilitator ... | head``): not an error."""


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="FACILITATOR_DATA_DIR",
    help="Folder for the database and settings.",
)
@click.option(
    "--content",
    "content",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Another folder of content files (repeatable).",
)
@click.option(
    "--database",
    "database_url",
    metavar="URL",
    help="A postgresql:// database (a clinic's server) instead of the file in the data folder "
    "(default: $FACILITATOR_DATABASE_URL, else database_url in settings.toml).",
)
@click.version_option(
    __version__, "--version", prog_name="facilitator", message="%(prog)s %(version)s"
)
@click.pass_context
def cli(
    ctx: click.Context, data_dir: Path | None, content: tuple[Path, ...], database_url: str | None
) -> None:
    """Plan, run and document therapy and psychoeducation groups.

    Run without a command to open the app.
    """
    ctx.obj = Workspace.from_options(data_dir, content, database_url)
    if ctx.invoked_subcommand is None:
        from facilitator.tui import run_app

        with terminal.unguarded():
            run_app(ctx.obj)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one-line errors, exit 2 for usage and user errors, never a traceback.

    Everything printed passes the terminal gate (:mod:`facilitator.cli.terminal`).
    """
    os.umask(0o077)  # every file we write is private to the user (SAFETY.md rule 4)
    with terminal.guarded():
        code = _run(argv)
        code = _finish_output(code)
    sys.exit(code)


def _run(argv: list[str] | None) -> int:
    try:
        result: Any = cli.main(args=argv, prog_name="facilitator", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at interpreter exit
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return 2
    except click.UsageError as exc:
        hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        return _fail(f"{exc.format_message()}{hint}", 2)
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        return _fail("aborted", 130)
    except FacilitatorError as exc:
        return _fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except (BrokenPipeError, OutputClosed):
        return _quiet_stdout(0)  # the reader (e.g. `head`) has all it wanted
    except OSError as exc:
        # The terminal or a file the command wrote to failed under it (a full disk, /dev/full,
        # a folder that vanished): say what and where; nothing saved is affected.
        if exc.filename is None:  # writing to stdout itself failed
            _quiet_stdout(0)
            return _fail(f"cannot write the output: {exc.strerror or exc}", 2)
        return _fail(f"{exc.filename}: {exc.strerror or exc}", 2)
    except Exception as exc:  # the last line of defence: never show a traceback
        if os.environ.get("FACILITATOR_DEBUG"):
            raise
        return _fail(
            f"unexpected internal error ({type(exc).__name__}); nothing saved was lost. "
            "Run again with FACILITATOR_DEBUG=1 to see details.",
            70,
        )
    return result if isinstance(result, int) else 0


def _finish_output(code: int) -> int:
    """Flush what is left for stdout; a closed pipe is fine (exit as planned), a failed write is
    one line on stderr and exit 2."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _quiet_stdout(code)
    except OSError as exc:
        _quiet_stdout(code)
        return _fail(f"cannot write the output: {exc.strerror or exc}", 2)
    return code


def _quiet_stdout(code: int) -> int:
    """Point stdout at the null device so the interpreter's final flush cannot fail again (the
    Python documentation's advice for SIGPIPE); returns ``code``."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return code


def _fail(message: str, code: int) -> int:
    """Print ``message`` as one line on stderr (line breaks in it shown as escapes)."""
    with contextlib.suppress(OSError):
        click.echo(f"facilitator: error: {visible(message.strip())}", err=True)
    return code
