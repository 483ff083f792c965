"""The canvas of every printout: pages numbered per section with a forward-referenced total,
bodies recorded once as form XObjects and replayed, form fields re-made on each copy, and the
page furniture drawn once per document (see :mod:`facilitator.outputs.pdf.document`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from facilitator.outputs.pdf import fonts, forms
from facilitator.outputs.pdf.style import SOFT

if TYPE_CHECKING:
    from facilitator.outputs.pdf.document import PageInfo


class Marker(Flowable):  # type: ignore[misc]
    """A zero-size flowable that acts on the canvas at page level when the frame reaches it."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.act(canvas)  # no saveState/translate: a form may begin or end here

    def act(self, canvas: PageCanvas) -> None:
        raise NotImplementedError

    def draw(self) -> None:  # pragma: no cover - drawOn never calls it
        pass


@dataclass
class _Widget:
    """A form field drawn on a recorded page: the acroForm method and its absolute arguments."""

    kind: str
    kwargs: dict[str, Any]


@dataclass
class Recording:
    """The pages of one laid-out body: form names and the fields on each page."""

    name: str
    pages: list[tuple[str, list[_Widget]]]
    done: bool = False
    copies: int = 0


class Record(Marker):
    """Start recording the pages that follow into ``recording``."""

    def __init__(self, recording: Recording) -> None:
        super().__init__()
        self.recording = recording

    def act(self, canvas: PageCanvas) -> None:
        canvas.fac_record(self.recording)


class EndRecord(Marker):
    """Stop recording at the end of this page."""

    def act(self, canvas: PageCanvas) -> None:
        canvas.fac_recording = None  # the open page form closes at the end of this page


class Replay(Marker):
    """Draw page ``page`` of a recording (``copy`` names its form fields afresh)."""

    def __init__(self, recording: Recording, page: int, copy: int) -> None:
        super().__init__()
        self.recording, self.page, self.copy = recording, page, copy

    def act(self, canvas: PageCanvas) -> None:
        canvas.fac_replay(self.recording, self.page, self.copy)


class PageCanvas(Canvas):  # type: ignore[misc]
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
        self.fac_recording: Recording | None = None
        self.fac_open: tuple[Recording, str, list[_Widget]] | None = None
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

    def fac_record(self, recording: Recording) -> None:
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

    def fac_replay(self, recording: Recording, page: int, copy: int) -> None:
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
