"""Plain-text helpers shared by the CLI and the app: re-flowing authors' hard-wrapped text."""

from __future__ import annotations

import re


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


READ_ALOUD_WPM = 130
"""A calm read-aloud pace, in words a minute, for the spoken parts of scripts."""

_QUOTED = re.compile(r'"([^"]*)"|\u201c([^\u201d]*)\u201d')


def spoken_words(script: str) -> int:
    """Words a facilitator says aloud: those inside double quotation marks in a script
    (directions to the facilitator are written outside quotation marks)."""
    return sum(len((a or b).split()) for a, b in _QUOTED.findall(script))


def read_aloud(script: str) -> str:
    """How long a script's spoken parts take to read aloud ("" when it has none),
    e.g. "read aloud: about 2 min (262 words)"."""
    words = spoken_words(script)
    if not words:
        return ""
    minutes = words / READ_ALOUD_WPM
    shown = "under 1 min" if minutes < 1 else f"about {round(minutes)} min"
    return f"read aloud: {shown} ({words} words)"
