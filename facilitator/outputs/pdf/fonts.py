"""Fonts for printing: open-licence TrueType faces, registered once, chosen per character.

reportlab's built-in fonts cover Latin-1 only and silently print black boxes for anything else,
so every character is set in the first of our faces that has it:

=============  =====================================  ==============================================
key            face                                   obtained from
=============  =====================================  ==============================================
body           Atkinson Hyperlegible (4 styles)       ``fontpkg-atkinson-hyperlegible`` (OFL-1.1)
wide           Noto Sans (Greek, Cyrillic, Latin ext) ``fontpkg-noto-sans`` (OFL-1.1)
arabic         Noto Sans Arabic                       ``fontpkg-noto-sans-arabic`` (OFL-1.1)
devanagari     Noto Sans Devanagari                   ``fontpkg-noto-sans-devanagari`` (OFL-1.1)
tamil          Noto Sans Tamil                        ``fontpkg-noto-sans-tamil`` (OFL-1.1)
thai           Noto Sans Thai                         ``fontpkg-noto-sans-thai`` (OFL-1.1)
khmer          Noto Sans Khmer                        ``fontpkg-noto-sans-khmer`` (OFL-1.1)
cjk            Droid Sans Fallback (Han, kana, Hangul) ``facilitator/fonts`` (Apache-2.0)
(system)       any TrueType face fontconfig finds     e.g. Debian's ``fonts-noto-core`` for Hebrew,
                                                      Bengali, Georgian, Armenian, Ethiopic
=============  =====================================  ==============================================

Registration parses a TTF once per process (the big faces only when their script first appears);
reportlab subsets each face into every document that uses it. A character no face has is
reported by :func:`missing_scripts` (a warning naming the script), never printed as a silent box.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import marshal
import os
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTEncoding, TTFNameBytes, TTFont, TTFontFace

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
    "arabic": Face("FacArabic", "fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
    "devanagari": Face(
        "FacDevanagari", "fontpkg_noto_sans_devanagari", "NotoSansDevanagari[wdth,wght].ttf"
    ),
    "tamil": Face("FacTamil", "fontpkg_noto_sans_tamil", "NotoSansTamil[wdth,wght].ttf"),
    "thai": Face("FacThai", "fontpkg_noto_sans_thai", "NotoSansThai[wdth,wght].ttf"),
    "khmer": Face("FacKhmer", "fontpkg_noto_sans_khmer", "NotoSansKhmer[wdth,wght].ttf"),
    "cjk": Face("FacCJK", "", "DroidSansFallback.ttf"),
}
"""Faces tried in this order for characters the body face lacks."""
BODY_STYLES = frozenset(_BODY_STYLES)

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
    font = GlyphFont(name, str(path))
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
    font = GlyphFont.__new__(GlyphFont)
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
    face = FALLBACKS[key] if key in FALLBACKS else _SYSTEM[key]
    path = font_path(face) if key in FALLBACKS else Path(face.filename)
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
_PREFERRED = {
    "wide": ((0x0370, 0x052F),),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFEFF)),
    "devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF)),
    "tamil": ((0x0B80, 0x0BFF),),
    "thai": ((0x0E00, 0x0E7F),),
    "khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "cjk": _CJK_RANGES,
}
"""A script's own face first, even where another face also has the character."""


