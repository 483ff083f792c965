"""Fonts for printing: open-licence TrueType faces, registered once, chosen per script run.

reportlab's built-in fonts cover Latin-1 only and silently print black boxes for anything else,
so every piece of text is split into runs by which of our fonts has its characters:

==========  ======================================  ==========================================
key         face                                    obtained from
==========  ======================================  ==========================================
body        Atkinson Hyperlegible (4 styles)        ``fontpkg-atkinson-hyperlegible`` (OFL-1.1)
wide        Noto Sans (Greek, Cyrillic, Latin ext)  ``fontpkg-noto-sans`` (OFL-1.1)
arabic      Almarai (shaped by HarfBuzz)            ``fontpkg-almarai`` (OFL-1.1)
cjk         Droid Sans Fallback (Han, kana, Hangul) vendored in ``facilitator/fonts`` (Apache-2.0)
==========  ======================================  ==========================================

Registration parses a TTF once per process (Droid's 3 MB only when CJK text first appears);
reportlab subsets each face into every document that uses it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from facilitator.errors import FacilitatorError

BODY = "Fac"
"""The body face's name in Paragraph markup; ``<b>`` and ``<i>`` map to its other styles."""
BODY_BOLD = "Fac-Bold"
VENDORED = Path(__file__).resolve().parents[2] / "fonts"


@dataclass(frozen=True, slots=True)
class Face:
    """One registered face: its reportlab name and where the file comes from."""

    name: str
    package: str
    """Python package holding the file, or "" for a file vendored in ``facilitator/fonts``."""
    filename: str


