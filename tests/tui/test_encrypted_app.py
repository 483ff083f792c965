"""The app on an encrypted store: unlocked before the screen is taken; a wrong passphrase is
one line on a clean terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from facilitator.errors import FacilitatorError
from facilitator.store import crypto
from facilitator.tui import _encrypted, _unlock
from facilitator.tui.app import make_app
from facilitator.tui.clock import FakeClock
from facilitator.workspace import Workspace
from tests.helpers import run_process
from tests.tui.conftest import BEFORE_WEEK_4, ready

pytest.importorskip("sqlcipher3", reason="the 'encrypted' extra is not installed")
SECRET = "a long passphrase nobody guesses"


@pytest.fixture
def encrypted(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv(crypto.PASSPHRASE_ENV, SECRET)
    assert run_process("demo", "--quiet").code == 0
    monkeypatch.delenv(crypto.PASSPHRASE_ENV)
    crypto.set_prompt(None)
    ws = Workspace.from_options(data_dir)
    assert _encrypted(ws)
    return ws


def test_wrong_passphrase_is_one_line_before_the_app_starts(encrypted: Workspace) -> None:
    result = run_process(env={crypto.PASSPHRASE_ENV: "wrong"})
    assert result.code == 2
    assert result.out == ""  # the app never took over the terminal
    assert result.err.count("\n") == 1 and "passphrase" in result.err
    assert "\x1b" not in result.err


async def test_right_passphrase_opens_the_app(
    encrypted: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def prompt(message: str) -> str:
        asked.append(message)
        return SECRET

    crypto.set_prompt(prompt)
    try:
        _unlock(encrypted)  # asks once (the hidden prompt), then reuses the answer
        app = make_app(encrypted, FakeClock(BEFORE_WEEK_4))
        async with app.run_test(size=(100, 32)) as pilot:
            await ready(pilot)
            rows = app.screen.query_one("#groups", DataTable).row_count
        assert rows == 1 and len(asked) == 1
    finally:
        crypto.set_prompt(None)


def test_wrong_passphrase_from_the_prompt_raises(encrypted: Workspace) -> None:
    crypto.set_prompt(lambda _m: "nope")
    try:
        with pytest.raises(FacilitatorError, match="passphrase"):
            _unlock(encrypted)
    finally:
        crypto.set_prompt(None)
