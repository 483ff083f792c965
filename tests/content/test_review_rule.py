"""The curriculum rules for follow-up meetings and for review items (also with an alternate
swapped in), and the read-aloud time shown for scripts."""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PdfReader

from facilitator.content import ContentRoot, Library, load_library
from facilitator.outputs.pdf import runs
from facilitator.outputs.pdf.document import PrintOptions
from facilitator.paths import bundled_content_roots
from facilitator.text import read_aloud, spoken_words
from tests.builders import make_course
from tests.helpers import run_cli

HANDOUT = """id: {id}
title: Sheet {id}
purpose: A sheet.
how_to_use: Any time. You can skip any question.
safety_note: "Support: {{{{ support_lines }}}}"
blocks:
  - type: prompt
    text: How are you?
"""

PLAN = """id: {id}
title: Plan {id}
summary: A plan.
minutes: 30
agenda:
  - id: review
    title: Review
    kind: review
    minutes: 10
    handouts: [{reviews}]
  - id: teaching
    title: Teaching
    kind: teaching
    minutes: 10
    handouts: [{gives}]
  - id: closing
    title: Closing
    kind: closing
    minutes: 10
    protected: true
"""


def _library(tmp_path: Path, weeks: str, follow_ups: str = "") -> Library:
    for ident in ("sheet-a", "sheet-b"):
        (tmp_path / f"{ident}.handout.yaml").write_text(HANDOUT.format(id=ident))
    plans = {
        "plan-gives-a": ("", "sheet-a"),
        "plan-gives-b": ("", "sheet-b"),
        "plan-reviews-a": ("sheet-a", "sheet-b"),
        "plan-reviews-b": ("sheet-b", "sheet-a"),
    }
    for ident, (reviews, gives) in plans.items():
        (tmp_path / f"{ident}.session.yaml").write_text(
            PLAN.format(id=ident, reviews=reviews, gives=gives)
        )
    (tmp_path / "course.curriculum.yaml").write_text(
        "id: course\ntitle: Course\naudience: Anyone.\ndescription: A course.\n"
        f"meeting_minutes: 30\nweeks:\n{weeks}{follow_ups}"
    )
    return load_library([ContentRoot(tmp_path, bundled=False)])


def _problems(library: Library) -> list[str]:
    return [str(p) for p in library.problems]


def test_a_consistent_course_has_no_problems(tmp_path: Path) -> None:
    weeks = (
        "  - number: 1\n    session: plan-gives-a\n"
        "  - number: 2\n    session: plan-reviews-a\n"
        "  - number: 3\n    session: plan-reviews-b\n"
    )
    follow = "follow_ups:\n  - session: plan-reviews-a\n    note: Six weeks later.\n"
    assert _problems(_library(tmp_path, weeks)) == []
    # plan-reviews-a is already week 2: a follow-up cannot also be a week
    problems = _problems(_library(tmp_path, weeks, follow))
    assert len(problems) == 1 and "already a week of this course" in problems[0]


def test_an_alternate_that_drops_a_sheet_a_later_review_needs_is_reported(
    tmp_path: Path,
) -> None:
    weeks = (
        "  - number: 1\n    session: plan-gives-a\n    alternates: [plan-gives-b]\n"
        "  - number: 2\n    session: plan-reviews-a\n"
    )
    (problem,) = _problems(_library(tmp_path, weeks))
    assert "course.curriculum.yaml:" in problem and "weeks[0].alternates[0]" in problem
    assert "with 'plan-gives-b' swapped into week 1" in problem
    assert "week 2's plan 'plan-reviews-a' reviews handout 'sheet-a'" in problem


def test_a_review_of_a_sheet_never_handed_out_is_reported_on_its_week(tmp_path: Path) -> None:
    weeks = "  - number: 1\n    session: plan-gives-b\n  - number: 2\n    session: plan-reviews-a\n"
    (problem,) = _problems(_library(tmp_path, weeks))
    assert "weeks[1].session" in problem and "no earlier week hands out" in problem


def test_follow_ups_are_checked_after_the_last_week(tmp_path: Path) -> None:
    weeks = "  - number: 1\n    session: plan-gives-b\n"
    assert _problems(_library(tmp_path, weeks, "follow_ups:\n  - session: plan-reviews-b\n")) == []
    (problem,) = _problems(_library(tmp_path, weeks, "follow_ups:\n  - session: plan-reviews-a\n"))
    assert "follow_ups[0].session" in problem and "the follow-up meeting" in problem
    (missing,) = _problems(_library(tmp_path, weeks, "follow_ups:\n  - session: nope\n"))
    assert "no session plan with id 'nope'" in missing


def test_a_review_sheet_is_not_handed_out_again(tmp_path: Path) -> None:
    weeks = "  - number: 1\n    session: plan-gives-b\n  - number: 2\n    session: plan-reviews-b\n"
    plan = _library(tmp_path, weeks).plan("plan-reviews-b")
    assert plan.handout_ids() == ("sheet-a",)
    assert plan.reviewed_handouts() == (("review", "sheet-b"),)


def test_spoken_words_count_only_quoted_speech() -> None:
    script = 'Hand out the sheet. "Welcome, all of you." Pause.\n\u201cTake a breath\nnow.\u201d'
    assert spoken_words(script) == 8
    assert read_aloud("Directions only.") == ""
    assert read_aloud('"' + "word " * 260 + '"') == "read aloud: about 2 min (260 words)"
    assert read_aloud('"a few words"') == "read aloud: under 1 min (3 words)"


def test_show_and_the_guide_give_read_aloud_times(tmp_path: Path) -> None:
    args = ["--data-dir", str(tmp_path), "show", "sexual-self-compassion", "--week", "6"]
    code, out, _ = run_cli(*args)
    assert code == 0
    assert re.search(r"Script read aloud: about \d+ min \(\d+ words\)", out)
    library = load_library([ContentRoot(p, bundled=True) for p in bundled_content_roots()])
    course = make_course(library, ["Canaryalpha"], "sexual-self-compassion")
    pdf = runs.guide_pdf(course, 6, PrintOptions("a4"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert re.search(r"script read aloud: (about \d+ min|under 1 min)", " ".join(text.split()))


def test_show_lists_follow_up_meetings(tmp_path: Path) -> None:
    out = run_cli("--data-dir", tmp_path, "show", "sexual-self-compassion", "--brief").out
    assert "Follow-up meetings (optional, after the last week):" in out
    assert "plan: ssc-follow-up-booster" in out
