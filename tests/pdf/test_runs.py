"""Print runs: guide, packet, per-participant files, make-up packs, workbook, report, CLI."""

from __future__ import annotations

import gc
import io
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitator.content import Library
from facilitator.model.group import AttendanceSummary, ParticipantAttendance
from facilitator.outputs.pdf import runs
from facilitator.outputs.pdf.document import PrintOptions
from tests.builders import cli_group, make_course
from tests.helpers import run_cli
from tests.pdf.conftest import pdf_text, squash

NAMES = ["Canaryalpha", "Canarybeta", "Canarygamma"]


def made(jobs: list[runs.Job]) -> dict[str, bytes]:
    return {job.name: job.make() for job in jobs}


def test_week_run_writes_guide_and_packet_in_roster_order(library: Library) -> None:
    course = make_course(library, NAMES)
    files = made(runs.week_jobs(course, 1, PrintOptions(), spares=1))
    assert set(files) == {"week01-guide.pdf", "week01-packet.pdf"}
    packet = pdf_text(files["week01-packet.pdf"])
    assert "Sign-in" in packet and "Canaryalpha Q." in packet
    assert "SECRETTOPIC" not in packet and "Tuesday group" in packet
    positions = [packet.index(f"Name or initials (optional): {n}") for n in NAMES]
    assert positions == sorted(positions)
    guide = pdf_text(files["week01-guide.pdf"])
    assert "18:00" in guide and "18:10" in guide and "PROTECTED" in guide
    assert "Canarybeta Q." in guide  # the roster checklist


def test_per_participant_files_name_nobody_else(library: Library) -> None:
    course = make_course(library, NAMES)
    files = made(runs.week_jobs(course, 2, PrintOptions(), per_participant=True))
    assert set(files) == {
        "week02-guide.pdf",
        "week02-opaque001.pdf",
        "week02-opaque002.pdf",
        "week02-opaque003.pdf",
    }
    for index, name in enumerate(NAMES, start=1):
        data = files[f"week02-opaque{index:03d}.pdf"]
        text = pdf_text(data)
        assert name in text
        others = [n for n in NAMES if n != name]
        assert not any(n in text or n.encode() in data for n in others)
        assert b"SECRETTOPIC" not in data
        info = PdfReader(io.BytesIO(data)).metadata
        assert name not in str(dict(info))


def test_large_print_roster_flag_applies_to_that_person_only(library: Library) -> None:
    course = make_course(library, NAMES, large=["Canarybeta"])
    files = made(runs.week_jobs(course, 1, PrintOptions(), per_participant=True))
    sizes = {n: PdfReader(io.BytesIO(d)).pages.__len__() for n, d in files.items()}
    assert sizes["week01-opaque002.pdf"] > sizes["week01-opaque001.pdf"]


def test_makeup_pack_for_the_absent_only(library: Library) -> None:
    course = make_course(library, NAMES, absent_week=1)
    files = made(runs.makeup_jobs(course, 1, PrintOptions()))
    assert list(files) == ["week01-makeup-opaque001.pdf"]
    text = pdf_text(files["week01-makeup-opaque001.pdf"])
    assert "What we did" in text and "Canaryalpha" in text and "Canarybeta" not in text


def test_workbook_blank_and_personal(library: Library) -> None:
    course = make_course(library, NAMES[:2])
    files = made(runs.workbook_jobs(course, PrintOptions(fillable=True), per_participant=True))
    assert set(files) == {"workbook-blank.pdf", "workbook-opaque001.pdf", "workbook-opaque002.pdf"}
    assert "Canary" not in pdf_text(files["workbook-blank.pdf"])
    for index, name in enumerate(NAMES[:2], start=1):
        data = files[f"workbook-opaque{index:03d}.pdf"]
        other = NAMES[2 - index]
        assert name in pdf_text(data) and other not in pdf_text(data)
        assert other.encode() not in data


