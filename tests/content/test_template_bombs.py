"""Template bombs in handout text: power towers, string growth, deep nesting and long operator
chains are each refused before they grow, as a Problem with file and line, and a bad handout
costs only itself: the other content and every command that does not need it keep working."""

from __future__ import annotations

import resource
import textwrap
from pathlib import Path

import pytest

from facilitator import templating
from facilitator.content import ContentRoot, load_library
from tests.helpers import run_process

HEAD = """\
id: {ident}
title: A handout
purpose: Testing.
how_to_use: Read it.
safety_note: Take care.
blocks:
  - type: paragraph
    heading: Fine
    text: Nothing odd here.
  - type: paragraph
"""
# The bomb is the text of the second paragraph, written on line 11 of the file.
BOMB_LINE = 11

CHAIN = " ~ ".join(["('a' * 20000)"] * 50)
BOMBS: dict[str, tuple[str, str]] = {
    # name: (template on one line, words expected in the problem)
    "power-tower": ("{{ ((((9 ** 64) ** 64) ** 64) ** 64) ** 60 }}", "4,096 bits"),
    "right-tower": ("{{ 9 ** (9 ** 9) }}", "exponent"),
    "product-of-powers": ("{{ (2 ** 64) * (2 ** 64) * (2 ** 64) " + "* (2 ** 64) " * 60 + "}}", ""),
    "concat-growth": ("{{ " + " ~ ".join(["('a' * 20000)"] * 5) + " }}", "20,000 characters"),
    "concat-chain": ("{{ " + CHAIN + " }}", ""),
    "plus-growth": ("{{ ('a' * 20000) + ('a' * 20000) }}", "20,000 characters"),
    "many-outputs": ("{{ 'a' * 20000 }}" * 40, "20,000 characters"),
    "deep-if": ("{% if week %}" * 3000 + "x" + "{% endif %}" * 3000, "nested more than"),
    "deep-parens": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "nested more than"),
    "unary-run": ("{{ " + "-" * 3000 + "1 }}", "too long"),
    "and-chain": ("{{ " + " and ".join(["week"] * 3000) + " }}", "too long"),
    "filter-chain": ("{{ week" + "|upper" * 3000 + " }}", "too long"),
    "huge-literal": ("{{ " + "9" * 5000 + " }}", "number longer"),
}


def _handout(ident: str, template: str) -> str:
    quoted = template.replace("'", "''")
    return HEAD.format(ident=ident) + f"    text: '{quoted}'\n"


