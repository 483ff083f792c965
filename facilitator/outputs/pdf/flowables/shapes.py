"""Drawn writing space: ruled lines, answer boxes, tick boxes, a 0-10 scale, signature lines.

Each shape can also carry AcroForm fields (``fields`` is a :class:`Fields` or ``None``) so a
participant can type answers; the printed lines stay, so the same file still prints well.
Text fields have no length limit, show typed answers in an embedded Unicode face (see
:mod:`facilitator.outputs.pdf.forms`) and carry the prompt's text as their tooltip (/TU), which
is what a screen reader announces. No name is ever put into a field.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.platypus import Flowable

from facilitator.outputs.pdf.forms import field_face, tooltip
from facilitator.outputs.pdf.style import EDGE, INK, RULE, Theme, para

_FIELD_FILL = colors.Color(1, 1, 1, alpha=0)


@dataclass
class Fields:
    """Hands out unique AcroForm field names within one document."""

    prefix: str = "f"
    count: int = field(default=0)
    hint: str = ""
    """Text whose script chooses the face typed answers show in (a name, a language sample)."""

    @property
    def font(self) -> str:
        """The face of this document's text fields."""
        return field_face(self.hint)

    def name(self) -> str:
        """A fresh field name."""
        self.count += 1
        return f"{self.prefix}{self.count}"


class WritingLines(Flowable):  # type: ignore[misc]
    """``count`` ruled lines to write on (or one multi-line text field over them)."""

    def __init__(
        self, count: int, theme: Theme, fields: Fields | None = None, label: str = "Answer"
    ) -> None:
        super().__init__()
        self.count, self.theme, self.fields, self.label = count, theme, fields, label

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.count * self.theme.line_gap + 4
        return self.width, self.height

    def draw(self) -> None:
        canvas, gap = self.canv, self.theme.line_gap
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        for row in range(self.count):
            y = self.height - gap * (row + 1)
            canvas.line(0, y, self.width, y)
        if self.fields is not None:
            _text_field(
                canvas,
                self.fields,
                0,
                2,
                self.width,
                self.height - 4,
                multiline=self.count > 1,
                size=self.theme.size * 0.85,
                label=self.label,
            )


class AnswerBox(Flowable):  # type: ignore[misc]
    """A rounded box ``lines`` writing lines tall."""

    def __init__(
        self, lines: int, theme: Theme, fields: Fields | None = None, label: str = "Answer"
    ) -> None:
        super().__init__()
        self.lines, self.theme, self.fields, self.label = lines, theme, fields, label

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = self.lines * self.theme.line_gap + 6
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(EDGE)
        canvas.setLineWidth(0.9)
        canvas.roundRect(0.5, 2, self.width - 1, self.height - 4, 6, stroke=1, fill=0)
        if self.fields is not None:
            _text_field(
                canvas,
                self.fields,
                4,
                5,
                self.width - 8,
                self.height - 10,
                multiline=True,
                size=self.theme.size * 0.85,
                label=self.label,
            )


class TickBox(Flowable):  # type: ignore[misc]
    """One square to tick (or a checkbox field)."""

    def __init__(self, theme: Theme, fields: Fields | None = None, label: str = "Tick") -> None:
        super().__init__()
        self.theme, self.fields, self.label = theme, fields, label
        self.side = theme.box

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.side, self.side

    def draw(self) -> None:
        _tick(self.canv, self.fields, 0, 0, self.side, self.label)


def _widget(canvas: object, kind: str, **kwargs: object) -> None:
    """A form field; on our canvas it is also recorded so that reused pages get their own."""
    hook = getattr(canvas, "fac_widget", None)
    if hook is not None:
        hook(kind, **kwargs)
    else:
        getattr(canvas.acroForm, kind)(**kwargs)  # type: ignore[attr-defined]


def _tick(
    canvas: object, fields: Fields | None, x: float, y: float, side: float, label: str
) -> None:
    canvas.setStrokeColor(INK)  # type: ignore[attr-defined]
    canvas.setLineWidth(0.9)  # type: ignore[attr-defined]
    canvas.rect(x, y, side, side, stroke=1, fill=0)  # type: ignore[attr-defined]
    if fields is not None:
        _widget(
            canvas,
            "checkbox",
            name=fields.name(),
            x=x + 1,
            y=y + 1,
            size=side - 2,
            buttonStyle="check",
            borderWidth=0,
            borderColor=None,
            fillColor=_FIELD_FILL,
            textColor=INK,
            forceBorder=False,
            relative=True,
            tooltip=label,
        )