def test_workbook_for_printing_is_one_file_in_roster_order(library: Library) -> None:
    course = make_course(library, NAMES)
    files = made(runs.workbook_jobs(course, PrintOptions()))
    assert list(files) == ["workbook.pdf"]
    data = files["workbook.pdf"]
    text = pdf_text(data)
    firsts = [text.index(f"Name or initials (optional): {n}") for n in NAMES]
    assert firsts == sorted(firsts)
    # every copy carries the full body text, the blank spare last without any name
    assert text.count("Your workbook for Tuesday group") == len(NAMES) + 1
    assert "Canary" not in text[text.rindex("Your workbook for Tuesday group") :]
    single = made(runs.workbook_jobs(course, PrintOptions(), per_participant=True))
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages == sum(len(PdfReader(io.BytesIO(d)).pages) for d in single.values())
    # pages shared by everyone are laid out once and reused: far smaller than the sum
    assert len(data) < sum(len(d) for d in single.values()) / 2


def test_reused_pages_keep_text_and_get_their_own_fields(library: Library) -> None:
    course = make_course(library, NAMES)
    data = made(runs.week_jobs(course, 1, PrintOptions(fillable=True), spares=1))[
        "week01-packet.pdf"
    ]
    reader = PdfReader(io.BytesIO(data))
    fields = reader.get_fields() or {}
    per_copy = [page for page in reader.pages if "/Annots" in page]
    assert fields and len(per_copy) >= 4
    # the same number of widgets on every copy of a sheet; field names never repeat
    names = [
        str(a.get_object()["/T"])
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/T" in a.get_object()
    ]
    assert len(names) == len(set(names))
    text = pdf_text(data)
    assert text.count("Look after yourself") == 4 * len(course.week_handouts(1))
    for name in NAMES:
        assert f"Name or initials (optional): {name}" in text


def test_report_shows_attendance_and_unrecorded_timings(library: Library) -> None:
    course = make_course(library, NAMES, absent_week=1)
    rows = tuple(
        ParticipantAttendance(
            p, {1: m.status}, int(m.status.attended), 1, m.status.attended, not m.status.attended
        )
        for p, m in zip(course.roster, course.marks, strict=True)
    )
    summary = AttendanceSummary(course.group.id, (1,), rows)
    timings = {1: [("Welcome", 10, 14)]}
    data = made(runs.report_jobs(course, summary, PrintOptions(), timings))["report.pdf"]
    text = pdf_text(data)
    assert "at risk" in text and "not recorded" in text and "+4" in text
    assert "Canary" not in str(dict(PdfReader(io.BytesIO(data)).metadata))
    # the chart: every week of the course on the axis, the held one labelled with its count
    chart = text[text.index("Attendance per meeting") : text.index("Participants")]
    attended = sum(m.status.attended for m in course.marks)
    assert all(f"Wk {w}" in chart for w in range(1, course.weeks + 1))
    numbers = re.sub(r"Wk \d+", "", chart).split()
    assert numbers.count(str(attended)) == 2  # the axis tick and the bar's label


def test_unknown_week_is_a_one_line_error(library: Library) -> None:
    from facilitator.errors import NotFoundError

    course = make_course(library, NAMES)
    with pytest.raises(NotFoundError, match="week 9 of 2"):
        runs.week_jobs(course, 9, PrintOptions())


# -- CLI -------------------------------------------------------------------------------------


def test_cli_print_week_writes_private_files(demo_group: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "prints"
    code, _out, err = run_cli(
        "print",
        demo_group,
        "--week",
        "2",
        "--out",
        str(out_dir),
        "--paper",
        "letter",
        "--per-participant",
    )
    assert code == 0, err
    written = sorted(out_dir.iterdir())
    assert any(p.name == "week02-guide.pdf" for p in written) and len(written) > 3
    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.name.startswith("week02-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "no-such-group", "--week", "1"], "no group"),
        (["print", "{group}", "--week", "9"], "week 9 of 8"),
        (["print", "{group}", "--week", "1", "--paper", "a5"], "--paper"),
        (["print", "{group}"], "choose one of"),
        (["print", "{group}", "--week", "1", "--course"], "choose one of"),
        (["print", "{group}", "--makeup", "2", "--per-participant"], "--per-participant goes"),
        (["print-handout", "no-such-handout"], "no handout"),
    ],
)
def test_cli_errors_are_one_line_exit_2(demo_group: str, args: list[str], message: str) -> None:
    code, _, err = run_cli(*[a.format(group=demo_group) for a in args])
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_makeup_report_workbook_and_handout(demo_group: str, tmp_path: Path) -> None:
    for args in (["--makeup", "2"], ["--report"]):
        code, _, err = run_cli("print", demo_group, *args, "--out", str(tmp_path), "-q")
        assert code == 0, err
    code, out, _ = run_cli(
        "print-handout",
        "example-check-in",
        "--out",
        str(tmp_path),
        "--large-print",
        "--fillable",
    )
    assert code == 0 and "handout-example-check-in.pdf" in out
    names = {p.name for p in tmp_path.iterdir()}
    assert "report.pdf" in names and any(n.startswith("week02-makeup-") for n in names)
    report = (tmp_path / "report.pdf").read_bytes()
    assert b"Demo" not in report.split(b"stream")[0]  # no names in the info dictionary


