"""The page furniture shared by every printout: paper, styles, header, footer, page X of Y.

A document is a list of *sections* (one worksheet, one guide, one sign-in sheet). Each section
starts with a :class:`Section` marker that carries its header and footer text; pages are
numbered within their section ("page 2 of 3") in a single pass: the total is a form XObject
drawn on every page and defined when the canvas is saved.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from facilitator.errors import FacilitatorError
from facilitator.outputs.pdf import fonts

PAPERS = {"letter": LETTER, "a4": A4}
INK = colors.HexColor("#111111")
RULE = colors.HexColor("#5f6368")
SOFT = colors.HexColor("#4a4a4a")
TINT = colors.HexColor("#eef2f6")
EDGE = colors.HexColor("#8a97a6")
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm


@dataclass(frozen=True, slots=True)
class PrintOptions:
    """How to print: paper, large print, fillable fields."""

    paper: str = "a4"
    large_print: bool = False
    fillable: bool = False

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
    size = 18.0 if large else 11.5
    lead = 1.5 if large else 1.38
    base = ParagraphStyle("body", fontName=fonts.BODY, fontSize=size, leading=size * lead,
                          textColor=INK, alignment=TA_LEFT, spaceAfter=size * 0.45)

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Theme(
        large=large,
        body=base,
        small=derive("small", fontSize=size * 0.8, leading=size * 0.8 * lead, textColor=SOFT,
                     spaceAfter=0),
        title=derive("title", fontName=fonts.BODY_BOLD, fontSize=size * 1.75,
                     leading=size * 2.1, spaceAfter=size * 0.5),
        heading=derive("heading", fontName=fonts.BODY_BOLD, fontSize=size * 1.2,
                       leading=size * 1.2 * 1.3, spaceBefore=size * 0.7, spaceAfter=size * 0.3,
                       keepWithNext=1),
        prompt=derive("prompt", fontName=fonts.BODY_BOLD, spaceBefore=size * 0.5,
                      spaceAfter=size * 0.2),
        cell=derive("cell", fontSize=size * 0.9, leading=size * 0.9 * 1.3, spaceAfter=0),
        cell_head=derive("cell_head", fontName=fonts.BODY_BOLD, fontSize=size * 0.9,
                         leading=size * 0.9 * 1.3, spaceAfter=0),
        note=derive("note", spaceAfter=size * 0.25),
        line_gap=34.0 if large else 25.0,
        box=size * 1.05,
    )


def paper_size(options: PrintOptions) -> tuple[float, float]:
    """Width and height of the page in points."""
    width, height = PAPERS[options.paper]
    return float(width), float(height)


_SHAPED: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}
_RIGHT: dict[int, ParagraphStyle] = {}


def para(markup: str, style: ParagraphStyle, **kwargs: Any) -> Paragraph:
    """A Paragraph, shaped by HarfBuzz only when it holds Arabic (shaping costs 5x)."""
    if fonts.SHAPED_FACE in markup:
        key = id(style)
        cached = _SHAPED.get(key)
        if cached is None or cached[0] is not style:
            cached = _SHAPED[key] = (style, ParagraphStyle(f"{style.name}-shaped", parent=style,
                                                           shaping=1))
        style = cached[1]
    return Paragraph(markup, style, **kwargs)


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Header and footer text of a section's pages (already safe Paragraph markup)."""

    left: str
    """Running header, left: programme, week, date."""
    right: str = ""
    """Running header, right: e.g. "Name or initials (optional):" and the name if printed."""
    footer: str = ""
    version: str = ""
    large: bool = False
    name_line: bool = False
    """Draw a writing line after ``right`` for a name or initials."""


class Section(Flowable):  # type: ignore[misc]
    """Zero-size marker: pages from here on use ``info`` and are numbered afresh."""

    def __init__(self, info: PageInfo) -> None:
        super().__init__()
        self.info = info

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        canvas = self.canv
        canvas.fac_section_start(self.info)


