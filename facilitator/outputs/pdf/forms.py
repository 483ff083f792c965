"""Fillable form fields that take real answers: an embedded Unicode font, no length cap.

reportlab's AcroForm only knows the standard 14 fonts (Helvetica and friends: Latin-1, not
embedded), so typed Arabic, Cyrillic or CJK answers would not show. :func:`install` replaces
its font lookup for one canvas: the field font is one of our faces, embedded whole (a viewer
draws whatever the participant types with it) as a Type 0 font with Identity-H encoding in the
form's /DR resources, and the fields' /DA names it.

Which face: the one for the script of a hint (the participant's name, else the content
language), Noto Sans (Latin, Greek, Cyrillic) when nothing says otherwise.
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any

from reportlab.pdfbase import pdfdoc, pdfmetrics

from facilitator.outputs.pdf import fonts

_LANGUAGE_SAMPLES = {
    "ar": "\u0628",
    "fa": "\u0628",
    "ur": "\u0628",
    "ps": "\u0628",
    "he": "\u05d0",
    "yi": "\u05d0",
    "hi": "\u0915",
    "mr": "\u0915",
    "ne": "\u0915",
    "bn": "\u0995",
    "ta": "\u0ba4",
    "th": "\u0e01",
    "km": "\u1780",
    "ka": "\u10d0",
    "hy": "\u0561",
    "am": "\u12a0",
    "ti": "\u12a0",
    "zh": "\u4e2d",
    "ja": "\u3042",
    "ko": "\ud55c",
}


def field_face(hint: str) -> str:
    """The face typed answers are shown in: the first script in ``hint`` beyond Latin."""
    for char in hint:
        if char.isalpha() and not char.isascii():
            face = fonts.face_for(char)
            if face is not None:
                return face
    return fonts.face_for("\u0416") or fonts.BODY  # Noto Sans (Cyrillic Zhe)


def language_hint(language: str) -> str:
    """A character of the content language's script ("" for Latin-script languages)."""
    return _LANGUAGE_SAMPLES.get(language.split("-")[0].lower(), "")


_TAG = re.compile(r"<[^>]*>")


def tooltip(markup: str) -> str:
    """Plain text of a prompt's markup, for a field's /TU (what a screen reader announces)."""
    text = html.unescape(_TAG.sub("", markup))
    return " ".join(text.split())[:500]


def install(form: Any) -> None:
    """Make ``form`` (a canvas's AcroForm) take our faces as field fonts."""
    if getattr(form, "fac_installed", False):
        return
    standard = form.makeFont

    def make_font(name: str | None) -> tuple[str, str]:
        if name is None or name in form.formFontNames:
            return standard(name)  # type: ignore[no-any-return]
        short = "F" + re.sub(r"[^A-Za-z0-9]", "", name)
        if short not in form.fonts:
            form.fonts[short] = form.getRefStr(_type0(form.canv._doc, name))
        return form.fonts[short], short

    form.makeFont = make_font
    form.fac_installed = True


def _type0(doc: Any, name: str) -> pdfdoc.PDFDictionary:
    """A whole TrueType face as a Type 0 / CIDFontType2 font (PDF 32000 9.7), Identity-H."""
    font = pdfmetrics.getFont(name)
    face = font.face
    data: bytes = face._ttf_data
    base = pdfdoc.PDFName(_base_name(face))
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Length1": len(data)}), data)
    if doc.compression:
        stream.filters = [pdfdoc.PDFZCompress]
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("FontDescriptor"),
            "FontName": base,
            "Flags": 32,
            "FontBBox": pdfdoc.PDFArray([int(v) for v in face.bbox]),
            "ItalicAngle": face.italicAngle,
            "Ascent": face.ascent,
            "Descent": face.descent,
            "CapHeight": face.capHeight,
            "StemV": face.stemV,
            "FontFile2": doc.Reference(stream),
        }
    )
    cid = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("CIDFontType2"),
            "BaseFont": base,
            "CIDSystemInfo": pdfdoc.PDFDictionary(
                {
                    "Registry": pdfdoc.PDFString("Adobe"),
                    "Ordering": pdfdoc.PDFString("Identity"),
                    "Supplement": 0,
                }
            ),
            "FontDescriptor": doc.Reference(descriptor),
            "CIDToGIDMap": pdfdoc.PDFName("Identity"),
            "DW": 1000,
            "W": pdfdoc.PDFArray([0, pdfdoc.PDFArray(_widths(name))]),
        }
    )
    to_unicode = pdfdoc.PDFStream(content=_to_unicode(name))
    if doc.compression:
        to_unicode.filters = [pdfdoc.PDFZCompress]
    return pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Font"),
            "Subtype": pdfdoc.PDFName("Type0"),
            "BaseFont": base,
            "Encoding": pdfdoc.PDFName("Identity-H"),
            "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid)]),
            "ToUnicode": doc.Reference(to_unicode),
        }
    )


@functools.cache
def _to_unicode(name: str) -> str:
    """A ToUnicode CMap (PDF 32000 9.10.3) for two-byte glyph ids, from the face's cmap."""
    hbf = fonts.hb_font(name)
    first: dict[int, int] = {}
    for code in sorted(hbf.face.unicodes):
        gid = hbf.get_nominal_glyph(code)
        if gid and gid not in first:
            first[gid] = code
    entries = [
        f"<{gid:04X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
        for gid, code in sorted(first.items())
    ]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        block = entries[start : start + 100]
        lines += [f"{len(block)} beginbfchar", *block, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


@functools.cache
def _widths(name: str) -> list[int]:
    """Advance of every glyph in 1/1000 em (from HarfBuzz: reportlab's table skips some)."""
    hbf = fonts.hb_font(name)
    per_em = 1000 / hbf.scale[0]
    count = hbf.face.glyph_count
    return [round(hbf.get_glyph_h_advance(gid) * per_em) for gid in range(count)]


def _base_name(face: Any) -> str:
    raw = face.name
    text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    return re.sub(r"[^A-Za-z0-9-]", "", text) or "FacilitatorFont"
