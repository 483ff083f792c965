"""Attendance as CSV: formula-safe cells (OWASP), written atomically and privately.

Notes are never part of this export.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from facilitator.files import write_private
from facilitator.model.group import AttendanceSummary

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these could run as a formula in a spreadsheet."""


def safe_cell(value: object) -> str:
    """The cell as text, with a leading ``'`` if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as CSV (stdlib quoting, CRLF, UTF-8 with a BOM so spreadsheets read any script)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def attendance_rows(summary: AttendanceSummary) -> list[list[str]]:
    """Header plus one row per participant: id, sign-in name, a status per week, totals.

    Completion is "completed"/"not completed" only once no meeting is left for the person;
    before that it is "in progress", "on track", "behind" or "out of reach".
    """
    header = [
        "id",
        "participant",
        *(f"week {w}" for w in summary.weeks),
        "attended",
        "counted",
        "rate",
        "completion",
        "at risk",
    ]
    rows = [header]
    for row in summary.rows:
        rate = "" if row.rate is None else f"{row.rate:.0%}"
        rows.append(
            [
                str(row.participant.id),
                row.participant.sign_in_name,
                *(row.marks[w].value if w in row.marks else "" for w in summary.weeks),
                str(row.attended),
                str(row.counted),
                rate,
                row.completion.value,
                "yes" if row.at_risk else "no",
            ]
        )
    return rows


def write_attendance_csv(summary: AttendanceSummary, path: Path) -> Path:
    """Write the attendance report to ``path`` (0600, temp file + rename)."""
    return write_private(path, csv_bytes(attendance_rows(summary)))
