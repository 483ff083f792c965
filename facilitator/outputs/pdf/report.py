"""The facilitator's record of a course: attendance chart, per-person rates, timings, flags."""

from __future__ import annotations

import contextlib

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from facilitator.model.group import AttendanceStatus, AttendanceSummary, Completion, SlotKind
from facilitator.outputs.pdf import fonts
from facilitator.outputs.pdf.course import Course, Timings, day_text, meeting_date
from facilitator.outputs.pdf.document import PageInfo, Section
from facilitator.outputs.pdf.markup import plain
from facilitator.outputs.pdf.style import EDGE, INK, TINT, Theme, para, split_rows, theme

BAR = colors.HexColor("#7f9bb8")
CODES = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.LEFT_EARLY: "LE",
    AttendanceStatus.EXCUSED: "EX",
    AttendanceStatus.ABSENT: "A",
}


def report_story(
    course: Course,
    summary: AttendanceSummary,
    timings: Timings | None = None,
    *,
    large: bool = False,
) -> list[Flowable]:
    """The group report: chart, attendance matrix, completion, at-risk flags, timings."""
    t = theme(large)
    info = PageInfo(
        left=f"{plain(course.group.name)} \u00b7 course record",
        right="Facilitator's record",
        footer="Confidential: attendance of named people.",
        large=large,
    )
    story: list[Flowable] = [
        Section(info),
        para("Course record", t.title),
        para(
            f"{plain(course.curriculum.title)} \u00b7 {_held(course, summary)}",
            t.body,
        ),
    ]
    gaps = _no_meeting(course)
    if gaps:
        story.append(para(f"No meeting on: {gaps}", t.body))
    story.append(para("Attendance per meeting", t.heading))
    story.append(attendance_chart(course, summary, t))
    story.append(para("Participants", t.heading))
    story.append(_people(summary, course, t))
    story.append(para("Planned and actual minutes", t.heading))
    story += _timings(course, summary, timings or {}, t)
    return story


def _held(course: Course, summary: AttendanceSummary) -> str:
    """ "3 of 7 meetings held" (a dropped week counts in neither), naming dropped weeks."""
    planned = len(course.scheduled_weeks())
    held = sum(1 for w in summary.weeks if w in course.scheduled_weeks())
    dropped = [w for w in range(1, course.weeks + 1) if w not in course.scheduled_weeks()]
    text = f"{held} of {planned} meetings held"
    if dropped:
        text += " \u00b7 cancelled: " + ", ".join(f"week {w}" for w in dropped)
    return text


def _no_meeting(course: Course) -> str:
    """The dates of the weekly series without a meeting and why (cancelled, holiday, skip)."""
    return ", ".join(
        f"{plain(day_text(slot.start))} ({plain(slot.reason or str(slot.kind))})"
        for slot in course.schedule.slots
        if slot.kind in (SlotKind.SKIPPED, SlotKind.CANCELLED)
    )


