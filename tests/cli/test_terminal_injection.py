"""Every CLI command, run in a real pseudo-terminal over a database of hostile names, leaves an
emulated terminal (pyte) as it found it: no window title, no colours, no cursor moves, no modes.

The names are written straight into the database (as an older version, or someone with the
file, could have): input now refuses them, so output must cope with them anyway. The output is
read through a pty, so click believes it is talking to a terminal and strips nothing itself.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from datetime import date
from datetime import time as clock_time
from pathlib import Path

import pyte
import pytest

from facilitator.model.group import AttendanceStatus, Facilitator
from facilitator.store import open_store
from facilitator.workspace import Workspace
from tests.builders import save_curriculum_group

COLUMNS, LINES = 2000, 1500
"""Wide and tall enough that no output wraps or scrolls: the cursor's row then counts lines."""

PAYLOAD = (
    "Eve\x1b]0;PWNED\x07\x1b]2;PWNED\x1b\\"  # window title (OSC 0 and 2)
    "\x1b[2J\x1b[H"  # clear the screen, cursor home
    "\x1b[31;44;1;5;7m"  # colours, bold, blink, reverse
    "\x1b[5;5H\x1b[?25l\x1b[?1049h"  # move the cursor, hide it, alternate screen
    "\x9b32m\x9d0;PWNED\x9c"  # the same as 8-bit controls (C1 CSI and OSC)
    "\u202eevil\u2066iso\u2069"  # bidi override and isolate
    "\u2028\nline2\rOVER\x08\x7f"  # line breaks, carriage return, backspace, DEL
)
"""One string with every way a name could take over a terminal."""

SEQUENCES_OF_OURS = (b"\x1b[?25l", b"\x1b[?25h")
"""What click's own progress bar writes (hide and show the cursor around its redraws)."""


def run_in_pty(args: list[str], env: dict[str, str], timeout: float = 120) -> tuple[int, bytes]:
    """Run ``python -m facilitator ARGS`` with stdin, stdout and stderr on a new pty."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "facilitator", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout  # a safety net only: nothing here is timed
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every holder of the pty's other side has closed it
                break
            if not data:
                break
            chunks.append(data)
        else:
            proc.kill()
            pytest.fail(f"facilitator {args} did not finish")
    finally:
        os.close(master)
    return proc.wait(timeout=30), b"".join(chunks)


def screen_after(output: bytes) -> pyte.Screen:
    screen = pyte.Screen(COLUMNS, LINES)
    pyte.ByteStream(screen).feed(output)
    return screen


def assert_untouched(screen: pyte.Screen, output: bytes, label: str) -> None:
    """The emulated terminal shows text only: no title, no attributes, the cursor where plain
    lines of text would leave it, every mode as it was."""
    fresh = pyte.Screen(COLUMNS, LINES)
    assert screen.title == "" and screen.icon_name == "", label
    assert screen.mode == fresh.mode, label
    assert not screen.cursor.hidden, label
    for row in screen.buffer.values():
        for char in row.values():
            styled = (
                char.fg != "default"
                or char.bg != "default"
                or char.bold
                or char.italics
                or char.underscore
                or char.strikethrough
                or char.reverse
                or char.blink
            )
            assert not styled, f"{label}: {char}"
    assert screen.cursor.x == 0, label
    assert screen.cursor.y == output.count(b"\n"), label


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A data folder whose every shown field holds :data:`PAYLOAD`, and hostile content."""
    base = tmp_path_factory.mktemp("hostile")
    data = base / "data"
    ws = Workspace.from_options(data)
    with open_store(data) as store:
        group = save_curriculum_group(
            store,
            ws.library,
            "Tuesday",
            curriculum_id="example",
            first_date=date(2026, 9, 1),
            start_time=clock_time(18, 30),
            timezone="Europe/London",
            location="Room 1",
            facilitators=[Facilitator("Sam", "sam@example.org")],
        )
        ada = store.enrol(group.id, "Ada", last_initial="L", email="ada@example.org")
        bea = store.enrol(group.id, "Bea", last_initial="M", email="bea@example.org")
        store.mark_roll(group.id, 1, {bea.id: AttendanceStatus.ABSENT})
        store.skip_date(group.id, date(2026, 9, 8))
        with store.db.write() as conn:  # as an older version or a hand edit could have left them
            conn.execute(
                "UPDATE groups SET name = ?, display_name = ?, location = ?",
                (PAYLOAD, PAYLOAD, PAYLOAD + "\x00NUL"),
            )
            conn.execute("UPDATE facilitators SET name = ?", (PAYLOAD,))
            conn.execute(
                "UPDATE participants SET preferred_name = ?, last_initial = ? WHERE id IN (?, ?)",
                (PAYLOAD, PAYLOAD, ada.id, bea.id),
            )
            conn.execute("UPDATE group_weeks SET title = ?", (PAYLOAD,))
            conn.execute("UPDATE skips SET reason = ?", (PAYLOAD,))
    content = base / "content"
    content.mkdir()
    (content / f"{PAYLOAD}.session.yaml").write_text("id: [\n")
    (content / "evil.handout.yaml").write_text(
        'id: evil\ntitle: "\\e]0;PWNED\\a\\x9b31m"\npurpose: p\nhow_to_use: h\n'
        "safety_note: s\nblocks: []\n"
    )
    settings = base / "settings-data"
    settings.mkdir()
    (settings / "settings.toml").write_text('"\\u001b]0;PWNED\\u0007\\u009b31m" = 1\n')
    yield {"base": base, "data": data, "content": content, "settings": settings}


