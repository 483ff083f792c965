"""The page furniture shared by every printout: paper, styles, header, footer, page X of Y.

A document is a list of *sections* (one worksheet, one guide, one sign-in sheet). Each section
starts with a :class:`Section` marker that carries its header and footer text; pages are
numbered within their section ("page 2 of 3") in a single pass: the total is a form XObject
drawn on every page and defined when the canvas is saved.

Reuse: a section's body may be a :class:`Body`, a lazily built story with a *key* that says
everything its layout depends on. When several sections of one document have the same key
(the same handout for twelve people whose names appear only in the header), the first is laid
out once with each page recorded as a form XObject and the others just draw those forms; only
the running header and footer (the personal parts) are drawn per page. Form fields cannot live
in a form XObject, so they are recorded too and re-created on each copy under fresh names.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    tables,
)

from facilitator.errors import FacilitatorError
from facilitator.outputs.pdf import fonts, forms
from facilitator.outputs.pdf.text import TextFlow, needs_layout

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


_RIGHT: dict[int, ParagraphStyle] = {}


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
    blank: bool = False
    """A page left blank for double-sided printing: only a short note, no number."""


BLANK_NOTE = "This page is left blank for double-sided printing."


class _Marker(Flowable):  # type: ignore[misc]
    """A zero-size flowable that acts on the canvas at page level when the frame reaches it."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.act(canvas)  # no saveState/translate: a form may begin or end here

    def act(self, canvas: _Canvas) -> None:
        raise NotImplementedError

    def draw(self) -> None:  # pragma: no cover - drawOn never calls it
        pass


class Section(_Marker):
    """Zero-size marker: pages from here on use ``info`` and are numbered afresh."""

    def __init__(self, info: PageInfo) -> None:
        super().__init__()
        self.info = info

    def act(self, canvas: _Canvas) -> None:
        canvas.fac_section_start(self.info)


class RectoBreak(PageBreak):  # type: ignore[misc]
    """A page break between different people's pages.

    Printed on both sides (``PrintOptions.duplex``), what follows starts on the front of a new
    sheet, after a blank page if need be, so nobody's page is on the back of someone else's.
    Otherwise it is a plain page break.
    """


class Body(Flowable):  # type: ignore[misc]
    """A section's content, built only when needed; equal keys lay out identically.

    ``key`` must cover everything the layout depends on (text after templating, type size,
    fields or not); ``None`` never reuses. :func:`build` expands it in place, or draws the
    recorded pages of an earlier body with the same key.
    """

    def __init__(self, key: Hashable | None, make: Callable[[], list[Flowable]]) -> None:
        super().__init__()
        self.key, self.make = key, make

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        raise RuntimeError("a Body is expanded by document.build()")  # pragma: no cover


@dataclass
class _Widget:
    """A form field drawn on a recorded page: the acroForm method and its absolute arguments."""

    kind: str
    kwargs: dict[str, Any]


@dataclass
class _Recording:
    """The pages of one laid-out body: form names and the fields on each page."""

    name: str
    pages: list[tuple[str, list[_Widget]]]
    done: bool = False
    copies: int = 0


class _Record(_Marker):
    def __init__(self, recording: _Recording) -> None:
        super().__init__()
        self.recording = recording

    def act(self, canvas: _Canvas) -> None:
        canvas.fac_record(self.recording)


class _EndRecord(_Marker):
    def act(self, canvas: _Canvas) -> None:
        canvas.fac_recording = None  # the open page form closes at the end of this page


class _Replay(_Marker):
    def __init__(self, recording: _Recording, page: int, copy: int) -> None:
        super().__init__()
        self.recording, self.page, self.copy = recording, page, copy

    def act(self, canvas: _Canvas) -> None:
        canvas.fac_replay(self.recording, self.page, self.copy)