def _maybe_cjk(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


def _preferred(code: int) -> str | None:
    for key, ranges in _PREFERRED.items():
        if any(lo <= code <= hi for lo, hi in ranges):
            return key
    return None


@functools.lru_cache(maxsize=8192)
def face_for(char: str) -> str | None:
    """The face name for one character: ``None`` means the body face (or no face has it)."""
    code = ord(char)
    key = _preferred(code)
    if key is not None and code in _coverage(key):
        return _registered(key)
    if code in _coverage("body"):
        return None
    for key in FALLBACKS:
        if code in _coverage(key):
            return _registered(key)
    return _system_face(script_of(char), code)


def has_glyph(char: str) -> bool:
    """Whether any face prints this character (spaces and controls count as printable)."""
    if char.isascii() or unicodedata.category(char)[0] in "ZC":
        return True
    if face_for(char) is not None:
        return True
    return ord(char) in _coverage("body")


_TWO_WORD_SCRIPTS = frozenset(
    {"OLD", "CANADIAN", "TAI", "NEW", "MEETEI", "PAU", "SORA", "NYIAKENG"}
)


@functools.lru_cache(maxsize=4096)
def script_of(char: str) -> str:
    """A character's script as people call it ("Hebrew", "Ethiopic", "CJK"), from its name."""
    name = unicodedata.name(char, "")
    if not name:
        return f"U+{ord(char):04X}"
    words = name.split()
    if words[0] in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC"):
        return {"HANGUL": "Korean", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}.get(
            words[0], "CJK"
        )
    if words[0] in _TWO_WORD_SCRIPTS and len(words) > 1:
        return f"{words[0]} {words[1]}".title()
    return words[0].title()


def missing_scripts(text: str) -> list[str]:
    """The scripts of characters in ``text`` that no font has, in order of appearance.

    The roster calls this when a name is entered and every print run when it prints one, so
    a name that would print as boxes is a warning naming its script, never a silent box.
    """
    found: list[str] = []
    for char in text:
        if not has_glyph(char):
            script = script_of(char)
            if script not in found:
                found.append(script)
    return found


# -- faces found on the system through fontconfig ---------------------------------------------

_SYSTEM: dict[str, Face] = {}


def _font_files_for(code: int) -> list[str]:
    """TrueType files fontconfig says have ``code``, Noto Sans regular faces first."""
    if os.environ.get("FACILITATOR_NO_SYSTEM_FONTS"):
        return []
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        result = subprocess.run(
            [fc_list, f":charset={code:x}", "file"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    files = {line.strip().rstrip(":") for line in result.stdout.splitlines() if line.strip()}
    files = {f for f in files if f.lower().endswith(".ttf")}

    def rank(path: str) -> tuple[int, int, str]:
        name = Path(path).name
        return (
            0 if name.startswith("NotoSans") else 1,
            0 if "-Regular" in name else 1,
            name,
        )

    return sorted(files, key=rank)


@functools.lru_cache(maxsize=256)
def _system_face(script: str, code: int) -> str | None:
    for path in _font_files_for(code)[:6]:
        key = f"system:{path}"
        if key not in _SYSTEM:
            _SYSTEM[key] = Face(f"FacSys{len(_SYSTEM) + 1}", "", path)
        try:
            if code in _coverage(key):
                return _registered(key)
        except (FacilitatorError, KeyError, OSError):
            continue
    return None


# -- glyph drawing --------------------------------------------------------------------------

_KEY_FIRST = 0xF0000
"""Shaped glyphs are drawn through keys in the supplementary private use planes."""


class GlyphFont(TTFont):  # type: ignore[misc]
    """A TrueType font that can also draw shaped glyphs and map each back to its text.

    reportlab subsets by character: for a glyph chosen by HarfBuzz (a contextual Arabic form,
    a Devanagari conjunct) :meth:`glyph_key` makes a private key character that maps to that
    glyph, and the font's ToUnicode map gives the key the text of the glyph's cluster, so the
    PDF's text still copies, searches and reads aloud as the original characters.
    """

    def glyph_key(self, gid: int, text: str, advance: float) -> str:
        """The character that draws glyph ``gid``; ``advance`` in 1/1000 em."""
        face = self.face
        keys: dict[tuple[int, str], int] | None = face.__dict__.get("fac_keys")
        if keys is None:
            keys = face.__dict__["fac_keys"] = {}
            face.__dict__["fac_key_text"] = {}
        code = keys.get((gid, text))
        if code is None:
            code = _KEY_FIRST + len(keys)
            if code > 0x10FFFD:
                raise FacilitatorError("too many distinct shaped glyphs in one font")
            keys[(gid, text)] = code
            face.__dict__["fac_key_text"][code] = text
            face.charToGlyph[code] = gid
            face.charWidths[code] = advance
        return chr(code)

    def addObjects(self, doc: Any) -> None:
        """reportlab's TTFont.addObjects with a ToUnicode map that knows the glyph keys."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = TTFont.State(self._asciiReadable)
        state.frozen = 1
        texts: dict[int, str] = self.face.__dict__.get("fac_key_text", {})
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode(
                "pdfdoc"
            )
            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name = internal
            font.BaseFont = base
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = pdfdoc.PDFArray([self.face.getCharWidth(c) for c in subset])
            stream = pdfdoc.PDFStream()
            stream.content = _to_unicode_cmap(base, [texts.get(c, chr(c)) for c in subset])
            if doc.compression:
                stream.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(stream, "toUnicodeCMap:" + base)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base, subset)
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]


def _to_unicode_cmap(name: str, texts: list[str]) -> str:
    """A ToUnicode CMap (PDF 32000 9.10.3) from one-byte codes to UTF-16BE text."""

    def hex16(text: str) -> str:
        return text.encode("utf-16-be").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(texts) - 1:02X}>",
        "endcodespacerange",
        f"{len(texts)} beginbfchar",
        *(f"<{i:02X}> <{hex16(t)}>" for i, t in enumerate(texts)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


@functools.cache
def hb_font(name: str) -> Any:
    """A HarfBuzz font for a registered face, scaled in font units."""
    import uharfbuzz as hb

    font = pdfmetrics.getFont(name)
    face = hb.Face(hb.Blob(font.face._ttf_data))
    hbf = hb.Font(face)
    hbf.scale = (face.upem, face.upem)
    return hbf


def all_faces() -> list[str]:
    """Every face key (for tests and diagnostics)."""
    return ["body", *FALLBACKS]


def is_neutral(char: str) -> bool:
    """Spaces, digits and punctuation: they take the face of the run around them."""
    return unicodedata.category(char) in _NEUTRAL_CATEGORIES


def script_runs(text: str) -> list[tuple[str | None, str]]:
    """Split text into ``(face name or None for body, text)`` runs (reportlab's Paragraph).

    ASCII-only text (the common case) is one body run without looking at any font. Spaces,
    digits and punctuation stay in the run they follow when its face has them.
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
                if current is None or ord(char) in face_coverage(current)
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
def face_coverage(name: str) -> frozenset[int]:
    """The characters a registered face has."""
    if name in _BODY_STYLES:
        register_body()
        return frozenset(pdfmetrics.getFont(name).face.charToGlyph)
    for key, face in (*FALLBACKS.items(), *_SYSTEM.items()):
        if face.name == name:
            return _coverage(key)
    return frozenset()
