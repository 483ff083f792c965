"""The facilitator guide for one meeting: agenda with clock times, scripts, roster, notes."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from facilitator.model.content import AgendaItem, SessionPlan
from facilitator.model.group import Participant
from facilitator.outputs.pdf.course import Course, clock, meeting_date
from facilitator.outputs.pdf.document import PageInfo, Section
from facilitator.outputs.pdf.flowables.blocks import boxed, paragraphs
from facilitator.outputs.pdf.flowables.shapes import TickBox, WritingLines
from facilitator.outputs.pdf.markup import plain, safe
from facilitator.outputs.pdf.style import EDGE, TINT, Theme, para, split_rows, theme
from facilitator.text import read_aloud

GUIDE_FOOTER = "Facilitator's copy: keep it with your confidential notes."


def _text(author_text: str, style: object) -> list[Flowable]:
    """Facilitator-facing content text (scripts are not templates; still filtered)."""
    return paragraphs(safe(author_text.strip()), style)


def guide_story(course: Course, week: int, *, large: bool = False) -> list[Flowable]:
    """The flowables of one week's facilitator guide."""
    t = theme(large)
    meeting = course.meeting(week)
    plan = course.plan(week)
    when = f"{meeting_date(meeting)}, {clock(meeting, 0)}\u2013{clock(meeting, meeting.minutes)}"
    info = PageInfo(
        left=" \u00b7 ".join([plain(course.group.name), f"Week {week}", plain(when)]),
        right="Facilitator guide",
        footer=GUIDE_FOOTER,
        version=f"Content version {plain(course.curriculum.version)}",
        large=large,
    )
    story: list[Flowable] = [
        Section(info),
        para(f"Week {week}: {plain(plan.title)}", t.title),
        para(
            plain(when)
            + (f" \u00b7 {plain(course.group.location)}" if course.group.location else ""),
            t.small,
        ),
        Spacer(1, t.size * 0.5),
    ]
    story += _text(plan.summary, t.body)
    story += _bullets("Objectives", plan.objectives, t)
    story += _bullets("Preparation", plan.preparation, t)
    story += _bullets("Materials", plan.materials, t)
    handouts = [course.handouts[h].title for h in plan.handout_ids() if h in course.handouts]
    story += _bullets("Handouts to print", handouts, t)
    story += agenda(plan, course, week, t, heading=para("Agenda", t.heading))
    story += _bullets("Home practice", plan.home_practice, t)
    story.append(CondPageBreak(t.line_gap * 6))
    story += sign_in_checklist(course.active(week), t)
    story.append(KeepTogether([para("Notes", t.heading), WritingLines(8, t)]))
    return story


def _bullets(title: str, items: Sequence[str], t: Theme) -> list[Flowable]:
    if not items:
        return []
    style = t.body.clone(
        "bullet", leftIndent=t.size * 1.2, bulletIndent=t.size * 0.2, spaceAfter=t.size * 0.2
    )
    return [para(title, t.heading)] + [
        para(safe(item.strip()), style, bulletText="\u2022") for item in items
    ]


def agenda(
    plan: SessionPlan, course: Course, week: int, t: Theme, *, heading: Flowable | None = None
) -> list[Flowable]:
    """Each agenda item: clock time, minutes, title and marks; then its script and notes.

    ``heading`` is kept on the page of the first item (a heading's keepWithNext does not hold
    when the next flowable is itself kept together and does not fit).
    """
    meeting = course.meeting(week)
    out: list[Flowable] = []
    for index, (start, item) in enumerate(plan.timeline()):
        lead = [heading] if heading is not None and index == 0 else []
        out += _item(item, clock(meeting, start), course, t, lead=lead)
    out.append(para(f"<b>{clock(meeting, plan.agenda_minutes())}</b>  End", t.body))
    return out


def _item(
    item: AgendaItem, at: str, course: Course, t: Theme, *, lead: Sequence[Flowable] = ()
) -> list[Flowable]:
    marks = []
    if item.protected:
        marks.append("PROTECTED: never cut")
    if item.sensitive:
        marks.append("sensitive")
    if item.lead:
        marks.append(f"led by {plain(item.lead)}")
    spoken = read_aloud(item.script)
    if spoken:
        marks.append(f"script {spoken}")
    title = f"<b>{plain(item.title)}</b>" + (f'  <font color="#4a4a4a">({item.kind})</font>')
    if marks:
        title += "<br/>" + " \u00b7 ".join(
            f"<b>{m}</b>" if m.startswith("PROT") else m for m in marks
        )
    time_col = t.size * 4.2
    head = Table(
        [
            [
                para(f"<b>{at}</b>", t.body),
                para(f"{item.minutes} min", t.small),
                para(title, t.body.clone("title", spaceAfter=0)),
            ]
        ],
        colWidths=[time_col, time_col * 0.9, None],
        hAlign="LEFT",
    )
    head.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), TINT),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, EDGE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), t.size * 0.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), t.size * 0.2),
            ]
        )
    )
    indent = t.body.clone("script", leftIndent=time_col * 1.9 + 6)
    body: list[Flowable] = []
    if item.content_note:
        body += [boxed(_text("<b>Content note (say first):</b> " + item.content_note, t.note), t)]
    if item.opt_out:
        body += _text("<b>Opt-out:</b> " + item.opt_out, indent)
    body += _text(item.script, indent) if item.script.strip() else []
    if item.handouts:
        titles = [course.handouts[h].title if h in course.handouts else h for h in item.handouts]
        body.append(para("<b>Handouts:</b> " + ", ".join(plain(x) for x in titles), indent))
    if item.materials:
        body.append(
            para("<b>Materials:</b> " + ", ".join(plain(x) for x in item.materials), indent)
        )
    first = body[:1]
    return [
        KeepTogether([*lead, head, Spacer(1, t.size * 0.3), *first]),
        *body[1:],
        Spacer(1, t.size * 0.5),
    ]


def sign_in_checklist(people: Sequence[Participant], t: Theme) -> list[Flowable]:
    """The roster as a checklist (preferred name and last initial only)."""
    if not people:
        return [para("Roster", t.heading), para("No participants yet.", t.body)]
    rows = [
        [
            TickBox(t),
            para(plain(p.sign_in_name), t.body.clone("n", spaceAfter=0)),
            para("large print" if p.large_print else "", t.small),
        ]
        for p in people
    ]
    table = Table(
        rows,
        colWidths=[t.box + t.size, None, t.size * 8],
        hAlign="LEFT",
        splitInRow=split_rows([p.sign_in_name for p in people]),
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, EDGE),
                ("TOPPADDING", (0, 0), (-1, -1), t.size * 0.35),
                ("BOTTOMPADDING", (0, 0), (-1, -1), t.size * 0.35),
            ]
        )
    )
    return [para("Roster (tick on arrival)", t.heading), table]
