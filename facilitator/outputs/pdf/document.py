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

import io
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
)

from facilitator.errors import FacilitatorError
from facilitator.outputs.pdf import fonts
from facilitator.outputs.pdf.canvas import (
    EndRecord,
    Marker,
    PageCanvas,
    Record,
    Recording,
    Replay,
)
from facilitator.outputs.pdf.style import (
    EDGE,
    RULE,
    SOFT,
    PrintOptions,
    paper_size,
    para,
    theme,
)

# PrintOptions is chosen by the front ends together with build(): importable from here.
__all__ = [
    "BLANK_NOTE",
    "Body",
    "Metadata",
    "PageInfo",
    "PrintOptions",
    "RectoBreak",
    "Section",
    "build",
]

MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm


_RIGHT: dict[int, ParagraphStyle] = {}


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


class Section(Marker):
    """Zero-size marker: pages from here on use ``info`` and are numbered afresh."""

    def __init__(self, info: PageInfo) -> None:
        super().__init__()
        self.info = info

    def act(self, canvas: PageCanvas) -> None:
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


def _page_begin(canvas: PageCanvas, doc: BaseDocTemplate) -> None:
    canvas.fac_page_begin()


def _decorate(canvas: PageCanvas, doc: BaseDocTemplate) -> None:
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
        plan: dict[int, tuple[str, Recording]],
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
                    pages.append(Replay(recording, index, recording.copies))
                flowables[0:1] = pages
            elif role == "record" and recording is not None:
                flowables[0:1] = [Record(recording), *body.make(), EndRecord()]
            else:
                flowables[0:1] = body.make()


def _plan(story: Sequence[Flowable]) -> dict[int, tuple[str, Recording]]:
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
    plan: dict[int, tuple[str, Recording]] = {}
    for indexes in eligible.values():
        if len(indexes) < 2:
            continue
        recording = Recording(f"body{len(plan) + 1}", [])
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
        doc.build(story, canvasmaker=PageCanvas)
    except ValueError as exc:  # a Paragraph that still failed to parse: never a traceback
        raise FacilitatorError(f"could not lay out the document: {exc}") from None
    return buffer.getvalue()