class _Canvas(Canvas):  # type: ignore[misc]
    """A canvas that numbers pages per section with a forward-referenced total.

    It also records pages into form XObjects (see :class:`Body`) and keeps the page furniture
    (running header, rules, footer) as forms drawn once per document and reused on every page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fac_info: PageInfo | None = None
        self.fac_page = 0
        self.fac_sections = 0
        self.fac_totals: dict[str, int] = {}
        self.fac_form_size: dict[str, float] = {}
        self.fac_recording: _Recording | None = None
        self.fac_open: tuple[_Recording, str, list[_Widget]] | None = None
        self.fac_furniture: dict[tuple[Any, ...], str] = {}
        self.fac_known_total = 0
        """Page count of the current section when known up front (a replayed body)."""

    def fac_section_start(self, info: PageInfo) -> None:
        self.fac_recording = None
        if self.fac_open is not None:  # opened at page begin for a body that has ended
            if self._code:
                self.fac_close_form()
            else:
                self._abort_form()
        self.fac_info = info
        self.fac_page = 0
        self.fac_sections += 1
        self.fac_known_total = 0

    # -- recording pages ------------------------------------------------------------------

    def fac_record(self, recording: _Recording) -> None:
        self.fac_recording = recording
        self._open_form()

    def fac_page_begin(self) -> None:
        if self.fac_recording is not None and self.fac_open is None:
            self._open_form()

    def _open_form(self) -> None:
        recording = self.fac_recording
        assert recording is not None
        name = f"{recording.name}p{len(recording.pages) + 1}"
        # Always set the page's accumulators aside (beginForm skips that on an empty page, and
        # endForm would then drop the page's annotations).
        self._pushAccumulators()
        self.beginForm(name)
        self.fac_open = (recording, name, [])

    def _abort_form(self) -> None:
        """Drop a page form that received nothing (the recorded body ended on the last page)."""
        self._restartAccumulators()
        self.pop_state_stack()
        self._doc.inObject = None
        self.fac_open = None

    def fac_close_form(self) -> None:
        """End the page's form and draw it on the page."""
        if self.fac_open is None:
            return
        recording, name, widgets = self.fac_open
        self.fac_open = None
        self.endForm()
        self.doForm(name)
        recording.pages.append((name, widgets))
        if self.fac_recording is not recording:
            recording.done = True

    def _annotatePage(self, name: str) -> None:
        if self.fac_open is None:
            super()._annotatePage(name)
        else:  # a field made while a form is open belongs to the page, not the form
            self._codeStack[-1][2].append(self._doc.refAnnotation(name))

    def fac_widget(self, kind: str, **kwargs: Any) -> None:
        """Make a form field (``acroForm.<kind>``), remembering it when a page is recorded."""
        if kwargs.pop("relative", False):
            kwargs["x"], kwargs["y"] = self.absolutePosition(kwargs["x"], kwargs["y"])
        if self.fac_open is not None:
            self.fac_open[2].append(_Widget(kind, dict(kwargs)))
        forms.install(self.acroForm)
        getattr(self.acroForm, kind)(**kwargs)

    def fac_replay(self, recording: _Recording, page: int, copy: int) -> None:
        self.fac_known_total = len(recording.pages)
        name, widgets = recording.pages[page]
        self.doForm(name)
        if widgets:
            forms.install(self.acroForm)
        for widget in widgets:
            kwargs = dict(widget.kwargs)
            kwargs["name"] = f"{kwargs['name']}r{copy}"
            getattr(self.acroForm, widget.kind)(**kwargs)

    # -- furniture --------------------------------------------------------------------------

    def fac_form(self, key: tuple[Any, ...], draw: Callable[[], None]) -> None:
        """Draw a form made once per document by ``draw`` (page coordinates)."""
        name = self.fac_furniture.get(key)
        if name is None:
            name = self.fac_furniture[key] = f"furniture{len(self.fac_furniture) + 1}"
            self.beginForm(name)
            draw()
            self.endForm()
        self.doForm(name)

    def save(self) -> None:
        for name, total in self.fac_totals.items():
            self.beginForm(name)
            self.setFont(fonts.BODY, self.fac_form_size.get(name, 9))
            self.setFillColor(SOFT)
            self.drawString(0, 0, str(total))
            self.endForm()
        super().save()


def _page_begin(canvas: _Canvas, doc: BaseDocTemplate) -> None:
    canvas.fac_page_begin()


