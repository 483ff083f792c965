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
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bidi import get_display
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import tt2ps
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser

from facilitator.outputs.pdf import fonts

_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})
_MARKS = frozenset({"Mn", "Mc", "Me", "Co"})


@functools.lru_cache(maxsize=16384)
def _needs(char: str) -> bool:
    if unicodedata.bidirectional(char) in _RTL_CLASSES:
        return True
    if unicodedata.category(char) in _MARKS:
        return True
    face = fonts.face_for(char)
    return face is not None and face not in (
        fonts.FALLBACKS["wide"].name,
        fonts.FALLBACKS["cjk"].name,
    )


def needs_layout(text: str) -> bool:
    """Whether ``text`` needs bidi reordering or shaping (see the module docstring)."""
    if text.isascii():
        return False
    return any(_needs(char) for char in text if not char.isascii())


# -- bidi levels --------------------------------------------------------------------------

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


@functools.lru_cache(maxsize=4096)
def bidi_levels(text: str) -> tuple[tuple[int, ...], int]:
    """The resolved embedding level of each character and the paragraph level.

    python-bidi exposes the crate's ``BidiInfo`` (levels per UTF-8 byte) through
    ``get_display(debug=True)``; a string without any right-to-left character is all level 0.
    """
    if not any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text if not c.isascii()):
        return (0,) * len(text), 0
    info = get_display(text, debug=True)
    assert isinstance(info, str)
    head, _, tail = info.partition("paragraphs:")
    per_byte = [int(n) for n in _LEVEL.findall(head.partition("levels:")[2])]
    base = [int(n) for n in _LEVEL.findall(tail)]
    if len(per_byte) != len(text.encode("utf-8")):
        raise ValueError("python-bidi returned levels in an unknown format")
    levels = []
    position = 0
    for char in text:
        levels.append(per_byte[position])
        position += len(char.encode("utf-8"))
    return tuple(levels), (base[0] if base else 0)


