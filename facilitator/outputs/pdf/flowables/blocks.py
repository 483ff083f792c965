"""Handout blocks to flowables: one function per block type of the handout format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from facilitator.model.content import (
    ChecklistBlock,
    CommitmentBlock,
    ParagraphBlock,
    PromptBlock,
    ScaleBlock,
    TableBlock,
    TrackerBlock,
)
from facilitator.outputs.pdf.flowables.shapes import (
    AnswerBox,
    BlankCell,
    Fields,
    ScaleRow,
    SignatureLines,
    TickBox,
    WritingLines,
)
from facilitator.outputs.pdf.forms import tooltip
from facilitator.outputs.pdf.markup import plain
from facilitator.outputs.pdf.style import EDGE, INK, TINT, Theme, para

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

Markup = Callable[[str, str], str]
"""Turns author text (a template) at a key such as ``blocks[2].text`` into safe markup."""


@dataclass
class BlockContext:
    """What every block needs: the theme, the text renderer, the fields and prompt numbers."""

    theme: Theme
    text: Markup
    fields: Fields | None = None
    prompt_number: int = 0


def paragraphs(markup: str, style: object) -> list[Flowable]:
    """Paragraphs from markup whose blank lines separate paragraphs."""
    chunks = [chunk.strip() for chunk in markup.replace("\r", "").split("\n\n")]
    return [
        para(chunk.replace("\n", "<br/>") if "\n" in chunk and _listy(chunk) else chunk, style)
        for chunk in chunks
        if chunk
    ]


def _listy(chunk: str) -> bool:
    """Keep line breaks in chunks whose lines are list items or quoted speech lines."""
    lines = [line.strip() for line in chunk.splitlines() if line.strip()]
    return len(lines) > 1 and all(
        line[:1] in "-*•" or line[:2].rstrip(".").isdigit() for line in lines[1:]
    )


def boxed(content: list[Flowable], theme: Theme, *, width: float | None = None) -> Table:
    """Content in a softly tinted box with a thin border (safety notes, support lines)."""
    pad = theme.size * 0.7
    table = Table([[content]], colWidths=[width] if width else None)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("BOX", (0, 0), (-1, -1), 0.8, EDGE),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
            ]
        )
    )
    return table


def render_block(block: object, key: str, ctx: BlockContext) -> list[Flowable]:
    """The flowables for one block (``key`` locates it for error messages)."""
    for kind, function in _RENDERERS.items():
        if isinstance(block, kind):
            return function(block, key, ctx)
    raise TypeError(f"unknown block {type(block).__name__}")


def _paragraph(block: ParagraphBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    out: list[Flowable] = []
    if block.heading:
        out.append(para(ctx.text(block.heading, f"{key}.heading"), ctx.theme.heading))
    out += paragraphs(ctx.text(block.text, f"{key}.text"), ctx.theme.body)
    return out


def _prompt_head(text: str, ctx: BlockContext) -> Flowable:
    ctx.prompt_number += 1
    style = ctx.theme.prompt
    indent = style.fontSize * 1.6
    return para(
        text,
        style.clone("numbered", leftIndent=indent, bulletIndent=0),
        bulletText=f"{ctx.prompt_number}.",
    )


def _prompt(block: PromptBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    text = ctx.text(block.text, f"{key}.text")
    head = _prompt_head(text, ctx)
    label = tooltip(text) or "Answer"
    space: Flowable = (
        WritingLines(block.size, ctx.theme, ctx.fields, label)
        if block.answer == "lines"
        else AnswerBox(block.size, ctx.theme, ctx.fields, label)
    )
    return [KeepTogether([head, space, Spacer(1, ctx.theme.size * 0.4)])]


def _intro(text: str, key: str, ctx: BlockContext) -> list[Flowable]:
    style = ctx.theme.prompt.clone("intro", keepWithNext=1)
    return [para(ctx.text(text, key), style)] if text else []


def _grid_style(theme: Theme, *, header: bool = True) -> list[tuple[object, ...]]:
    pad = theme.size * 0.35
    style: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.6, EDGE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), TINT))
    return style


def _checklist(block: ChecklistBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    theme = ctx.theme
    items = [ctx.text(item, f"{key}.items[{i}]") for i, item in enumerate(block.items)]
    rows = [
        [
            TickBox(theme, ctx.fields, tooltip(item) or "Tick"),
            para(item, theme.body.clone("item", spaceAfter=0)),
        ]
        for item in items
    ]
    table = Table(rows, colWidths=[theme.box + theme.size * 0.9, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, -1), theme.size * 0.22),
                ("BOTTOMPADDING", (0, 0), (-1, -1), theme.size * 0.35),
            ]
        )
    )
    return _together(_intro(block.text, f"{key}.text", ctx), table, len(block.items), theme)


def _scale(block: ScaleBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    text = ctx.text(block.text, f"{key}.text")
    head = _prompt_head(text, ctx)
    row = ScaleRow(
        ctx.text(block.low, f"{key}.low"),
        ctx.text(block.high, f"{key}.high"),
        ctx.theme,
        ctx.fields,
        tooltip(text),
    )
    return [
        KeepTogether([head, Spacer(1, ctx.theme.size * 0.3), row, Spacer(1, ctx.theme.size * 0.6)])
    ]


def _tracker(block: TrackerBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    theme = ctx.theme
    header = [para("", theme.cell_head)] + [
        para(day, theme.cell_head.clone("day", alignment=1)) for day in DAYS
    ]
    labels = [ctx.text(row, f"{key}.rows[{i}]") for i, row in enumerate(block.rows)]
    rows = [
        [para(label, theme.cell)]
        + [TickBox(theme, ctx.fields, f"{tooltip(label)}: {day}") for day in DAYS]
        for label in labels
    ]
    day_width = max(theme.size * 3.1, theme.box * 2.4)
    table = Table(
        [header, *rows],
        colWidths=[None] + [day_width] * 7,
        repeatRows=1,
        rowHeights=[None] + [max(theme.line_gap * 1.2, theme.box * 2)] * len(rows),
    )
    table.setStyle(TableStyle([*_grid_style(theme), ("ALIGN", (1, 1), (-1, -1), "CENTER")]))
    return _together(_intro(block.text, f"{key}.text", ctx), table, len(block.rows), theme)


def _table(block: TableBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    theme = ctx.theme
    heads = [ctx.text(c, f"{key}.columns[{i}]") for i, c in enumerate(block.columns)]
    header = [para(head, theme.cell_head) for head in heads]
    tips = [tooltip(head) or f"Column {i + 1}" for i, head in enumerate(heads)]
    count = len(block.columns)
    blank_height = theme.line_gap * 1.5
    # A pre-filled row with every cell written is an example; a row with empty cells is a row
    # label with room to write in the rest (e.g. "Sleep | ... | ..."): those cells are blank.
    padded = [(*row, *[""] * count)[:count] for row in block.rows]
    examples = bool(padded) and all(all(cell.strip() for cell in row) for row in padded)
    filled = [
        [
            para(ctx.text(cell, f"{key}.rows[{r}][{c}]"), theme.cell)
            if cell.strip()
            else BlankCell(blank_height, theme, ctx.fields, _cell_tip(tips[c], row[0], c))
            for c, cell in enumerate(row)
        ]
        for r, row in enumerate(padded)
    ]
    blanks = [
        [
            BlankCell(blank_height, theme, ctx.fields, f"{tips[c]}, row {r + 1}")
            for c in range(count)
        ]
        for r in range(block.blank_rows)
    ]
    table = Table([header, *filled, *blanks], repeatRows=1)
    style = _grid_style(theme)
    if filled:
        style.append(("TEXTCOLOR", (0, 1), (-1, len(filled)), INK))
    table.setStyle(TableStyle(style))
    intro = _intro(block.text, f"{key}.text", ctx)
    if examples:
        note = "The first row is an example." if len(filled) == 1 else "Filled rows are examples."
        intro.append(
            para(note, theme.small.clone("example", keepWithNext=1, spaceAfter=theme.size * 0.3))
        )
    return _together(intro, table, block.blank_rows + len(filled), theme)


def _cell_tip(column: str, first: str, index: int) -> str:
    """A blank cell's tooltip: its column, and the row's label when the row has one."""
    label = tooltip(first) if index and first.strip() else ""
    return f"{column}: {label}" if label else column


def _together(intro: list[Flowable], body: Flowable, rows: int, theme: Theme) -> list[Flowable]:
    """Keep a short block whole on one page; a long one may split (its intro stays with it)."""
    gap = Spacer(1, theme.size * 0.8)
    if rows <= 10:
        return [KeepTogether([*intro, body]), gap]
    return [*intro, body, gap]


def _commitment(block: CommitmentBlock, key: str, ctx: BlockContext) -> list[Flowable]:
    theme = ctx.theme
    text = ctx.text(block.text, f"{key}.text")
    head = para(text, theme.prompt)
    lines = WritingLines(2, theme, ctx.fields, tooltip(text) or "Answer")
    labels = [plain(label) for label in block.lines]
    return [
        KeepTogether(
            [
                head,
                lines,
                Spacer(1, theme.size * 0.4),
                SignatureLines(labels, theme, ctx.fields),
                Spacer(1, theme.size * 0.6),
            ]
        )
    ]


_RENDERERS: dict[type, Callable[[object, str, BlockContext], list[Flowable]]] = {
    ParagraphBlock: _paragraph,  # type: ignore[dict-item]
    PromptBlock: _prompt,  # type: ignore[dict-item]
    ChecklistBlock: _checklist,  # type: ignore[dict-item]
    ScaleBlock: _scale,  # type: ignore[dict-item]
    TrackerBlock: _tracker,  # type: ignore[dict-item]
    TableBlock: _table,  # type: ignore[dict-item]
    CommitmentBlock: _commitment,  # type: ignore[dict-item]
}
