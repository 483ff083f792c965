"""facilitator.actions: content (validate, fork, copy and rename plans, changes offered to the
groups running a curriculum) and settings, with real files in a temporary data folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator import locations
from facilitator.actions import attendance, content, schedule, settings
from facilitator.errors import FacilitatorError
from tests.unit.actions_world import World, world


@pytest.fixture
def w(data_dir: Path) -> Iterator[World]:
    yield from world(data_dir, curriculum="example")


def test_the_shipped_content_validates_and_a_broken_file_is_named(w: World, tmp_path: Path) -> None:
    clean = content.validate(w.ws)
    assert clean.problems == () and clean.curricula >= 3 and clean.handouts > 0
    extra = tmp_path / "extra"
    extra.mkdir()
    broken = extra / "broken.session.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    found = content.validate(w.ws, (broken,))
    assert found.problems and all(str(broken) in str(p) for p in found.problems)
    assert content.validate(w.ws, (extra,)).problems  # the folder holding it


def test_fork_and_copy_go_to_the_users_content_folder(w: World) -> None:
    user = locations.user_content_dir(w.data)
    forked = content.fork(w.ws, "example", " mine ")
    assert forked == locations.curriculum_file(user, "mine") and forked.is_file()
    copied = content.copy_plan(w.ws, "example-arriving", "arriving-mine")
    assert copied == locations.plan_file(user, "arriving-mine") and copied.is_file()
    w.ws.reload_library()
    assert "mine" in w.ws.library.curricula and "arriving-mine" in w.ws.library.sessions
    with pytest.raises(FacilitatorError, match="already exists"):
        content.fork(w.ws, "example", "mine")
    with pytest.raises(FacilitatorError, match="read-only"):
        content.rename_plan(w.ws, "example-arriving", "New title")
    renamed = content.rename_plan(w.ws, "arriving-mine", "  Arriving,   my way ")
    assert "title: Arriving, my way" in renamed.read_text(encoding="utf-8")


def test_a_saved_curriculums_changes_reach_only_weeks_not_yet_held(w: World) -> None:
    content.fork(w.ws, "example", "mine")
    w.ws.reload_library()
    mine = w.ws.library.curricula["mine"]
    from facilitator.actions import groups

    group = groups.create(
        w.ws,
        w.store,
        name="Mine",
        curriculum_id="mine",
        first_date=w.group.first_date,
        start_time=w.group.start_time,
        timezone=w.group.timezone,
    ).group
    attendance.take_roll(w.store, group.id, 1)  # week 1 is held: its plan stays
    draft = content.open_draft(w.ws, "mine")
    draft.swap(0, "example-kind-attention")
    draft.swap(1, "example-arriving")
    assert content.save_draft(w.ws, draft) == mine.path
    assert w.ws.library.curricula["mine"].model.weeks[0].session == "example-kind-attention"
    pending = content.pending_changes(w.ws, w.store, "mine")
    assert [(c.group.id, c.weeks) for c in pending] == [
        (group.id, ((2, "example-kind-attention", "example-arriving"),))
    ]
    assert content.apply_changes(w.ws, w.store, pending) == 1
    titles = schedule.show(w.store, group.id).titles
    assert titles[1] == w.ws.library.plan("example-arriving").title
    assert content.pending_changes(w.ws, w.store, "mine") == []


def test_a_bundled_curriculum_is_not_saved_over(w: World) -> None:
    draft = content.open_draft(w.ws, "example")
    draft.rename("Changed")
    with pytest.raises(FacilitatorError, match="read-only"):
        content.save_draft(w.ws, draft)
    assert w.ws.library.curricula["example"].model.title != "Changed"


def test_settings_saved_are_in_force_at_once(w: World) -> None:
    assert settings.current(w.ws).paper == ""
    saved = settings.save(w.ws, paper="a4", duplex=True)
    assert settings.current(w.ws) == saved and saved.duplex
    assert 'paper = "a4"' in locations.settings_file(w.data).read_text(encoding="utf-8")