class _Canvas(Canvas):  # type: ignore[misc]
    """A canvas that numbers pages per section with a forward-referenced total."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fac_info: PageInfo | None = None
        self.fac_page = 0
        self.fac_sections = 0
        self.fac_totals: dict[str, int] = {}
        self.fac_form_size: dict[str, float] = {}

    def fac_section_start(self, info: PageInfo) -> None:
        self.fac_info = info
        self.fac_page = 0
        self.fac_sections += 1

    def save(self) -> None:
        for name, total in self.fac_totals.items():
            self.beginForm(name)
            self.setFont(fonts.BODY, self.fac_form_size.get(name, 9))
            self.setFillColor(SOFT)
            self.drawString(0, 0, str(total))
            self.endForm()
        super().save()


def _decorate(canvas: _Canvas, doc: BaseDocTemplate) -> None:
    """Draw header and footer at the end of each page (sections are known by then)."""
    info = canvas.fac_info
    if info is None:
        return
    canvas.fac_page += 1
    form = f"total{canvas.fac_sections}"
    canvas.fac_totals[form] = canvas.fac_page
    width, height = doc.pagesize
    t = theme(info.large)
    small = t.small
    canvas.saveState()
    inner = width - 2 * MARGIN_X
    # Header paragraphs sit on the rule and grow upwards, so a long name never reaches the body.
    base = height - MARGIN_TOP + 3 * mm + 2.5 * mm
    left = para(info.left, small)
    left.wrap(inner * 0.58, 40 * mm)
    left.drawOn(canvas, MARGIN_X, base)
    if info.right:
        x = MARGIN_X + inner * 0.6
        style = small if info.name_line else _RIGHT.setdefault(id(small), small.clone(
            "right", alignment=TA_RIGHT))
        right = para(info.right, style)
        right.wrap(inner * 0.4, 40 * mm)
        right.drawOn(canvas, x, base)
        if info.name_line:  # the label is plain ASCII then; the line runs to the margin
            start = x + canvas.stringWidth(info.right, fonts.BODY, small.fontSize) + 4
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.line(start, base + 2, width - MARGIN_X, base + 2)
    canvas.setStrokeColor(EDGE)
    canvas.setLineWidth(0.5)
    rule_y = height - MARGIN_TOP + 3 * mm
    canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
    foot_y = MARGIN_BOTTOM - 8 * mm
    canvas.line(MARGIN_X, foot_y + small.leading + 2, width - MARGIN_X, foot_y + small.leading + 2)
    if info.footer:
        foot = para(info.footer, small)
        foot.wrap(inner * 0.7, 20 * mm)
        foot.drawOn(canvas, MARGIN_X, foot_y)
    label = f"Page {canvas.fac_page} of "
    size = small.fontSize
    canvas.setFont(fonts.BODY, size)
    canvas.setFillColor(SOFT)
    reserve = canvas.stringWidth("Page 99 of 99", fonts.BODY, size)
    x = width - MARGIN_X - reserve
    canvas.drawString(x, foot_y + 2, label)
    canvas.fac_form_size[form] = size
    canvas.saveState()
    canvas.translate(x + canvas.stringWidth(label, fonts.BODY, size), foot_y + 2)
    canvas.doForm(form)
    canvas.restoreState()
    if info.version:
        canvas.setFont(fonts.BODY, size * 0.85)
        canvas.drawString(x, foot_y + 2 - size * 1.15, info.version)
    canvas.restoreState()


@dataclass(frozen=True, slots=True)
class Metadata:
    """What goes into the PDF's document information: never a person's name."""

    title: str
    language: str = "en"
    subject: str = ""


def build(story: Sequence[Flowable], options: PrintOptions, meta: Metadata) -> bytes:
    """Lay out ``story`` on the chosen paper and return deterministic PDF bytes."""
    fonts.register_body()
    buffer = io.BytesIO()
    width, height = paper_size(options)
    doc = BaseDocTemplate(
        buffer, pagesize=(width, height), leftMargin=MARGIN_X, rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=meta.title, author="",
        subject=meta.subject, creator="facilitator", producer="facilitator (reportlab)",
        invariant=1, lang=meta.language, displayDocTitle=1, pageCompression=1,
        initialFontName=fonts.BODY, initialFontSize=11,
    )
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, width - 2 * MARGIN_X,
                  height - MARGIN_TOP - MARGIN_BOTTOM, id="body", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_decorate)])
    try:
        doc.build(list(story), canvasmaker=_Canvas)
    except ValueError as exc:  # a Paragraph that still failed to parse: never a traceback
        raise FacilitatorError(f"could not lay out the document: {exc}") from None
    return buffer.getvalue()
