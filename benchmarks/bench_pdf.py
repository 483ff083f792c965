"""PDF printing: a whole course from a cold process, per worksheet page, and vs WeasyPrint."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.harness import Bench, facilitator_cmd, scratch_dir, time_command

if TYPE_CHECKING:
    from facilitator.content import Library

PEOPLE = [f"Person{i:02d}" for i in range(12)]

_state: dict[str, Path] = {}


def _bundled_library() -> Library:
    from facilitator.content import ContentRoot, load_library
    from facilitator.paths import bundled_content_roots

    return load_library([ContentRoot(p, bundled=True) for p in bundled_content_roots()])


def setup_course() -> None:
    """A data folder with one 12-person group on the eight-week curriculum."""
    from datetime import date
    from datetime import time as clock_time

    from facilitator.store import open_store
    from facilitator.store.setup import create_from_curriculum

    library = _bundled_library()
    folder = scratch_dir("course")
    with open_store(folder / "data") as store:
        group = create_from_curriculum(
            store,
            library,
            name="Course bench",
            curriculum_id="sexual-self-compassion",
            first_date=date(2026, 9, 1),
            start_time=clock_time(18, 30),
            timezone="Europe/Berlin",
        )
        for name in PEOPLE:
            store.enrol(group.id, name, last_initial="Q")
    _state["data"], _state["out"] = folder / "data", folder / "out"


def course_cold() -> float:
    """`facilitator print GROUP --course`: the workbook (12 personal + 1 blank, one file),
    8 guides and 8 sign-in sheets, written by a fresh CLI process."""
    return time_command(
        *facilitator_cmd("print", "Course bench", "--course", "--quiet", "--paper", "a4"),
        "--out",
        str(_state["out"]),
        env={"FACILITATOR_DATA_DIR": str(_state["data"])},
    )


def _packet_course() -> tuple[object, object]:
    from benchmarks.data import course
    from facilitator.outputs.pdf.document import PrintOptions

    return course(_bundled_library(), PEOPLE, "sexual-self-compassion"), PrintOptions("a4")


def per_page() -> float:
    """Seconds per page of a week-3 packet for 12 participants (warm process)."""
    import io

    from pypdf import PdfReader

    from facilitator.outputs.pdf import runs

    course, options = _packet_course()
    job = runs.week_jobs(course, 3, options)[1]  # type: ignore[arg-type]
    start = time.perf_counter()
    data = job.make()
    elapsed = time.perf_counter() - start
    return elapsed / len(PdfReader(io.BytesIO(data)).pages)


SCRIPT_PEOPLE = [
    "فاطمة (Fatima)",
    "שרה כהן",
    "प्रिया शर्मा",
    "সুমি রায়",
    "தமிழ் செல்வி",
    "สมชาย ใจดี",
    "ნინო ბერიძე",
    "Անի Հակոբյան",
    "አበበ በቀለ",
    "美咲 山田",
    "한지민",
    "សុខា",
]
"""Twelve people, twelve scripts: every name goes through bidi and HarfBuzz shaping."""


def per_page_scripts() -> float:
    """Seconds per page of a week-3 packet for 12 people with names in 12 scripts (warm)."""
    import io

    from pypdf import PdfReader

    from benchmarks.data import course as make_course
    from facilitator.outputs.pdf import runs
    from facilitator.outputs.pdf.document import PrintOptions

    course = make_course(_bundled_library(), SCRIPT_PEOPLE, "sexual-self-compassion")
    job = runs.week_jobs(course, 3, PrintOptions("a4"))[1]
    job.make()  # faces registered, as in a run that prints them
    start = time.perf_counter()
    data = job.make()
    elapsed = time.perf_counter() - start
    return elapsed / len(PdfReader(io.BytesIO(data)).pages)


def shaping_per_page() -> float:
    """Seconds per page of mixed Arabic and Latin text, all set by the bidi + HarfBuzz engine
    (a worst case: every line of the page is reordered and shaped)."""
    import io

    from pypdf import PdfReader

    from facilitator.model.content import Handout
    from facilitator.outputs.pdf.document import PrintOptions
    from facilitator.outputs.pdf.worksheet import SheetValues, render_handout

    sentence = "في القاعة ٤ب الساعة ١٨:٣٠ مع فاطمة (Fatima) وسارة (Sara) للمجموعة 2B."
    text = "\n\n".join(" ".join([sentence] * 4) for _ in range(30))
    handout = Handout.model_validate(
        {
            "id": "bench-arabic",
            "title": "Arabic page",
            "purpose": "Purpose.",
            "how_to_use": "Use.",
            "safety_note": "Pause.",
            "blocks": [{"type": "paragraph", "text": text}],
        }
    )
    render_handout(handout, SheetValues(), PrintOptions())
    start = time.perf_counter()
    data = render_handout(handout, SheetValues(), PrintOptions())
    elapsed = time.perf_counter() - start
    return elapsed / len(PdfReader(io.BytesIO(data)).pages)


def _equivalent_reportlab() -> float:
    """Our renderer, warm: 12 personal copies of the two-page inner critic log, one file (a
    packet: the shared body is laid out once and each copy gets its own header)."""
    from facilitator.outputs.pdf.document import PrintOptions
    from facilitator.outputs.pdf.packet import joined
    from facilitator.outputs.pdf.worksheet import SheetValues, worksheet_story

    course, _ = _packet_course()
    handout = course.handouts["inner-critic-log"]  # type: ignore[attr-defined]
    from facilitator.outputs.pdf.document import Metadata, build

    start = time.perf_counter()
    story = joined([worksheet_story(handout, SheetValues(participant_name=p)) for p in PEOPLE])
    build(story, PrintOptions(), Metadata("Worksheets"))
    return time.perf_counter() - start


def versus_weasyprint() -> float:
    """How many times faster than WeasyPrint on the same 12 worksheets (reported as 1/ratio s).

    WeasyPrint renders HTML made from the same handout (``benchmarks/html_worksheet.py``).
    """
    try:
        from weasyprint import HTML  # type: ignore[import-not-found]
        from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-not-found]
    except (ImportError, OSError):
        print("  (WeasyPrint not installed: pip install -e '.[bench]'; comparison skipped)")
        return 0.0
    from benchmarks.html_worksheet import document_html

    course, _ = _packet_course()
    html = document_html(course.handouts["inner-critic-log"], PEOPLE)  # type: ignore[attr-defined]
    font_config = FontConfiguration()  # kept warm, as our registered fonts are

    def weasy_once() -> float:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            HTML(string=html).write_pdf(Path(folder) / "w.pdf", font_config=font_config)
        return time.perf_counter() - start

    # Both warm, then the median of three runs each, back to back in the same process.
    weasy_once()
    _equivalent_reportlab()
    weasy = statistics.median(weasy_once() for _ in range(3))
    ours = statistics.median(_equivalent_reportlab() for _ in range(3))
    ratio = weasy / ours
    print(
        f"  WeasyPrint {weasy * 1000:.0f} ms vs facilitator {ours * 1000:.0f} ms: "
        f"{ratio:.1f}x faster"
    )
    return 1 / ratio  # "seconds" column: lower is better; target 1/20


BENCHMARKS = [
    Bench(
        "course: `print --course` for 12 (workbook, 8 guides, 8 sign-ins), cold CLI",
        course_cold,
        2.0,
        runs=5,
        unit="s",
        setup=setup_course,
    ),
    Bench("week packet for 12 people: per worksheet page", per_page, 0.020, runs=3),
    Bench(
        "week packet for 12 people, names in 12 scripts: per worksheet page",
        per_page_scripts,
        0.020,
        runs=3,
    ),
    Bench(
        "a page of mixed Arabic/Latin text, every line bidi-reordered and shaped (report only)",
        shaping_per_page,
        None,
        runs=5,
    ),
    Bench(
        "WeasyPrint time / ours (target <= 1/20 = 0.05)", versus_weasyprint, 0.05, runs=1, unit="s"
    ),
]
