"""Print runs: which files a request produces, named by week and opaque id, built on demand.

Every function returns :class:`Job` objects (a file name and a function that makes its bytes),
so the caller can show progress and write each file privately as soon as it is made. File
names and PDF metadata never carry a participant's name or the group's topic.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

from reportlab.platypus import Flowable

from facilitator.errors import FacilitatorError
from facilitator.model.content import Handout
from facilitator.model.group import AttendanceSummary, Participant
from facilitator.model.outputs import OutputKind
from facilitator.outputs.pdf.course import Course, Timings
from facilitator.outputs.pdf.document import Metadata, PrintOptions, build
from facilitator.outputs.pdf.flowables.shapes import Fields
from facilitator.outputs.pdf.forms import language_hint
from facilitator.outputs.pdf.guide import guide_story
from facilitator.outputs.pdf.packet import (
    joined,
    makeup_cover,
    sign_in_story,
    workbook_cover,
    worksheet_set,
)
from facilitator.outputs.pdf.worksheet import SheetValues, render_handout


@dataclass(frozen=True)
class Job:
    """One file of a print run."""

    name: str
    make: Callable[[], bytes]
    pages_hint: int = 1
    """Rough size, for the progress bar."""
    kind: OutputKind = OutputKind.HANDOUT
    """What the file is, for the output ledger."""
    names: tuple[int, ...] = ()
    """The participants whose names the file holds (the output ledger records them)."""


PARALLEL_MIN_PAGES = 24
"""Smallest run (by page hints) worth a second process."""

_PENDING: Sequence[Job] = ()


def _make_in_child(index: int) -> bytes | None:
    try:
        return _PENDING[index].make()
    except Exception:
        return None


def make_all(jobs: Sequence[Job], *, parallel: bool = False) -> Iterator[tuple[Job, bytes]]:
    """Make each job's bytes, yielded in job order as they are ready.

    ``parallel`` uses a second forked process where the platform forks and the machine has a
    spare core (callers that run threads, like the TUI, leave it off). Each file is made by
    one process from the same inputs, so the bytes are identical either way; a job that fails
    in a worker is made again here so its error surfaces unchanged.
    """
    global _PENDING
    workers = min(2, os.cpu_count() or 1, len(jobs))
    if (
        not parallel
        or workers < 2
        or sum(j.pages_hint for j in jobs) < PARALLEL_MIN_PAGES
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        for job in jobs:
            yield job, job.make()
        return
    _PENDING = list(jobs)
    try:
        context = multiprocessing.get_context("fork")
        # Objects the children inherit stay out of their collections: a full collection in a
        # child would otherwise write to every inherited object and copy its page (gc.freeze's
        # purpose; it cuts the children's page faults by 40% and a course run by 0.15 s). The
        # pool forks its workers at the first submit; the parent thaws right after.
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            gc.freeze()
            try:
                # biggest first, so the long job does not start last; results come in order
                order = sorted(range(len(jobs)), key=lambda i: -jobs[i].pages_hint)
                futures = {i: pool.submit(_make_in_child, i) for i in order}
            finally:
                gc.unfreeze()
            for index, job in enumerate(jobs):
                data = futures[index].result()
                yield job, data if data is not None else job.make()
    finally:
        _PENDING = ()


def _held(course: Course, week: int) -> None:
    """A one-line error for a week whose meeting was cancelled and its session dropped."""
    if course.meeting(week).cancelled:
        handouts = ", ".join(h.id for h in course.week_handouts(week))
        hint = f"; its handouts: facilitator print-handout ({handouts})" if handouts else ""
        raise FacilitatorError(f"week {week} was cancelled: there is no meeting to print for{hint}")


def file_id(person: Participant) -> str:
    """The opaque id used in file names (never the name)."""
    return person.file_id


def _everyone(course: Course) -> tuple[int, ...]:
    """Whom a file for the whole group may name: everyone on the roster (guides carry notes)."""
    return tuple(p.id for p in course.roster)


def _large(options: PrintOptions, person: Participant | None) -> bool:
    return options.large_print or (person is not None and person.large_print)


def _fields(
    options: PrintOptions, course: Course, person: Participant | None = None
) -> Fields | None:
    """Form fields when fillable; typed answers show in the face of the person's script."""
    if not options.fillable:
        return None
    name = person.preferred_name if person is not None else ""
    return Fields(hint=name + language_hint(course.curriculum.language))


