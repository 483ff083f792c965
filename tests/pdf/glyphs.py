"""What a PDF draws, read back from the file: each glyph's font, glyph id and mapped text.

Walks every page's content stream and the form XObjects it draws (recorded pages, furniture),
follows ``Tf`` to the font resource, and decodes each shown byte through the embedded subset
font's own cmap (parsed by reportlab's TrueType parser) to the glyph id it draws, and through
the font's ToUnicode map to its text. Glyph id 0 is ``.notdef``: a box.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import uharfbuzz as hb
from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject


@dataclass(frozen=True)
class Drawn:
    font: str
    gid: int
    text: str


def _cmap(font: object) -> dict[int, int]:
    descriptor = font.get("/FontDescriptor")  # type: ignore[attr-defined]
    if descriptor is None:
        return {}
    data = descriptor.get_object()["/FontFile2"].get_object().get_data()
    font = hb.Font(hb.Face(hb.Blob(data)))
    return {code: font.get_nominal_glyph(code) or 0 for code in range(256)}


def _to_unicode(font: object) -> dict[int, str]:
    stream = font.get("/ToUnicode")  # type: ignore[attr-defined]
    if stream is None:
        return {}
    out: dict[int, str] = {}
    in_bfchar = False
    for line in stream.get_object().get_data().decode("latin-1").splitlines():
        if line.endswith("beginbfchar"):
            in_bfchar = True
        elif line == "endbfchar":
            in_bfchar = False
        elif in_bfchar:
            code, _, dest = line.partition(" ")
            out[int(code.strip("<>"), 16)] = bytes.fromhex(dest.strip("<>")).decode("utf-16-be")
    return out


def drawn(data: bytes) -> list[list[Drawn]]:
    """Per page, every glyph drawn, in drawing order."""
    reader = PdfReader(io.BytesIO(data))
    cache: dict[int, tuple[str, dict[int, int], dict[int, str]]] = {}

    def font_info(ref: object) -> tuple[str, dict[int, int], dict[int, str]]:
        key = id(ref) if not isinstance(ref, IndirectObject) else ref.idnum
        if key not in cache:
            font = ref.get_object()  # type: ignore[attr-defined]
            cache[key] = (str(font.get("/BaseFont")), _cmap(font), _to_unicode(font))
        return cache[key]

    def walk(content: object, resources: object, out: list[Drawn], depth: int = 0) -> None:
        if depth > 8:
            return
        resources = resources.get_object() if resources is not None else {}  # type: ignore[attr-defined]
        fonts = resources.get("/Font", {})  # type: ignore[attr-defined]
        fonts = fonts.get_object() if fonts else {}
        xobjects = resources.get("/XObject", {})  # type: ignore[attr-defined]
        xobjects = xobjects.get_object() if xobjects else {}
        current: tuple[str, dict[int, int], dict[int, str]] | None = None
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"Tf":
                ref = fonts.get(operands[0])
                current = font_info(fonts.raw_get(operands[0])) if ref is not None else None
            elif operator in (b"Tj", b"'", b'"', b"TJ") and current is not None:
                items = operands[0] if operator == b"TJ" else [operands[-1]]
                for item in items:
                    if isinstance(item, (bytes, str)) or hasattr(item, "original_bytes"):
                        raw = item.original_bytes if hasattr(item, "original_bytes") else item
                        raw = raw.encode("latin-1") if isinstance(raw, str) else raw
                        name, cmap, uni = current
                        for code in raw:
                            out.append(Drawn(name, cmap.get(code, 0), uni.get(code, "")))
            elif operator == b"Do":
                xobject = xobjects.get(operands[0])
                if xobject is not None:
                    xobject = xobject.get_object()
                    if xobject.get("/Subtype") == "/Form":
                        walk(xobject, xobject.get("/Resources"), out, depth + 1)

    pages = []
    for page in reader.pages:
        out: list[Drawn] = []
        contents = page.get_contents()
        if contents is not None:
            walk(contents, page.get("/Resources"), out)
        pages.append(out)
    return pages


def notdefs(data: bytes) -> list[Drawn]:
    """Every .notdef glyph (a box) the PDF draws."""
    return [g for page in drawn(data) for g in page if g.gid == 0]


def drawn_text(data: bytes) -> str:
    """The text of every glyph drawn, in drawing order (visual order within a line)."""
    return "".join(g.text for page in drawn(data) for g in page)
