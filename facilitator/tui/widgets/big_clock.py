"""A clock in block digits several rows tall, readable across a room (the presenter view)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

FONT = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", "███", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    ":": ("   ", " █ ", "   ", " █ ", "   "),
    "+": ("   ", " █ ", "███", " █ ", "   "),
    "-": ("   ", "   ", "███", "   ", "   "),
}
"""Five rows per character; each cell is drawn two columns wide and two rows tall."""


def big(text: str, scale: int = 2) -> str:
    """``text`` (digits, ":", "+", "-") as block letters ``5 * scale`` rows tall."""
    rows = []
    for row in range(5):
        line = "  ".join(
            "".join(cell * scale for cell in FONT[ch][row]) for ch in text if ch in FONT
        )
        rows += [line] * scale
    return "\n".join(rows)


class BigClock(Static):
    """Shows a time such as ``12:05`` or ``+2:10`` in block digits."""

    DEFAULT_CSS = """
    BigClock { width: 100%; height: auto; content-align: center middle; text-align: center; }
    """

    def show(self, value: str) -> None:
        """Draw ``value`` (never markup)."""
        self.update(Text(big(value)))