def week_jobs(
    course: Course,
    week: int,
    options: PrintOptions,
    *,
    spares: int = 2,
    per_participant: bool = False,
) -> list[Job]:
    """``weekNN-guide.pdf`` and ``weekNN-packet.pdf``, or one file per participant."""
    _held(course, week)
    course.week_handouts(week)  # fail before writing anything
    prefix = f"week{week:02d}"
    meta = Metadata(f"Worksheets, week {week}", course.curriculum.language)
    people = course.active(week)
    everyone = _everyone(course)
    jobs = [
        Job(
            f"{prefix}-guide.pdf",
            lambda: guide_pdf(course, week, options),
            4,
            OutputKind.GUIDE,
            everyone,
        )
    ]
    if per_participant:
        for person in people:
            jobs.append(
                Job(
                    f"{prefix}-{file_id(person)}.pdf",
                    _sheets(course, week, person, options, meta),
                    kind=OutputKind.SHEETS,
                    names=(person.id,),
                )
            )
        return jobs

    def packet() -> bytes:
        fields = _fields(options, course)
        parts = [sign_in_story(course, week, large=options.large_print)]
        parts += [
            worksheet_set(course, week, p, large=_large(options, p), fields=fields) for p in people
        ]
        parts += [
            worksheet_set(course, week, None, large=options.large_print, fields=fields)
            for _ in range(spares)
        ]
        return build(joined(parts, people=True), options, meta)

    jobs.append(
        Job(f"{prefix}-packet.pdf", packet, len(people) + spares, OutputKind.PACKET, everyone)
    )
    return jobs


def _sheets(
    course: Course, week: int, person: Participant | None, options: PrintOptions, meta: Metadata
) -> Callable[[], bytes]:
    def make() -> bytes:
        story = worksheet_set(
            course,
            week,
            person,
            large=_large(options, person),
            fields=_fields(options, course, person),
        )
        return build(story, options, meta)

    return make


def guide_pdf(course: Course, week: int, options: PrintOptions) -> bytes:
    """One week's facilitator guide."""
    meta = Metadata(f"Facilitator guide, week {week}", course.curriculum.language)
    return build(guide_story(course, week, large=options.large_print), options, meta)


def makeup_jobs(course: Course, week: int, options: PrintOptions) -> list[Job]:
    """A pack for each participant absent in ``week``: what the group did and the handouts."""
    _held(course, week)
    course.week_handouts(week)
    meta = Metadata(f"Catch-up pack, week {week}", course.curriculum.language)
    jobs = []
    for person in course.absent(week):

        def make(person: Participant = person) -> bytes:
            large = _large(options, person)
            story = joined(
                [
                    makeup_cover(course, week, person, large=large),
                    worksheet_set(
                        course, week, person, large=large, fields=_fields(options, course, person)
                    ),
                ]
            )
            return build(story, options, meta)

        jobs.append(
            Job(
                f"week{week:02d}-makeup-{file_id(person)}.pdf",
                make,
                3,
                OutputKind.MAKEUP,
                (person.id,),
            )
        )
    return jobs


def workbook_jobs(
    course: Course, options: PrintOptions, *, per_participant: bool = False, spares: int = 1
) -> list[Job]:
    """The whole course's workbook.

    By default one ``workbook.pdf`` for printing: each current participant's workbook in roster
    order, then ``spares`` blank ones (pages shared by everyone are laid out once). With
    ``per_participant``: ``workbook-blank.pdf`` and one ``workbook-<opaque id>.pdf`` per current
    participant (for people who attend remotely; each names only its own participant).
    """
    meta = Metadata("Course workbook", course.curriculum.language)
    weeks = course.scheduled_weeks()
    for week in weeks:
        course.week_handouts(week)
    current_ids = {p.id for w in weeks for p in course.active(w) if p.left is None}
    current = [p for p in course.roster if p.id in current_ids]

    def story(person: Participant | None, fields: Fields | None) -> list[Flowable]:
        large = _large(options, person)
        parts = [workbook_cover(course, person, large=large)]
        seen: set[str] = set()
        for week in weeks:  # each worksheet once, in the week it is first used
            new = [h for h in course.week_handouts(week) if h.id not in seen]
            seen.update(h.id for h in new)
            if new:
                parts.append(
                    worksheet_set(course, week, person, large=large, fields=fields, handouts=new)
                )
        return joined(parts)

    def workbook(person: Participant | None) -> Callable[[], bytes]:
        return lambda: build(story(person, _fields(options, course, person)), options, meta)

    if not per_participant:
        people: list[Participant | None] = [*current, *[None] * spares]
        if not people:  # nobody to print for: no file rather than a PDF without pages
            return []

        def combined() -> bytes:
            fields = _fields(options, course)
            return build(joined([story(p, fields) for p in people], people=True), options, meta)

        return [
            Job(
                "workbook.pdf",
                combined,
                len(weeks) * (len(current) + spares),
                OutputKind.WORKBOOK,
                _everyone(course),
            )
        ]
    jobs = [Job("workbook-blank.pdf", workbook(None), len(weeks), OutputKind.WORKBOOK)]
    jobs += [
        Job(f"workbook-{file_id(p)}.pdf", workbook(p), len(weeks), OutputKind.WORKBOOK, (p.id,))
        for p in current
    ]
    return jobs


