"""Bidi levels and shaping for :class:`~facilitator.outputs.pdf.text.TextFlow`: which text
needs them, each character's embedding level and the visual order of runs (the Unicode
Bidirectional Algorithm, from python-bidi), and HarfBuzz glyphs of one run (uharfbuzz)."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from bidi import get_display

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
    """Whether ``text`` needs bidi reordering or shaping (what
    :mod:`facilitator.outputs.pdf.text` says it is for)."""
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
