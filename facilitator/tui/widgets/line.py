"""A one-line text widget that repaints without a layout pass (for fast-changing text)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class Line(Widget):
    """One line of plain text (never markup); :meth:`show` repaints only this line."""

    DEFAULT_CSS = """
    Line { height: 1; width: 1fr; }
    """

    def __init__(
        self, text: str | Text = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text if isinstance(text, Text) else Text(text)

    def show(self, text: str | Text) -> None:
        """Show ``text``; a line's size never changes, so no layout is needed."""
        self._text = text if isinstance(text, Text) else Text(text)
        self.refresh()

    @property
    def plain(self) -> str:
        """The text shown."""
        return self._text.plain

    def render(self) -> Text:
        return self._text
