"""Paragraph markup that is always safe: an allow-list of inline tags and per-script font runs.

Handout text comes out of the Jinja2 sandbox as the author's markup with every value escaped.
reportlab's Paragraph parses a mini-XML in which ``<img src=...>`` embeds a local file and a
stray ``<`` or ``&`` kills the whole job, so the rendered text is filtered once more here:

* ``<b> <i> <u> <br/>`` and ``<font color=... size=...>`` are kept (balanced; ``strong``/``em``
  become ``b``/``i``); every other tag, stray ``<`` and bare ``&`` is escaped and prints
  literally;
* C0 control characters and bidi override characters are dropped;
* text is split into script runs, each wrapped in ``<font name=...>`` for the face that has it.

:func:`plain` does the same for a value that is not markup at all (a name, a title).
"""

from __future__ import annotations

import html
import re
import unicodedata

from facilitator.outputs.pdf.fonts import script_runs


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (xml.sax.saxutils.escape pulls in urllib: 20 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


MAX_MARKUP_CHARS = 200_000
"""Longest markup one piece of text may become; longer is a content error, not a hang."""

_CONTROLS = {i: None for i in range(32) if i not in (9, 10)} | {0x7F: None}
_CONTROLS |= {c: None for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_TOKEN = re.compile(
    r"<(/?)([A-Za-z]+)((?:\s+[A-Za-z]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\s*(/?)>"
    r"|&(#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|amp|lt|gt|quot|apos|nbsp);"
)
_ATTR = re.compile(r"([A-Za-z]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ALIASES = {"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "font": "font"}
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}|black|gray|grey|red|blue|green|darkblue|darkred|darkgreen")


class MarkupTooLong(ValueError):
    """Text that would become unreasonably long markup."""


def clean(text: str) -> str:
    """Drop control and bidi-override characters (they reorder or hide printed text)."""
    return text.translate(_CONTROLS)


def plain(text: str) -> str:
    """Markup that prints ``text`` literally, in the right face for each script."""
    return _runs(clean(text))


def isolate(text: str) -> str:
    """Like :func:`plain`, for a name set inside other text: a name with right-to-left letters
    is a bidi isolate (FSI ... PDI, Unicode Bidirectional Algorithm rule X5c), so it keeps its
    own direction ("Name: 2B (Fatima) فاطمة" reads as typed) and does not reorder the label
    around it, as ``dir="auto"`` does in the accessible edition."""
    cleaned = plain(text)
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text if not c.isascii()):
        return f"\u2068{cleaned}\u2069"
    return cleaned


def _runs(text: str) -> str:
    out: list[str] = []
    for face, run in script_runs(text):
        if face is None:
            out.append(escape(run))
            continue
        # Spaces at the edges stay in the surrounding face (one space font per line of text).
        core = run.strip(" ")
        lead, trail = run[: len(run) - len(run.lstrip(" "))], run[len(run.rstrip(" ")) :]
        out.append(f'{lead}<font name="{face}">{escape(core)}</font>{trail}' if core else run)
    return "".join(out)


def safe(markup: str, *, italics: bool = True) -> str:
    """Filter author markup (already rendered, values escaped) down to the allow-list.

    ``italics=False`` (large print) drops ``<i>`` so nothing prints slanted.
    """
    markup = clean(markup)
    if len(markup) > MAX_MARKUP_CHARS:
        raise MarkupTooLong(f"text is longer than {MAX_MARKUP_CHARS:,} characters")
    out: list[str] = []
    text: list[str] = []
    stack: list[str] = []

    def flush() -> None:
        if text:
            out.append(_runs("".join(text)))
            text.clear()

    position = 0
    for match in _TOKEN.finditer(markup):
        text.append(markup[position : match.start()])
        position = match.end()
        if match.group(5):
            text.append(html.unescape(match.group(0)))
            continue
        closing, name, attrs, empty = (
            match.group(1),
            match.group(2).lower(),
            match.group(3),
            match.group(4),
        )
        tag = _tag(closing, name, attrs, empty, stack, italics)
        if tag is None:
            text.append(match.group(0))
        else:
            flush()
            out.append(tag)
    text.append(markup[position:])
    flush()
    out.extend(f"</{name}>" for name in reversed(stack) if name)
    return "".join(out)


def _tag(
    closing: str, name: str, attrs: str, empty: str, stack: list[str], italics: bool
) -> str | None:
    """The tag to emit for one allowed tag, "" to drop it, or None to print it literally."""
    if name == "br" and not closing:
        return "<br/>"
    kind = _ALIASES.get(name)
    if kind is None or empty:
        return None
    if closing:
        if not stack or _matching(stack[-1], kind) is False:
            return None
        opened = stack.pop()
        return f"</{opened}>" if opened else ""
    if kind == "i" and not italics:
        stack.append("")
        return ""
    if kind == "font":
        attributes = _font_attributes(attrs)
        if attributes is None:
            return None
        stack.append("font" if attributes else "")
        return f"<font{attributes}>" if attributes else ""
    if attrs.strip():
        return None
    stack.append(kind)
    return f"<{kind}>"


def _matching(opened: str, kind: str) -> bool:
    return opened == kind or (opened == "" and kind in ("i", "font"))


def _font_attributes(attrs: str) -> str | None:
    """Only ``color`` (a name or #rrggbb) and ``size`` (6-36) are allowed on ``<font>``."""
    parts: list[str] = []
    for match in _ATTR.finditer(attrs):
        key, value = match.group(1).lower(), match.group(2) or match.group(3) or ""
        if key == "color" and _COLOR.fullmatch(value):
            parts.append(f' color="{value}"')
        elif key == "size" and value.isdigit() and 6 <= int(value) <= 36:
            parts.append(f' size="{value}"')
        else:
            return None
    return "".join(parts)