def _write_bombs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (template, _) in BOMBS.items():
        path = folder / f"{name}.handout.yaml"
        path.write_text(_handout(f"bomb-{name}", template), encoding="utf-8")
        paths[name] = path
    return paths


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_each_bomb_is_a_located_problem(tmp_path: Path, name: str) -> None:
    template, words = BOMBS[name]
    path = tmp_path / f"{name}.handout.yaml"
    path.write_text(_handout(f"bomb-{name}", template), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = [str(p) for p in load_library([ContentRoot(tmp_path)]).problems]
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{BOMB_LINE}: blocks[1].text: "), problems
    assert words in problems[0]
    assert "internal error" not in problems[0] and "RecursionError" not in problems[0]
    assert grown_kib < 50 * 1024, f"loading grew memory by {grown_kib} KiB"


def test_bomb_on_a_later_line_of_a_block_is_located(tmp_path: Path) -> None:
    body = textwrap.indent("First line.\n\nThird: {{ (9 ** 64) ** 64 }}\n", "      ")
    path = tmp_path / "later.handout.yaml"
    path.write_text(HEAD.format(ident="later") + "    text: |\n" + body, encoding="utf-8")
    problems = [str(p) for p in load_library([ContentRoot(tmp_path)]).problems]
    assert problems == [
        f"{path}:{BOMB_LINE + 3}: blocks[1].text: refused by the sandbox: "
        f"number would be larger than {templating.MAX_INT_BITS:,} bits"
    ]


@pytest.mark.parametrize(
    "template",
    [
        "{{ 2 ** 64 }} {{ week * 3 }} {{ 'ab' * 3 }} {{ 10 - 3 }} {{ 2 ** -2 }}",
        "{{ participant_name ~ ', ' ~ group_name }}{{ 'a' + 'b' }}",
        "{% if week >= 1 %}{% if participant_name %}{{ (week + 1) * 2 }}{% endif %}{% endif %}",
        "{{ 'x' * 20000 }}",
    ],
)
def test_ordinary_arithmetic_still_works(template: str) -> None:
    out = templating.render(template, templating.SAMPLE_VALUES)
    assert out  # rendered, not refused
    templating.check(template)


def test_limits_sit_exactly_at_the_bound() -> None:
    assert len(templating.render("{{ 'a' * 20000 }}", {})) == templating.MAX_OUTPUT_CHARS
    with pytest.raises(templating.TemplateProblem, match="20,000"):
        templating.render("{{ ('a' * 20000) ~ 'b' }}", {})
    nested = "{% if 1 %}" * templating.MAX_NESTING + "x" + "{% endif %}" * templating.MAX_NESTING
    assert templating.render(nested, {}) == "x"
    deeper = "{% if 1 %}" + nested + "{% endif %}"
    with pytest.raises(templating.TemplateProblem, match="nested more than") as caught:
        templating.render(deeper, {})
    assert caught.value.line == 1


def test_commands_keep_working_beside_the_bombs(tmp_path: Path) -> None:
    """Every bomb in one content folder: validate names each one; curricula, show, handouts and
    printing a good handout work as if they were not there. Each run is a fresh process under
    a generous timeout (a hang fails the test instead of stalling the suite)."""
    bombs = tmp_path / "bombs"
    paths = _write_bombs(bombs)
    base = ("--data-dir", str(tmp_path / "data"), "--content", str(bombs))

    result = run_process(*base, "validate", str(bombs), timeout=120)
    assert result.code == 1, result
    lines = result.out.splitlines()
    for name, path in paths.items():
        assert any(line.startswith(f"{path}:{BOMB_LINE}: ") for line in lines), (name, lines)
    assert "Traceback" not in result.err and "internal error" not in result.out + result.err

    listed = run_process(*base, "curricula", timeout=120)
    assert listed.code == 0, listed
    assert "example" in listed.out

    shown = run_process(*base, "show", "example", "--brief", timeout=120)
    assert shown.code == 0, shown
    assert "Week 1" in shown.out or "week 1" in shown.out.lower()

    handouts = run_process(*base, "handouts", timeout=120)
    assert handouts.code == 0 and "example-check-in" in handouts.out, handouts

    out = tmp_path / "prints"
    printed = run_process(
        *base, "print-handout", "example-check-in", "--out", str(out), "-q", timeout=120
    )
    assert printed.code == 0, printed
    assert [p.suffix for p in out.iterdir()] == [".pdf"]

    refused = run_process(
        *base, "print-handout", "bomb-power-tower", "--out", str(out), "-q", timeout=120
    )
    assert refused.code == 2, refused
    assert refused.err.count("\n") == 1 and "Traceback" not in refused.err


async def test_the_app_starts_beside_the_bombs(tmp_path: Path, data_dir: Path) -> None:
    """App start-up loads the content: the bombs show as problems on the home screen, and the
    curricula are listed as usual."""
    from textual.widgets import DataTable, Static

    from facilitator.tui.app import make_app
    from facilitator.tui.clock import FakeClock
    from facilitator.workspace import Workspace
    from tests.tui.conftest import BEFORE_WEEK_4, ready

    bombs = tmp_path / "bombs"
    paths = _write_bombs(bombs)
    app = make_app(Workspace.from_options(data_dir, (bombs,)), FakeClock(BEFORE_WEEK_4))
    async with app.run_test(size=(160, 60)) as pilot:
        await ready(pilot)
        curricula = pilot.app.screen.query_one("#curricula", DataTable)
        ids = {str(curricula.get_row_at(row)[0]) for row in range(curricula.row_count)}
        assert "example" in ids
        shown = str(pilot.app.screen.query_one("#problems", Static).render())
        for path in paths.values():
            assert f"{path}:{BOMB_LINE}:" in shown


def test_a_file_that_trips_something_unforeseen_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a loader bug raises for one file (here a RecursionError injected for it), the
    file is a problem and the other files load."""
    from facilitator.content import loading as library_module

    bad = tmp_path / "bad.handout.yaml"
    bad.write_text(_handout("bad", "fine"), encoding="utf-8")
    (tmp_path / "good.handout.yaml").write_text(_handout("good", "fine"), encoding="utf-8")
    real = library_module.load_file

    def load_file(path: Path, shown: str):
        if path.name == bad.name:
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, shown)

    monkeypatch.setattr(library_module, "load_file", load_file)
    loaded = load_library([ContentRoot(tmp_path)])
    assert sorted(loaded.handouts) == ["good"]
    assert [str(p) for p in loaded.problems] == [f"{bad}: cannot be loaded (RecursionError)"]
