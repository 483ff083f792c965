"""The curricula and handouts that ship with facilitator: complete, safe and self-consistent."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitator.content import ContentRoot, Library, load_library
from facilitator.model.content import AgendaKind, Handout, SessionPlan
from facilitator.paths import bundled_content_roots

SSC = "sexual-self-compassion"
FOUNDATIONS = "self-compassion-foundations"
EXAMPLE_PREFIX = "example"
PRE_GROUP = "pre-group"
PRACTICE_LOG = "daily-check-in-tracker"
PHONE_LIKE = re.compile(r"\b\d{3}[- ]?\d{3,4}\b|\+\d{2}|\b\d{6,}\b")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library([ContentRoot(path, bundled=True) for path in bundled_content_roots()])


def _own_handouts(library: Library) -> dict[str, Handout]:
    return {
        ident: entry.model
        for ident, entry in library.handouts.items()
        if not ident.startswith(EXAMPLE_PREFIX)
    }


def _ssc_plan_ids(library: Library) -> set[str]:
    curriculum = library.curriculum(SSC)
    ids = {week.session for week in curriculum.weeks}
    ids.update(alt for week in curriculum.weeks for alt in week.alternates)
    return ids


def _all_text(value: object) -> list[str]:
    """Every string inside a model (recursively)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple):
        return [text for item in value for text in _all_text(item)]
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return [text for name in fields for text in _all_text(getattr(value, name))]
    return []


def test_bundled_library_has_no_problems(library: Library) -> None:
    assert not list(library.problems), "\n".join(str(p) for p in library.problems)


def test_ssc_has_eight_numbered_ninety_minute_weeks(library: Library) -> None:
    curriculum = library.curriculum(SSC)
    assert curriculum.meeting_minutes == 90
    assert [week.number for week in curriculum.weeks] == list(range(1, 9))
    for week in curriculum.weeks:
        plan = library.plan(week.session)
        assert plan.minutes == 90, week.session
        assert sum(item.minutes for item in plan.agenda) == 90, week.session


def test_ssc_weeks_follow_the_documented_arc(library: Library) -> None:
    sessions = [week.session for week in library.curriculum(SSC).weeks]
    assert sessions[0] == "ssc-01-orientation"
    assert sessions[-1] == "ssc-08-relapse-prevention"
    assert all(ident.startswith(f"ssc-0{n}-") for n, ident in enumerate(sessions, start=1))


def test_ssc_curriculum_lists_core_agreements(library: Library) -> None:
    agreements = " ".join(library.curriculum(SSC).agreements).lower()
    for phrase in ("stays here", "pass", "headlines", "partner"):
        assert phrase in agreements


@pytest.mark.parametrize(
    "kind",
    [
        AgendaKind.ARRIVAL,
        AgendaKind.PRACTICE,
        AgendaKind.CHECK_IN,
        AgendaKind.TEACHING,
        AgendaKind.EXERCISE,
        AgendaKind.ASSIGNMENT,
        AgendaKind.BUFFER,
        AgendaKind.CLOSING,
    ],
)
def test_every_ssc_plan_has_the_full_shape(library: Library, kind: AgendaKind) -> None:
    for ident in sorted(_ssc_plan_ids(library)):
        kinds = {item.kind for item in library.plan(ident).agenda}
        assert kind in kinds, f"{ident} has no {kind.value} item"


def test_every_plan_ends_with_a_protected_closing(library: Library) -> None:
    for ident, entry in library.sessions.items():
        agenda = [item for item in entry.model.agenda if item.kind is not AgendaKind.BUFFER]
        assert agenda[-1].kind is AgendaKind.CLOSING, ident
        assert agenda[-1].protected, ident


def test_every_plan_adds_up(library: Library) -> None:
    for ident, entry in library.sessions.items():
        plan: SessionPlan = entry.model
        assert sum(item.minutes for item in plan.agenda) == plan.minutes, ident


def test_sensitive_items_have_a_content_note_and_an_opt_out(library: Library) -> None:
    for ident, entry in library.sessions.items():
        for item in entry.model.agenda:
            if item.sensitive:
                assert item.content_note.strip(), f"{ident}/{item.id}"
                assert item.opt_out.strip(), f"{ident}/{item.id}"


def test_ssc_exercises_are_marked_sensitive_and_scripted(library: Library) -> None:
    for ident in sorted(_ssc_plan_ids(library)):
        plan = library.plan(ident)
        exercises = [item for item in plan.agenda if item.kind is AgendaKind.EXERCISE]
        assert exercises, ident
        for item in exercises:
            assert item.sensitive, f"{ident}/{item.id} should be marked sensitive"
            assert len(item.script.split()) >= 120, f"{ident}/{item.id} script is too thin"


def test_ssc_plans_have_summaries_objectives_and_home_practice(library: Library) -> None:
    for ident in sorted(_ssc_plan_ids(library)):
        plan = library.plan(ident)
        assert plan.summary.strip() and plan.objectives and plan.home_practice, ident
        assert plan.materials and plan.preparation and plan.tags, ident


def test_at_least_four_alternates_exist(library: Library) -> None:
    curriculum = library.curriculum(SSC)
    alternates = {alt for week in curriculum.weeks for alt in week.alternates}
    assert len(alternates) >= 4
    for alt in alternates:
        assert library.plan(alt).minutes == 90
    assert not alternates & {week.session for week in curriculum.weeks}


def test_the_booster_is_a_follow_up_meeting_not_an_alternate_of_week_8(library: Library) -> None:
    curriculum = library.curriculum(SSC)
    follow_ups = [f.session for f in curriculum.follow_ups]
    assert follow_ups and all(library.plan(ident).minutes == 90 for ident in follow_ups)
    assert not curriculum.weeks[-1].alternates
    alternates = {alt for week in curriculum.weeks for alt in week.alternates}
    assert not alternates & set(follow_ups)


