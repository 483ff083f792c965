"""Text layout by the standards for text that needs more than reportlab's Paragraph.

A paragraph that holds a right-to-left character, a mark, or a script that needs shaping
(Arabic, Hebrew, Indic, Thai, Khmer...) is set by :class:`TextFlow`:

1. the markup is parsed by reportlab's own ParaParser (bold, italic, colour, size, line breaks);
2. each line of it gets its embedding levels from the Unicode Bidirectional Algorithm
   (python-bidi, which wraps the ``unicode-bidi`` crate): rules P2-P3, X1-X10, W1-W7, N0-N2
   and I1-I2 are the library's;
3. each run of one face, one level and one style is shaped by HarfBuzz (uharfbuzz) in its
   direction: contextual forms, conjuncts, marks, ligatures, kerning, mirrored brackets;
4. lines break at spaces, between CJK characters and after hyphens, and a word longer than a
   line breaks between two HarfBuzz clusters, never inside one; a run cut by a line end is
   shaped again so its edge letters take their isolated forms;
5. each line's runs are put in visual order by rule L2 from the library's levels (trailing
   spaces are not drawn, rule L1), and an RTL paragraph is aligned to the right.

Text without any of that (Latin, Greek, Cyrillic, CJK) lays out identically under the
algorithm (every level even, nothing to reorder or shape), so it keeps reportlab's Paragraph,
which is faster.

Steps 2 and 3 are :mod:`~facilitator.outputs.pdf.shaping`, steps 1, 4 and 5's order are
:mod:`~facilitator.outputs.pdf.lines`; this module is the flowable and draws its lines.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from facilitator.outputs.pdf import fonts
from facilitator.outputs.pdf.lines import Line, Segment, parse
from facilitator.outputs.pdf.shaping import shape

# -- the flowable -------------------------------------------------------------------------------


class TextFlow(Flowable):  # type: ignore[misc]
    """A paragraph set by :mod:`facilitator.outputs.pdf.text` (same style API as Paragraph)."""

    def __init__(
        self,
        markup: str,
        style: Any,
        bulletText: str | None = None,
        *,
        _segments: list[Segment] | None = None,
        _start: tuple[int, int] = (0, 0),
        _stop: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.style = style
        self.text = markup
        self.bulletText = bulletText
        self.segments = _segments if _segments is not None else parse(markup, style)
        self.start = _start
        self.stop = _stop if _stop is not None else (len(self.segments) - 1, -1)
        self._lines: list[tuple[int, Line]] | None = None
        self._width = -1.0
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        first = _start == (0, 0)
        self.spaceBefore = style.spaceBefore if first else 0
        self.spaceAfter = style.spaceAfter if _stop is None else 0

    # layout -------------------------------------------------------------------------------

    def _layout(self, width: float) -> list[tuple[int, Line]]:
        if self._lines is not None and self._width == width:
            return self._lines
        style = self.style
        inner = max(width - style.leftIndent - style.rightIndent, 1.0)
        first_indent = style.firstLineIndent if self.start == (0, 0) else 0
        out: list[tuple[int, Line]] = []
        seg_index, char = self.start
        last_seg, last_char = self.stop
        for index in range(seg_index, len(self.segments)):
            if index > last_seg:
                break
            segment = self.segments[index]
            start = char if index == seg_index else 0
            first = inner - first_indent if not out else inner
            for line in segment.layout(first, inner, start):
                if index == last_seg and last_char >= 0 and line.start >= last_char:
                    break
                out.append((index, line))
        self._lines, self._width = out, width
        return out

    def _leading(self, line: Line) -> float:
        size = self.style.fontSize
        return float(self.style.leading * max(1.0, line.size / size if size else 1.0))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._layout(avail_width)
        self.width = avail_width
        self.height = sum(self._leading(line) for _, line in lines)
        return self.width, self.height

    def minWidth(self) -> float:
        widest = 0.0
        for segment in self.segments:
            for a, b in zip(segment.breaks, segment.breaks[1:], strict=False):
                widest = max(widest, segment.width(a, segment.trim(a, b)))
        return float(widest + self.style.leftIndent + self.style.rightIndent)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._layout(avail_width)
        used, count = 0.0, 0
        for _, line in lines:
            if used + self._leading(line) > avail_height + 1e-6:
                break
            used += self._leading(line)
            count += 1
        if count == 0:
            return []
        if count >= len(lines):
            return [self]
        seg, line = lines[count]
        cut = (seg, line.start)
        head = TextFlow(
            self.text,
            self.style,
            self.bulletText,
            _segments=self.segments,
            _start=self.start,
            _stop=cut,
        )
        tail = TextFlow(
            self.text,
            self.style,
            None,
            _segments=self.segments,
            _start=cut,
            _stop=None if self.stop == (len(self.segments) - 1, -1) else self.stop,
        )
        tail.spaceAfter = self.spaceAfter
        return [head, tail]

    # drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        lines = self._layout(self.width)
        inner = self.width - style.leftIndent - style.rightIndent
        baseline = self.height
        for number, (seg_index, line) in enumerate(lines):
            segment = self.segments[seg_index]
            if number == 0:
                baseline -= line.size or style.fontSize
            else:
                baseline -= self._leading(line)
            indent = style.firstLineIndent if (number == 0 and self.start == (0, 0)) else 0
            x = style.leftIndent + indent
            room = inner - indent
            alignment = style.alignment
            if alignment == TA_CENTER:
                x += (room - line.width) / 2
            elif alignment == TA_RIGHT or (segment.base % 2 and alignment != TA_CENTER):
                x += room - line.width
            _draw_line(canvas, line, x, baseline, segment)
            if number == 0 and self.bulletText and self.start == (0, 0):
                canvas.saveState()
                canvas.setFont(style.bulletFontName, style.bulletFontSize or style.fontSize)
                canvas.setFillColor(style.textColor)
                canvas.drawString(style.bulletIndent, baseline, self.bulletText)
                canvas.restoreState()


@functools.lru_cache(maxsize=65536)
def _nominal(face: str, gid: int) -> float:
    """A glyph's advance from the font's metrics, in 1/1000 em."""
    hbf = fonts.hb_font(face)
    return float(hbf.get_glyph_h_advance(gid) * 1000 / hbf.scale[0])


@dataclass(frozen=True, slots=True)
class _Drawable:
    """A shaped run ready to draw: one key character per glyph (see
    :meth:`fonts.GlyphFont.glyph_key`; a cluster's first glyph carries its text, so the PDF's
    text is the original) and, per glyph, TJ adjustments that move it from the advance the
    PDF's /Widths give it to HarfBuzz's position, in 1/1000 em."""

    keys: str
    before: tuple[float, ...]
    after: tuple[float, ...]
    rise: tuple[float, ...]
    advance: float


@functools.lru_cache(maxsize=8192)
def _drawable(face: str, text: str, rtl: bool) -> _Drawable:
    font = pdfmetrics.getFont(face)
    glyphs = shape(face, text, rtl)
    clusters = sorted({g.cluster for g in glyphs})
    ends = dict(zip(clusters, [*clusters[1:], len(text)], strict=True))
    named: set[int] = set()
    keys: list[str] = []
    before: list[float] = []
    after: list[float] = []
    for glyph in glyphs:
        cluster_text = ""
        if glyph.cluster not in named:
            named.add(glyph.cluster)
            cluster_text = text[glyph.cluster : ends[glyph.cluster]]
        nominal = _nominal(face, glyph.gid)
        keys.append(font.glyph_key(glyph.gid, cluster_text, nominal))
        # a TJ number n moves the pen by -n/1000 em: shift by the offset, then make the
        # glyph's whole move HarfBuzz's advance
        before.append(-glyph.dx)
        after.append(nominal - glyph.advance + glyph.dx)
    return _Drawable(
        "".join(keys),
        tuple(before),
        tuple(after),
        tuple(g.dy for g in glyphs),
        sum(g.advance for g in glyphs),
    )


def _number(value: float) -> str:
    return str(fp_str(round(value, 2)))


def _show(tx: Any, face: str, size: float, pieces: list[_Drawable]) -> None:
    """Write TJ operators for ``pieces`` into text object ``tx`` (its font already set)."""
    canvas = tx._canvas
    doc = canvas._doc
    font = pdfmetrics.getFont(face)
    keys = "".join(p.keys for p in pieces)
    before = [v for p in pieces for v in p.before]
    after = [v for p in pieces for v in p.after]
    rise = [v for p in pieces for v in p.rise]
    code = tx._code
    items: list[str] = []
    chars = bytearray()
    current_rise = 0.0

    def flush_chars() -> None:
        if chars:
            items.append(f"({canvas._escape(bytes(chars))})")
            chars.clear()

    def flush_array() -> None:
        flush_chars()
        if items:
            code.append(f"[{' '.join(items)}] TJ")
            items.clear()

    index = 0
    for subset, chunk in font.splitString(keys, doc):
        if subset != tx._curSubset:
            flush_array()
            name = font.getSubsetInternalName(subset, doc)
            code.append(f"{name} {fp_str(size)} Tf")
            tx._curSubset = subset
        for byte in chunk:
            if rise[index] != current_rise:
                flush_array()
                current_rise = rise[index]
                code.append(f"{_number(current_rise * size / 1000)} Ts")
            if abs(before[index]) > 0.005:
                flush_chars()
                items.append(_number(before[index]))
            chars.append(byte)
            if abs(after[index]) > 0.005:
                flush_chars()
                items.append(_number(after[index]))
            index += 1
    flush_array()
    if current_rise:
        code.append("0 Ts")


def _draw_line(canvas: Any, line: Line, x: float, y: float, segment: Segment) -> None:
    """One line's runs, left to right, in one text object; neighbouring runs in one face and
    style are drawn from one origin (an Arabic phrase with its digits)."""
    text = segment.text
    tx = canvas.beginText()
    underlines: list[tuple[Any, float, float, float]] = []
    current: tuple[str, float] | None = None
    color = None
    pending: list[_Drawable] = []
    pending_x = x
    for run in line.runs:
        frag = run.frag
        size = frag.fontSize
        drawable = _drawable(run.face, text[run.start : run.end], bool(run.level % 2))
        width = drawable.advance * size / 1000
        if current != (run.face, size) or color != frag.textColor:
            if pending and current is not None:
                tx.setTextOrigin(pending_x, y)
                _show(tx, current[0], current[1], pending)
                pending = []
            if current != (run.face, size):
                tx.setFont(run.face, size)
                current = (run.face, size)
            if color != frag.textColor:
                tx.setFillColor(frag.textColor)
                color = frag.textColor
        if not pending:
            pending_x = x
        pending.append(drawable)
        if getattr(frag, "underline", False):
            underlines.append((frag.textColor, size, x, x + width))
        x += width
    if pending and current is not None:
        tx.setTextOrigin(pending_x, y)
        _show(tx, current[0], current[1], pending)
    canvas.drawText(tx)
    for ink, size, start, end in underlines:
        canvas.saveState()
        canvas.setStrokeColor(ink)
        canvas.setLineWidth(size * 0.06)
        canvas.line(start, y - size * 0.12, end, y - size * 0.12)
        canvas.restoreState()
