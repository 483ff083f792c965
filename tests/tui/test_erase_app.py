"""Erasing from the app (x on the roster tab) reaches every file that names the person: what
the app printed and exported, and what the CLI wrote with --out elsewhere (issue 13)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from facilitator.model.group import AttendanceStatus
from facilitator.store import open_store
from facilitator.tui.app import FacilitatorApp, make_app
from facilitator.tui.clock import FakeClock
from facilitator.tui.screens.group import GroupScreen
from facilitator.workspace import Workspace
from tests.audit.helpers import files_naming
from tests.helpers import run_cli
from tests.tui.conftest import ready
from tests.tui.test_flows import SIZE, exported

GONE, GONE_MAIL = "Canaryerased", "canary.erased@example.org"
WORDS = [GONE, GONE_MAIL]


async def test_erase_from_the_roster_tab_deletes_every_file_naming_them(
    workspace: Workspace, clock: FakeClock, tmp_path: Path
) -> None:
    data = workspace.data_dir
    with open_store(data) as store:
        group = store.groups()[0]
        person = store.enrol(group.id, GONE, last_initial="Q", email=GONE_MAIL)
        store.mark_roll(group.id, 4, {person.id: AttendanceStatus.ABSENT})  # a make-up pack
    elsewhere = tmp_path / "elsewhere"
    args = ("--week", "2", "--per-participant", "-q", "--out", elsewhere)
    result = run_cli("--data-dir", data, "print", "Demo group", *args)
    assert result.code == 0, result
    app: FacilitatorApp = make_app(workspace, clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # the group opens on the attendance grid, at week 4
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        written: list[Path] = []
        for key in ("p", "u", "w", "R", "i", "v"):  # week 4, make-up packs, workbook, ...
            made = await exported(pilot, screen, key, seconds=30)
            assert made, key
            written += made
        assert any(p.name == f"week04-makeup-{person.file_id}.pdf" for p in written)
        roots = [data, elsewhere]
        hits = files_naming(roots, WORDS)
        for name in ("week04-packet.pdf", "workbook.pdf", "report.pdf", ".csv", ".ics"):
            assert any(name in hit for hit in hits), name
        assert any(str(elsewhere) in hit for hit in hits)

        screen.query_one("#tabs").active = "tab-roster"
        await pilot.pause()
        roster = screen.query_one("#roster", DataTable)
        roster.focus()
        roster.move_cursor(row=9)
        assert GONE in str(roster.get_row_at(9)[0])
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")  # the confirmation
        await pilot.pause()
        erased = screen.last_erase
        assert erased is not None and erased.participant_id == person.id
        assert all(GONE not in str(roster.get_row_at(r)[0]) for r in range(roster.row_count))
        messages = [n.message for n in app._notifications]
        assert any(
            f"Deleted {len(erased.deleted)} file(s)" in m and "print them again" in m
            for m in messages
        )
        # while the app still has the database open: erase itself emptied the -wal
        assert erased.database_clean
        assert files_naming(roots, WORDS) == []
    assert files_naming(roots, WORDS) == []
    assert not any(p.exists() for p in written if p.suffix != ".ics" or person.file_id in p.name)
    assert {p.name for p in erased.reprintable} >= {"week04-packet.pdf", "report.pdf"}
    assert erased.unreachable == ()
