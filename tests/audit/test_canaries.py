"""Privacy canaries across every output (SAFETY.md rules 1-4): seed invented names in several
scripts and a canary topic, make every file the CLI can make, then read each one back (PDF text
and metadata with pypdf, decoded .ics, decoded MIME parts, CSV, file names, modes)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audit.canary_world import (
    NOTE,
    PEOPLE,
    SESSION_TITLE,
    TOPIC,
    TOPIC_WORDS,
    World,
    build_world,
    every_file,
    remove,
)
from tests.audit.helpers import ics_text, mime_text, normalise, pdf_metadata, pdf_text

NAMES = [p[0] for p in PEOPLE]
FOLDED = {name: normalise(name) for name in NAMES}
SECRETS = (*TOPIC_WORDS, normalise(NOTE))
"""Never in anything a participant gets by mail or calendar, nor in any file name or metadata."""
PAGE_SECRETS = ("topiccanary", normalise(NOTE))
"""Never on a participant's printed page. The curriculum title may be: it is the worksheets'
running header by design (docs/CONTENT.md, the worksheet anatomy), like the handout text itself,
which is about the topic. The group's private name and notes never are."""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with pytest.MonkeyPatch.context() as mp:
        root = tmp_path_factory.mktemp("canary")
        mp.setenv("FACILITATOR_CACHE_DIR", str(root / "cache"))
        mp.setenv("XDG_CONFIG_HOME", str(root / "xdg-config"))
        mp.delenv("FACILITATOR_DEBUG", raising=False)
        built = build_world(root)
        yield built
        remove(built)


def _others(owner: str) -> list[str]:
    return [n for n in NAMES if n != owner]


def _assert_only(
    owner: str | None, text: str, where: str, world: World, secrets: tuple[str, ...] = SECRETS
) -> None:
    """``text`` names nobody but ``owner``, holds nobody else's e-mail, no topic, no note."""
    for name in NAMES:
        if name != owner:
            assert FOLDED[name] not in text, f"{where} names {name}"
            assert world.emails[name] not in text, f"{where} holds {name}'s e-mail"
    for secret in secrets:
        assert secret not in text, f"{where} holds {secret}"


def _owner_of(path: Path, world: World) -> str:
    owners = [n for n, o in world.opaque.items() if o in path.name]
    assert len(owners) == 1, path
    return owners[0]


def test_every_output_was_made(world: World) -> None:
    names = {p.name for p in every_file(world.out)}
    for opaque in world.opaque.values():
        assert f"week01-{opaque}.pdf" in names and f"workbook-{opaque}.pdf" in names
        assert f"{opaque}.ics" in names
    assert {
        "week01-guide.pdf",
        "week01-packet.pdf",
        "report.pdf",
        "workbook-blank.pdf",
        "workbook.pdf",
        "facilitator.ics",
        "group-public.ics",
        "attendance.csv",
    } <= names
    absent = [world.opaque[PEOPLE[1][0]], world.opaque[PEOPLE[2][0]]]
    assert {f"week01-makeup-{o}.pdf" for o in absent} <= names
    assert len(world.mail) == len(PEOPLE)


def test_participant_pdfs_name_only_their_owner(world: World) -> None:
    files = [
        p
        for p in every_file(world.out, world.data / "prints")
        if p.suffix == ".pdf" and any(o in p.name for o in world.opaque.values())
    ]
    assert len(files) == 4 * len(PEOPLE) - 3  # week 1, week 2 (default folder), workbook, makeup
    for path in files:
        owner = _owner_of(path, world)
        text = pdf_text(path)
        assert FOLDED[owner] in text, f"{path.name}: own name not found (extraction failed?)"
        _assert_only(owner, text, path.name, world, PAGE_SECRETS)
        assert normalise(world.emails[owner]) not in text


def test_participant_calendar_files_and_mail_name_only_their_owner(world: World) -> None:
    checked = 0
    for folder in ("ics", "publish", "cancel"):
        for person, opaque in world.opaque.items():
            text = ics_text((world.out / folder / f"{opaque}.ics").read_bytes())
            _assert_only(person, text, f"{folder}/{opaque}.ics", world)
            assert normalise(SESSION_TITLE) not in text
            checked += 1
    for recipients, raw in world.mail:
        assert len(recipients) == 1
        owner = next(n for n, m in world.emails.items() if m == recipients[0])
        text = mime_text(raw)
        _assert_only(owner, text, f"mail to {owner}", world)
        assert normalise(SESSION_TITLE) not in text
        checked += 1
    assert checked == 4 * len(PEOPLE)


