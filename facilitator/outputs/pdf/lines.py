"""A paragraph's lines for :class:`~facilitator.outputs.pdf.text.TextFlow`: the markup parsed
into segments (one per ``<br/>`` line), each cut into runs of one face, one level and one
style and shaped, then filled greedily into lines at break opportunities (spaces, CJK,
hyphens, whole HarfBuzz clusters), each line's runs in visual order."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from reportlab.lib.fonts import tt2ps
from reportlab.platypus.paraparser import ParaParser

from facilitator.outputs.pdf import fonts
from facilitator.outputs.pdf.shaping import Glyph, bidi_levels, shape, visual_order


@dataclass(slots=True)
class Run:
    start: int
    end: int
    face: str
    level: int
    frag: Any
    glyphs: tuple[Glyph, ...]


@dataclass(slots=True)
class Line:
    start: int
    end: int
    width: float
    runs: list[Run]
    """In visual order."""
    size: float


class Segment:
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

    def _runs(self) -> list[Run]:
        text = self.text
        runs: list[Run] = []
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
                    Run(
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

    def layout(self, first: float, rest: float, start: int = 0) -> list[Line]:
        """Greedy lines from ``start``; ``first`` is the first line's width, ``rest`` the rest's."""
        lines: list[Line] = []
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

    def _line(self, start: int, end: int) -> Line:
        end = self.trim(start, end)
        runs: list[Run] = []
        for run in self.runs:
            lo, hi = max(run.start, start), min(run.end, end)
            if lo >= hi:
                continue
            if lo == run.start and hi == run.end:
                runs.append(run)
            else:
                glyphs = shape(run.face, self.text[lo:hi], bool(run.level % 2))
                runs.append(Run(lo, hi, run.face, run.level, run.frag, glyphs))
        order = visual_order([run.level for run in runs])
        visual = [runs[i] for i in order]
        width = sum(g.advance * r.frag.fontSize / 1000 for r in visual for g in r.glyphs)
        size = max((r.frag.fontSize for r in visual), default=0.0)
        return Line(start, end, width, visual, size)


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


def parse(markup: str, style: Any) -> list[Segment]:
    """Markup to segments (one per ``<br/>`` line); a ValueError when it does not parse."""
    _, frags, _ = ParaParser().parse(markup, style)
    if frags is None:
        raise ValueError(f"cannot parse paragraph markup: {markup[:60]!r}")
    segments: list[Segment] = []
    pieces: list[tuple[str, Any]] = []
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            segments.append(Segment(pieces))
            pieces = []
            continue
        text = frag.text.replace("\n", " ").replace("\t", " ")
        if text:
            pieces.append((text, frag))
    segments.append(Segment(pieces))
    return segments
