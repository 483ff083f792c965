"""The loader over a hostile corpus: every bad file gets a located Problem, fast, no traceback."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from facilitator.content import ContentRoot, load_library

GOOD_PLAN = """\
id: plan-a
title: A plan
summary: Short.
minutes: 20
agenda:
  - id: hello
    title: Hello
    kind: arrival
    minutes: 10
  - id: bye
    title: Bye
    kind: closing
    minutes: 10
    protected: true
"""


def load(folder: Path) -> list[str]:
    return [str(p) for p in load_library([ContentRoot(folder)]).problems]


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


HOSTILE: dict[str, tuple[str | bytes, int, str]] = {
    # name: (file content, expected line, expected words in the message)
    "python-tag": ("id: !!python/object/apply:os.system ['echo pwned']\n", 1, "tags like"),
    "alias-bomb": (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
            f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
            for i in range(8)
        ),
        1,
        "anchors",
    ),
    "cyclic-alias": ("id: x\nagenda: &loop [*loop]\n", 2, "anchors"),
    # Past libyaml's own limit (PyYAML 6.0.4's scanner stops at 1000 levels with a message of
    # its own) and below it: both must give our message, whatever the PyYAML version.
    "deep-nesting": ("id: " + "[" * 5000 + "]" * 5000 + "\n", 1, "nested more than 32 levels"),
    "deep-flow-maps": ("id: " + "{a: " * 5000 + "}" * 5000 + "\n", 1, "nested more than 32"),
    "nesting-33": ("id: " + "[" * 33 + "]" * 33 + "\n", 1, "nested more than 32 levels"),
    "deep-blocks": ("".join(" " * i + "a:\n" for i in range(1200)), 33, "nested more than 32"),
    "latin-1": (b"id: plan-b\ntitle: Caf\xe9\n", 2, "not UTF-8"),
    "nul": (b"id: plan-c\ntitle: a\x00b\n", 2, "NUL byte"),
    "no-coercion": (
        GOOD_PLAN.replace("    protected: true", "    protected: NO"),
        14,
        "expected true or false, got 'NO'",
    ),
    "sexagesimal": (GOOD_PLAN.replace("minutes: 20", "minutes: 1:30"), 4, "not 1:30"),
    "leading-zero": (
        GOOD_PLAN.replace("    minutes: 10\n  - id: bye", "    minutes: 08\n  - id: bye"),
        9,
        "leading zero",
    ),
    "unknown-key": (
        GOOD_PLAN.replace("summary: Short.", "summary: Short.\nsumary: typo"),
        4,
        "unknown key (did you mean 'summary'?)",
    ),
    "wrong-type": (GOOD_PLAN.replace("title: A plan", "title: [a, list]"), 2, "expected text"),
    "minutes-add-up": (
        GOOD_PLAN.replace("minutes: 20", "minutes: 25"),
        4,
        "add up to 20 minutes but the plan says 25",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_file_gets_a_located_problem(tmp_path: Path, case: str) -> None:
    content, line, words = HOSTILE[case]
    name = f"{case}.session.yaml"
    write(tmp_path, name, content)
    problems = load(tmp_path)  # bounded by construction; its speed is benchmarks/' business
    matching = [p for p in problems if words in p]
    assert matching, problems
    assert matching[0].startswith(f"{tmp_path / name}:{line}:"), matching[0]


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.handout.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = load(tmp_path)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20 * 1024  # KiB
    assert problems == [
        f"{path}: file is 52,428,800 bytes; content files may be at most 1,000,000 bytes"
    ]


def test_missing_session_id_in_a_curriculum(tmp_path: Path) -> None:
    write(tmp_path, "a.session.yaml", GOOD_PLAN)
    write(
        tmp_path,
        "c.curriculum.yaml",
        """\
id: course
title: Course
audience: Anyone
description: Test
meeting_minutes: 20
weeks:
  - number: 1
    session: plan-a
  - number: 2
    session: plan-zzz
