"""Encryption at rest, an optional extra (``pip install facilitator[encrypted]``): SQLCipher
through ``sqlcipher3``. The passphrase comes from ``$FACILITATOR_PASSPHRASE`` or a prompt that
the front end registers, never from the command line (it would sit in shell history and in
every other user's ``ps``)."""

from __future__ import annotations

import getpass
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from facilitator.errors import FacilitatorError
from facilitator.text import visible

PASSPHRASE_ENV = "FACILITATOR_PASSPHRASE"  # noqa: S105 (the variable's name)
SQLITE_HEADER = b"SQLite format 3\x00"

Prompt = Callable[[str], "str | None"]
_prompt: Prompt | None = None
_driver: ModuleType | None = None


def set_prompt(prompt: Prompt | None) -> None:
    """Register how to ask for a passphrase (hidden input); None: never ask."""
    global _prompt
    _prompt = prompt


def _ask_terminal(message: str) -> str | None:
    """Ask on the terminal without echo (getpass reads /dev/tty, not the command line)."""
    try:
        # getpass writes to /dev/tty, past the CLI's gate: the path in it is escaped here
        return getpass.getpass(f"{visible(message)}: ")
    except (EOFError, KeyboardInterrupt):
        return None


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that is not a plain SQLite database."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


def wants_encryption() -> bool:
    """A new database is created encrypted when a passphrase is in the environment."""
    return bool(os.environ.get(PASSPHRASE_ENV))


def passphrase(path: Path) -> str:
    """The passphrase for an encrypted ``path``: the environment, else the registered prompt."""
    given = os.environ.get(PASSPHRASE_ENV)
    prompt = _prompt or (_ask_terminal if sys.stdin is not None and sys.stdin.isatty() else None)
    if not given and prompt is not None:
        given = prompt(f"Passphrase for {path}")
    if not given:
        raise FacilitatorError(
            f"{path} is encrypted: set {PASSPHRASE_ENV} or run at a terminal "
            "to be asked for the passphrase"
        )
    return given


def driver() -> ModuleType:
    """The ``sqlcipher3`` module, or a clear message if the extra is not installed."""
    global _driver
    if _driver is None:
        try:
            _driver = importlib.import_module("sqlcipher3")
        except ImportError:
            raise FacilitatorError(
                "encrypted databases need the 'encrypted' extra: "
                "pip install 'facilitator[encrypted]'"
            ) from None
    return _driver


def available() -> bool:
    """Whether SQLCipher can be used here."""
    try:
        driver()
    except FacilitatorError:
        return False
    return True


def errors() -> tuple[type[Exception], ...]:
    """The database error classes in play (sqlite3's, and SQLCipher's once it is loaded)."""
    if _driver is None:
        return (sqlite3.Error,)
    return (sqlite3.Error, _driver.Error)


def unlock(conn: object, secret: str, path: Path) -> None:
    """Key a fresh SQLCipher connection and prove the key opens the file."""
    execute = conn.execute  # type: ignore[attr-defined]
    execute("PRAGMA cipher_log_level = NONE")  # SQLCipher would write errors over the screen
    quoted = secret.replace("'", "''")
    execute(f"PRAGMA key = '{quoted}'")
    try:
        execute("SELECT count(*) FROM sqlite_schema").fetchone()
    except driver().DatabaseError:
        raise FacilitatorError(
            f"{path}: wrong passphrase (or not a facilitator database); nothing was opened"
        ) from None