def attendance_chart(course: Course, summary: AttendanceSummary, t: Theme) -> Drawing:
    """A bar chart: people attending each meeting held, labelled with the count; the weeks
    still to come (or cancelled) are on the axis without a bar, so the course's progress shows.
    """
    held = set(summary.weeks)
    weeks = list(range(1, course.weeks + 1)) or [1]
    counts = [
        sum(1 for row in summary.rows if row.marks.get(w, AttendanceStatus.ABSENT).attended)
        if w in held
        else None
        for w in weeks
    ]
    width, height = 440.0, 150.0 + (40 if t.large else 0)
    # reportlab's graphics start every drawing in Helvetica (unembedded): ours instead
    STATE_DEFAULTS["fontName"] = fonts.BODY
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 36, 28, width - 50, height - 48
    chart.data = [counts]
    chart.valueAxis.valueMin = 0
    top = max([len(summary.rows), *(c for c in counts if c is not None), 1])
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = max(1, -(-top // 6))
    chart.categoryAxis.categoryNames = [f"Wk {w}" for w in weeks]
    for axis in (chart.valueAxis.labels, chart.categoryAxis.labels):
        axis.fontName, axis.fontSize = fonts.BODY, t.size * 0.75
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName, chart.barLabels.fontSize = fonts.BODY_BOLD, t.size * 0.75
    chart.barLabels.nudge = t.size * 0.6
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = INK
    drawing.add(chart)
    if not summary.weeks:
        drawing.add(
            String(
                width / 2,
                height / 2,
                "No meetings held yet",
                fontName=fonts.BODY,
                fontSize=t.size,
                textAnchor="middle",
            )
        )
    return drawing


def _people(summary: AttendanceSummary, course: Course, t: Theme) -> Table:
    head = ["Name", *[f"W{w}" for w in summary.weeks], "Rate", "Completion", "Flag"]
    rows: list[list[object]] = [[para(f"<b>{h}</b>", t.cell_head) for h in head]]
    threshold = course.group.completion_threshold
    for row in summary.rows:
        rate = f"{row.rate:.0%}" if row.rate is not None else "\u2013"
        done = row.completion.value
        if row.completion is Completion.NOT_COMPLETED:
            done += f" (below {threshold:.0%})"
        flag = "<b>at risk</b>" if row.at_risk else ""
        rows.append(
            [
                para(plain(row.participant.sign_in_name), t.cell),
                *[
                    CODES.get(row.marks[w], "") if w in row.marks else "\u00b7"
                    for w in summary.weeks
                ],
                rate,
                para(done, t.cell),
                para(flag, t.cell),
            ]
        )
    if not summary.rows:
        rows.append([para("No participants yet.", t.cell)] + [""] * (len(head) - 1))
    # the name column takes what the others leave, so a long name wraps instead of widening it
    # (the week columns narrow down for a long course, on the narrower of A4 and Letter)
    fixed = t.size * (3.6 + 7 + 4.6)
    room = 493 - fixed - t.size * 7
    week = min(t.size * 2.4, max(room / max(len(summary.weeks), 1), t.size * 1.7))
    widths = ["*", *[week] * len(summary.weeks), t.size * 3.6, t.size * 7, t.size * 4.6]
    table = Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        hAlign="LEFT",
        splitInRow=split_rows([row.participant.sign_in_name for row in summary.rows]),
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, EDGE),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                ("FONTSIZE", (0, 0), (-1, -1), t.size * 0.85),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _timings(
    course: Course, summary: AttendanceSummary, timings: Timings, t: Theme
) -> list[Flowable]:
    out: list[Flowable] = []
    for week in range(1, course.weeks + 1):
        plan = course.plans.get(week)
        title = f"Week {week}" + (f": {plain(plan.title)}" if plan else "")
        with contextlib.suppress(KeyError):
            title += f" \u00b7 {plain(meeting_date(course.schedule.meeting(week)))}"
        recorded = timings.get(week)
        note = course.notes.get(week, "")
        if week not in course.scheduled_weeks():
            out.append(para(f"{title} \u2013 <b>cancelled</b> (session dropped)", t.body))
            out += _note(note, t)
            continue
        if not recorded:
            out.append(para(f"{title} \u2013 <i>not recorded</i>", t.body))
            out += _note(note, t)
            continue
        rows: list[list[object]] = [["Item", "Planned", "Actual", "Difference"]]
        for item, planned, actual in recorded:
            rows.append(
                [para(plain(item), t.cell), str(planned), str(actual), f"{actual - planned:+d}"]
            )
        total_p = sum(p for _, p, _ in recorded)
        total_a = sum(a for _, _, a in recorded)
        rows.append(["Total", str(total_p), str(total_a), f"{total_a - total_p:+d}"])
        table = Table(rows, colWidths=[None, t.size * 5, t.size * 5, t.size * 6], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, EDGE),
                    ("BACKGROUND", (0, 0), (-1, 0), TINT),
                    ("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                    ("FONTNAME", (0, -1), (-1, -1), fonts.BODY_BOLD),
                    ("FONTSIZE", (0, 0), (-1, -1), t.size * 0.85),
                    ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ]
            )
        )
        out += [para(title, t.body), table, *_note(note, t), Spacer(1, t.size * 0.6)]
    return out


def _note(text: str, t: Theme) -> list[Flowable]:
    """A meeting's group note (quick notes from the live runner included), line by line."""
    if not text.strip():
        return []
    lines = "<br/>".join(plain(line) for line in text.splitlines())
    return [para(f"<i>Notes:</i> {lines}", t.small)]