def _decorate(canvas: _Canvas, doc: BaseDocTemplate) -> None:
    """Draw header and footer at the end of each page (sections are known by then)."""
    canvas.fac_close_form()
    info = canvas.fac_info
    if info is None:
        return
    if info.blank:
        width, height = doc.pagesize
        canvas.saveState()
        canvas.setFont(fonts.BODY, theme(info.large).small.fontSize)
        canvas.setFillColor(SOFT)
        canvas.drawCentredString(width / 2, height / 2, BLANK_NOTE)
        canvas.restoreState()
        return
    canvas.fac_page += 1
    form = f"total{canvas.fac_sections}"
    if not canvas.fac_known_total:
        canvas.fac_totals[form] = canvas.fac_page
    width, height = doc.pagesize
    t = theme(info.large)
    small = t.small
    inner = width - 2 * MARGIN_X
    # Header paragraphs sit on the rule and grow upwards, so a long name never reaches the body.
    base = height - MARGIN_TOP + 3 * mm + 2.5 * mm
    foot_y = MARGIN_BOTTOM - 8 * mm

    def head() -> None:
        left = para(info.left, small)
        left.wrap(inner * 0.58, 40 * mm)
        left.drawOn(canvas, MARGIN_X, base)
        canvas.setStrokeColor(EDGE)
        canvas.setLineWidth(0.5)
        rule_y = height - MARGIN_TOP + 3 * mm
        canvas.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
        canvas.line(
            MARGIN_X, foot_y + small.leading + 2, width - MARGIN_X, foot_y + small.leading + 2
        )

    def right() -> None:
        x = MARGIN_X + inner * 0.6
        style = (
            small
            if info.name_line
            else _RIGHT.setdefault(id(small), small.clone("right", alignment=TA_RIGHT))
        )
        paragraph = para(info.right, style)
        paragraph.wrap(inner * 0.4, 40 * mm)
        paragraph.drawOn(canvas, x, base)
        if info.name_line:  # the label is plain ASCII then; the line runs to the margin
            start = x + canvas.stringWidth(info.right, fonts.BODY, small.fontSize) + 4
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.line(start, base + 2, width - MARGIN_X, base + 2)

    def footer() -> None:
        foot = para(info.footer, small)
        foot.wrap(inner * 0.7, 20 * mm)
        foot.drawOn(canvas, MARGIN_X, foot_y)

    canvas.fac_form(("head", info.left, info.large, width, height), head)
    if info.right:
        canvas.fac_form(("right", info.right, info.name_line, info.large, width, height), right)
    if info.footer:
        canvas.fac_form(("foot", info.footer, info.large, width, height), footer)
    canvas.saveState()
    label = f"Page {canvas.fac_page} of "
    size = small.fontSize
    canvas.setFont(fonts.BODY, size)
    canvas.setFillColor(SOFT)
    reserve = canvas.stringWidth("Page 99 of 99", fonts.BODY, size)
    x = width - MARGIN_X - reserve
    if canvas.fac_known_total:  # a replayed body: no forward reference needed
        canvas.drawString(x, foot_y + 2, f"{label}{canvas.fac_known_total}")
    else:
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


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Expands :class:`Body` flowables as layout reaches them (see :func:`_plan`)."""

    def __init__(
        self,
        *args: Any,
        plan: dict[int, tuple[str, _Recording]],
        duplex: bool = False,
        large: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fac_plan = plan
        self.fac_duplex = duplex
        self.fac_large = large

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        if flowables and type(flowables[0]) is RectoBreak:
            # self.page is the page about to end: odd means what follows would land on its back
            blank = [Section(PageInfo(left="", blank=True, large=self.fac_large)), PageBreak()]
            flowables[0:1] = [PageBreak(), *(blank if self.fac_duplex and self.page % 2 else [])]
        while flowables and isinstance(flowables[0], Body):
            body = flowables[0]
            role, recording = self.fac_plan.get(id(body), ("", None))
            if role == "replay" and recording is not None and recording.done:
                recording.copies += 1
                pages: list[Flowable] = []
                for index in range(len(recording.pages)):
                    if index:
                        pages.append(PageBreak())
                    pages.append(_Replay(recording, index, recording.copies))
                flowables[0:1] = pages
            elif role == "record" and recording is not None:
                flowables[0:1] = [_Record(recording), *body.make(), _EndRecord()]
            else:
                flowables[0:1] = body.make()


def _plan(story: Sequence[Flowable]) -> dict[int, tuple[str, _Recording]]:
    """Which bodies to record and which to replay.

    A body is reusable when it fills whole pages of its own: right after its section marker at
    the top of a page (story start or a page break before the marker) and followed by a page
    break or the end. The first of several equal keys is recorded, the others replay it.
    """
    eligible: dict[Hashable, list[int]] = {}
    for index, item in enumerate(story):
        if not isinstance(item, Body) or item.key is None or index == 0:
            continue
        if not isinstance(story[index - 1], Section):
            continue
        if index >= 2 and not isinstance(story[index - 2], PageBreak):
            continue
        if index + 1 < len(story) and not isinstance(story[index + 1], PageBreak):
            continue
        eligible.setdefault(item.key, []).append(index)
    plan: dict[int, tuple[str, _Recording]] = {}
    for indexes in eligible.values():
        if len(indexes) < 2:
            continue
        recording = _Recording(f"body{len(plan) + 1}", [])
        for position, index in enumerate(indexes):
            plan[id(story[index])] = ("replay" if position else "record", recording)
    return plan


def build(story: Sequence[Flowable], options: PrintOptions, meta: Metadata) -> bytes:
    """Lay out ``story`` on the chosen paper and return deterministic PDF bytes."""
    fonts.register_body()
    buffer = io.BytesIO()
    width, height = paper_size(options)
    story = list(story)
    doc = _Doc(
        buffer,
        pagesize=(width, height),
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=meta.title,
        author="",
        subject=meta.subject,
        creator="facilitator",
        producer="facilitator (reportlab)",
        invariant=1,
        lang=meta.language,
        displayDocTitle=1,
        pageCompression=1,
        initialFontName=fonts.BODY,
        initialFontSize=11,
        plan=_plan(story),
        duplex=options.duplex,
        large=options.large_print,
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        width - 2 * MARGIN_X,
        height - MARGIN_TOP - MARGIN_BOTTOM,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_page_begin, onPageEnd=_decorate)]
    )
    try:
        doc.build(story, canvasmaker=_Canvas)
    except ValueError as exc:  # a Paragraph that still failed to parse: never a traceback
        raise FacilitatorError(f"could not lay out the document: {exc}") from None
    return buffer.getvalue()
