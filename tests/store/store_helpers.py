"""Names the store tests (and the CLI tests) feed in: shown literally, or refused at input.
The groups they go into are built by tests/builders.py."""

from __future__ import annotations

HOSTILE = [
    "[/]",
    "<img src=x>",
    "😀 Joy",
    "美咲",
    "مريم",
    "x" * 300,
    "[@click=app.quit]",
    "=HYPERLINK(1)",
    "Ξένια",
    "Zoë",
    "\u200fرسالة\u200e",  # bidi marks (not overrides) are ordinary text in right-to-left names
]
"""Names that must be stored and shown literally."""

REFUSED = [
    "\u202eevil",
    "\x1b[31mred",
    "\x1b]0;pwned\x07x",
    "\x9b2J",
    "\x9d0;title\x9c",
    "a\nb",
    "a\rb",
    "a\u2028b",
    "\u2066isolated\u2069",
    "del\x7f",
]
"""Names with control characters, bidi overrides or isolates, or line breaks: refused at input
with a one-line error (SAFETY.md rule 7)."""
