"""Participant worksheets: one handout, personalised or blank, as flowables or PDF bytes.

Anatomy (docs/CONTENT.md): header (programme, week, date, "Name or initials (optional)"), title,
purpose, how to use, a safety note, numbered prompts with writing space, the support lines,
footer ("This sheet is yours; you do not have to share it", page X of Y, content version).
"""

from __future__ import annotations

import functools
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable, Spacer

from facilitator.config import SupportLine
from facilitator.errors import FacilitatorError, Problem
from facilitator.model.content import Handout
from facilitator.outputs.pdf.document import Body, Metadata, PageInfo, Section, build
from facilitator.outputs.pdf.flowables.blocks import BlockContext, boxed, paragraphs, render_block
from facilitator.outputs.pdf.flowables.shapes import Fields
from facilitator.outputs.pdf.forms import language_hint
from facilitator.outputs.pdf.markup import MarkupTooLong, isolate, plain, safe
from facilitator.outputs.pdf.style import PrintOptions, Theme, para, theme
from facilitator.templating import VARIABLES, TemplateProblem, environment, needs_template, render

RENDER_SECONDS = 20.0
"""Most time the text of one document may take to render (a runaway template fails fast)."""
NAME_LABEL = "Name or initials (optional):"
FOOTER = "This sheet is yours; you do not have to share it."
NAME_CHARS = 24
"""Longest name shown in a running header (the full name prints in the text itself)."""


def header_name(name: str, limit: int = NAME_CHARS) -> str:
    """A name for a running header: whole when short, else cut at a word boundary with an
    ellipsis ("Maria Fernanda de la…"); one long word is cut between two grapheme clusters
    (never between a letter and its marks)."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    cut = name[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 3:
        cut = cut[:space]
    else:
        end = len(cut)
        while end > 1 and unicodedata.category(name[end])[0] == "M":
            end -= 1
        cut = cut[:end]
    return cut.rstrip(" ,.-") + "\u2026"


class RenderProblem(FacilitatorError):
    """Handout text that cannot be printed safely, located like a validation problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class _BlankWeek(int):
    """Week "number" on a blank copy: compares as 0, prints as a space to write in."""

    def __str__(self) -> str:
        return "____"

    __html__ = __str__


BLANK = "________"


@dataclass(frozen=True, slots=True)
class SheetValues:
    """Everything that personalises a worksheet; empty fields print as spaces to write in."""

    programme: str = ""
    group_name: str = ""
    """The group's neutral display name, never its private name."""
    week: int | None = None
    meeting_date: str = ""
    facilitator_names: str = ""
    support_lines: tuple[SupportLine, ...] = ()
    participant_name: str = ""
    """Preferred name only; empty on blank copies."""
    version: str = ""
    language: str = "en"

    def template_values(self) -> dict[str, Any]:
        """The variables handout templates may use (see facilitator.templating.VARIABLES)."""
        return {
            "participant_name": self.participant_name,
            "group_name": self.group_name or BLANK,
            "programme": self.programme or BLANK,
            "week": self.week if self.week is not None else _BlankWeek(0),
            "meeting_date": self.meeting_date or BLANK,
            "facilitator_names": self.facilitator_names or BLANK,
            "support_lines": support_line_text(self.support_lines),
        }


def support_line_text(lines: Sequence[SupportLine]) -> str:
    """Support lines as one line of text: "Name: contact (note); ..."."""
    return "; ".join(
        f"{line.name}: {line.contact}" + (f" ({line.note})" if line.note else "") for line in lines
    )


@dataclass
class TextRenderer:
    """Renders author text through the sandbox and the markup filter, with a time budget."""

    values: dict[str, Any]
    source: str
    italics: bool = True
    started: float = field(default_factory=time.monotonic)

    def __call__(self, text: str, key: str) -> str:
        if time.monotonic() - self.started > RENDER_SECONDS:
            raise RenderProblem(Problem(self.source, 0, key, "rendering took too long"))
        try:
            return safe(render(text, self.values), italics=self.italics)
        except TemplateProblem as exc:
            raise RenderProblem(Problem(self.source, exc.line, key, exc.message)) from None
        except MarkupTooLong as exc:
            raise RenderProblem(Problem(self.source, 0, key, str(exc))) from None


def page_info(values: SheetValues, large: bool) -> PageInfo:
    """Header and footer of a worksheet's pages."""
    parts = [values.programme, f"Week {values.week}" if values.week else "", values.meeting_date]
    left = " \u00b7 ".join(plain(p) for p in parts if p)
    if values.participant_name:
        right, line = f"{NAME_LABEL} <b>{isolate(header_name(values.participant_name))}</b>", False
    else:
        right, line = NAME_LABEL, True
    version = f"Content version {values.version}" if values.version else ""
    return PageInfo(
        left=left, right=right, footer=FOOTER, version=version, large=large, name_line=line
    )