""",
    )
    assert load(tmp_path) == [
        f"{tmp_path / 'c.curriculum.yaml'}:10: weeks[1].session: no session plan with id 'plan-zzz'"
    ]


def test_five_mistakes_in_a_folder_are_all_reported(tmp_path: Path) -> None:
    write(tmp_path, "good.session.yaml", GOOD_PLAN)
    write(
        tmp_path,
        "one.session.yaml",
        GOOD_PLAN.replace("plan-a", "plan-o").replace("minutes: 20", "minutes: 1:30"),
    )
    write(
        tmp_path,
        "two.session.yaml",
        GOOD_PLAN.replace("plan-a", "plan-b").replace("kind: arrival", "kind: arival"),
    )
    write(
        tmp_path,
        "three.handout.yaml",
        "id: h\ntitle: T\npurpose: p\nhow_to_use: u\n"
        "safety_note: s\nblocks:\n  - type: prompt\n    text: '{{ nme }}'\n",
    )
    write(
        tmp_path,
        "four.session.yaml",
        GOOD_PLAN.replace("plan-a", "plan-c").replace(
            "    protected: true\n", "    protected: true\n    colour: red\n"
        ),
    )
    write(
        tmp_path,
        "five.curriculum.yaml",
        "id: c\ntitle: C\naudience: a\ndescription: d\n"
        "meeting_minutes: 20\nweeks:\n  - number: 2\n    session: plan-a\n",
    )
    problems = load(tmp_path)
    assert len(problems) == 5, problems
    expected = [
        ("one.session.yaml:4", "minutes"),
        ("two.session.yaml:8", "agenda[0].kind"),
        ("three.handout.yaml:8", "unknown variable 'nme'"),
        ("four.session.yaml:15", "unknown key"),
        ("five.curriculum.yaml:7", "numbered"),
    ]
    for where, words in expected:
        assert any(where in p and words in p for p in problems), (where, problems)


def test_duplicate_id_across_roots_is_a_problem_not_an_override(tmp_path: Path) -> None:
    first, second = tmp_path / "bundled", tmp_path / "mine"
    first.mkdir()
    second.mkdir()
    write(first, "a.session.yaml", GOOD_PLAN)
    write(second, "a.session.yaml", GOOD_PLAN.replace("title: A plan", "title: Mine"))
    library = load_library([ContentRoot(first, bundled=True), ContentRoot(second)])
    assert library.plan("plan-a").title == "A plan"
    assert [str(p) for p in library.problems] == [
        f"{second / 'a.session.yaml'}:1: id: id 'plan-a' is already used by "
        f"{first / 'a.session.yaml'}"
    ]


def test_plan_must_end_with_protected_closing(tmp_path: Path) -> None:
    write(tmp_path, "a.session.yaml", GOOD_PLAN.replace("    protected: true\n", ""))
    assert any(
        ":10: agenda[1]: a plan must end with a protected closing item" in p for p in load(tmp_path)
    )


def test_sensitive_item_needs_content_note_and_opt_out(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.session.yaml",
        GOOD_PLAN.replace("    kind: arrival\n", "    kind: arrival\n    sensitive: true\n"),
    )
    problems = load(tmp_path)
    assert any(
        "agenda[0].content_note: a sensitive item needs a content note" in p for p in problems
    )
    assert any("agenda[0].opt_out: a sensitive item needs an opt-out" in p for p in problems)


def test_valid_values_come_through_typed(tmp_path: Path) -> None:
    write(tmp_path, "a.session.yaml", GOOD_PLAN.replace("title: A plan", "title: 'NO'"))
    library = load_library([ContentRoot(tmp_path)])
    assert not library.problems
    plan = library.plan("plan-a")
    assert plan.title == "NO"
    assert plan.agenda[1].protected is True
    assert plan.agenda[0].minutes == 10