def commands(world: dict[str, Path]) -> list[list[str]]:
    """Every command, including those that fail on a hostile argument or file."""
    out = str(world["base"] / "out")
    return [
        ["curricula"],
        ["handouts"],
        ["show", "example"],
        ["show", PAYLOAD],
        ["validate", str(world["content"])],
        ["--content", str(world["content"]), "curricula"],
        ["group", "list"],
        ["group", "show", "1"],
        ["group", "show", "nosuch"],
        [
            "group",
            "create",
            PAYLOAD,
            "--curriculum",
            "example",
            "--start",
            "2026-09-01",
            "--time",
            "18:30",
            "--tz",
            "UTC",
        ],
        ["schedule", "1"],
        ["roster", "list", "1"],
        ["roster", "add", "1", PAYLOAD],
        ["attend", "1", "2", "--absent", PAYLOAD],  # ambiguous: the error lists both
        ["attendance", "1"],
        ["note", "1", "1", "about Eve", "--participant", "1"],
        ["audit"],
        ["audit", "1", "--limit", "50"],
        ["invites", "1", "--out", out],
        ["invites", "send", "1", "--dry-run"],
        ["print", "1", "--week", "1", "--out", out],
        ["print-handout", "shame-map", "--out", out],
        ["backup", str(world["base"] / "copy.sqlite3")],
        ["--data-dir", str(world["settings"]), "print-handout", "shame-map"],
        [PAYLOAD],
        ["schedule", "1", "--" + PAYLOAD],
        ["audit", "--verify"],
        ["demo"],
        # the ones that change the group last, so that the others see it whole
        ["schedule", "move", "1", "2", "--to", "2026-09-16 18:30"],
        ["schedule", "skip", "1", "2026-09-16"],
        ["roster", "leave", "1", "1", "--on", "2026-09-20"],
        ["roster", "erase", "1", "2", "--yes"],
        ["restore", str(world["base"] / "copy.sqlite3")],
        ["group", "cancel", "1"],
    ]


def test_no_command_changes_the_terminal(world: dict[str, Path]) -> None:
    env = {
        **os.environ,
        "FACILITATOR_DATA_DIR": str(world["data"]),
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
    }
    env.pop("FACILITATOR_DEBUG", None)
    seen = b""
    for args in commands(world):
        code, output = run_in_pty(args, env)
        label = f"facilitator {args!r} -> {code}: {output[-400:]!r}"
        assert code in (0, 1, 2), label
        assert b"Traceback" not in output, label
        plain = output
        for ours in SEQUENCES_OF_OURS:
            plain = plain.replace(ours, b"")
        text = plain.decode("utf-8")
        assert not any(ch in text for ch in "\x1b\x07\x08\x7f\x00\x9b\x9d\u202e\u2066\u2028"), label
        assert "\r" not in text.replace("\r\n", "") or args[0] == "print", label
        assert_untouched(screen_after(output), output, label)
        seen += output
    shown = seen.decode()
    # The names are there, as visible escapes: nothing was silently dropped.
    assert "Eve\\x1b]0;PWNED\\x07" in shown
    assert "\\x9b32m\\x9d0;PWNED\\x9c\\u202eevil" in shown
    assert "\\u2028\\nline2\\rOVER" in shown
    assert "\\x7f\\x00NUL" in shown
    assert "is ambiguous" in shown and "unknown setting" in shown


def test_the_gate_is_what_keeps_the_screen_clean() -> None:
    """The same payload written raw does change the emulated terminal (the check can fail)."""
    raw = f"{PAYLOAD}\n".encode()
    screen = screen_after(raw)
    assert screen.title == "PWNED" or screen.cursor.hidden
    with pytest.raises(AssertionError):
        assert_untouched(screen, raw, "raw")
