"""A cancelled week printed as cancelled: the workbook's cover and the course record say so,
and the record counts held meetings out of those that take place ("3 of 7 held")."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from tests.helpers import run_cli
from tests.pdf.conftest import pdf_text


def test_cancelled_week_on_the_workbook_cover_and_in_the_report(
    demo_group: str, tmp_path: Path
) -> None:
    code, _, err = run_cli("schedule", "cancel", demo_group, "5", "--drop")
    assert code == 0, err
    out = tmp_path / "out"
    for kind in ("--workbook", "--report"):
        code, _, err = run_cli("print", demo_group, kind, "--out", str(out), "-q")
        assert code == 0, err
    cover = PdfReader(io.BytesIO((out / "workbook.pdf").read_bytes())).pages[0].extract_text()
    week5 = cover[cover.index("Week 5") : cover.index("Week 6")]
    assert "Cancelled" in week5 and "does not take place" in " ".join(week5.split())
    week4 = cover[cover.index("Week 4") : cover.index("Week 5")]
    assert "Cancelled" not in week4
    report = pdf_text((out / "report.pdf").read_bytes())
    assert "3 of 7 meetings held" in report and "cancelled: week 5" in report
    assert "completed" not in report.replace("not completed", "")  # mid-course: a forecast
    assert "on track" in report
    timings = report[report.index("Planned and actual minutes") :]
    week5 = timings[timings.index("Week 5") : timings.index("Week 6")]
    assert "cancelled" in week5 and "not recorded" not in week5


def test_a_berlin_group_prints_the_german_support_lines(demo_group: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run_cli("print", demo_group, "--week", "4", "--out", str(out), "-q")
    assert code == 0, err
    packet = pdf_text((out / "week04-packet.pdf").read_bytes())
    assert "TelefonSeelsorge" in packet and "findahelpline.com" in packet
