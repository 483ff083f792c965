"""facilitator.actions: groups and roster on a real SQLite store (no front end)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest

from facilitator.actions import groups, roster
from facilitator.errors import FacilitatorError
from facilitator.model.group import Facilitator
from tests.unit.actions_world import FIRST, World, world


@pytest.fixture
def w(data_dir: Path) -> Iterator[World]:
    yield from world(data_dir)


def test_curricula_are_listed_by_id_with_their_weeks(w: World) -> None:
    found = {c.id: c for c in groups.curricula(w.ws)}
    assert list(found) == sorted(found)
    assert found["example"].weeks == 2
    assert found["sexual-self-compassion"].title


def test_create_counts_the_holidays_it_skipped(w: World) -> None:
    created = groups.create(
        w.ws,
        w.store,
        name="Christmas group",
        curriculum_id="example",
        first_date=date(2026, 12, 21),
        start_time=time(10, 0),
        timezone="Europe/London",
        holidays="GB-ENG",
    )
    assert created.holidays_skipped == 1  # 28 Dec (Boxing Day's substitute): week 2 on 4 Jan
    assert [m.start.date() for m in w.store.schedule(created.group.id).meetings] == [
        date(2026, 12, 21),
        date(2027, 1, 4),
    ]
    quiet = groups.create(
        w.ws,
        w.store,
        name="No holidays",
        curriculum_id="example",
        first_date=FIRST,
        start_time=time(10, 0),
        timezone="Europe/London",
    )
    assert quiet.holidays_skipped == 0


def test_edit_says_what_follows(w: World) -> None:
    done = groups.edit(w.store, w.group.id, start_time=time(19, 30), location="Room 5")
    assert done.group.start_time == time(19, 30)
    assert any("move from 18:00 to 19:30" in line for line in done.said)
    assert any("location: - -> Room 5" in line for line in done.said)
    assert any("export the invitations again" in line for line in done.said)
    assert groups.edit(w.store, w.group.id, location="Room 5").said == ()


def test_find_show_list_and_cancel(w: World) -> None:
    assert groups.find(w.store, "Thursday group") == w.group
    assert groups.find(w.store, str(w.group.id)) == w.group
    with pytest.raises(FacilitatorError, match="Thursday group"):
        groups.find(w.store, "no such group")
    roster.enrol(w.store, w.group.id, "Ada")
    left = roster.enrol(w.store, w.group.id, "Bex").person
    roster.leave(w.store, left.id, FIRST)
    assert groups.show(w.store, "Thursday group").members == 1
    cancelled = groups.cancel(w.store, w.group.id)
    assert cancelled.cancelled
    assert cancelled.calendar_sequence > w.group.calendar_sequence
    assert groups.listing(w.store) == [cancelled]


def test_enrol_notices_a_full_name_and_a_twin(w: World) -> None:
    first = roster.enrol(w.store, w.group.id, "Quinlan Zedd")
    assert first.full_name == ("Quinlan", "Z")
    assert first.twins == ()
    assert first.person.preferred_name == "Quinlan Zedd"  # kept as typed
    second = roster.enrol(w.store, w.group.id, "Mirel", initial="T.")
    assert second.full_name is None
    again = roster.enrol(w.store, w.group.id, "mirel", initial="t")
    assert [p.id for p in again.twins] == [second.person.id]
    assert again.person.id != second.person.id


def test_a_name_in_a_script_no_font_prints_is_warned_about(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from facilitator.outputs.pdf import fonts

    monkeypatch.setattr(fonts, "missing_scripts", lambda text: ["Ogham"] if "᚛" in text else [])
    assert "Ogham" in roster.enrol(w.store, w.group.id, "᚛ᚐᚅᚄ᚜").script_warning
    assert roster.enrol(w.store, w.group.id, "Plain").script_warning == ""


def test_edit_reports_each_change(w: World) -> None:
    person = roster.enrol(w.store, w.group.id, "Ada", email="ada@example.org").person
    done = roster.edit(w.store, person.id, initial="L", large_print=True)
    assert done.before == person
    assert done.after.last_initial == "L"
    assert done.changes() == [("initial", "", "L"), ("large print", False, True)]
    assert roster.edit(w.store, person.id).changes() == []
    assert roster.person(w.store, person.id) == done.after
    assert roster.find(w.store, w.group.id, "Ada L.") == done.after
    assert roster.listing(w.store, w.group.id) == [done.after]


def test_leave_keeps_the_person_and_refuses_a_date_before_joining(w: World) -> None:
    person = roster.enrol(w.store, w.group.id, "Ada", joined=FIRST).person
    with pytest.raises(FacilitatorError, match="before the join date"):
        roster.leave(w.store, person.id, date(2026, 1, 1))
    gone = roster.leave(w.store, person.id, date(2026, 4, 1))
    assert gone.left == date(2026, 4, 1)
    assert roster.listing(w.store, w.group.id) == [gone]


def test_facilitators_are_kept_in_order(w: World) -> None:
    people = (Facilitator("One", "one@example.org"), Facilitator("Two", ""))
    assert groups.edit(w.store, w.group.id, facilitators=people).group.facilitators == people
