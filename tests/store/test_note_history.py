"""Earlier versions of notes: kept on every change, out of the audit log, gone with an erasure."""

from __future__ import annotations

import pytest

from facilitator.errors import FacilitatorError


def test_every_change_keeps_the_version_it_replaced(store, group):
    store.save_note(group.id, 1, "First", expected_version=0)
    store.save_note(group.id, 1, "First", expected_version=1)  # unchanged text: nothing kept
    store.save_note(group.id, 1, "Second", expected_version=2)
    store.append_note(group.id, 1, "18:40 Room too warm")
    assert store.note(group.id, 1).text == "Second\n18:40 Room too warm"
    kept = store.note_history(group.id, 1)
    assert [(v.version, v.text) for v in kept] == [(2, "First"), (3, "Second")]
    assert all(v.participant_id is None for v in kept)
    rows = [r for r in store.audit_log(50) if r["tbl"] == "note_history"]
    assert rows and all("First" not in r["changes"] and "Second" not in r["changes"] for r in rows)


def test_erasing_a_person_erases_the_history_of_notes_about_them(store, group):
    ada = store.enrol(group.id, "Ada")
    store.save_note(group.id, 1, "Quiet", expected_version=0, participant_id=ada.id)
    store.save_note(group.id, 1, "Quiet, then spoke", expected_version=1, participant_id=ada.id)
    assert len(store.note_history(group.id, 1, ada.id)) == 1
    store.erase_participant(ada.id)
    assert store.note_history(group.id) == []


def test_a_nul_character_in_a_note_is_refused_on_both_engines(store, group):
    with pytest.raises(FacilitatorError, match="NUL"):
        store.save_note(group.id, 1, "before\x00after", expected_version=0)
    with pytest.raises(FacilitatorError, match="NUL"):
        store.append_note(group.id, 1, "\x00")
    assert store.notes(group.id) == []
