"""How printouts look: paper sizes, ink colours, print options, the type theme and the
paragraph every printout is made of (reportlab's, or our
:class:`~facilitator.outputs.pdf.text.TextFlow` for text that needs bidi or shaping)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, tables

from facilitator.errors import FacilitatorError
from facilitator.outputs.pdf import fonts
from facilitator.outputs.pdf.shaping import needs_layout
from facilitator.outputs.pdf.text import TextFlow

PAPERS = {"letter": LETTER, "a4": A4}
INK = colors.HexColor("#111111")
RULE = colors.HexColor("#5f6368")
SOFT = colors.HexColor("#4a4a4a")
TINT = colors.HexColor("#eef2f6")
EDGE = colors.HexColor("#8a97a6")


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """How to print: paper, large print, fillable fields."""

    paper: str = "a4"
    large_print: bool = False
    fillable: bool = False
    duplex: bool = False
    """Printed on both sides: each person's pages start on the front of a sheet."""

    def __post_init__(self) -> None:
        if self.paper not in PAPERS:
            raise FacilitatorError(f"unknown paper size '{self.paper}' (use letter or a4)")


@dataclass(frozen=True)
class Theme:
    """Type sizes and spacing for one variant (standard or large print)."""

    large: bool
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    prompt: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    note: ParagraphStyle
    line_gap: float
    """Distance between ruled writing lines."""
    box: float
    """Side of a tick box."""

    @property
    def size(self) -> float:
        """Body type size in points."""
        return float(self.body.fontSize)


@functools.cache
def theme(large: bool = False) -> Theme:
    """The standard (11.5 pt) or large-print (18 pt, 1.5 spacing, no italics) theme."""
    fonts.register_body()
    # A table cell holding a plain string (even "") is drawn in the cell style's font, which is
    # Helvetica unless told: an unembedded font in every PDF. Our body face instead.
    tables.CellStyle.fontname = fonts.BODY
    size = 18.0 if large else 11.5
    lead = 1.5 if large else 1.38
    base = ParagraphStyle(
        "body",
        fontName=fonts.BODY,
        fontSize=size,
        leading=size * lead,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=size * 0.45,
        bulletFontName=fonts.BODY,
    )

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Theme(
        large=large,
        body=base,
        small=derive(
            "small", fontSize=size * 0.8, leading=size * 0.8 * lead, textColor=SOFT, spaceAfter=0
        ),
        title=derive(
            "title",
            fontName=fonts.BODY_BOLD,
            fontSize=size * 1.75,
            leading=size * 2.1,
            spaceAfter=size * 0.5,
        ),
        heading=derive(
            "heading",
            fontName=fonts.BODY_BOLD,
            fontSize=size * 1.2,
            leading=size * 1.2 * 1.3,
            spaceBefore=size * 0.7,
            spaceAfter=size * 0.3,
            keepWithNext=1,
        ),
        prompt=derive(
            "prompt", fontName=fonts.BODY_BOLD, spaceBefore=size * 0.5, spaceAfter=size * 0.2
        ),
        # Narrow cells may be narrower than a compound word: break it after its own hyphen
        # ("self-" / "compassion"), not between two letters.
        cell=derive(
            "cell",
            fontSize=size * 0.9,
            leading=size * 0.9 * 1.3,
            spaceAfter=0,
            embeddedHyphenation=1,
        ),
        cell_head=derive(
            "cell_head",
            fontName=fonts.BODY_BOLD,
            fontSize=size * 0.9,
            leading=size * 0.9 * 1.3,
            spaceAfter=0,
            embeddedHyphenation=1,
        ),
        note=derive("note", spaceAfter=size * 0.25),
        line_gap=34.0 if large else 25.0,
        box=size * 1.05,
    )


def paper_size(options: PrintOptions) -> tuple[float, float]:
    """Width and height of the page in points."""
    width, height = PAPERS[options.paper]
    return float(width), float(height)


class _Paragraph(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its last wrap.

    Tables, KeepTogether and the frame each measure the same paragraph at the same width
    (2.4 times per paragraph in a workbook); line breaking is the costliest step of layout,
    and it depends only on the width, so a repeat at the width of the last call is answered
    from that call, provided its lines are still the ones that call made (reportlab's split
    may drop them). A call at another width breaks the lines again, as before.
    """

    _fac_last: tuple[float, tuple[float, float], object] | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        last = self._fac_last
        if (
            last is not None
            and last[0] == avail_width
            and self.__dict__.get("blPara") is last[2]
            and self.width == avail_width
        ):
            self.height = last[1][1]
            return last[1]
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._fac_last = (avail_width, size, self.__dict__.get("blPara"))
        return size


def para(markup: str, style: ParagraphStyle, **kwargs: Any) -> Flowable:
    """A paragraph: reportlab's, or our bidi- and HarfBuzz-aware :class:`TextFlow` for text
    with right-to-left characters, marks or a script that needs shaping."""
    if needs_layout(markup):
        return TextFlow(markup, style, kwargs.get("bulletText"))
    return _Paragraph(markup, style, **kwargs)


LONG_NAME = 200
"""Names longer than this (characters) may make a table row taller than a page."""


def split_rows(names: Sequence[str]) -> int:
    """``splitInRow`` for a table of names: rows may continue overleaf only when a name is
    long enough to need it (splitting ordinary rows leaves a stray header at a page's foot)."""
    return int(any(len(name) > LONG_NAME for name in names))
