"""The CLI's one gate to the terminal: whatever any command, click or an error message writes to
stdout or stderr passes :func:`facilitator.text.terminal` on its way out.

Values are escaped where they are formatted (:func:`facilitator.text.visible`, which also shows a
line break inside a name as ``\\n``); this gate catches everything else, so a name can never set
the window title, change colours or move the cursor, whichever code path printed it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from facilitator.text import terminal


class GuardedStream:
    """A text stream that writes through to ``raw`` with unsafe characters made visible.

    It deliberately has no ``buffer`` attribute: click would otherwise write to the binary
    stream underneath and go round the gate.
    """

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        """Write ``text`` with unsafe characters shown as escapes; returns ``len(text)``."""
        self.raw.write(terminal(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        """Write each line through the gate."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush the stream underneath."""
        self.raw.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return self.raw.isatty()

    def fileno(self) -> int:
        """The file descriptor underneath."""
        return self.raw.fileno()

    def writable(self) -> bool:
        """Always true: this is an output stream."""
        return True

    def readable(self) -> bool:
        """Never true."""
        return False

    @property
    def encoding(self) -> str:
        """The encoding of the stream underneath."""
        return str(getattr(self.raw, "encoding", None) or "utf-8")

    @property
    def errors(self) -> str | None:
        """The error handler of the stream underneath."""
        return getattr(self.raw, "errors", None)

    @property
    def closed(self) -> bool:
        """Whether the stream underneath is closed."""
        return bool(getattr(self.raw, "closed", False))


def raw(stream: TextIO) -> TextIO:
    """The stream under the gate, for output that is ours alone (the progress bar's redraws)."""
    return stream.raw if isinstance(stream, GuardedStream) else stream


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Route stdout and stderr through the gate for the duration (restored afterwards)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = GuardedStream(raw(out))
    sys.stderr = GuardedStream(raw(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


@contextlib.contextmanager
def unguarded() -> Iterator[None]:
    """The real streams for the duration: the full-screen app draws with escape sequences."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = raw(out), raw(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