def course_jobs(course: Course, options: PrintOptions, *, spares: int = 1) -> list[Job]:
    """Everything to print before a course starts, in one run.

    The workbook (everyone's, one file), then for each meeting that is not cancelled
    ``weekNN-guide.pdf`` and ``weekNN-sign-in.pdf``.
    """
    jobs = workbook_jobs(course, options, spares=spares)
    everyone = _everyone(course)
    for week in course.scheduled_weeks():
        prefix = f"week{week:02d}"
        guide = partial(guide_pdf, course, week, options)
        sign_in = partial(sign_in_pdf, course, week, options)
        jobs.append(Job(f"{prefix}-guide.pdf", guide, 4, OutputKind.GUIDE, everyone))
        jobs.append(Job(f"{prefix}-sign-in.pdf", sign_in, 1, OutputKind.SIGN_IN, everyone))
    return jobs


def sign_in_pdf(course: Course, week: int, options: PrintOptions) -> bytes:
    """A week's sign-in sheet on its own."""
    meta = Metadata(f"Sign-in, week {week}", course.curriculum.language)
    return build(sign_in_story(course, week, large=options.large_print), options, meta)


def report_jobs(
    course: Course,
    summary: AttendanceSummary,
    options: PrintOptions,
    timings: Timings | None = None,
) -> list[Job]:
    """``report.pdf``: the facilitator's record of the course so far."""
    from facilitator.outputs.pdf.report import report_story  # reportlab.graphics: 20 ms

    meta = Metadata("Course record", course.curriculum.language)
    return [
        Job(
            "report.pdf",
            lambda: build(
                report_story(course, summary, timings, large=options.large_print), options, meta
            ),
            2,
            OutputKind.REPORT,
            _everyone(course),
        )
    ]


def handout_job(
    handout: Handout, options: PrintOptions, values: SheetValues, source: str = ""
) -> Job:
    """One blank handout (``print-handout``)."""
    return Job(
        f"handout-{handout.id}.pdf", lambda: render_handout(handout, values, options, source=source)
    )


def _html_job(
    name: str,
    course: Course,
    weeks: Sequence[int],
    person: Participant,
    options: PrintOptions,
    title: str,
) -> Job:
    def make() -> bytes:
        from facilitator.outputs.pdf.accessible import document

        seen: set[str] = set()
        parts = []
        for week in weeks:
            for handout in course.week_handouts(week):
                if len(weeks) > 1 and handout.id in seen:
                    continue
                seen.add(handout.id)
                parts.append((handout, course.sources.get(handout.id, "")))
        values = course.values(weeks[0] if len(weeks) == 1 else None, person)
        return document(
            parts,
            values,
            title=title,
            heading=title,
            large=_large(options, person),
        ).encode("utf-8")

    return Job(name, make, len(weeks))


def accessible_week_jobs(course: Course, week: int, options: PrintOptions) -> list[Job]:
    """``weekNN-<opaque id>.html`` per participant: the accessible edition of their sheets."""
    _held(course, week)
    course.week_handouts(week)
    return [
        _html_job(
            f"week{week:02d}-{file_id(p)}.html",
            course,
            [week],
            p,
            options,
            f"Worksheets, week {week}",
        )
        for p in course.active(week)
    ]


def accessible_workbook_jobs(course: Course, options: PrintOptions) -> list[Job]:
    """``workbook-<opaque id>.html`` per current participant: the accessible workbook."""
    weeks = course.scheduled_weeks()
    for week in weeks:
        course.week_handouts(week)
    current_ids = {p.id for w in weeks for p in course.active(w) if p.left is None}
    current = [p for p in course.roster if p.id in current_ids]
    if not weeks:
        return []
    return [
        _html_job(f"workbook-{file_id(p)}.html", course, weeks, p, options, "Course workbook")
        for p in current
    ]


def font_warnings(course: Course) -> list[str]:
    """One line per participant whose name has a script no font prints (named by file id)."""
    from facilitator.outputs.pdf.fonts import missing_scripts

    out = []
    for person in course.roster:
        scripts = missing_scripts(person.preferred_name + person.last_initial)
        if scripts:
            out.append(
                f"warning: the name of participant {file_id(person)} is in "
                f"{', '.join(scripts)} script, which no installed font has: it prints as boxes "
                "(install a font for it, e.g. Debian's fonts-noto-core)"
            )
    return out
