"""The one CLI runner of the tests: the real ``facilitator`` command in-process (through the real
entry point and its error handling) or in a fresh process, both returning a :class:`Run`."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from facilitator.cli import main


class Run(NamedTuple):
    """What one CLI run printed and returned (unpacks as ``code, out, err``)."""

    code: int
    out: str
    err: str


def _capture() -> io.TextIOWrapper:
    """A UTF-8 text stream over bytes, like pytest's own capture (has ``encoding`` and
    ``buffer``, is not a terminal)."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="", write_through=True)


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8")


def run_cli(*args: str | Path, stdin: str = "") -> Run:
    """Run ``facilitator ARGS`` in-process; ``stdin`` is what the command reads (not a
    terminal)."""
    out, err = _capture(), _capture()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main([str(a) for a in args])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        sys.stdin = old_stdin
    return Run(code, _text(out), _text(err))


def one_line_error(result: Run, *words: str, code: int = 2) -> str:
    """Assert ``result`` is the CLI's one-line error (exit ``code``, no traceback) naming each
    of ``words``; return that line."""
    assert result.code == code, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("facilitator: error:"), result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def run_process(
    *args: str | Path,
    cwd: str | Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> Run:
    """Run ``python -m facilitator ARGS`` in a fresh process (stdin the null device; ``env`` is
    added to this process's environment; ``timeout`` only stops a hang, it is no assertion)."""
    proc = subprocess.run(
        [sys.executable, "-m", "facilitator", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)
