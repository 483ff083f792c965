"""Cold CLI starts: --version, validate on the shipped content and on a 200-plan library."""

from __future__ import annotations

from pathlib import Path

from benchmarks.harness import Bench, facilitator_cmd, scratch_dir, time_command

_LIBRARY = scratch_dir("library")
_DATA = scratch_dir("data")
ENV = {"FACILITATOR_DATA_DIR": str(_DATA)}

PLAN = """\
id: plan-{n:03d}
title: Generated plan {n}
summary: A generated plan used to measure validation speed.
minutes: 90
objectives: [Practise noticing, Practise kindness]
tags: [generated, week-{week}]
materials: [Paper, Pens]
preparation: [Arrange the room]
home_practice: [Try the practice daily]
agenda:
{items}"""
ITEM = """\
  - id: item-{i}
    title: Item {i}
    kind: {kind}
    minutes: {minutes}
    protected: {protected}
    handouts: [handout-{h:02d}]
    script: |
      "Welcome back. Let's take a moment to arrive." Watch for anyone who seems distressed.
      Debrief by asking what people noticed, without pushing anyone to share.
"""
HANDOUT = """\
id: handout-{h:02d}
title: Generated handout {h}
purpose: Practise.
how_to_use: At home, five minutes. You can skip any question.
safety_note: "Pause if it gets too much. Support: {{{{ support_lines }}}}"
blocks:
  - type: paragraph
    text: Hello {{{{ participant_name }}}}, this is week {{{{ week }}}}.
  - type: prompt
    text: What did you notice?
  - type: scale
    text: How kind was I to myself?
"""


def make_library(root: Path, plans: int = 200, curricula: int = 10) -> None:
    """Write ``plans`` valid session plans in ``curricula`` curricula, plus 20 handouts."""
    kinds = [
        "arrival",
        "practice",
        "check-in",
        "review",
        "teaching",
        "exercise",
        "assignment",
        "buffer",
        "closing",
    ]
    minutes = [5, 10, 10, 10, 10, 25, 5, 5, 10]
    for n in range(plans):
        items = "".join(
            ITEM.format(
                i=i, kind=k, minutes=m, protected=str(k == "closing").lower(), h=(n + i) % 20
            )
            for i, (k, m) in enumerate(zip(kinds, minutes, strict=True))
        )
        (root / f"plan-{n:03d}.session.yaml").write_text(
            PLAN.format(n=n, week=n % 20 + 1, items=items)
        )
    for h in range(20):
        (root / f"handout-{h:02d}.handout.yaml").write_text(HANDOUT.format(h=h))
    per = plans // curricula
    for c in range(curricula):
        weeks = "".join(
            f"  - number: {w + 1}\n    session: plan-{c * per + w:03d}\n" for w in range(per)
        )
        (root / f"course-{c}.curriculum.yaml").write_text(
            f"id: course-{c}\ntitle: Course {c}\naudience: Anyone\ndescription: Generated.\n"
            f"meeting_minutes: 90\nweeks:\n{weeks}"
        )


make_library(_LIBRARY)

BENCHMARKS = [
    Bench(
        "cold `facilitator --version`", lambda: time_command(*facilitator_cmd("--version"), env=ENV)
    ),
    Bench(
        "cold `facilitator validate` (shipped content)",
        lambda: time_command(*facilitator_cmd("validate"), env=ENV, ok=(0, 1)),
    ),
    Bench(
        "cold `facilitator validate` (200 plans, 10 curricula)",
        lambda: time_command(
            *facilitator_cmd("--content", str(_LIBRARY), "validate", str(_LIBRARY)), env=ENV
        ),
        target=1.0,
    ),
]
