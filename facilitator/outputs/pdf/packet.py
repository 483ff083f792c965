"""Participant-facing stories: sign-in sheet, worksheet sets, make-up covers, workbooks.

Privacy: a participant's pages carry only their own preferred name; the sign-in sheet shows
preferred name and last initial and neither the topic nor the programme; every header uses the
group's neutral display name.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from facilitator.model.content import AgendaKind, Handout
from facilitator.model.group import Participant
from facilitator.outputs.pdf.course import Course, meeting_date
from facilitator.outputs.pdf.document import Body, PageInfo, RectoBreak, Section
from facilitator.outputs.pdf.flowables.shapes import Fields
from facilitator.outputs.pdf.markup import isolate, plain, safe
from facilitator.outputs.pdf.style import EDGE, TINT, Theme, para, split_rows, theme
from facilitator.outputs.pdf.worksheet import FOOTER, header_name, worksheet_story

SIGN_IN_FOOTER = "Write your first name or initials only. Nothing else is recorded on this sheet."
SKIPPED_KINDS = (AgendaKind.BUFFER,)


def sign_in_story(
    course: Course, week: int, *, large: bool = False, visitors: int = 2
) -> list[Flowable]:
    """A sign-in sheet: preferred name and last initial, a box to initial; no topic."""
    t = theme(large)
    meeting = course.meeting(week)
    left = " \u00b7 ".join(
        [plain(course.group.display_name), f"Week {week}", plain(meeting_date(meeting))]
    )
    info = PageInfo(left=left, right="Sign-in", footer=SIGN_IN_FOOTER, large=large)
    rows: list[list[object]] = [
        [para("<b>Name</b>", t.cell_head), para("<b>Initials</b>", t.cell_head)]
    ]
    rows += [
        [para(plain(p.sign_in_name), t.body.clone("n", spaceAfter=0)), ""]
        for p in course.active(week)
    ]
    rows += [["", ""] for _ in range(visitors)]
    people = len(course.active(week))
    # Name rows grow with a name that wraps (padding keeps them as tall as the empty ones); a
    # name taller than a page (thousands of characters) continues overleaf.
    table = Table(
        rows,
        colWidths=[None, t.size * 12],
        repeatRows=1,
        rowHeights=[None] * (people + 1) + [t.line_gap * 1.4] * visitors,
        splitInRow=split_rows([p.sign_in_name for p in course.active(week)]),
    )
    pad = max(t.line_gap * 1.4 - t.body.leading, 0) / 2
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, EDGE),
                ("BACKGROUND", (0, 0), (-1, 0), TINT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), t.size * 0.5),
                *(
                    [
                        ("TOPPADDING", (0, 1), (-1, people), pad),
                        ("BOTTOMPADDING", (0, 1), (-1, people), pad),
                    ]
                    if people
                    else []
                ),
            ]
        )
    )
    return [
        Section(info),
        para("Sign-in", t.title),
        para(f"{plain(course.group.display_name)}, {plain(meeting_date(meeting))}", t.body),
        Spacer(1, t.size),
        table,
    ]


def worksheet_set(
    course: Course,
    week: int,
    person: Participant | None,
    *,
    large: bool,
    fields: Fields | None,
    handouts: Sequence[Handout] | None = None,
) -> list[Flowable]:
    """A week's worksheets (all of them, or ``handouts``) for one participant, page-broken."""
    story: list[Flowable] = []
    values = course.values(week, person)
    for handout in course.week_handouts(week) if handouts is None else handouts:
        if story:
            story.append(PageBreak())
        story += worksheet_story(
            handout, values, large=large, fields=fields, source=course.sources.get(handout.id, "")
        )
    return story


def joined(parts: Sequence[list[Flowable]], *, people: bool = False) -> list[Flowable]:
    """Stories one after another, each starting on a new page.

    ``people``: each part is a different person's (or the sign-in sheet), so printed on both
    sides each starts on the front of a sheet (see :class:`RectoBreak`).
    """
    out: list[Flowable] = []
    for part in parts:
        if not part:
            continue
        if out:
            out.append(RectoBreak() if people else PageBreak())
        out += part
    return out


