"""An HTML + CSS version of a worksheet, for the WeasyPrint comparison in ``bench_pdf``.

It is made from the same handout model as our PDF and carries the same things: the text of the
title, purpose, how-to-use, safety note and every block; the same writing space (ruled lines,
answer boxes, tick boxes, a 0-10 scale, table cells); a running header with the name; a footer
with "Page X of Y"; the same typeface (Atkinson Hyperlegible, embedded), type size and paper.
Header, footer and page numbers are CSS Paged Media margin boxes, which is how one would build
this with WeasyPrint. Author text goes through the same template
values as ours (only the name is set in the benchmark).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

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
from facilitator.outputs.pdf import fonts
from facilitator.outputs.pdf.worksheet import FOOTER, NAME_LABEL, SheetValues
from facilitator.templating import render

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

STYLE = """
@font-face {{ font-family: Body; src: url("{regular}"); }}
@font-face {{ font-family: Body; font-weight: bold; src: url("{bold}"); }}
@page {{
  size: A4; margin: 24mm 18mm 22mm 18mm;
  @top-right {{ content: string(who); font: 9.2pt Body; color: #4a4a4a;
               border-bottom: 0.5pt solid #8a97a6; vertical-align: bottom; }}
  @bottom-left {{ content: "{footer}"; font: 9.2pt Body; color: #4a4a4a;
                 border-top: 0.5pt solid #8a97a6; vertical-align: top; }}
  @bottom-right {{ content: "Page " counter(page) " of " counter(pages); font: 9.2pt Body;
                  color: #4a4a4a; border-top: 0.5pt solid #8a97a6; vertical-align: top; }}
}}
body {{ font-family: Body; font-size: 11.5pt; line-height: 1.38; color: #111; }}
.sheet {{ page-break-after: always; }}
.who {{ string-set: who content(); height: 0; overflow: hidden; }}
h1 {{ font-size: 20pt; margin: 0 0 6pt; }}
h2 {{ font-size: 13.8pt; margin: 8pt 0 3pt; }}
p {{ margin: 0 0 5pt; }}
.prompt {{ font-weight: bold; margin: 6pt 0 2pt; page-break-after: avoid; }}
.box {{ background: #eef2f6; border: 0.8pt solid #8a97a6; padding: 6pt 8pt; margin: 4pt 0 7pt; }}
.line {{ border-bottom: 0.6pt solid #5f6368; height: 25pt; }}
.answer {{ border: 0.8pt solid #8a97a6; border-radius: 4pt; }}
.keep {{ page-break-inside: avoid; margin-bottom: 5pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 10.35pt; }}
td, th {{ border: 0.6pt solid #8a97a6; padding: 4pt; text-align: left; vertical-align: top; }}
th {{ background: #eef2f6; }}
tr.blank td {{ height: 37.5pt; }}
.tick {{ display: inline-block; width: 12pt; height: 12pt; border: 0.8pt solid #111;
         margin-right: 8pt; vertical-align: middle; }}
.checklist {{ list-style: none; padding: 0; margin: 0; }}
.checklist li {{ margin: 3pt 0; }}
.scale {{ display: flex; justify-content: space-between; margin: 4pt 0 2pt; }}
.scale span {{ border: 0.8pt solid #111; border-radius: 50%; width: 18pt; height: 18pt;
              text-align: center; line-height: 18pt; font-size: 9pt; }}
.ends {{ display: flex; justify-content: space-between; font-size: 9.2pt; color: #4a4a4a; }}
.small {{ font-size: 9.2pt; color: #4a4a4a; }}
.sign {{ border-bottom: 0.6pt solid #5f6368; height: 30pt; width: 60%; }}
"""


Values = dict[str, object]


def _t(text: str, values: Values) -> str:
    return html.escape(render(text, values).strip())


def _paragraphs(text: str, values: Values) -> str:
    return "".join(f"<p>{_t(chunk, values)}</p>" for chunk in text.split("\n\n") if chunk.strip())


def _block(block: object, number: list[int], values: Values) -> str:
    if isinstance(block, ParagraphBlock):
        head = f"<h2>{_t(block.heading, values)}</h2>" if block.heading else ""
        return head + _paragraphs(block.text, values)
    if isinstance(block, PromptBlock):
        number[0] += 1
        space = (
            '<div class="line"></div>' * block.size
            if block.answer == "lines"
            else f'<div class="answer" style="height: {block.size * 25}pt"></div>'
        )
        head = f'<div class="prompt">{number[0]}. {_t(block.text, values)}</div>'
        return f'<div class="keep">{head}{space}</div>'
    if isinstance(block, ChecklistBlock):
        items = "".join(f'<li><span class="tick"></span>{_t(i, values)}</li>' for i in block.items)
        return (
            f'<div class="keep"><div class="prompt">{_t(block.text, values)}</div>'
            f'<ul class="checklist">{items}</ul></div>'
        )
    if isinstance(block, ScaleBlock):
        number[0] += 1
        dots = "".join(f"<span>{i}</span>" for i in range(11))
        return (
            f'<div class="keep"><div class="prompt">{number[0]}. {_t(block.text, values)}</div>'
            f'<div class="scale">{dots}</div><div class="ends"><span>{_t(block.low, values)}</span>'
            f"<span>{_t(block.high, values)}</span></div></div>"
        )
    if isinstance(block, TrackerBlock):
        head = "<tr><th></th>" + "".join(f"<th>{d}</th>" for d in DAYS) + "</tr>"
        rows = "".join(
            f'<tr class="blank"><td>{_t(r, values)}</td>' + "<td></td>" * 7 + "</tr>"
            for r in block.rows
        )
        return f'<div class="prompt">{_t(block.text, values)}</div><table>{head}{rows}</table>'
    if isinstance(block, TableBlock):
        head = "<tr>" + "".join(f"<th>{_t(c, values)}</th>" for c in block.columns) + "</tr>"
        filled = "".join(
            "<tr>" + "".join(f"<td>{_t(c, values)}</td>" for c in row) + "</tr>"
            for row in block.rows
        )
        blank = ('<tr class="blank">' + "<td></td>" * len(block.columns) + "</tr>") * (
            block.blank_rows
        )
        note = '<p class="small">The first row is an example.</p>' if block.rows else ""
        intro = f'<div class="prompt">{_t(block.text, values)}</div>{note}'
        return f"{intro}<table>{head}{filled}{blank}</table>"
    if isinstance(block, CommitmentBlock):
        lines = "".join(
            f'<div class="sign"></div><p class="small">{_t(x, values)}</p>' for x in block.lines
        )
        return f'<div class="keep">{_paragraphs(block.text, values)}{lines}</div>'
    raise TypeError(f"no HTML for {type(block).__name__}")


def worksheet_html(handout: Handout, name: str) -> str:
    """One worksheet's body (a page-breaking section whose running header names ``name``)."""
    values = SheetValues(participant_name=name).template_values()
    number = [0]
    blocks = "".join(_block(block, number, values) for block in handout.blocks)
    return (
        f'<section class="sheet"><div class="who">{html.escape(NAME_LABEL)} {html.escape(name)}'
        f"</div><h1>{_t(handout.title, values)}</h1>{_paragraphs(handout.purpose, values)}"
        f"<p><b>How to use this sheet.</b> {_t(handout.how_to_use, values)}</p>"
        f'<div class="box"><b>Look after yourself.</b> {_t(handout.safety_note, values)}</div>'
        f"{blocks}</section>"
    )


def document_html(handout: Handout, names: Sequence[str]) -> str:
    """A packet: the worksheet once per name, each starting on a new page."""
    face = fonts.Face(fonts.BODY, "fontpkg_atkinson_hyperlegible", "x")
    folder = fonts.font_path(face).parent  # the files our PDFs embed
    regular = folder / "AtkinsonHyperlegible-Regular.ttf"
    bold = folder / "AtkinsonHyperlegible-Bold.ttf"
    style = STYLE.format(regular=regular.as_uri(), bold=bold.as_uri(), footer=html.escape(FOOTER))
    body = "".join(worksheet_html(handout, name) for name in names)
    return f"<html><head><style>{style}</style></head><body>{body}</body></html>"
