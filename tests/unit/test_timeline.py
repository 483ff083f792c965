"""One timeline behind every agenda with times: the CLI, the builder's preview, the
facilitators' calendar text and the guide all read SessionPlan.timeline()."""

from __future__ import annotations

import itertools

import pytest

from facilitator.content import ContentRoot, Library, load_library
from facilitator.exports import agenda_text
from facilitator.text import offset_clock
from facilitator.tui.plans import preview


@pytest.fixture(scope="module")
def library() -> Library:
    from facilitator.paths import bundled_content_roots

    return load_library([ContentRoot(path, bundled=True) for path in bundled_content_roots()])


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0:00"), (5, "0:05"), (60, "1:00"), (85, "1:25")]
)
def test_offset_clock(minutes: int, shown: str) -> None:
    assert offset_clock(minutes) == shown


def test_each_item_starts_where_the_one_before_ends(library: Library) -> None:
    for entry in library.sessions.values():
        plan = entry.model
        starts = plan.timeline()
        assert [item for _, item in starts] == list(plan.agenda)
        assert starts[0][0] == 0
        for (start, item), (following, _) in itertools.pairwise(starts):
            assert following == start + item.minutes
        assert starts[-1][0] + starts[-1][1].minutes == plan.agenda_minutes()


def test_calendar_text_and_preview_give_the_same_start_times(library: Library) -> None:
    session_id, entry = next(iter(library.sessions.items()))
    plan = entry.model
    calendar = agenda_text(library, session_id).splitlines()
    shown = preview(plan)
    assert len(calendar) == len(plan.agenda)
    for line, (start, item) in zip(calendar, plan.timeline(), strict=True):
        assert line == f"{offset_clock(start)}  {item.title} ({item.minutes} min)"
        assert f"{offset_clock(start)}  {item.minutes:>3} min  {item.title}" in shown