def _text_field(
    canvas: object,
    fields: Fields,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    multiline: bool,
    size: float,
    label: str,
) -> None:
    _widget(
        canvas,
        "textfield",
        name=fields.name(),
        x=x,
        y=y,
        width=width,
        height=height,
        borderWidth=0,
        borderColor=None,
        fillColor=_FIELD_FILL,
        textColor=INK,
        fontName=fields.font,
        fontSize=min(size, 14),
        fieldFlags="multiline" if multiline else "",
        relative=True,
        tooltip=label,
        maxlen=0,
    )


class ScaleRow(Flowable):  # type: ignore[misc]
    """Eleven boxes numbered 0 to 10, with the low and high labels under the ends."""

    def __init__(
        self, low: str, high: str, theme: Theme, fields: Fields | None = None, label: str = ""
    ) -> None:
        super().__init__()
        self.theme, self.fields, self.label = theme, fields, label
        self.low_text, self.high_text = tooltip(low), tooltip(high)
        self.low = para(low, theme.small)
        self.high = para(high, theme.small.clone("high", alignment=2))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.cell = min(avail_width / 11, self.theme.size * 3.4)
        label_width = self.cell * 4.5
        _, low_h = self.low.wrap(label_width, avail_height)
        _, high_h = self.high.wrap(label_width, avail_height)
        self.label_h = max(low_h, high_h)
        self.height = self.cell * 0.75 + self.theme.size * 1.4 + self.label_h + 6
        return self.width, self.height

    def draw(self) -> None:
        canvas, theme = self.canv, self.theme
        side = min(self.cell * 0.62, theme.box * 1.6)
        box_y = self.label_h + 6
        canvas.setFont(theme.body.fontName, theme.size * 0.9)
        canvas.setFillColor(INK)
        group = self.fields.name() if self.fields is not None else ""
        for value in range(11):
            centre = self.cell * value + self.cell / 2
            canvas.drawCentredString(centre, box_y + side + theme.size * 0.45, str(value))
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(0.9)
            canvas.rect(centre - side / 2, box_y, side, side, stroke=1, fill=0)
            if group:
                _widget(
                    canvas,
                    "radio",
                    name=group,
                    value=f"v{value}",
                    selected=False,
                    x=centre - side / 2 + 1,
                    y=box_y + 1,
                    size=side - 2,
                    buttonStyle="circle",
                    borderWidth=0,
                    borderColor=None,
                    fillColor=_FIELD_FILL,
                    textColor=INK,
                    relative=True,
                    tooltip=self._tip(value),
                )
        self.low.drawOn(canvas, 0, 0)
        self.high.drawOn(canvas, self.cell * 11 - self.high.width, 0)

    def _tip(self, value: int) -> str:
        end = f" ({self.low_text})" if value == 0 else f" ({self.high_text})" if value == 10 else ""
        return f"{self.label}: {value} of 10{end}" if self.label else f"{value} of 10{end}"


class SignatureLines(Flowable):  # type: ignore[misc]
    """Lines side by side with a small label under each (signature, date)."""

    def __init__(self, labels: Sequence[str], theme: Theme, fields: Fields | None = None) -> None:
        super().__init__()
        self.theme, self.fields = theme, fields
        self.labels = [para(label, theme.small) for label in labels]
        self.tips = [tooltip(label) for label in labels]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        count = max(len(self.labels), 1)
        self.gap = self.theme.size * 2
        self.each = (avail_width - self.gap * (count - 1)) / count
        self.label_h = max((p.wrap(self.each, avail_height)[1] for p in self.labels), default=0)
        self.height = self.theme.line_gap * 1.6 + self.label_h
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        line_y = self.label_h + 3
        for index, label in enumerate(self.labels):
            x = index * (self.each + self.gap)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.line(x, line_y, x + self.each, line_y)
            label.drawOn(canvas, x, 0)
            if self.fields is not None:
                _text_field(
                    canvas,
                    self.fields,
                    x,
                    line_y + 1,
                    self.each,
                    self.theme.line_gap,
                    multiline=False,
                    size=self.theme.size * 0.85,
                    label=self.tips[index],
                )


class BlankCell(Flowable):  # type: ignore[misc]
    """An empty table cell to write in (a text field when fillable)."""

    def __init__(
        self, height: float, theme: Theme, fields: Fields | None = None, label: str = "Answer"
    ) -> None:
        super().__init__()
        self.cell_height, self.theme, self.fields, self.label = height, theme, fields, label

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.cell_height

    def draw(self) -> None:
        if self.fields is not None:
            _text_field(
                self.canv,
                self.fields,
                0,
                0,
                self.width,
                self.cell_height,
                multiline=True,
                size=self.theme.size * 0.8,
                label=self.label,
            )