_BODY_STYLES = {
    BODY: "AtkinsonHyperlegible-Regular.ttf",
    BODY_BOLD: "AtkinsonHyperlegible-Bold.ttf",
    "Fac-Italic": "AtkinsonHyperlegible-Italic.ttf",
    "Fac-BoldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
}
FALLBACKS: dict[str, Face] = {
    "wide": Face("FacWide", "fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    "arabic": Face("FacArabic", "fontpkg_almarai", "Almarai-Regular.ttf"),
    "cjk": Face("FacCJK", "", "DroidSansFallback.ttf"),
}
"""Faces tried in this order for characters the body face lacks."""

# Neutral characters (spaces, digits, punctuation) join the run they are in, so that a phrase in
# Arabic stays one run for shaping and a name like "Ana-María" is not cut into pieces.
_NEUTRAL_CATEGORIES = frozenset({"Zs", "Po", "Pd", "Ps", "Pe", "Pi", "Pf", "Nd", "Sm", "Sc", "Sk"})


def font_path(face: Face) -> Path:
    """Where a face's file is; a clear error if its package is missing."""
    if not face.package:
        return VENDORED / face.filename
    spec = importlib.util.find_spec(face.package)
    if spec is None or not spec.submodule_search_locations:
        raise FacilitatorError(
            f"the font package '{face.package}' is not installed; "
            f"reinstall facilitator (pip install --force-reinstall facilitator)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "files" / face.filename


_NAME_FIELDS = ("name", "familyName", "styleName", "fullName", "uniqueFontID")


def cache_dir() -> Path:
    """Where parsed fonts are kept between runs ($FACILITATOR_CACHE_DIR or the user cache)."""
    override = os.environ.get("FACILITATOR_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("facilitator", appauthor=False)) / "fonts"


def load_font(name: str, path: Path) -> TTFont:
    """A TTFont, from the parsed-font cache when possible (parsing a big TTF costs ~0.2 s).

    The cache holds marshal data (plain values only, never code or pickles), keyed by the
    file's path, size and mtime and by the reportlab and Python versions.
    """
    stat = path.stat()
    key = hashlib.sha256(
        f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{reportlab.Version}|"
        f"{sys.version_info[:2]}|{marshal.version}".encode()
    ).hexdigest()[:24]
    cached = cache_dir() / f"{path.stem[:40]}-{key}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError, KeyError):
        # Our own 0600 file in the user's cache; marshal builds values and never runs code.
        return _from_state(name, marshal.loads(cached.read_bytes()))  # noqa: S302
    font = TTFont(name, str(path))
    state = {k: v for k, v in vars(font.face).items() if k != "_pdfScale"}
    with contextlib.suppress(OSError, ValueError, FacilitatorError):
        from facilitator.files import write_private

        write_private(cached, marshal.dumps(state))
    return font


def _from_state(name: str, state: dict[str, Any]) -> TTFont:
    if not isinstance(state, dict) or not isinstance(state.get("_ttf_data"), bytes):
        raise ValueError("not a parsed font")
    face = TTFontFace.__new__(TTFontFace)
    state.update({k: TTFNameBytes(state[k]) for k in _NAME_FIELDS if k in state})
    face.__dict__.update(state)
    per_em = state["unitsPerEm"]
    face._pdfScale = (lambda x: x) if per_em == 1000 else (lambda x: x * (1000 / per_em))
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = True
    return font


@functools.cache
def register_body() -> None:
    """Register the body family (Atkinson Hyperlegible) once per process."""
    face_dir = font_path(Face(BODY, "fontpkg_atkinson_hyperlegible", "x")).parent
    for name, filename in _BODY_STYLES.items():
        pdfmetrics.registerFont(load_font(name, face_dir / filename))
    for bold, italic, name in (
        (0, 0, BODY),
        (1, 0, BODY_BOLD),
        (0, 1, "Fac-Italic"),
        (1, 1, "Fac-BoldItalic"),
    ):
        addMapping(BODY, bold, italic, name)


@functools.cache
def _registered(key: str) -> str:
    face = FALLBACKS[key]
    path = font_path(face)
    try:
        font = load_font(face.name, path)
    except Exception as exc:  # reportlab raises TTFError and plain Exceptions
        raise FacilitatorError(f"cannot load font {path.name}: {exc}") from None
    pdfmetrics.registerFont(font)
    # One face serves every style: <b> inside an Arabic run keeps the Arabic face.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(face.name, bold, italic, face.name)
    return face.name


@functools.cache
def _coverage(key: str) -> frozenset[int]:
    if key == "body":
        register_body()
        font = pdfmetrics.getFont(BODY)
    else:
        font = pdfmetrics.getFont(_registered(key))
    return frozenset(font.face.charToGlyph)


_CJK_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x20000, 0x2FA1F),
)


def _maybe_cjk(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


@functools.lru_cache(maxsize=4096)
def face_for(char: str) -> str | None:
    """The face name for one character: ``None`` means the body face (or neutral)."""
    code = ord(char)
    if 0x0370 <= code <= 0x052F and code in _coverage("wide"):
        return _registered("wide")  # keep Greek and Cyrillic words in one face (Atkinson has Δ)
    if code in _coverage("body"):
        return None
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return _registered("arabic") if code in _coverage("arabic") else None
    if _maybe_cjk(code):
        return _registered("cjk") if code in _coverage("cjk") else None
    if code in _coverage("wide"):
        return _registered("wide")
    if code in _coverage("cjk"):
        return _registered("cjk")
    return None


def is_neutral(char: str) -> bool:
    """Spaces, digits and punctuation: they take the face of the run around them."""
    return unicodedata.category(char) in _NEUTRAL_CATEGORIES


def script_runs(text: str) -> list[tuple[str | None, str]]:
    """Split text into ``(face name or None for body, text)`` runs.

    ASCII-only text (the common case) is one body run without looking at any font. Spaces,
    digits and punctuation stay in the run they follow when its face has them, so an Arabic
    phrase stays one run for shaping.
    """
    if text.isascii():
        return [(None, text)]
    runs: list[tuple[str | None, str]] = []
    current: str | None = None
    chunk: list[str] = []
    for char in text:
        if (char.isascii() and not char.isalpha()) or is_neutral(char):
            face = (
                current
                if current is None or ord(char) in _face_coverage(current)
                else face_for(char)
            )
        else:
            face = face_for(char)
        if face != current and chunk:
            runs.append((current, "".join(chunk)))
            chunk = []
        current = face
        chunk.append(char)
    if chunk:
        runs.append((current, "".join(chunk)))
    return runs


@functools.cache
def _face_coverage(name: str) -> frozenset[int]:
    key = next(key for key, face in FALLBACKS.items() if face.name == name)
    return _coverage(key)


SHAPED_FACE = FALLBACKS["arabic"].name
"""Paragraphs holding this face need HarfBuzz shaping."""
