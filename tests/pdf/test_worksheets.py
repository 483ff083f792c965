"""Worksheets: every shipped handout in every variant, every script, hostile input."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitator.config import Settings
from facilitator.content import Library
from facilitator.model.content import Handout
from facilitator.outputs.pdf.document import PrintOptions
from facilitator.outputs.pdf.worksheet import RenderProblem, SheetValues, render_handout
from tests.pdf.conftest import ROOT, pdf_text, squash

VARIANTS = [
    PrintOptions("a4"),
    PrintOptions("letter"),
    PrintOptions("a4", large_print=True),
    PrintOptions("letter", large_print=True),
    PrintOptions("a4", fillable=True),
    PrintOptions("letter", fillable=True),
]
HANDOUTS = sorted(
    p.name.removesuffix(".handout.yaml") for p in (ROOT / "handouts").rglob("*.handout.yaml")
)


def values(name: str = "Sam") -> SheetValues:
    return SheetValues(
        programme="Programme",
        group_name="Tuesday group",
        week=3,
        meeting_date="Tuesday 17 March 2026",
        participant_name=name,
        support_lines=Settings().effective_support_lines(),
        version="1.0",
    )


def handout_with(text: str, heading: str = "") -> Handout:
    return Handout.model_validate(
        {
            "id": "hostile",
            "title": "Test sheet",
            "purpose": "Purpose.",
            "how_to_use": "Use.",
            "safety_note": "Pause.",
            "blocks": [{"type": "paragraph", "text": text, "heading": heading}],
        }
    )


@pytest.mark.parametrize(
    "options",
    VARIANTS,
    ids=lambda o: f"{o.paper}-{'large' if o.large_print else 'fill' if o.fillable else 'std'}",
)
@pytest.mark.parametrize("handout_id", HANDOUTS)
def test_every_shipped_handout_renders(
    library: Library, handout_id: str, options: PrintOptions
) -> None:
    handout = library.handout(handout_id)
    data = render_handout(handout, values(), options)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    text = squash(pdf_text(data))
    assert squash(handout.title) in text
    assert "Thissheetisyours" in text
    assert ("/AcroForm" in reader.trailer["/Root"]) is options.fillable
    width = float(reader.pages[0].mediabox.width)
    assert round(width) == (612 if options.paper == "letter" else 595)


SCRIPTS = {
    "latin": "Zoë Łukasz Ørsted Ñúñez",
    "greek": "Ξένια Αλέξης",
    "cyrillic": "Наталья Жуков",
    "cjk": "美咲 山田 한지민",
}


@pytest.mark.parametrize("script", SCRIPTS)
def test_names_in_every_script_come_back_from_the_pdf(script: str) -> None:
    name = SCRIPTS[script]
    data = render_handout(
        handout_with("Hello {{ participant_name }}."), values(name), PrintOptions()
    )
    text = pdf_text(data)
    for word in name.split():
        assert word in text, (word, text[:300])


def test_arabic_is_shaped_and_comes_back_word_by_word() -> None:
    name = "مريم أحمد"
    data = render_handout(handout_with("{{ participant_name }}"), values(name), PrintOptions())
    text = pdf_text(data)
    for word in name.split():
        assert word in text or word[::-1] in text


def test_fonts_are_embedded_and_subset(library: Library) -> None:
    data = render_handout(
        handout_with("{{ participant_name }}"),
        values("Zoë Ξένια Наталья مريم 美咲"),
        PrintOptions(),
    )
    reader = PdfReader(io.BytesIO(data))
    names = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            names[str(font["/BaseFont"])] = (
                descriptor is not None and "/FontFile2" in descriptor.get_object()
            )
    ours = {n: e for n, e in names.items() if "+" in n}
    assert {n.split("+")[1].split("-")[0] for n in ours} >= {
        "AtkinsonHyperlegible",
        "NotoSans",
        "NotoSansArabic",
        "DroidSansFallback",
    }
    assert all(ours.values()), names


@pytest.mark.parametrize(
    "name",
    [
        "<img src=x>",
        "A & B <3",
        "</b><b>",
        "&amp;lt;",
        "[/]",
        "[@click=app.quit]x",
        "a\u202eb",
        "x" * 300,
        "😀 emoji",
        "<font name='Courier'>z</font>",
        "<para>",
        "&#0;",
        "\x00\x1b",
    ],
)
def test_hostile_names_print_literally(name: str) -> None:
    data = render_handout(
        handout_with("Name: {{ participant_name }}!", "{{ participant_name }}"),
        values(name),
        PrintOptions(),
    )
    text = squash(pdf_text(data))
    shown = "".join(c for c in name if c.isprintable() and c not in "\u202e")
    if shown.isascii():
        assert squash(shown) in text


@pytest.mark.parametrize(
    "text",
    [
        "<img src='/etc/passwd'/> & <unknown attr=1>",
        "a <b",
        "<b>unclosed",
        "</i> stray",
        "&bogus; & &",
        "<br><br/>",
    ],
)
def test_hostile_template_text_prints_literally_or_is_markup(text: str) -> None:
    data = render_handout(handout_with(text), values(), PrintOptions())
    assert b"/Subtype /Image" not in data
    out = pdf_text(data)
    if "<img" in text:
        assert "<img src='/etc/passwd'/>" in out


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ 'a' * 10**9 }}",
        "{{ 'a' * 999999 }}",
        "{{ nosuchvariable }}",
        "{% for x in y %}{% endfor %}",
        "{% include '../x' %}",
        "{{ week ** 100 }}",
    ],
)
def test_sandbox_escapes_and_huge_output_fail_fast_with_a_problem(template: str) -> None:
    started = time.monotonic()
    with pytest.raises(RenderProblem) as info:
        render_handout(handout_with(template), values(), PrintOptions())
    assert time.monotonic() - started < 2
    assert info.value.problem.key == "blocks[0].text"
    assert "hostile" in info.value.problem.path


def test_output_is_deterministic_with_title_and_language(library: Library) -> None:
    handout = library.handout("example-check-in")
    first = render_handout(handout, values(), PrintOptions())
    assert first == render_handout(handout, values(), PrintOptions())
    info = PdfReader(io.BytesIO(first)).metadata
    assert info.title == "Worksheet" and "Sam" not in str(dict(info))
    assert b"/Lang (en)" in first


@pytest.mark.skipif(
    shutil.which("qpdf") is None,
    reason="qpdf not installed: apt-get install qpdf (or run bash .ci/install-system-deps)",
)
def test_qpdf_finds_no_structural_error(library: Library, tmp_path: Path) -> None:
    for options in (PrintOptions(), PrintOptions(fillable=True)):
        path = tmp_path / "sheet.pdf"
        path.write_bytes(
            render_handout(library.handout("example-check-in"), values("Ξένια مريم"), options)
        )
        result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_large_print_has_no_italics_and_bigger_type(library: Library) -> None:
    handout = handout_with("<i>slanted</i> words")
    large = render_handout(handout, values(), PrintOptions(large_print=True))
    assert b"Hyperlegible-Italic" not in large
    assert b"Hyperlegible-Italic" in render_handout(handout, values(), PrintOptions())
    assert "slanted" in pdf_text(large)


@pytest.mark.parametrize(
    ("rows", "caption"),
    [
        ([["Sleep", "", ""], ["Movement"]], False),  # row labels with room to write
        ([["Mon", "Walked", "Felt calmer"]], True),  # a complete row is an example
    ],
)
def test_table_rows_are_examples_only_when_complete(rows: list[list[str]], caption: bool) -> None:
    handout = Handout.model_validate(
        {
            "id": "table",
            "title": "Table sheet",
            "purpose": "Purpose.",
            "how_to_use": "Use.",
            "safety_note": "Pause.",
            "blocks": [{"type": "table", "columns": ["Area", "Plan", "When"], "rows": rows}],
        }
    )
    fillable = PrintOptions("a4", fillable=True)
    data = render_handout(handout, values(), fillable)
    text = pdf_text(data)
    assert ("example" in text) is caption
    assert rows[0][0] in text
    fields = PdfReader(io.BytesIO(data)).get_fields() or {}
    # every empty cell of a labelled row is a place to write (a form field when fillable)
    empty = sum(1 for row in rows for cell in (*row, "", "")[:3] if not cell)
    assert len(fields) >= empty


def test_a_paragraph_rewrapped_at_another_width_is_laid_out_for_that_width() -> None:
    """Paragraphs remember their last wrap; asking again at any other width, or after a split
    dropped their lines, lays them out afresh."""
    from facilitator.outputs.pdf.style import para, theme

    text = "Feet on the floor; let the out-breath be a little longer than the in-breath. " * 4
    p = para(text, theme().body)
    narrow = p.wrap(120, 1000)
    assert p.wrap(120, 1000) == narrow
    wide = p.wrap(480, 1000)
    assert wide[1] < narrow[1] and len(p.blPara.lines) < 10
    assert p.wrap(120, 1000) == narrow and p.width == 120
    assert len(p.blPara.lines) * theme().body.leading == narrow[1]
    assert p.split(120, theme().body.leading * 1.5) == []  # no room: reportlab drops the lines
    assert p.wrap(120, 1000) == narrow and len(p.blPara.lines) * theme().body.leading == narrow[1]
