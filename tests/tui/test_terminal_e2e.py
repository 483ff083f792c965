"""The real console script in a real terminal (tmux): keys in, screen text out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None and not os.environ.get("CI"),
    reason="tmux not installed: apt-get install tmux (or run bash .ci/install-system-deps)",
)


class Terminal:
    """A tmux session running one command."""

    def __init__(self, name: str) -> None:
        self.name = name

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-t", self.name, "-p"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not on screen:\n{self.screen()}")


@pytest.fixture
def terminal(data_dir: Path) -> Iterator[Terminal]:
    exe = Path(sys.executable).with_name("facilitator")
    env = {**os.environ, "FACILITATOR_DATA_DIR": str(data_dir), "TERM": "xterm-256color"}
    subprocess.run([str(exe), "demo", "--quiet"], check=True, env=env)
    name = f"facilitator-{uuid.uuid4().hex[:8]}"
    socket = ["-L", name]
    subprocess.run(
        [
            "tmux",
            *socket,
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "100",
            "-y",
            "32",
            f"FACILITATOR_DATA_DIR={data_dir} {exe}",
        ],
        check=True,
        env=env,
    )
    term = Terminal(name)
    term.keys = lambda *keys: subprocess.run(  # type: ignore[method-assign]
        ["tmux", *socket, "send-keys", "-t", name, *keys], check=True
    )
    term.screen = lambda: (
        subprocess.run(  # type: ignore[method-assign]
            ["tmux", *socket, "capture-pane", "-t", name, "-p"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    try:
        yield term
    finally:
        subprocess.run(["tmux", *socket, "kill-server"], check=False, capture_output=True)


def test_open_group_take_roll_and_quit(terminal: Terminal) -> None:
    terminal.wait_for("Demo group")
    terminal.wait_for("Sexual self-compassion")
    terminal.keys("Enter")
    terminal.wait_for("shown to participants as")
    screen = terminal.wait_for("at risk")
    assert "Chidi O." in screen
    terminal.keys("r")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # a meeting days away asks first
        shown = terminal.screen()
        if "Run it now?" in shown:
            terminal.keys("y")
            break
        if "Projected end" in shown:
            break
        time.sleep(0.2)
    screen = terminal.wait_for("Projected end")
    assert "Arrival and agreements" in screen
    terminal.keys("a")
    terminal.wait_for("Attendance at the door")
    terminal.keys("Enter")
    terminal.wait_for("Roll saved: 9 present")
    terminal.keys("C-q")
    deadline = time.monotonic() + 10
    closed = False
    while time.monotonic() < deadline and not closed:
        try:
            closed = "Projected end" not in terminal.screen()
        except subprocess.CalledProcessError:  # the session ended with the app
            closed = True
        time.sleep(0.2)
    assert closed
