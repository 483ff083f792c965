"""The accessible edition: a participant's worksheets as semantic HTML for screen readers.

One self-contained HTML file per participant (``print --week N --accessible``, and for the
workbook): ``lang`` and ``dir="auto"``, one ``h1``, a heading per worksheet and per section,
real lists, and form fields with labels (text areas for prompts, check boxes for checklists
and trackers, a group of radio buttons for a 0-10 scale), so it can be read, navigated and
filled in with a screen reader or in any browser, and saved.

Same content and the same privacy rules as the PDF: the text goes through the same template
sandbox and markup filter, and the only name in a file is its own participant's; the title is
generic and there are no external resources (no scripts, fonts, images or links to load).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from facilitator.config import SupportLine
from facilitator.model.content import (
    ChecklistBlock,
    CommitmentBlock,
    Handout,
    ParagraphBlock,
    PromptBlock,
    ScaleBlock,
    TableBlock,
    TrackerBlock,
)
from facilitator.outputs.pdf.worksheet import FOOTER, SheetValues, TextRenderer

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_FONT_TAG = re.compile(r"</?font\b[^>]*>")
_STYLE = """
body { font-family: "Atkinson Hyperlegible", system-ui, sans-serif;
       line-height: 1.5; max-width: 42rem; margin: 1.5rem auto; padding: 0 1rem; color: #111; }
textarea, input[type=text] { width: 100%; font: inherit; }
fieldset { border: 1px solid #8a97a6; margin: 1rem 0; }
table { border-collapse: collapse; } th, td { border: 1px solid #8a97a6; padding: .3rem; }
.note { background: #eef2f6; border: 1px solid #8a97a6; padding: .5rem 1rem; }
"""


def inline(markup: str) -> str:
    """Our safe Paragraph markup (b, i, u, br, font) as HTML inline content."""
    text = _FONT_TAG.sub("", markup).replace("<br/>", "<br>")
    return (
        text.replace("<b>", "<strong>")
        .replace("</b>", "</strong>")
        .replace("<i>", "<em>")
        .replace("</i>", "</em>")
    )


class _Page:
    """Builds one document; field ids are unique within it."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.ids = 0

    def add(self, text: str) -> None:
        self.parts.append(text)

    def new_id(self) -> str:
        self.ids += 1
        return f"f{self.ids}"


def document(
    handouts: Sequence[tuple[Handout, str]],
    values: SheetValues,
    *,
    title: str,
    heading: str,
    large: bool = False,
) -> str:
    """One participant's worksheets (``(handout, source)`` pairs) as an HTML document."""
    page = _Page()
    lang = html.escape(values.language or "en", quote=True)
    size = "1.6rem" if large else "1.15rem"
    page.add(
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{_STYLE}body {{ font-size: {size}; }}</style>\n</head>\n<body>\n"
    )
    page.add("<header>\n")
    page.add(f"<h1>{html.escape(heading)}</h1>\n")
    about = [values.programme, f"Week {values.week}" if values.week else "", values.meeting_date]
    page.add(f'<p dir="auto">{html.escape(" · ".join(a for a in about if a))}</p>\n')
    if values.participant_name:
        page.add(f'<p>For <strong dir="auto">{html.escape(values.participant_name)}</strong></p>\n')
    page.add("</header>\n<main>\n")
    for handout, source in handouts:
        _handout(page, handout, values, source)
    page.add("</main>\n<footer>\n")
    page.add(f"<p>{html.escape(FOOTER)}</p>\n")
    if values.version:
        page.add(f"<p>Content version {html.escape(values.version)}</p>\n")
    page.add("</footer>\n</body>\n</html>\n")
    return "".join(page.parts)


def _handout(page: _Page, handout: Handout, values: SheetValues, source: str) -> None:
    text = TextRenderer(values.template_values(), source or f"handout '{handout.id}'")
    page.add('<section>\n<h2 dir="auto">' + inline(text(handout.title, "title")) + "</h2>\n")
    page.add(_paragraphs(text(handout.purpose, "purpose")))
    page.add(
        '<p dir="auto"><strong>How to use this sheet.</strong> '
        + inline(text(handout.how_to_use, "how_to_use"))
        + "</p>\n"
    )
    page.add(
        '<aside class="note" aria-label="Look after yourself">\n<p dir="auto">'
        "<strong>Look after yourself.</strong> "
        + inline(text(handout.safety_note, "safety_note"))
        + "</p>\n</aside>\n"
    )
    number = 0
    for index, block in enumerate(handout.blocks):
        key = f"blocks[{index}]"
        if isinstance(block, ParagraphBlock):
            if block.heading:
                page.add(f'<h3 dir="auto">{inline(text(block.heading, key + ".heading"))}</h3>\n')
            page.add(_paragraphs(text(block.text, key + ".text")))
        elif isinstance(block, PromptBlock):
            number += 1
            field = page.new_id()
            rows = max(block.size, 2)
            page.add(
                f'<p dir="auto"><label for="{field}">{number}. '
                f"{inline(text(block.text, key + '.text'))}</label></p>\n"
                f'<textarea id="{field}" name="{field}" rows="{rows}" dir="auto"></textarea>\n'
            )
        elif isinstance(block, ChecklistBlock):
            page.add("<fieldset>\n")
            legend = text(block.text, key + ".text") if block.text else "Tick what applies"
            page.add(f'<legend dir="auto">{inline(legend)}</legend>\n<ul>\n')
            for i, item in enumerate(block.items):
                field = page.new_id()
                page.add(
                    f'<li><input type="checkbox" id="{field}" name="{field}"> '
                    f'<label for="{field}" dir="auto">'
                    f"{inline(text(item, f'{key}.items[{i}]'))}</label></li>\n"
                )
            page.add("</ul>\n</fieldset>\n")
        elif isinstance(block, ScaleBlock):
            number += 1
            page.add(
                f'<fieldset>\n<legend dir="auto">{number}. '
                f"{inline(text(block.text, key + '.text'))}</legend>\n"
            )
            low = inline(text(block.low, key + ".low"))
            high = inline(text(block.high, key + ".high"))
            page.add(f'<p dir="auto">0 means {low}; 10 means {high}.</p>\n')
            group = page.new_id()
            for value in range(11):
                field = f"{group}v{value}"
                page.add(
                    f'<input type="radio" id="{field}" name="{group}" value="{value}"> '
                    f'<label for="{field}">{value}</label>\n'
                )
            page.add("</fieldset>\n")
        elif isinstance(block, TrackerBlock):
            _tracker(page, block, key, text)
        elif isinstance(block, TableBlock):
            _table(page, block, key, text)
        elif isinstance(block, CommitmentBlock):
            field = page.new_id()
            page.add(
                f'<p dir="auto"><label for="{field}">{inline(text(block.text, key + ".text"))}'
                f'</label></p>\n<textarea id="{field}" name="{field}" rows="2" dir="auto">'
                "</textarea>\n"
            )
            for label in block.lines:
                field = page.new_id()
                page.add(
                    f'<p><label for="{field}" dir="auto">{html.escape(label)}</label> '
                    f'<input type="text" id="{field}" name="{field}" dir="auto"></p>\n'
                )
    if values.support_lines and "support_lines" not in handout.safety_note:
        page.add(_support(values.support_lines, page.new_id()))
    page.add("</section>\n")


def _tracker(page: _Page, block: TrackerBlock, key: str, text: TextRenderer) -> None:
    if block.text:
        page.add(f'<p dir="auto">{inline(text(block.text, key + ".text"))}</p>\n')
    page.add("<table>\n<thead><tr><td></td>")
    page.add("".join(f'<th scope="col">{day}</th>' for day in DAYS))
    page.add("</tr></thead>\n<tbody>\n")
    for i, row in enumerate(block.rows):
        label = inline(text(row, f"{key}.rows[{i}]"))
        plain = html.escape(html.unescape(re.sub(r"<[^>]*>", "", label)), quote=True)
        page.add(f'<tr><th scope="row" dir="auto">{label}</th>')
        for day in DAYS:
            field = page.new_id()
            page.add(
                f'<td><input type="checkbox" id="{field}" name="{field}" '
                f'aria-label="{plain}: {day}"></td>'
            )
        page.add("</tr>\n")
    page.add("</tbody>\n</table>\n")


def _table(page: _Page, block: TableBlock, key: str, text: TextRenderer) -> None:
    if block.text:
        page.add(f'<p dir="auto">{inline(text(block.text, key + ".text"))}</p>\n')
    heads = [inline(text(c, f"{key}.columns[{i}]")) for i, c in enumerate(block.columns)]
    plain_heads = [html.escape(html.unescape(re.sub(r"<[^>]*>", "", h)), quote=True) for h in heads]
    page.add("<table>\n<thead><tr>")
    page.add("".join(f'<th scope="col" dir="auto">{h}</th>' for h in heads))
    page.add("</tr></thead>\n<tbody>\n")
    count = len(block.columns)
    rows = [(*row, *[""] * count)[:count] for row in block.rows]
    rows += [tuple([""] * count)] * block.blank_rows
    for r, row in enumerate(rows):
        page.add("<tr>")
        for c, cell in enumerate(row):
            if cell.strip():
                page.add(f'<td dir="auto">{inline(text(cell, f"{key}.rows[{r}][{c}]"))}</td>')
            else:
                field = page.new_id()
                page.add(
                    f'<td><textarea id="{field}" name="{field}" rows="2" dir="auto" '
                    f'aria-label="{plain_heads[c]}, row {r + 1}"></textarea></td>'
                )
        page.add("</tr>\n")
    page.add("</tbody>\n</table>\n")


def _paragraphs(markup: str) -> str:
    chunks = [chunk.strip() for chunk in markup.replace("\r", "").split("\n\n")]
    return "".join(
        f'<p dir="auto">{inline(chunk).replace(chr(10), "<br>")}</p>\n' for chunk in chunks if chunk
    )


def _support(lines: Sequence[SupportLine], ident: str) -> str:
    items = "".join(
        f'<li dir="auto">{html.escape(line.name)}: <strong>{html.escape(line.contact)}</strong>'
        + (f" ({html.escape(line.note)})" if line.note else "")
        + "</li>\n"
        for line in lines
    )
    return (
        f'<aside class="note" aria-labelledby="{ident}">\n'
        f'<h3 id="{ident}">If you need support</h3>\n<ul>\n{items}</ul>\n</aside>\n'
    )
