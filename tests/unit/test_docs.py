"""Docs that are tested: the README lists every command, docs/ARCHITECTURE.md names every module
of the package and only modules that exist, and every documented setting is one the code reads
and uses."""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "facilitator"


def _section(path: Path, heading: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _commands(group: click.Group, ctx: click.Context, prefix: str = "") -> Iterator[str]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        full = f"{prefix} {name}".strip()
        yield full
        if isinstance(command, click.Group):
            yield from _commands(command, click.Context(command, parent=ctx), full)


WORD = re.compile(r"\[?[a-z][a-z-]*(/[a-z][a-z-]*)*\]?")


def _documented(span: str) -> set[str]:
    """Command paths a code span shows: ``roster add/list GROUP`` -> roster, roster add,
    roster list; ``schedule [show] GROUP`` -> schedule, schedule show."""
    words = []
    for token in span.removeprefix("facilitator ").split():
        if not WORD.fullmatch(token):
            break
        optional = token.startswith("[")
        choices = token.strip("[]").split("/")
        words.append([*choices, ""] if optional else choices)
    paths = set()
    for combo in itertools.product(*words):
        chosen = [w for w in combo if w]
        paths.update(" ".join(chosen[: n + 1]) for n in range(len(chosen)))
    return paths


def test_every_cli_command_is_in_the_readme() -> None:
    from facilitator.cli import cli

    table = _section(ROOT / "README.md", "## Commands")
    documented = set().union(*(_documented(s) for s in re.findall(r"`([^`]+)`", table)))
    commands = set(_commands(cli, click.Context(cli)))
    assert {"roster erase", "schedule move", "invites send", "print"} <= commands
    assert sorted(commands - documented) == []


def _module_map() -> list[Path]:
    """Every file and folder docs/ARCHITECTURE.md's module map names: a folder line
    (``store/``) and the leading file names of a line (``a.py b.py   what they do``), each
    under the folder line it is indented under."""
    text = _section(ROOT / "docs" / "ARCHITECTURE.md", "## Module map")
    tree = text.split("```text", 1)[1].split("```", 1)[0]
    folders: list[tuple[int, Path]] = []  # (indent, path) of the enclosing folders
    named = []
    for line in tree.splitlines():
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        folders = [(i, p) for i, p in folders if i < indent]
        here = folders[-1][1] if folders else ROOT
        tokens = line.split()
        if tokens[0].endswith("/"):
            folder = here / tokens[0].rstrip("/")
            named.append(folder)
            folders.append((indent, folder))
            continue
        # "a.py b.py c.py   what they do": every leading file name on the line
        for token in tokens:
            if not re.fullmatch(r"[\w.]+\.(py|tcss)", token):
                break
            named.append(here / token)
    return named


def test_every_module_architecture_names_exists() -> None:
    named = _module_map()
    assert len(named) > 40
    missing = [str(p.relative_to(ROOT)) for p in named if not p.exists()]
    assert missing == []


def test_every_module_is_in_architecture() -> None:
    """The other direction: every module of the package is on the map, by its file name on a
    line under its folder's line (a package's ``__init__.py`` is its folder line)."""
    named = set(_module_map())
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 60
    unlisted = [
        str(path.relative_to(ROOT))
        for path in modules
        if path not in named and not (path.name == "__init__.py" and path.parent in named)
    ]
    assert unlisted == []


def test_every_documented_setting_is_read_and_used() -> None:
    """The settings file in docs/SETTINGS.md loads, and every top-level setting it shows is
    used by code outside the settings module (none documented but ignored)."""
    doc = (ROOT / "docs" / "SETTINGS.md").read_text(encoding="utf-8")
    raw = tomllib.loads(doc.split("```toml", 1)[1].split("```", 1)[0])
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "config.py"
    )
    config = (PACKAGE / "config.py").read_text(encoding="utf-8")
    methods = dict(
        re.findall(r"\n    def (\w+)\(self[^\n]*\n(.*?)(?=\n    def |\n\n\n)", config, re.S)
    )

    def used(key: str) -> bool:
        via = [name for name, body in methods.items() if f"self.{key}" in body]
        return any(re.search(rf"\.{name}\b", code) for name in [key, *via])

    unused = [key for key in raw if not used(key)]
    assert unused == []


def test_documented_settings_file_loads(tmp_path: Path) -> None:
    from facilitator.config import load_settings

    doc = (ROOT / "docs" / "SETTINGS.md").read_text(encoding="utf-8")
    example = doc.split("```toml", 1)[1].split("```", 1)[0]
    (tmp_path / "settings.toml").write_text(example, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.smtp.host == "smtp.example.org"