def test_room_and_blank_files(world: World) -> None:
    """The packet is for the room: sign-in names for all, but no e-mail, topic or note.
    Blank files and the public calendar name nobody."""
    for room in (world.out / "week" / "week01-packet.pdf", world.out / "room" / "workbook.pdf"):
        packet = pdf_text(room)
        for name in NAMES:
            assert FOLDED[name] in packet, room.name  # sign-in sheet, each person's sheets
            assert world.emails[name] not in packet
        assert not any(secret in packet for secret in PAGE_SECRETS), room.name
    blanks = [world.out / "workbook" / "workbook-blank.pdf", *every_file(world.out / "handout")]
    for path in blanks:
        _assert_only(None, pdf_text(path), path.name, world, PAGE_SECRETS)
    for folder in ("ics", "publish", "cancel"):
        text = ics_text((world.out / folder / "group-public.ics").read_bytes())
        _assert_only(None, text, f"{folder}/group-public.ics", world)
        assert normalise(SESSION_TITLE) not in text


def test_facilitator_files_hold_no_notes_or_addresses(world: World) -> None:
    """Guide, report, CSV and facilitator.ics are the facilitator's: they may list everyone and
    the topic, but notes are never in a default export and participants are not in the
    co-facilitators' calendar."""
    for path in (world.out / "week" / "week01-guide.pdf", world.out / "report" / "report.pdf"):
        text = pdf_text(path)
        assert normalise(NOTE) not in text
        assert not any(world.emails[n] in text for n in NAMES)
    csv = normalise((world.out / "csv" / "attendance.csv").read_text(encoding="utf-8-sig"))
    assert normalise(NOTE) not in csv and not any(world.emails[n] in csv for n in NAMES)
    assert all(FOLDED[n] in csv for n in NAMES)
    for folder in ("ics", "publish", "cancel"):
        text = ics_text((world.out / folder / "facilitator.ics").read_bytes())
        assert normalise(TOPIC) in text  # the facilitators' own calendar names the group
        assert not any(FOLDED[n] in text or world.emails[n] in text for n in NAMES)
        assert normalise(NOTE) not in text


def test_no_canary_in_any_file_name_or_pdf_metadata(world: World) -> None:
    files = every_file(world.out, world.data)
    assert len(files) > 40
    for path in files:
        name = normalise(str(path.relative_to(world.root)))
        assert not any(FOLDED[n] in name for n in NAMES), path
        assert not any(secret in name for secret in (*TOPIC_WORDS, "canary")), path
        if path.suffix == ".pdf":
            meta = pdf_metadata(path)
            assert not any(FOLDED[n] in meta for n in NAMES), path
            assert not any(secret in meta for secret in SECRETS), path


def test_calendar_uids_are_opaque(world: World) -> None:
    for path in every_file(world.out):
        if path.suffix == ".ics":
            for line in ics_text(path.read_bytes()).splitlines():
                if line.startswith(("uid", "recurrence-id", "x-wr-calname")):
                    assert "canary" not in line and not any(FOLDED[n] in line for n in NAMES)


def test_sent_ledger_and_settings_name_nobody(world: World) -> None:
    ledger = normalise((world.data / "sent-invites.json").read_text(encoding="utf-8"))
    _assert_only(None, ledger, "sent-invites.json", world)
    assert not any(world.emails[n] in ledger for n in NAMES)


def test_every_file_is_0600_in_a_0700_folder(world: World) -> None:
    files = every_file(world.out, world.data)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    folders = {p.parent for p in files} | {world.data, world.out}
    for folder in folders:
        if folder == world.out:
            continue  # made by the test itself
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_nothing_printed_to_the_terminal_leaks_the_topic_to_participant_files(world: World) -> None:
    """The CLI's own output names people (the facilitator's screen), never in a file name."""
    assert "Canaryalpha" in world.runs["ics"].out  # who gets which file: on screen only
    assert all(".tmp-" not in p.name for p in every_file(world.out, world.data))