def test_cli_course_prints_workbook_and_every_remaining_week(
    demo_group: str, data_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run_cli("schedule", "cancel", demo_group, "5", "--drop")
    assert code == 0, err
    out_dir = tmp_path / "course"
    code, out, err = run_cli("print", demo_group, "--course", "--out", str(out_dir))
    assert code == 0, err
    weeks = [w for w in range(1, 9) if w != 5]
    expected = ["workbook.pdf"]
    for w in weeks:
        expected += [f"week{w:02d}-guide.pdf", f"week{w:02d}-sign-in.pdf"]
    assert [Path(line).name for line in out.splitlines()] == expected  # listed in this order
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(expected)
    for path in out_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    sign_in = pdf_text((out_dir / "week03-sign-in.pdf").read_bytes())
    assert "Sign-in" in sign_in and "Week 3" in sign_in and "Dana R." in sign_in
    guide = pdf_text((out_dir / "week08-guide.pdf").read_bytes())
    assert "18:30" in guide
    workbook = PdfReader(io.BytesIO((out_dir / "workbook.pdf").read_bytes()))
    assert len(workbook.pages) > 20


def test_commands_that_need_no_pdf_do_not_import_reportlab() -> None:
    code = (
        "import sys; from facilitator.cli import cli; "
        "sys.exit(1 if any(m.startswith(('reportlab', 'textual')) for m in sys.modules) "
        "else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_packet_pages_are_kept_whole(library: Library) -> None:
    """A prompt never sits at a page bottom without its writing space (KeepTogether)."""
    course = make_course(library, NAMES[:1], "sexual-self-compassion")
    data = made(runs.week_jobs(course, 3, PrintOptions(large_print=True), spares=0))
    reader = PdfReader(io.BytesIO(data["week03-packet.pdf"]))
    for page in reader.pages:
        last = [line for line in page.extract_text().splitlines() if line.strip()]
        # the footer lines come last; the line before them must not be a numbered prompt
        body = [line for line in last if not line.startswith(("This sheet", "Page", "Content"))]
        assert not (
            body and squash(body[-1])[:2].rstrip(".").isdigit() and body[-1].rstrip().endswith("?")
        )


def test_parallel_run_gives_the_same_files_in_order_and_the_same_errors(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runs, "PARALLEL_MIN_PAGES", 0)
    course = make_course(library, NAMES)
    jobs = runs.week_jobs(course, 1, PrintOptions(), per_participant=True)
    jobs += runs.week_jobs(course, 2, PrintOptions())
    sequential = [(job.name, data) for job, data in runs.make_all(jobs)]
    assert [(job.name, data) for job, data in runs.make_all(jobs, parallel=True)] == sequential
    assert gc.get_freeze_count() == 0  # frozen only while the workers fork
    from facilitator.errors import FacilitatorError

    def fail() -> bytes:
        raise FacilitatorError("week 9 of 2")

    broken = [*jobs, runs.Job("x.pdf", fail, 30)]
    with pytest.raises(FacilitatorError, match="week 9 of 2"):
        list(runs.make_all(broken, parallel=True))


def test_workbook_has_each_worksheet_once_and_the_cover_points_back(library: Library) -> None:
    course = make_course(library, NAMES[:1])
    data = made(runs.workbook_jobs(course, PrintOptions(), per_participant=True))
    text = pdf_text(data["workbook-blank.pdf"])
    weeks_using = {
        h.id: [w for w in range(1, course.weeks + 1) if h in course.week_handouts(w)]
        for w in range(1, course.weeks + 1)
        for h in course.week_handouts(w)
    }
    repeated = [hid for hid, weeks in weeks_using.items() if len(weeks) > 1]
    assert repeated, "the shipped course reuses worksheets across weeks"
    for hid in weeks_using:
        # a worksheet's purpose line is printed once per copy of the sheet
        purpose = squash(course.handouts[hid].purpose)[:60]
        assert squash(text).count(purpose) == 1, hid
    agreements = course.handouts[repeated[0]].title
    later = weeks_using[repeated[0]][1]
    assert squash(f"{agreements} (in week {weeks_using[repeated[0]][0]})") in squash(text), later


def test_large_print_cover_breaks_words_only_at_spaces_and_hyphens(library: Library) -> None:
    """Narrow cells in large print: "self-" / "compassion", never "self-c" / "ompassion"."""
    course = make_course(library, NAMES[:1], "sexual-self-compassion")
    data = made(runs.workbook_jobs(course, PrintOptions("letter", large_print=True), spares=0))
    cover = PdfReader(io.BytesIO(data["workbook.pdf"])).pages[0].extract_text()
    lines = [line.strip() for line in cover.splitlines()]
    title = course.plans[1].title
    assert "self-compassion" in title
    assert squash(title) in squash(cover)
    assert not any(line.startswith("ompassion") for line in lines), lines
    # "(in week N)" is kept on one line
    assert not any(line.endswith(("(in", "(in week")) for line in lines), lines


@pytest.mark.parametrize("options", [PrintOptions("a4"), PrintOptions("letter", large_print=True)])
def test_guide_agenda_heading_stays_with_the_first_item(
    library: Library, options: PrintOptions
) -> None:
    course = make_course(library, NAMES[:1], "sexual-self-compassion")
    for week in range(1, course.weeks + 1):
        pages = PdfReader(io.BytesIO(runs.guide_pdf(course, week, options))).pages
        texts = [page.extract_text() for page in pages]
        at = next(i for i, text in enumerate(texts) if "Agenda" in text.splitlines())
        first = squash(course.plan(week).agenda[0].title)
        assert first in squash(texts[at]), f"week {week}: 'Agenda' alone at a page bottom"


def test_makeup_home_practice_is_kept_on_one_page(library: Library) -> None:
    from facilitator.outputs.pdf.document import Metadata, build
    from facilitator.outputs.pdf.packet import makeup_cover

    course = make_course(library, NAMES[:1], "sexual-self-compassion")
    for week in range(1, course.weeks + 1):
        story = makeup_cover(course, week, course.roster[0], large=True)
        pages = PdfReader(io.BytesIO(build(story, PrintOptions("letter"), Metadata("x")))).pages
        texts = [squash(page.extract_text()) for page in pages]
        at = next(i for i, text in enumerate(texts) if "Homepracticethisweek" in text)
        for item in course.plan(week).home_practice:
            assert squash(item)[:40] in texts[at], f"week {week}"


def test_cli_workbook_for_nobody_writes_no_empty_pdf(data_dir: Path, tmp_path: Path) -> None:
    cli_group(
        "Empty", curriculum="sexual-self-compassion", start="2027-01-05", at="18:00",
        tz="Europe/London",
    )  # fmt: skip
    out_dir = tmp_path / "wb"
    code, out, err = run_cli("print", "Empty", "--workbook", "--spares", "0", "--out", str(out_dir))
    assert code == 0 and out == "" and "Nothing to print: no current participants" in err
    assert not out_dir.exists() or not any(out_dir.iterdir())
    code, out, err = run_cli("print", "Empty", "--course", "--spares", "0", "--out", str(out_dir))
    assert code == 0, err
    names = sorted(p.name for p in out_dir.iterdir())
    assert "workbook.pdf" not in names and len(names) == 16  # 8 guides, 8 sign-in sheets
    for path in out_dir.iterdir():
        assert len(PdfReader(path).pages) >= 1
    code, out, err = run_cli("print", "Empty", "--workbook", "--out", str(out_dir))
    assert code == 0 and len(PdfReader(out_dir / "workbook.pdf").pages) > 1  # one blank copy


def test_cli_cancelled_week_is_a_one_line_error(demo_group: str, tmp_path: Path) -> None:
    assert run_cli("schedule", "cancel", demo_group, "6", "--drop")[0] == 0
    for option in ("--week", "--makeup"):
        code, _, err = run_cli("print", demo_group, option, "6", "--out", str(tmp_path / "x"))
        assert code == 2 and err.count("\n") == 1
        assert "week 6 was cancelled" in err and "print-handout" in err
    assert not (tmp_path / "x").exists()


def _owners(data: bytes) -> list[str]:
    """Per page: whose page it is ("blank" for a duplex filler), from the running header."""
    out = []
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text()
        if "left blank for double-sided printing" in text:
            assert squash(text) == squash("This page is left blank for double-sided printing.")
            out.append("blank")
        else:
            out.append(next((n for n in NAMES if n in text), "nobody"))
    return out


@pytest.mark.parametrize("large", [False, True])
def test_duplex_starts_each_person_on_the_front_of_a_sheet(library: Library, large: bool) -> None:
    course = make_course(library, NAMES, "sexual-self-compassion")
    simplex = made(runs.week_jobs(course, 3, PrintOptions(large_print=large), spares=1))
    duplex = made(runs.week_jobs(course, 3, PrintOptions(large_print=large, duplex=True), spares=1))
    plain_owners = _owners(simplex["week03-packet.pdf"])
    owners = _owners(duplex["week03-packet.pdf"])
    assert "blank" not in plain_owners and "blank" in owners
    assert [o for o in owners if o != "blank"] == plain_owners  # same pages, same order
    for index, owner in enumerate(owners):
        starts = index == 0 or owners[index - 1] != owner
        if starts and owner != "blank":
            assert index % 2 == 0, f"{owner} starts on the back of page {index}"
    # sheets: (front, back) pairs never hold two people's names
    for front, back in zip(owners[::2], owners[1::2], strict=False):
        assert front == back or "blank" in (front, back) or "nobody" in (front, back)
    # the guide is one person's (the facilitator's) document: no fillers
    assert duplex["week03-guide.pdf"] == simplex["week03-guide.pdf"]


def test_duplex_workbook_and_settings(
    library: Library,
    demo_group: str,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    course = make_course(library, NAMES)
    data = made(runs.workbook_jobs(course, PrintOptions(duplex=True), spares=0))["workbook.pdf"]
    owners = _owners(data)
    firsts = [i for i, o in enumerate(owners) if o in NAMES and (i == 0 or owners[i - 1] != o)]
    assert len(firsts) == len(NAMES) and all(i % 2 == 0 for i in firsts)
    # the setting turns it on, the flag overrides it
    (data_dir / "settings.toml").write_text("duplex = true\n")
    for args, fillers in (([], True), (["--no-duplex"], False)):
        out_dir = tmp_path / str(fillers)
        code, _, err = run_cli("print", demo_group, "--week", "3", "--out", str(out_dir), *args)
        assert code == 0, err
        text = pdf_text((out_dir / "week03-packet.pdf").read_bytes())
        assert ("left blank for double-sided" in text) is fillers
    (data_dir / "settings.toml").write_text('duplex = "yes"\n')
    code, _, err = run_cli("print", demo_group, "--week", "3")
    assert code == 2 and "duplex: must be true or false" in err and err.count("\n") == 1


def test_roster_list_says_whose_file_is_whose(demo_group: str, tmp_path: Path) -> None:
    code, listing, _ = run_cli("roster", "list", demo_group)
    assert code == 0 and "FILES" in listing.splitlines()[0]
    ada = next(line for line in listing.splitlines() if "Ada L." in line).split()[-1]
    code, _, err = run_cli(
        "print", demo_group, "--week", "2", "--per-participant", "--out", str(tmp_path)
    )
    assert code == 0, err
    text = pdf_text((tmp_path / f"week02-{ada}.pdf").read_bytes())
    assert "Ada" in text and "Bo" not in text.split()