def makeup_cover(course: Course, week: int, person: Participant, *, large: bool) -> list[Flowable]:
    """What the group did in a week, for someone who missed it (no scripts, no names)."""
    t = theme(large)
    plan = course.plan(week)
    values = course.values(week, person)
    info = PageInfo(
        left=" \u00b7 ".join(
            plain(x) for x in (values.programme, f"Week {week}", values.meeting_date)
        ),
        right=f"For <b>{isolate(header_name(person.preferred_name))}</b>",
        footer=FOOTER,
        version=f"Content version {plain(values.version)}",
        large=large,
    )
    story: list[Flowable] = [
        Section(info),
        para(f"Week {week}: {plain(plan.title)}", t.title),
        para(
            f"We missed you at the meeting on {plain(values.meeting_date)}. Here is what "
            "the group did, with the handouts, so you can catch up at your own pace. "
            "Nothing here needs to be done before you come back.",
            t.body,
        ),
        para("What we did", t.heading),
    ]
    story += [para(safe(plan.summary.strip()), t.body)]
    steps = [item.title for item in plan.agenda if item.kind not in SKIPPED_KINDS]
    story += _list(steps, t)
    if plan.home_practice:  # kept on one page: a lone last item overleaf reads as an afterthought
        practice = [para("Home practice this week", t.heading), *_list(plan.home_practice, t)]
        story += [KeepTogether(practice)] if len(practice) <= 7 else practice
    return story


def _list(items: Sequence[str], t: Theme) -> list[Flowable]:
    style = t.body.clone(
        "li", leftIndent=t.size * 1.2, bulletIndent=t.size * 0.2, spaceAfter=t.size * 0.2
    )
    return [para(safe(item.strip()), style, bulletText="\u2022") for item in items]


def workbook_cover(course: Course, person: Participant | None, *, large: bool) -> list[Flowable]:
    """The first page of a course workbook: programme, weeks and dates."""
    t = theme(large)
    values = course.values(None, person)
    right = (
        f"Name or initials (optional): <b>{isolate(header_name(person.preferred_name))}</b>"
        if person
        else "Name or initials (optional):"
    )
    info = PageInfo(
        left=plain(values.programme),
        right=right,
        footer=FOOTER,
        version=f"Content version {plain(values.version)}",
        large=large,
        name_line=person is None,
    )
    # The cover's content is the same for everyone: laid out once per file, reused per person.
    return [Section(info), Body(("cover", id(course), large), lambda: _cover_body(course, t))]


def _cover_body(course: Course, t: Theme) -> list[Flowable]:
    values = course.values(None, None)
    story: list[Flowable] = [
        para(plain(course.curriculum.title), t.title),
        para(f"Your workbook for {plain(values.group_name)}", t.body),
        Spacer(1, t.size),
    ]
    rows = []
    first_week: dict[str, int] = {}
    for week in range(1, course.weeks + 1):
        plan = course.plans.get(week)
        meeting = course.schedule.meeting(week) if week <= len(course.schedule.meetings) else None
        sheets = []
        if meeting is not None and not meeting.cancelled:
            for handout in course.week_handouts(week):
                first = first_week.setdefault(handout.id, week)
                again = f" (in\u00a0week\u00a0{first})" if first != week else ""  # kept whole
                sheets.append(f"{plain(handout.title)}{again}")
        when = f"<b>Week {week}</b>" + (f"<br/>{plain(meeting_date(meeting))}" if meeting else "")
        title = plain(plan.title) if plan else ""
        if meeting is not None and meeting.cancelled:  # said plainly, not listed as if on
            when = f"<b>Week {week}</b><br/>Cancelled"
            title = f"<i>Cancelled: this meeting does not take place.</i> ({title})"
        rows.append([para(when, t.cell), para(title, t.cell), para("<br/>".join(sheets), t.cell)])
    story.append(
        para(
            "Each worksheet is in this workbook once, in the week it is first used; weeks that "
            "use it again point back to it.",
            t.small,
        )
    )
    story.append(Spacer(1, t.size * 0.5))
    # week and date stacked, so the session and its sheets get the width
    table = Table(rows, colWidths=[t.size * 8, None, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, EDGE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), t.size * 0.35),
                ("BOTTOMPADDING", (0, 0), (-1, -1), t.size * 0.35),
            ]
        )
    )
    story.append(table)
    return story
