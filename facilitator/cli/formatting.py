"""Plain-text output for the CLI: tables, curriculum outlines, literal user text."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from facilitator.text import offset_clock, paragraphs, read_aloud, terminal, visible

if TYPE_CHECKING:  # the content models import pydantic: keep them out of light commands
    from facilitator.content import Library
    from facilitator.model.content import Curriculum, SessionPlan, Week


def literal(text: str) -> str:
    """Several lines of output made safe for a terminal: their own line breaks kept, every
    other control character, bidi override or separator shown as a visible escape."""
    return terminal(text)


def line(text: str) -> str:
    """One line of output made safe for a terminal: a line break inside it shows as ``\\n``."""
    return visible(text)


def width(text: str) -> int:
    """Display width in terminal cells (wide CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print rows under headers in aligned columns (the last column is not padded)."""
    cells = [list(headers)] + [[visible(c) for c in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        padded = [c + " " * (widths[i] - width(c)) for i, c in enumerate(row[:-1])]
        click.echo("  ".join([*padded, row[-1]]).rstrip())


def problem_hint(library: Library) -> None:
    """Tell the user, on stderr, that some content has problems (never hide them)."""
    if library.problems:
        click.echo(
            f"note: {len(library.problems)} content problem(s); "
            "run 'facilitator validate' to see them.",
            err=True,
        )


def curriculum_header(curriculum: Curriculum) -> str:
    """Title block of a curriculum."""
    lines = [
        curriculum.title,
        "=" * min(width(curriculum.title), 78),
        f"{len(curriculum.weeks)} weeks, {curriculum.meeting_minutes} minutes per meeting. "
        f"Completion: attend {curriculum.completion_threshold:.0%} of meetings held.",
        "",
        _wrap(f"For: {curriculum.audience}"),
        "",
        _wrap(curriculum.description.strip()),
    ]
    if curriculum.agreements:
        lines += ["", "Group agreements:"] + [_wrap(f"- {a}", "  ") for a in curriculum.agreements]
    return "\n".join(lines) + "\n"


def week_text(library: Library, week: Week, *, brief: bool = False) -> str:
    """One week: the plan's agenda with offsets and (unless brief) its scripts."""
    entry = library.sessions.get(week.session)
    if entry is None:
        return f"Week {week.number}: missing session plan '{week.session}'\n"
    plan = entry.model
    out = [
        f"Week {week.number}: {plan.title} ({plan.minutes} min)  [{plan.id}]",
        "-" * 78,
        _wrap(plan.summary.strip()),
    ]
    if week.alternates:
        out.append(f"Alternates: {', '.join(week.alternates)}")
    if not brief:
        out += _list_section("Objectives", plan.objectives)
        out += _list_section("Preparation", plan.preparation)
        out += _list_section("Materials", plan.materials)
    out += ["", "Agenda:", *_agenda(library, plan, brief=brief)]
    out += _list_section("Home practice", plan.home_practice)
    return "\n".join(out) + "\n"


def _agenda(library: Library, plan: SessionPlan, *, brief: bool) -> list[str]:
    lines: list[str] = []
    for start, item in plan.timeline():
        marks = " (protected)" if item.protected else ""
        marks += " (sensitive)" if item.sensitive else ""
        lines.append(
            f"  {offset_clock(start):>5}  {item.minutes:>3} min  {item.title} [{item.kind}]{marks}"
        )
        if item.handouts:
            titles = [
                library.handouts[h].model.title if h in library.handouts else h
                for h in item.handouts
            ]
            lines.append(f"{'':19}Handouts: {', '.join(titles)}")
        if brief:
            continue
        if item.lead:
            lines.append(f"{'':19}Led by: {item.lead}")
        if item.content_note:
            lines.append(_wrap(f"Content note: {item.content_note.strip()}", " " * 19))
        if item.opt_out:
            lines.append(_wrap(f"Opt-out: {item.opt_out.strip()}", " " * 19))
        if item.script.strip():
            spoken = read_aloud(item.script)
            if spoken:
                lines.append(f"{'':19}Script {spoken}")
            lines.append(_wrap(item.script.strip(), " " * 19))
        lines.append("")
    lines.append(f"  {offset_clock(plan.agenda_minutes()):>5}  end")
    return lines


def follow_ups_text(library: Library, curriculum: Curriculum) -> str:
    """The optional follow-up (booster) meetings after the last week, or ""."""
    if not curriculum.follow_ups:
        return ""
    out = ["Follow-up meetings (optional, after the last week):"]
    for follow_up in curriculum.follow_ups:
        entry = library.sessions.get(follow_up.session)
        title = entry.model.title if entry else "missing session plan"
        out.append(_wrap(f"- {title}", "  "))
        out.append(f"    plan: {follow_up.session}")
        if follow_up.note.strip():
            out.append(_wrap(follow_up.note.strip(), "    "))
    return "\n".join(out) + "\n"


def _list_section(title: str, items: Sequence[str]) -> list[str]:
    if not items:
        return []
    return ["", f"{title}:"] + [_wrap(f"- {item.strip()}", "  ") for item in items]


def _wrap(text: str, indent: str = "") -> str:
    """Re-flow text to 78 columns; blank lines and list items keep their own lines, and a list
    item's continuation lines line up with its text, not its dash."""
    return "\n".join(
        textwrap.fill(p, 78, initial_indent=indent, subsequent_indent=indent + _hang(p))
        if p
        else ""
        for p in paragraphs(text)
    )


def _hang(paragraph: str) -> str:
    return "  " if paragraph[:2] in ("- ", "* ", "• ") else ""