def test_joining_meeting_and_somatic_week_are_week_2_only(library: Library) -> None:
    weeks = library.curriculum(SSC).weeks
    where = {alt: week.number for week in weeks for alt in week.alternates}
    assert where["ssc-alt-rolling-orientation"] == 2
    assert where["ssc-alt-somatic-practice"] == 2
    assert list(where).count("ssc-alt-somatic-practice") == 1


def test_at_least_twenty_two_handouts_each_used_or_in_the_pre_group_pack(
    library: Library,
) -> None:
    own = _own_handouts(library)
    assert len(own) >= 22
    usage = library.handout_usage()
    unused = sorted(
        ident for ident, h in own.items() if not usage.get(ident) and PRE_GROUP not in h.tags
    )
    assert not unused, f"handouts no plan uses and not in the pre-group pack: {unused}"


def test_every_core_week_hands_out_a_one_page_information_sheet(library: Library) -> None:
    """The make-up pack carries the week's teaching, not only its exercises."""
    for week in library.curriculum(SSC).weeks:
        plan = library.plan(week.session)
        info = [h for h in plan.handout_ids() if "information" in library.handout(h).tags]
        assert info, f"week {week.number} has no information sheet"
        teaching = [item for item in plan.agenda if item.kind is AgendaKind.TEACHING]
        assert any(set(info) & set(item.handouts) for item in teaching), week.session
        for ident in info:
            blocks = library.handout(ident).blocks
            assert sum(len(t.split()) for t in _all_text(blocks)) <= 320, ident


def test_one_weekly_practice_log_is_handed_out_every_week(library: Library) -> None:
    for week in library.curriculum(SSC).weeks[:-1]:
        plan = library.plan(week.session)
        assignment = [item for item in plan.agenda if item.kind is AgendaKind.ASSIGNMENT]
        assert any(PRACTICE_LOG in item.handouts for item in assignment), week.session
    log = library.handout(PRACTICE_LOG)
    trackers = [b for b in log.blocks if b.type == "tracker"]
    assert len(trackers) == 1 and not [b for b in log.blocks if b.type == "table"]
    assert any("optional, private" in row.lower() for row in trackers[0].rows)


def test_handouts_cover_the_issue_list(library: Library) -> None:
    own = set(_own_handouts(library))
    expected = {
        "inner-critic-log",
        "daily-check-in-tracker",
        "shame-map",
        "compassionate-letter",
        "self-validation-statements",
        "self-forgiveness-script",
        "boundaries-consent-script",
        "wellness-anchors-plan",
        "micro-intervention-card",
        "imperfect-sexuality-myths",
        "internal-vacation",
        "relapse-prevention-plan",
        "group-agreements",
    }
    assert expected <= own, sorted(expected - own)


def test_handout_safety_notes_end_with_support_lines(library: Library) -> None:
    for ident, handout in _own_handouts(library).items():
        assert handout.safety_note.strip().endswith("{{ support_lines }}"), ident
        if "facilitator" not in handout.tags:  # procedures for facilitators are not optional
            assert "skip any" in handout.how_to_use, ident


def test_closing_questions_are_varied(library: Library) -> None:
    """Worksheets end with a question that fits them, not one phrase repeated on every sheet."""
    last = {}
    for ident, handout in _own_handouts(library).items():
        prompts = [b for b in handout.blocks if b.type == "prompt"]
        if prompts:
            last[ident] = prompts[-1].text.lower()
    assert len(last) >= 20
    repeated = {text for text in last.values() if list(last.values()).count(text) > 1}
    assert not repeated, repeated
    assert sum("want to remember" in text for text in last.values()) <= 2


def test_no_phone_numbers_are_hard_coded(library: Library) -> None:
    entries = [*library.sessions.values(), *library.handouts.values(), *library.curricula.values()]
    for entry in entries:
        for text in _all_text(entry.model):
            match = PHONE_LIKE.search(text)
            assert match is None, f"{entry.shown}: phone-like {match.group()!r}"


def test_foundations_is_general_and_never_prints_a_sexual_sheet(library: Library) -> None:
    foundations = library.curriculum(FOUNDATIONS)
    assert foundations.meeting_minutes == 90
    assert len(foundations.weeks) == 6
    assert len(library.plans_for(foundations)) == len(foundations.weeks)
    ssc_only = {
        ident
        for ident, entry in library.handouts.items()
        if entry.path.parent.name == SSC  # handouts/sexual-self-compassion/
    }
    for week in foundations.weeks:
        plan = library.plan(week.session)
        assert not set(plan.handout_ids()) & ssc_only, week.session
        assert not {h for _, h in plan.reviewed_handouts()} & ssc_only, week.session
        text = " ".join(_all_text(plan)).lower()
        for phrase in ("sexual self-compassion course", "arousal", "in the sexual"):
            assert phrase not in text, (week.session, phrase)


def test_orientation_document_covers_safety_topics(library: Library) -> None:
    ssc_folder = next(root.path for root in library.roots if (root.path / SSC).is_dir()) / SSC
    orientation = Path(ssc_folder, "FACILITATOR-ORIENTATION.md")
    text = orientation.read_text(encoding="utf-8").lower()
    for word in (
        "screening",
        "refer",
        "disclosure",
        "mandatory",
        "support lines",
        "co-facilitat",
        "not a substitute",
    ):
        assert word in text, word
    assert PHONE_LIKE.search(text) is None
    assert Path(ssc_folder, "README.md").is_file()
