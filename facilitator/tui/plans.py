"""Session plans as the curriculum builder shows them: the filter's words and the preview."""

from __future__ import annotations

from facilitator.content.library import Entry
from facilitator.model.content import SessionPlan
from facilitator.text import offset_clock, paragraphs


def matches(entry: Entry[SessionPlan], query: str) -> bool:
    """Filter words: ``tag:x`` and ``kind:y`` (an agenda item kind); other words match text."""
    plan = entry.model
    for word in query.lower().split():
        if word.startswith("tag:"):
            if word[4:] not in (t.lower() for t in plan.tags):
                return False
        elif word.startswith("kind:"):
            if word[5:] not in (str(i.kind) for i in plan.agenda):
                return False
        elif word not in f"{plan.id} {plan.title} {plan.summary}".lower():
            return False
    return True


def preview(plan: SessionPlan) -> str:
    """A plan's agenda with offsets, and each item's script, as plain text."""
    tags = f" · tags: {', '.join(plan.tags)}" if plan.tags else ""
    lines = [f"{plan.title} ({plan.minutes} min) · {plan.id}{tags}", plan.summary.strip(), ""]
    for start, item in plan.timeline():
        flags = " [protected]" if item.protected else ""
        flags += " [sensitive]" if item.sensitive else ""
        lines.append(f"{offset_clock(start)}  {item.minutes:>3} min  {item.title}{flags}")
        if item.script.strip():
            lines += ["      " + line for line in paragraphs(item.script)]
    return "\n".join(lines)
