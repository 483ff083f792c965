"""Helpers for the audit suite: extract text from every kind of output (the CLI runner is
tests/helpers.py, the builders tests/builders.py)."""

from __future__ import annotations

import email
import email.policy
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def normalise(text: str) -> str:
    """NFKC (folds Arabic presentation forms), no format/bidi controls, case-folded."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf").casefold()


def pdf_text(path: Path) -> str:
    """Every page's text, the document info and XMP metadata and form field names, normalised."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    parts = [page.extract_text() or "" for page in reader.pages]
    parts.append(pdf_metadata(path))
    for name, field in (reader.get_fields() or {}).items():
        parts.extend([str(name), str(field.get("/V", "")), str(field.get("/TU", ""))])
    text = normalise("\n".join(parts))
    # Arabic runs are placed right to left, so an extracted word may come out reversed.
    return text + "\n" + text[::-1]


def pdf_metadata(path: Path) -> str:
    """The document information dictionary and the XMP packet, as text."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    info = reader.metadata or {}
    parts = [f"{k}={v}" for k, v in info.items()]
    xmp = reader.trailer["/Root"].get("/Metadata")
    if xmp is not None:
        parts.append(xmp.get_object().get_data().decode("utf-8", "replace"))
    return normalise("\n".join(parts))


def ics_text(data: bytes) -> str:
    """An .ics file unfolded and unescaped, normalised."""
    text = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    text = text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    return normalise(text)


def mime_text(raw: bytes) -> str:
    """Every header and decoded part of a MIME message, normalised."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    parts = [f"{k}: {v}" for k, v in msg.items()]
    for part in msg.walk():
        parts.extend(f"{k}: {v}" for k, v in part.items())
        if part.is_multipart():
            continue
        body = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        text = body.decode(charset, "replace")
        parts.append(
            ics_text(text.encode()) if part.get_content_type() == "text/calendar" else text
        )
    return normalise("\n".join(parts))


def raw_forms(word: str) -> list[bytes]:
    """The byte patterns a word can take inside a database file."""
    forms = []
    for variant in {word, unicodedata.normalize("NFC", word), unicodedata.normalize("NFD", word)}:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            forms.append(variant.encode(encoding))
    return forms


def files_naming(
    roots: list[Path], words: list[str], *, besides: set[Path] = frozenset()
) -> list[str]:
    """Every file under ``roots`` (but ``besides``) that holds one of ``words``: raw bytes in
    UTF-8 and UTF-16-LE/BE (NFC and NFD), and for the formats that hide text, their text too
    (PDF streams are compressed, .ics lines folded)."""
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path in besides:
                continue
            data = path.read_bytes()
            texts = []
            if data.startswith(b"%PDF-"):
                texts.append(pdf_text(path))
            elif data.startswith(b"BEGIN:VCALENDAR"):
                texts.append(ics_text(data))
            for word in words:
                if any(form in data for form in raw_forms(word)) or any(
                    normalise(word) in text for text in texts
                ):
                    found.append(f"{path}: {word}")
    return found
