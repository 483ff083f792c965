"""Plain-text helpers shared by the CLI and the app: re-flowing authors' hard-wrapped text, and
making any text safe to show on a terminal."""

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


def offset_clock(minutes: int) -> str:
    """Minutes from a meeting's start as h:mm (0:00, 0:05, 1:25)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def read_aloud(script: str) -> str:
    """How long a script's spoken parts take to read aloud ("" when it has none),
    e.g. "read aloud: about 2 min (262 words)"."""
    words = spoken_words(script)
    if not words:
        return ""
    minutes = words / READ_ALOUD_WPM
    shown = "under 1 min" if minutes < 1 else f"about {round(minutes)} min"
    return f"read aloud: {shown} ({words} words)"


# What must never reach a terminal as it is: C0 controls (ESC starts the sequences that set the
# window title, colours and cursor; CR and BS overwrite what was printed), DEL, C1 controls
# (U+009B is a one-character CSI, U+009D an OSC on some terminals), the bidi embeddings,
# overrides and isolates that reorder what follows them, the Unicode line and paragraph
# separators, and lone surrogates (undecodable bytes in file names) that cannot be encoded.
_OTHER_UNSAFE = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_UNSAFE_RE = re.compile(f"[\x00-\x1f{_OTHER_UNSAFE}]")
_UNSAFE_IN_OUTPUT_RE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER_UNSAFE}]")
"""The same, less TAB and LF: the output's own layout."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_char(ch: str) -> str:
    """One unsafe character as a visible escape: ``\\n``, ``\\x1b``, ``\\u202e``."""
    named = _NAMED.get(ch)
    if named:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """A value made safe to show on one line of a terminal: every control character, bidi
    override or isolate and line break becomes a visible escape (``\\x1b``, ``\\u202e``, ``\\n``).
    """
    return _UNSAFE_RE.sub(lambda m: escape_char(m.group()), text)


def terminal(text: str) -> str:
    """Output text made safe for a terminal: like :func:`visible`, but the output's own line
    breaks and tabs are kept (values inside it must already have been through :func:`visible`)."""
    return _UNSAFE_IN_OUTPUT_RE.sub(lambda m: escape_char(m.group()), text)


def control_in(text: str) -> str | None:
    """The first character of ``text`` that a name or title may not contain, as an escape."""
    found = _UNSAFE_RE.search(text)
    return escape_char(found.group()) if found else None


def refuse_controls(value: str, what: str) -> str:
    """``value`` unchanged, or a one-line error if it holds a character from :func:`visible`'s
    list (names and titles are shown on terminals, sheets and calendars: plain text only)."""
    bad = control_in(value)
    if bad is not None:
        from facilitator.errors import FacilitatorError

        raise FacilitatorError(
            f"{what} contains a control character ({bad}); type it as plain text on one line"
        )
    return value
