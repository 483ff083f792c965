"""Plain-text helpers shared by the CLI and the app: re-flowing authors' hard-wrapped text."""

from __future__ import annotations


def paragraphs(text: str) -> list[str]:
    """Join hard-wrapped lines into paragraphs; blank lines and list items keep their lines.

    Session scripts are written in YAML block scalars, wrapped by hand at ~90 columns; shown
    in a narrower or wider space they must be re-flowed, not broken twice.
    """
    out: list[str] = []
    joining = False
    for raw in text.splitlines():
        line = raw.strip()
        starts_item = line[:1] in "-*•" or line[:2].rstrip(".").isdigit()
        if line and joining and not starts_item:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joining = bool(line)
    return out


def reflow(text: str) -> str:
    """``text`` with each paragraph on one line (the widget or terminal wraps it)."""
    return "\n".join(paragraphs(text.strip()))