def visual_order(levels: Sequence[int]) -> list[int]:
    """Rule L2: indexes of items in visual order, from their embedding levels."""
    order = list(range(len(levels)))
    if not levels:
        return order
    odd = [level for level in levels if level % 2]
    if not odd:
        return order
    for level in range(max(levels), min(odd) - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = order[index:end][::-1]
                index = end
            else:
                index += 1
    return order


# -- shaping --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Glyph:
    gid: int
    cluster: int
    """Index of the first character of its cluster in the run's text."""
    advance: float
    dx: float
    dy: float
    """Advance and offsets in 1/1000 em."""


@functools.lru_cache(maxsize=8192)
def shape(face: str, text: str, rtl: bool) -> tuple[Glyph, ...]:
    """HarfBuzz glyphs of one run, in visual order (left to right); cached (names and phrases
    recur on every copy)."""
    import uharfbuzz as hb

    font = fonts.hb_font(face)
    buf = hb.Buffer()
    buf.add_codepoints([ord(c) for c in text])
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    hb.shape(font, buf, {"kern": True, "liga": True})
    scale = 1000 / font.scale[0]
    return tuple(
        Glyph(
            info.codepoint,
            info.cluster,
            pos.x_advance * scale,
            pos.x_offset * scale,
            pos.y_offset * scale,
        )
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    )


# -- the paragraph model ----------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    start: int
    end: int
    face: str
    level: int
    frag: Any
    glyphs: tuple[Glyph, ...]


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    width: float
    runs: list[_Run]
    """In visual order."""
    size: float


class _Segment:
    """One line of the markup (between ``<br/>``): its text, styles, levels, runs, widths."""

    def __init__(self, pieces: list[tuple[str, Any]]) -> None:
        self.text = "".join(text for text, _ in pieces)
        self.frag_of: list[Any] = []
        for text, frag in pieces:
            self.frag_of.extend([frag] * len(text))
        self.levels, self.base = bidi_levels(self.text)
        self.runs = self._runs()
        self.advance = [0.0] * (len(self.text) + 1)
        self.cluster_start = [False] * (len(self.text) + 1)
        self.cluster_start[len(self.text)] = True
        for run in self.runs:
            size = run.frag.fontSize / 1000
            for glyph in run.glyphs:
                self.advance[run.start + glyph.cluster] += glyph.advance * size
                self.cluster_start[run.start + glyph.cluster] = True
        self.breaks = self._breaks()

    def _runs(self) -> list[_Run]:
        text = self.text
        runs: list[_Run] = []
        previous: str | None = None
        faces: list[str] = []
        for index, char in enumerate(text):
            frag = self.frag_of[index]
            face = _face(char, frag, previous)
            faces.append(face)
            if not fonts.is_neutral(char) and not char.isspace():
                previous = face
        start = 0
        for index in range(1, len(text) + 1):
            if (
                index == len(text)
                or faces[index] != faces[start]
                or self.levels[index] != self.levels[start]
                or self.frag_of[index] is not self.frag_of[start]
            ):
                chunk = text[start:index]
                level = self.levels[start]
                runs.append(
                    _Run(
                        start,
                        index,
                        faces[start],
                        level,
                        self.frag_of[start],
                        shape(faces[start], chunk, bool(level % 2)),
                    )
                )
                start = index
        return runs

    def _breaks(self) -> list[int]:
        """Positions a line may start at (UAX 14, simplified: spaces, CJK, hyphens, ZWSP)."""
        text = self.text
        out = [0]
        for index in range(1, len(text)):
            before, char = text[index - 1], text[index]
            if not self.cluster_start[index] or char.isspace():
                continue
            if (
                before.isspace()
                or before == "\u200b"
                or _cjk(before)
                or (_cjk(char) and not fonts.is_neutral(char))
                or (before in "-\u2010" and index > 1 and text[index - 2].isalpha())
            ):
                out.append(index)
        out.append(len(text))
        return out

    def width(self, start: int, end: int) -> float:
        return sum(self.advance[start:end])

    def trim(self, start: int, end: int) -> int:
        """``end`` without the trailing whitespace of the line (rule L1: not drawn)."""
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return end

    def layout(self, first: float, rest: float, start: int = 0) -> list[_Line]:
        """Greedy lines from ``start``; ``first`` is the first line's width, ``rest`` the rest's."""
        lines: list[_Line] = []
        breaks = [b for b in self.breaks if b > start]
        position, available = start, first
        while position < len(self.text):
            end = self._fit(position, breaks, available)
            lines.append(self._line(position, end))
            position = end
            while position < len(self.text) and self.text[position].isspace():
                position += 1
            breaks = [b for b in breaks if b > position]
            available = rest
        if not lines:
            lines.append(self._line(start, start))
        return lines

    def _fit(self, start: int, breaks: list[int], available: float) -> int:
        best = None
        for candidate in breaks:
            if self.width(start, self.trim(start, candidate)) <= available + 0.01:
                best = candidate
            else:
                break
        if best is not None:
            return best
        # No break fits: the longest run of whole clusters that does (at least one cluster).
        width, end = 0.0, start
        for index in range(start, len(self.text)):
            if self.cluster_start[index + 1] and index + 1 > start:
                piece = self.width(end, index + 1)
                if width + piece > available and end > start:
                    break
                width += piece
                end = index + 1
        return max(end, start + 1)

    def _line(self, start: int, end: int) -> _Line:
        end = self.trim(start, end)
        runs: list[_Run] = []
        for run in self.runs:
            lo, hi = max(run.start, start), min(run.end, end)
            if lo >= hi:
                continue
            if lo == run.start and hi == run.end:
                runs.append(run)
            else:
                glyphs = shape(run.face, self.text[lo:hi], bool(run.level % 2))
                runs.append(_Run(lo, hi, run.face, run.level, run.frag, glyphs))
        order = visual_order([run.level for run in runs])
        visual = [runs[i] for i in order]
        width = sum(g.advance * r.frag.fontSize / 1000 for r in visual for g in r.glyphs)
        size = max((r.frag.fontSize for r in visual), default=0.0)
        return _Line(start, end, width, visual, size)


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _face(char: str, frag: Any, previous: str | None) -> str:
    """The face for one character: a neutral keeps the face of the strong text before it."""
    if unicodedata.category(char) == "Cf":  # bidi isolates, ZWJ...: invisible, in any face
        return previous or _body_style(frag)
    if (
        previous is not None
        and (fonts.is_neutral(char) or char.isspace())
        and ord(char) in fonts.face_coverage(previous)
    ):
        return previous
    face = fonts.face_for(char)
    if face is not None:
        return face
    return _body_style(frag)


def _body_style(frag: Any) -> str:
    """The body face in the fragment's style (bold, italic)."""
    name = frag.fontName
    if name not in fonts.BODY_STYLES:
        name = tt2ps(fonts.BODY, 1 if "Bold" in name else 0, 1 if "Italic" in name else 0)
    return str(name)


def parse(markup: str, style: Any) -> list[_Segment]:
    """Markup to segments (one per ``<br/>`` line); a ValueError when it does not parse."""
    _, frags, _ = ParaParser().parse(markup, style)
    if frags is None:
        raise ValueError(f"cannot parse paragraph markup: {markup[:60]!r}")
    segments: list[_Segment] = []
    pieces: list[tuple[str, Any]] = []
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            segments.append(_Segment(pieces))
            pieces = []
            continue
        text = frag.text.replace("\n", " ").replace("\t", " ")
        if text:
            pieces.append((text, frag))
    segments.append(_Segment(pieces))
    return segments


# -- the flowable -------------------------------------------------------------------------------


class TextFlow(Flowable):  # type: ignore[misc]
    """A paragraph set by :mod:`facilitator.outputs.pdf.text` (same style API as Paragraph)."""

    def __init__(
        self,
        markup: str,
        style: Any,
        bulletText: str | None = None,
        *,
        _segments: list[_Segment] | None = None,
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
        self._lines: list[tuple[int, _Line]] | None = None
        self._width = -1.0
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        first = _start == (0, 0)
        self.spaceBefore = style.spaceBefore if first else 0
        self.spaceAfter = style.spaceAfter if _stop is None else 0

    # layout -------------------------------------------------------------------------------

    def _layout(self, width: float) -> list[tuple[int, _Line]]:
        if self._lines is not None and self._width == width:
            return self._lines
        style = self.style
        inner = max(width - style.leftIndent - style.rightIndent, 1.0)
        first_indent = style.firstLineIndent if self.start == (0, 0) else 0
        out: list[tuple[int, _Line]] = []
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

    def _leading(self, line: _Line) -> float:
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


def _draw_line(canvas: Any, line: _Line, x: float, y: float, segment: _Segment) -> None:
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