def worksheet_story(
    handout: Handout,
    values: SheetValues,
    *,
    large: bool = False,
    fields: Fields | None = None,
    source: str = "",
) -> list[Flowable]:
    """The flowables of one worksheet: its section marker and its (lazily built) body.

    The body's key holds the handout and only the values its text actually uses, so a handout
    that names the participant only in the running header is laid out once per document and
    reused for everyone (see :class:`~facilitator.outputs.pdf.document.Body`); one whose text
    says ``{{ participant_name }}`` gets its own layout per person.
    """
    template_values = values.template_values()
    used = handout_variables(handout)
    support = (
        ()
        if _mentions_support(handout)
        else tuple((line.name, line.contact, line.note) for line in values.support_lines)
    )
    key = (
        "worksheet",
        id(handout),
        large,
        fields is not None,
        support,
        tuple(
            (name, type(template_values.get(name)).__name__, str(template_values.get(name)))
            for name in sorted(used)
        ),
    )

    def make() -> list[Flowable]:
        return _worksheet_body(handout, values, large=large, fields=fields, source=source)

    return [Section(page_info(values, large)), Body(key, make)]


def _worksheet_body(
    handout: Handout, values: SheetValues, *, large: bool, fields: Fields | None, source: str
) -> list[Flowable]:
    t = theme(large)
    text = TextRenderer(
        values.template_values(), source or f"handout '{handout.id}'", italics=not large
    )
    ctx = BlockContext(t, text, fields)
    story: list[Flowable] = [para(text(handout.title, "title"), t.title)]
    story += paragraphs(text(handout.purpose, "purpose"), t.body)
    story += paragraphs(
        "<b>How to use this sheet.</b> " + text(handout.how_to_use, "how_to_use"), t.body
    )
    story.append(Spacer(1, t.size * 0.3))
    story.append(
        boxed(
            paragraphs(
                "<b>Look after yourself.</b> " + text(handout.safety_note, "safety_note"), t.note
            ),
            t,
        )
    )
    story.append(Spacer(1, t.size * 0.6))
    for index, block in enumerate(handout.blocks):
        story += render_block(block, f"blocks[{index}]", ctx)
    if not _mentions_support(handout) and values.support_lines:
        story.append(Spacer(1, t.size * 0.4))
        story.append(support_box(values.support_lines, t))
    return story


_VARIABLES_OF: dict[int, tuple[Handout, frozenset[str]]] = {}


def handout_variables(handout: Handout) -> frozenset[str]:
    """The template variables any text of a handout refers to (cached per handout object)."""
    cached = _VARIABLES_OF.get(id(handout))
    if cached is not None and cached[0] is handout:
        return cached[1]
    found: set[str] = set()
    for text in _strings(handout.model_dump()):
        found |= template_variables(text)
    if len(_VARIABLES_OF) > 1024:
        _VARIABLES_OF.clear()
    _VARIABLES_OF[id(handout)] = (handout, frozenset(found))
    return frozenset(found)


@functools.lru_cache(maxsize=4096)
def template_variables(text: str) -> frozenset[str]:
    """Variables a template text refers to (all of them when it does not even parse)."""
    if not needs_template(text):
        return frozenset()
    from jinja2 import meta

    try:
        return frozenset(meta.find_undeclared_variables(environment().parse(text)))
    except Exception:
        return frozenset(VARIABLES)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _mentions_support(handout: Handout) -> bool:
    return "support_lines" in handout.safety_note or any(
        "support_lines" in getattr(block, "text", "") for block in handout.blocks
    )


def support_box(lines: Sequence[SupportLine], t: Theme) -> Flowable:
    """The support and crisis lines from the settings, in a tinted box."""
    items = [para("<b>If you need support</b>", t.note)]
    for line in lines:
        note = f" ({plain(line.note)})" if line.note else ""
        items.append(
            para(
                f"{plain(line.name)}: <b>{plain(line.contact)}</b>{note}",
                t.note.clone("line", leftIndent=t.size * 0.8),
            )
        )
    return boxed(items, t)


def render_handout(
    handout: Handout, values: SheetValues, options: PrintOptions, *, source: str = ""
) -> bytes:
    """One worksheet as PDF bytes (``print-handout``)."""
    fields = (
        Fields(hint=values.participant_name + language_hint(values.language))
        if options.fillable
        else None
    )
    story = worksheet_story(
        handout, values, large=options.large_print, fields=fields, source=source
    )
    return build(story, options, Metadata("Worksheet", values.language))
