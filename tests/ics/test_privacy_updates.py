"""Privacy of each participant's file, updates (SEQUENCE, RECURRENCE-ID) and cancellations."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facilitator.errors import FacilitatorError
from facilitator.outputs.ics import Method, SessionText
from facilitator.outputs.ics_invites import Private, build_invites
from facilitator.store import open_store
from tests.builders import (
    CURRICULUM_TITLE,
    SESSION_TITLES,
    STAMP,
    TOPIC,
    UID,
    invite_group,
    make_participants,
    make_schedule,
    save_group,
    weeks,
)
from tests.helpers import run_cli
from tests.ics.helpers import events, parse

ZONE = "Europe/Berlin"
PRIVATE = Private(
    CURRICULUM_TITLE, {w: SessionText(SESSION_TITLES[w], "0:00 Canaryagenda") for w in range(1, 9)}
)


def _build(**kw):
    schedule = kw.pop("schedule", None) or make_schedule(
        ZONE,
        date(2027, 3, 2),
        time(18, 30),
        8,
        skip=(2,),
        move={4: datetime(2027, 3, 31, 19, tzinfo=ZoneInfo(ZONE))},
    )
    people = kw.pop("people", None) or make_participants(5)
    group = kw.pop("group", None) or invite_group(ZONE)
    return build_invites(group, schedule, people, stamp=STAMP, private=PRIVATE, **kw), people


def _secrets() -> list[str]:
    return [TOPIC, CURRICULUM_TITLE, "Canaryagenda", "Canarysession", "plan-"]


def test_participant_file_names_only_that_participant_and_no_topic() -> None:
    made, people = _build()
    files = {i.filename: i for i in made.invites}
    for person in people:
        invite = files[f"{person.opaque_id}.ics"]
        text = invite.data.decode()
        assert invite.method is Method.REQUEST
        for other in people:
            if other is not person:
                assert other.preferred_name not in text and other.email not in text
        for secret in _secrets():
            assert secret.lower() not in text.lower()
        for event in events(invite.data):
            attendees = event.get("ATTENDEE")
            assert not isinstance(attendees, list)  # exactly one ATTENDEE: this person
            assert str(attendees) == f"mailto:{person.email}"
            assert str(event["SUMMARY"]) == "Tuesday group"
            assert str(event["CLASS"]) == "PRIVATE"
        assert person.preferred_name not in invite.filename


def test_uid_is_the_stored_opaque_uuid_and_carries_no_name() -> None:
    made, _ = _build()
    for invite in made.invites:
        for event in events(invite.data):
            assert str(event["UID"]) == UID
    with pytest.raises(FacilitatorError):
        _build(group=invite_group(ZONE, calendar_uid="tuesday-canarytopic-group"))


def test_facilitator_file_has_titles_agenda_and_co_facilitators_only() -> None:
    made, people = _build()
    fac = next(i for i in made.invites if i.filename == "facilitator.ics")
    text = fac.data.decode()
    assert TOPIC in text and CURRICULUM_TITLE in text and "Canaryagenda" in text
    overrides = [e for e in events(fac.data) if "RECURRENCE-ID" in e]
    assert len(overrides) == 8  # one per meeting, each with its session title
    assert {str(e["SUMMARY"]).rsplit(", ", 1)[1] for e in overrides} == {
        SESSION_TITLES[w] for w in range(1, 9)
    }
    assert all(p.email not in text for p in people)
    assert "mailto:corwin@example.org" in text


def test_public_and_publish_files_have_no_attendees() -> None:
    made, _ = _build(publish=True)
    for invite in made.invites:
        if invite.kind in ("participant", "public"):
            assert invite.method is Method.PUBLISH
            assert b"ATTENDEE" not in invite.data and b"RSVP" not in invite.data


def test_left_participant_gets_a_series_cancel_and_no_address_gets_nothing() -> None:
    people = make_participants(3)
    people[1] = replace(people[1], left=date(2026, 11, 1))
    people[2] = replace(people[2], email="")
    made, _ = _build(people=people)
    files = {i.filename: i for i in made.invites}
    left = files[f"{people[1].opaque_id}.ics"]
    assert left.method is Method.CANCEL and left.cancels
    [event] = events(left.data)
    assert str(event["STATUS"]) == "CANCELLED" and "RECURRENCE-ID" not in event
    assert f"{people[2].opaque_id}.ics" not in files
    assert any("Marisolde" in note for note in made.skipped)


def test_move_keeps_uid_bumps_sequence_and_adds_an_override(tmp_path: Path) -> None:
    with open_store(tmp_path / "d") as store:
        group = save_group(store, invite_group(ZONE), plan=weeks(8))
        store.enrol(group.id, "Zephyrine", email="zephyrine@example.org")
        before = build_invites(
            group, store.schedule(group.id), store.participants(group.id), stamp=STAMP
        )
        store.move_meeting(group.id, 3, datetime(2027, 3, 18, 19, 0))
        moved = store.group(group.id)
        after = build_invites(
            moved, store.schedule(group.id), store.participants(group.id), stamp=STAMP
        )
    old, new = events(before.invites[0].data), events(after.invites[0].data)
    assert str(old[0]["UID"]) == str(new[0]["UID"]) == group.calendar_uid
    assert int(new[0]["SEQUENCE"]) == int(old[0]["SEQUENCE"]) + 1
    assert len(old) == 1 and len(new) == 2
    override = new[1]
    assert override["RECURRENCE-ID"].dt == datetime(2027, 3, 16, 18, 30, tzinfo=ZoneInfo(ZONE))
    assert override["DTSTART"].dt == datetime(2027, 3, 18, 19, 0, tzinfo=ZoneInfo(ZONE))
    assert int(override["SEQUENCE"]) == int(new[0]["SEQUENCE"])
    assert before.invites[0].fingerprint != after.invites[0].fingerprint


def test_cancel_week_writes_cancel_with_recurrence_id_and_sequence(tmp_path: Path) -> None:
    with open_store(tmp_path / "d") as store:
        group = save_group(store, invite_group(ZONE), plan=weeks(8))
        store.enrol(group.id, "Zephyrine", email="zephyrine@example.org")
        with pytest.raises(FacilitatorError, match="not cancelled"):
            build_invites(
                group,
                store.schedule(group.id),
                store.participants(group.id),
                stamp=STAMP,
                cancel_week=2,
            )
        store.cancel_meeting(group.id, 2)
        group = store.group(group.id)
        made = build_invites(
            group,
            store.schedule(group.id),
            store.participants(group.id),
            stamp=STAMP,
            cancel_week=2,
        )
        full = build_invites(
            group, store.schedule(group.id), store.participants(group.id), stamp=STAMP
        )
    invite = made.invites[0]
    assert invite.method is Method.CANCEL
    [event] = events(invite.data)
    assert event["RECURRENCE-ID"].dt == datetime(2027, 3, 9, 18, 30, tzinfo=ZoneInfo(ZONE))
    assert int(event["SEQUENCE"]) == group.calendar_sequence == 1
    assert str(event["STATUS"]) == "CANCELLED"
    master = events(full.invites[0].data)[0]
    assert master["EXDATE"].dts[0].dt == datetime(2027, 3, 9, 18, 30, tzinfo=ZoneInfo(ZONE))
    # the session was pushed on one week: the series ends a week later (UNTIL, in UTC)
    assert master["RRULE"]["UNTIL"] == [datetime(2027, 4, 27, 21, 59, 59, tzinfo=UTC)]


def test_cancelled_group_cancels_the_series() -> None:
    made, _ = _build(group=invite_group(ZONE, cancelled=True, calendar_sequence=4))
    for invite in made.invites:
        [event] = events(invite.data)
        assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 4
        assert invite.method in (Method.CANCEL, Method.PUBLISH) and invite.cancels


def test_hostile_text_is_stripped_and_injects_nothing() -> None:
    evil = "Evil\r\nATTENDEE:mailto:all@example.org\r\nX-INJECT:1\x00\x1b[31m\x07"
    group = invite_group(
        ZONE,
        display_name=evil,
        location="Room\n1\rBEGIN:VEVENT\x0b",
        facilitators=(invite_group().facilitators[0],),
    )
    people = [
        replace(p, preferred_name=f'[/]<b>{p.preferred_name}\r\nX-A:1"q"')
        for p in make_participants(2)
    ]
    made, _ = _build(group=group, people=people)
    for invite in made.invites:
        cal = parse(invite.data)
        found = events(invite.data)
        # master + the moved week's override (facilitators: one per meeting); nothing injected
        assert len(found) == (9 if invite.kind == "facilitators" else 2)
        assert not any(k.startswith("X-") for e in found for k in e)
        assert len(list(cal.walk("VCALENDAR"))) == 1
        text = invite.data.decode()
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
        assert text.count("\r\nATTENDEE") == (len(found) if invite.kind == "participant" else 0)
        assert not re.search(r"^X-INJECT", text, re.M)
        assert all("all@example.org" not in str(e.get("ATTENDEE", "")) for e in found)
        for event in found:
            assert "\n" not in str(event["SUMMARY"]) and "\x1b" not in str(event["SUMMARY"])
            assert str(event["LOCATION"]) == "Room 1 BEGIN:VEVENT"
    person = next(i for i in made.invites if i.kind == "participant")
    # quotes are left to icalendar, which writes them as ^' (RFC 6868) and reads them back
    assert events(person.data)[0]["ATTENDEE"].params["CN"] == '[/]<b>Zephyrine X-A:1"q" Q.'
    assert "CN=\"[/]<b>Zephyrine X-A:1^'q^' Q.\"" in person.data.decode().replace("\r\n ", "")


def test_cli_writes_private_files_and_prints_names_literally(
    tmp_path: Path, data_dir: Path
) -> None:
    with open_store(data_dir) as store:
        group = save_group(store, invite_group(ZONE), plan=weeks(4))
        store.enrol(group.id, "[/]<img src=x>", email="zephyrine@example.org")
    out = tmp_path / "out"
    result = run_cli("invites", TOPIC, "--out", out)
    assert result.code == 0
    printed = result.out
    assert "[/]<img src=x>" in printed
    names = sorted(p.name for p in out.iterdir())
    assert "facilitator.ics" in names and "group-public.ics" in names and len(names) == 3
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in out.iterdir())
    assert not any("img" in n or "Canary" in n for n in names)


def test_cli_unknown_group_and_week_out_of_range_are_one_line_errors(
    data_dir: Path,
) -> None:
    result = run_cli("invites", "nope", "--out", data_dir / "o")
    assert result.code == 2
    assert result.err.count("\n") == 1
