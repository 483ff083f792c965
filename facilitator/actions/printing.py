"""Printing use cases: a week, make-up packs, the workbook, the whole course, the report, one
blank handout.

Printing is two steps so that a front end can show what is coming before the slow part:
:func:`plan` (or :func:`plan_handout`) gathers the course, turns the settings and the options
given into print options and lists the files; :func:`write` makes them and writes them (each
recorded in the output ledger first, 0600, atomically) into the run's folder, by default the
group's folder under ``prints/`` in the data folder. reportlab is imported only here, inside
the functions, so other commands stay fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from facilitator import locations
from facilitator.errors import FacilitatorError

if TYPE_CHECKING:
    from facilitator.config import Settings
    from facilitator.outputs.pdf.runs import Job
    from facilitator.outputs.pdf.style import PrintOptions
    from facilitator.store import Store
    from facilitator.workspace import Workspace

Progress = Callable[[int, int, str], None]
"""Called after each file: (files done, files in all, file name)."""


class What(StrEnum):
    """What a print run of a group makes."""

    WEEK = "week"
    """A meeting's guide, sign-in sheet and packet of worksheets."""
    MAKEUP = "makeup"
    """Catch-up packs for each person who missed a meeting."""
    WORKBOOK = "workbook"
    """The whole course's worksheets, everyone's in one file."""
    COURSE = "course"
    """The workbook and each week's guide and sign-in sheet."""
    REPORT = "report"
    """The facilitator's record of the course so far."""


@dataclass(frozen=True, slots=True)
class Paper:
    """How to print: each ``None`` takes the settings' value (``settings.toml``)."""

    paper: str | None = None
    """``letter`` or ``a4`` (default: settings, else the locale's usual size)."""
    large_print: bool = False
    """Large print for everyone (the settings may ask for it too)."""
    fillable: bool = False
    """Form fields for typed answers."""
    duplex: bool | None = None
    """Each person's pages start on the front of a sheet."""


@dataclass(frozen=True, slots=True)
class PrintRun:
    """The files one print run will make, and where they go."""

    folder: Path
    """Where the files are written."""
    jobs: tuple[Job, ...]
    group_id: int | None = None
    warnings: tuple[str, ...] = ()
    """Names in a script no installed font prints (say them before printing)."""
    nothing_because: str = ""
    """Why there is nothing to print (when ``jobs`` is empty)."""
    makeup_names: tuple[str, ...] = ()
    """For make-up packs: whose packs these are (sign-in names)."""

    @property
    def count(self) -> int:
        """How many files the run writes."""
        return len(self.jobs)


def print_options(settings: Settings, paper: Paper = Paper()) -> PrintOptions:
    """The settings with what was asked for on top of them."""
    from facilitator.outputs.pdf.style import PrintOptions

    return PrintOptions(
        paper.paper or settings.effective_paper(),
        paper.large_print or settings.large_print,
        paper.fillable,
        settings.duplex if paper.duplex is None else paper.duplex,
    )


def plan(
    ws: Workspace,
    store: Store,
    group_id: int,
    what: What,
    *,
    week: int | None = None,
    paper: Paper = Paper(),
    spares: int | None = None,
    per_participant: bool = False,
    accessible: bool = False,
    with_notes: bool = False,
    out: Path | None = None,
) -> PrintRun:
    """The files of one print run of a group (nothing is written yet).

    ``week`` goes with a week or make-up packs; ``spares`` are blank sets at the end (default
    2 for a week, 1 for a workbook or the course); ``per_participant`` and ``accessible`` (HTML
    for screen readers) go with a week or the workbook; ``with_notes`` adds each meeting's group
    note to the report (notes are never in a default print).
    """
    from facilitator import exports
    from facilitator.outputs.pdf import runs

    if what in (What.WEEK, What.MAKEUP) and week is None:
        raise FacilitatorError(f"printing {what.value} needs a week")
    if (per_participant or accessible) and what not in (What.WEEK, What.WORKBOOK):
        raise FacilitatorError(
            "one file each and the accessible edition go with a week or the workbook"
        )
    if with_notes and what is not What.REPORT:
        raise FacilitatorError("meeting notes go with the report only")
    options = print_options(ws.settings, paper)
    group = store.group(group_id)
    course = exports.course(store, ws.library, ws.settings, group)
    names: tuple[str, ...] = ()
    jobs: list[Job]
    if accessible and what is What.WEEK:
        assert week is not None
        jobs = runs.accessible_week_jobs(course, week, options)
    elif accessible:
        jobs = runs.accessible_workbook_jobs(course, options)
    elif what is What.WEEK:
        assert week is not None
        jobs = runs.week_jobs(
            course,
            week,
            options,
            spares=2 if spares is None else spares,
            per_participant=per_participant,
        )
    elif what is What.MAKEUP:
        assert week is not None
        jobs = runs.makeup_jobs(course, week, options)
        names = tuple(p.sign_in_name for p in course.absent(week))
    elif what is What.WORKBOOK:
        jobs = runs.workbook_jobs(
            course, options, per_participant=per_participant, spares=1 if spares is None else spares
        )
    elif what is What.COURSE:
        jobs = runs.course_jobs(course, options, spares=1 if spares is None else spares)
    else:
        if with_notes:
            course = replace(course, notes=exports.meeting_notes(store, group.id))
        jobs = runs.report_jobs(
            course, store.summary(group.id), options, exports.timings(store, group.id)
        )
    why = ""
    if not jobs:
        why = (
            "nobody missed that meeting"
            if what is What.MAKEUP
            else "no current participants, and --spares 0"
        )
    return PrintRun(
        out or locations.prints_dir(ws.data_dir, group.id),
        tuple(jobs),
        group.id,
        tuple(runs.font_warnings(course)),
        why,
        names,
    )


def plan_handout(
    ws: Workspace, handout_id: str, *, paper: Paper = Paper(), out: Path | None = None
) -> PrintRun:
    """One blank handout, with the support lines of the settings (by default into
    ``prints/handouts``)."""
    from facilitator.outputs.pdf.runs import handout_job
    from facilitator.outputs.pdf.worksheet import SheetValues

    options = print_options(ws.settings, paper)
    entry = ws.library.handouts.get(handout_id)
    handout = ws.library.handout(handout_id)
    values = SheetValues(support_lines=ws.settings.effective_support_lines())
    job = handout_job(handout, options, values, entry.shown if entry else "")
    return PrintRun(out or locations.handout_prints_dir(ws.data_dir), (job,))


def write(
    store: Store, run: PrintRun, *, progress: Progress | None = None, parallel: bool = False
) -> list[Path]:
    """Make each file of ``run`` and write it into its folder; returns the paths in order.

    Every file is recorded in the output ledger (kind, group, whom it names) before it is
    written. ``parallel`` may use a second process for a big run (the CLI does; the app, which
    runs threads, does not).
    """
    from facilitator.exports import write_jobs

    if store.readonly:
        raise FacilitatorError(
            "cannot print: the database is read-only here (a read-only folder or disk), and "
            "every file printed is recorded in it; nothing was written"
        )
    return write_jobs(
        store, run.jobs, run.folder, group_id=run.group_id, progress=progress, parallel=parallel
    )
