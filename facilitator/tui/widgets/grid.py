"""The attendance grid: participants x weeks, a cell cursor, and rows that repaint alone.

Each row is one :class:`Line`, so changing a mark repaints that row only, and moving the cursor
repaints the two rows it leaves and enters. (A DataTable re-renders every cell after any
update, which made cycling a status take several frames.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer

from facilitator.tui.widgets.line import Line

Cell = Text | str


class AttendanceGrid(ScrollableContainer, can_focus=True):
    """A grid of cells with a keyboard cursor; the screen reads ``cursor_row``/``cursor_column``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1, 0)", "Up", show=False),
        Binding("down", "move(1, 0)", "Down", show=False),
        Binding("left", "move(0, -1)", "Left", show=False),
        Binding("right", "move(0, 1)", "Right", show=False),
        Binding("home", "move(0, -99)", "First column", show=False),
        Binding("end", "move(0, 99)", "Last column", show=False),
    ]
    DEFAULT_CSS = """
    AttendanceGrid { height: auto; max-height: 1fr; }
    AttendanceGrid > Line { width: auto; height: 1; padding: 0 1; }
    AttendanceGrid > .grid-header { text-style: bold; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.headers: list[str] = []
        self.widths: list[int] = []
        self.rows: list[list[Cell]] = []
        self.cursor_row = 0
        self.cursor_column = 1
        self._lines: list[Line] = []
        """The header's line, then one per row (the children being removed never among them)."""

    def set_table(
        self, headers: Sequence[str], widths: Sequence[int], rows: Sequence[Sequence[Cell]]
    ) -> None:
        """Replace everything (the cursor stays where it was if it still fits)."""
        self.headers, self.widths = list(headers), list(widths)
        self.rows = [list(r) for r in rows]
        self.cursor_row = min(self.cursor_row, max(0, len(self.rows) - 1))
        self.cursor_column = min(self.cursor_column, len(self.headers) - 1)
        self.remove_children()  # removal completes later: the new lines are kept in _lines
        lines = [Line(self._row_text(self.headers, -1), classes="grid-header")]
        lines += [Line(self._row_text(row, i)) for i, row in enumerate(self.rows)]
        self._lines = lines
        self.mount_all(lines)

    @property
    def row_count(self) -> int:
        """Rows of data (the header not counted)."""
        return len(self.rows)

    def cell_text(self, row: int, column: int) -> str:
        """A cell's plain text."""
        cell = self.rows[row][column]
        return cell.plain if isinstance(cell, Text) else cell

    def update_row(self, index: int, cells: Sequence[Cell]) -> None:
        """Replace one row; only that row repaints."""
        self.rows[index] = list(cells)
        self._repaint(index)

    def move_cursor(self, *, row: int | None = None, column: int | None = None) -> None:
        """Put the cursor on a cell."""
        old = self.cursor_row
        if row is not None:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))
        if column is not None:
            self.cursor_column = max(0, min(column, len(self.headers) - 1))
        self._repaint(old)
        if self.cursor_row != old:
            self._repaint(self.cursor_row)
        if len(self._lines) > self.cursor_row + 1:
            self.scroll_to_widget(self._lines[self.cursor_row + 1], animate=False)

    def action_move(self, rows: int, columns: int) -> None:
        """Move the cursor by rows and columns."""
        self.move_cursor(row=self.cursor_row + rows, column=self.cursor_column + columns)

    def watch_has_focus(self, has_focus: bool) -> None:
        """The cursor cell is reversed with focus, underlined without (an ``on_focus``
        handler runs before ``has_focus`` is set, and painted the opening grid unfocused)."""
        super().watch_has_focus(has_focus)
        self._repaint(self.cursor_row)

    def _repaint(self, index: int) -> None:
        if 0 <= index < len(self.rows) and index + 1 < len(self._lines):
            self._lines[index + 1].show(self._row_text(self.rows[index], index))

    def _row_text(self, cells: Sequence[Cell], index: int) -> Text:
        text = Text()
        for column, (cell, width) in enumerate(zip(cells, self.widths, strict=False)):
            piece = cell.copy() if isinstance(cell, Text) else Text(cell)
            piece.truncate(width, overflow="ellipsis")
            piece.pad_right(width - piece.cell_len)
            if index == self.cursor_row and column == self.cursor_column and column > 0:
                piece.stylize("reverse" if self.has_focus else "underline")
            text.append_text(piece)
            text.append(" ")
        return text
