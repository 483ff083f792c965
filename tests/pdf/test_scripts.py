"""Every script printed right: names read back from each person's own file, no box drawn,
mixed-direction lines in visual order, forms that take real answers, long names, warnings."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import unicodedata

import pytest
from bidi import get_display
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from facilitator.content import Library
from facilitator.outputs.pdf import fonts, runs
from facilitator.outputs.pdf.document import PrintOptions
from facilitator.outputs.pdf.shaping import bidi_levels, needs_layout, visual_order
from facilitator.outputs.pdf.worksheet import header_name, render_handout
from facilitator.store.attendance import summarize
from tests.builders import group_args, make_course
from tests.helpers import run_process
from tests.pdf.conftest import ROOT
from tests.pdf.glyphs import drawn, drawn_text, notdefs
from tests.pdf.test_worksheets import handout_with, values

# Names in Hebrew, Bengali, Georgian, Armenian and Ethiopic print with faces from the system.
pytestmark = pytest.mark.usefixtures("system_fonts")

NAMES = {
    "latin": "Zoë Łukasz",
    "greek": "Ξένια Αλέξης",
    "cyrillic": "Наталья Жуков",
    "arabic": "فاطمة الزهراء",
    "hebrew": "שרה כהן",
    "devanagari": "प्रिया शर्मा",
    "bengali": "সুমি রায়",
    "tamil": "தமிழ் செல்வி",
    "thai": "สมชาย ใจดี",
    "georgian": "ნინო ბერიძე",
    "armenian": "Անի Հակոբյան",
    "ethiopic": "አበበ በቀለ",
    "cjk": "美咲 山田",
    "korean": "한지민",
    "khmer": "សុខា",
}


def letters(text: str) -> set[str]:
    """The characters that carry the name (no spaces), NFC."""
    return {c for c in unicodedata.normalize("NFC", text) if not c.isspace()}


@pytest.fixture(scope="module")
def course_files(library: Library) -> dict[str, bytes]:
    course = make_course(library, list(NAMES.values()))
    made = {
        job.name: job.make()
        for job in runs.week_jobs(course, 1, PrintOptions(), per_participant=True)
    }
    by_person = {}
    for person, key in zip(course.roster, NAMES, strict=True):
        by_person[key] = made[f"week01-{person.file_id}.pdf"]
    by_person["sign-in"] = runs.sign_in_pdf(course, 1, PrintOptions())
    return by_person


@pytest.mark.parametrize("script", NAMES)
def test_each_name_comes_back_from_its_own_file_without_boxes(
    course_files: dict[str, bytes], script: str
) -> None:
    name = NAMES[script]
    data = course_files[script]
    assert not notdefs(data), script
    text = drawn_text(data)
    # shaped scripts draw glyphs for clusters: compare the sets of characters
    assert letters(name) <= letters(text), (script, letters(name) - letters(text))
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert letters(name) <= letters(extracted), (script, letters(name) - letters(extracted))
    # privacy: nobody else's name is in this person's file
    for other, other_name in NAMES.items():
        if other != script and not (letters(other_name) <= letters(name)):
            own = letters(other_name) - letters(name) - letters(drawn_text(course_files["latin"]))
            assert not own or not own <= letters(text), (script, other)


def test_sign_in_sheet_has_every_script_and_no_box(course_files: dict[str, bytes]) -> None:
    data = course_files["sign-in"]
    assert not notdefs(data)
    text = letters(drawn_text(data))
    for name in NAMES.values():
        assert letters(name) <= text, name
    # pypdf's own extraction reads them back too
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for name in NAMES.values():
        assert letters(name) <= letters(unicodedata.normalize("NFC", extracted)), name


@pytest.mark.parametrize(
    "line",
    [
        "فاطمة (Fatima) 2B",
        "Sara سارة 2B",
        "Meet at ١٨:٣٠",
        "في القاعة 4B.",
        "שרה (Sarah) 42",
        "Room 3 · غرفة ٣",
    ],
)
def test_mixed_direction_lines_are_drawn_in_visual_order(line: str) -> None:
    data = render_handout(handout_with("{{ participant_name }}"), values(line), PrintOptions())
    assert not notdefs(data)
    # the paragraph is drawn on its own: find it in the drawing order
    glyph_text = "".join(drawn_text(data).split())
    expected = "".join(get_display(line).split())
    assert expected in glyph_text, (expected, glyph_text)


def test_bidi_levels_come_from_the_algorithm() -> None:
    levels, base = bidi_levels("فاطمة (Fatima) 2B")
    assert base == 1
    assert levels[:5] == (1,) * 5
    assert levels[7:13] == (2,) * 6  # "Fatima" is embedded left-to-right
    text = "abc אבג 123 דה"
    levels, base = bidi_levels(text)
    order = visual_order(levels)
    assert "".join(text[i] for i in order) == get_display(text)


def test_plain_latin_keeps_the_fast_path() -> None:
    assert not needs_layout("Zoë Łukasz, Ξένια, Наталья, 美咲")
    assert needs_layout("Sara سارة")
    assert needs_layout("प्रिया")
    assert needs_layout("e\u0301")


def test_long_arabic_paragraph_wraps_without_error() -> None:
    text = " ".join(["في القاعة ٤ب الساعة ١٨:٣٠ مع فاطمة (Fatima)"] * 200)
    data = render_handout(handout_with(text), values("Sam"), PrintOptions())
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert not notdefs(data)
    assert letters("فاطمة١٨٣٠") <= letters(drawn_text(data))


# -- fonts ----------------------------------------------------------------------------------


def _fonts(data: bytes) -> list[tuple[str, bool]]:
    """Every font object in the file and whether its program is embedded."""
    reader = PdfReader(io.BytesIO(data))
    out = []
    for generation, numbers in reader.xref.items():
        for number in numbers:
            obj = reader.get_object(IndirectObject(number, generation, reader))
            if not hasattr(obj, "get") or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") == "/Type0":
                continue  # its descendant is checked
            descriptor = obj.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            out.append((str(obj.get("/BaseFont")), embedded))
    return out


@pytest.mark.parametrize("fillable", [False, True])
def test_every_font_in_every_kind_of_pdf_is_embedded(library: Library, fillable: bool) -> None:
    course = make_course(library, ["Ada", "فاطمة"], absent_week=1)
    options = PrintOptions(fillable=fillable)
    jobs = [
        *runs.week_jobs(course, 1, options),
        *runs.makeup_jobs(course, 1, options),
        *runs.course_jobs(course, options),
        *runs.report_jobs(course, summarize(7, (1,), course.roster, [], 0.75), options),
    ]
    for job in jobs:
        found = _fonts(job.make())
        assert found, job.name
        assert all(embedded for _, embedded in found), (job.name, found)
        assert not any("Helvetica" in name or "ZapfDingbats" in name for name, _ in found)


def test_missing_script_is_named(tmp_path: object) -> None:
    """Without system fonts Hebrew has no face: the function the roster calls names it."""
    code = (
        "from facilitator.outputs.pdf.fonts import missing_scripts;"
        "print(missing_scripts('שרה Ana'), missing_scripts('Ana'))"
    )
    env = {**os.environ, "FACILITATOR_NO_SYSTEM_FONTS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out.strip() == "['Hebrew'] []"


def test_every_listed_script_has_a_face() -> None:
    for script, name in NAMES.items():
        assert fonts.missing_scripts(name) == [], script


# -- forms ------------------------------------------------------------------------------------


def test_fillable_fields_take_long_unicode_answers_and_carry_the_prompt(library: Library) -> None:
    course = make_course(library, ["Наталья", "فاطمة"])
    made = {
        j.name: j.make()
        for j in runs.week_jobs(course, 1, PrintOptions(fillable=True), per_participant=True)
    }
    for person, face in zip(course.roster, ("NotoSans", "NotoSansArabic"), strict=True):
        reader = PdfReader(io.BytesIO(made[f"week01-{person.file_id}.pdf"]))
        form = reader.trailer["/Root"]["/AcroForm"]
        resources = form["/DR"]["/Font"]
        (font,) = [f.get_object() for f in resources.values()]
        assert str(font["/BaseFont"]).startswith(f"/{face}-")
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()
        mapping = font["/ToUnicode"].get_object().get_data().decode()
        assert "beginbfchar" in mapping
        assert str(form["/DA"]).split()[0][1:] in {k[1:] for k in resources}
        fields = reader.get_fields()
        assert fields
        tips = set()
        for field in fields.values():
            assert "/MaxLen" not in field
            tips.add(str(field.get("/TU", "")))
        assert "What did my inner critic say today?" in tips
        assert not tips & {"answer", "tick", "0", ""}


# -- long names -------------------------------------------------------------------------------


def test_header_names_shorten_at_a_word_boundary() -> None:
    assert header_name("Ana") == "Ana"
    assert header_name("Maria Fernanda de la Cruz Hernández") == "Maria Fernanda de la\u2026"
    assert header_name("a" * 40) == "a" * 23 + "\u2026"
    cut = header_name("e\u0301" * 30)
    assert cut.endswith("\u2026") and unicodedata.category(cut[-2])[0] == "M"


@pytest.mark.parametrize(
    "name", ["a" * 5000, "ب" * 3000, "Maria " * 400], ids=["latin", "arabic", "words"]
)
def test_no_name_however_long_stops_a_print_run(library: Library, name: str) -> None:
    course = make_course(library, [name, "Bo"], absent_week=1)
    options = PrintOptions()
    summary = summarize(7, (1,), course.roster, [(1, 1, "present"), (2, 1, "absent")], 0.75)
    jobs = [
        *runs.week_jobs(course, 1, options),
        *runs.week_jobs(course, 1, PrintOptions(fillable=True), per_participant=True),
        *runs.makeup_jobs(course, 1, options),
        *runs.workbook_jobs(course, options),
        *runs.report_jobs(course, summary, options),
    ]
    for job in jobs:
        assert job.make().startswith(b"%PDF"), job.name
    own = {j.name: j.make() for j in runs.week_jobs(course, 1, options, per_participant=True)}
    text = drawn_text(own[f"week01-{course.roster[0].file_id}.pdf"])
    assert "\u2026" in text  # the header's shortened name


# -- a property: random mixed-script names through every print kind ---------------------------

ALPHABETS = [
    "abcdeéñøŁß",
    "ΑΒΓαβγ",
    "АБВабвЖж",
    "ابتثجحخدفاطمة",
    "אבגדהוזשרה",
    "कखगघप्रिया",
    "กขคงจใจดี",
    "美咲山田中",
    "한지민",
    "0123456789",
    "٠١٢٣٤٥٦٧٨٩",
    " ()-.'",
]
_names = (
    st.lists(st.tuples(st.sampled_from(ALPHABETS), st.integers(1, 12)), min_size=1, max_size=5)
    .flatmap(
        lambda parts: st.tuples(*[st.text(alphabet=a, min_size=n, max_size=n) for a, n in parts])
    )
    .map(lambda pieces: "".join(pieces).strip() or "x")
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=_names)
def test_random_mixed_script_names_print_in_every_kind(library: Library, name: str) -> None:
    course = make_course(library, [name, "Bo"], absent_week=1)
    options = PrintOptions()
    summary = summarize(7, (1,), course.roster, [(1, 1, "absent")], 0.75)
    person = course.roster[0]
    kinds = {
        "week": runs.week_jobs(course, 1, options, per_participant=True),
        "makeup": runs.makeup_jobs(course, 1, options),
        "workbook": runs.workbook_jobs(course, options, per_participant=True),
        "report": runs.report_jobs(course, summary, options),
        "sign-in": [runs.Job("sign-in.pdf", lambda: runs.sign_in_pdf(course, 1, options))],
    }
    for kind, jobs in kinds.items():
        for job in jobs:
            data = job.make()
            assert not notdefs(data), (kind, job.name, name)
            if (
                person.file_id in job.name
                or kind in ("sign-in", "report")
                or job.name.endswith("guide.pdf")  # the roster checklist
            ):
                shown = letters(drawn_text(data))
                assert letters(header_name(name)) - {"\u2026"} <= shown | letters(name), kind
                assert letters(name) <= shown, (kind, letters(name) - shown)


def test_glyph_reader_sees_a_box_when_there_is_one() -> None:
    """The .notdef check can fail: a character no face has is drawn as glyph 0."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r});"
        "from tests.pdf.glyphs import notdefs;"
        "from tests.pdf.test_worksheets import handout_with, values;"
        "from facilitator.outputs.pdf.worksheet import render_handout;"
        "from facilitator.outputs.pdf.document import PrintOptions;"
        "d = render_handout(handout_with('{{ participant_name }}'), values('שרה x'),"
        " PrintOptions()); print(len(notdefs(d)))"
    )
    env = {**os.environ, "FACILITATOR_NO_SYSTEM_FONTS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert int(out.strip()) >= 3


def test_drawn_glyphs_follow_form_xobjects(course_files: dict[str, bytes]) -> None:
    pages = drawn(course_files["sign-in"])
    assert any(g.text == "P" for g in pages[0])  # "Page 1 of" is in a reused form


def test_print_warns_naming_the_script_no_font_has(tmp_path: object) -> None:
    """`facilitator print` names the participant's file id and the script, and still prints."""
    env = {"FACILITATOR_NO_SYSTEM_FONTS": "1"}
    created = run_process(*group_args("Tue"), env=env)
    assert created.code == 0, created.err
    for name in ("Ada", "שרה"):
        assert run_process("roster", "add", "Tue", name, "--initial", "Q", env=env).code == 0
    out = f"{tmp_path}/out"
    result = run_process("print", "Tue", "--week", "1", "--out", out, "--quiet", env=env)
    assert result.code == 0, result.err
    (line,) = [x for x in result.err.splitlines() if x.startswith("warning:")]
    assert "Hebrew" in line and "participant " in line and "שרה" not in line
    assert os.listdir(out)
    result = run_process("print", "Tue", "--week", "1", "--out", out, "--quiet")
    assert "warning:" not in result.err  # with the system's fonts Hebrew prints


def test_a_right_to_left_name_in_a_header_is_a_bidi_isolate() -> None:
    """The header label stays put and the name keeps its own direction (as dir=auto in HTML)."""
    name = "فاطمة (Fatima) 2B"
    data = render_handout(handout_with("No name here."), values(name), PrintOptions())
    drawn_line = "".join(c for c in drawn_text(data) if unicodedata.category(c) != "Cf")
    expected = get_display(f"Name or initials (optional): \u2068{name}\u2069")
    expected = "".join(c for c in expected if unicodedata.category(c) != "Cf")
    assert "".join(expected.split()) in "".join(drawn_line.split())


def test_a_name_no_font_prints_is_a_warning_when_it_is_entered() -> None:
    """`roster add` and `roster edit` name the script at once (the name is still saved)."""
    env = {"FACILITATOR_NO_SYSTEM_FONTS": "1"}
    created = run_process(*group_args("Tue"), env=env)
    assert created.code == 0, created.err
    plain = run_process("roster", "add", "Tue", "Ada", "--initial", "Q", env=env)
    assert plain.code == 0 and "warning" not in plain.err
    added = run_process("roster", "add", "Tue", "שרה", "--initial", "Q", env=env)
    assert added.code == 0 and "added" in added.out
    (line,) = [x for x in added.err.splitlines() if x.startswith("warning:")]
    assert "Hebrew" in line and "boxes" in line
    edited = run_process("roster", "edit", "Tue", "Ada", "--name", "ნინო", env=env)
    assert edited.code == 0 and "Georgian" in edited.err
    with_fonts = run_process("roster", "add", "Tue", "שרה", "--initial", "B")
    assert with_fonts.code == 0 and "warning" not in with_fonts.err  # fonts-noto-core has it
