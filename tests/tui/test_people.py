"""Adding and editing people in the app: a full name is split (shown before saving), e-mail and
large print are taken, bad input is refused in the dialog, a twin is flagged, and the sign-in
sheet and invitations follow."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Checkbox, Input, Static

from facilitator.tui.app import FacilitatorApp
from facilitator.tui.screens.group import GroupScreen
from facilitator.tui.widgets.person_dialog import PersonDialog
from tests.pdf.conftest import pdf_text
from tests.tui.conftest import ready
from tests.tui.test_flows import exported

SIZE = (100, 32)


def preview(app: FacilitatorApp) -> str:
    return str(app.screen.query_one("#person-preview", Static).render())


async def open_add(app: FacilitatorApp, pilot) -> GroupScreen:
    await ready(pilot)
    await pilot.press("enter")
    screen = app.screen
    assert isinstance(screen, GroupScreen)
    await pilot.press("a")
    assert isinstance(app.screen, PersonDialog)
    return screen


async def test_a_full_name_is_split_and_shown_before_saving(
    app: FacilitatorApp, data_dir: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_add(app, pilot)
        await pilot.press(*"Дарья Петрова")
        assert "Sign-in sheets show: Дарья П." in preview(app)
        assert app.screen.query_one("#person-initial", Input).value == "П"
        app.screen.query_one("#person-email", Input).value = "darya@example.org"
        app.screen.query_one("#person-lp", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        added = app.store.find_participant(1, "Дарья")
        assert (added.preferred_name, added.last_initial) == ("Дарья", "П")
        assert added.email == "darya@example.org" and added.large_print
        # the sign-in sheet of the next meeting shows the initial only
        written = await exported(pilot, screen, "W", seconds=60)
        sheet = next(p for p in written if p.name == "week04-sign-in.pdf")
        text = pdf_text(sheet.read_bytes())
        assert "Дарья П." in text and "Петрова" not in text


async def test_a_typed_initial_keeps_a_two_word_name_whole(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_add(app, pilot)
        await pilot.press("tab", *"S", "shift+tab")  # the initial first
        await pilot.press(*"Mary Ann")
        assert "Sign-in sheets show: Mary Ann S." in preview(app)
        await pilot.press("enter")
        await pilot.pause()
        mary = app.store.find_participant(1, "Mary Ann")
        assert mary.last_initial == "S"


async def test_bad_input_is_refused_in_the_dialog(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_add(app, pilot)
        before = len(app.store.participants(1))
        app.screen.query_one("#person-name", Input).value = "\u200b\u200d"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PersonDialog)
        assert "A name is needed" in str(app.screen.query_one("#person-error").render())
        app.screen.query_one("#person-name", Input).value = "Rin"
        app.screen.query_one("#person-email", Input).value = "rin at example"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, PersonDialog)
        assert "not a usable e-mail" in str(app.screen.query_one("#person-error").render())
        await pilot.press("escape")
        assert len(app.store.participants(1)) == before


async def test_the_same_person_twice_is_flagged(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_add(app, pilot)
        await pilot.press(*"Ada Lindqvist", "enter")  # Ada L. is in the demo group
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Ada L. was already in the group" in m for m in messages)


async def test_edit_email_and_invitations_say_who_got_none(app: FacilitatorApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "2")
        screen = app.screen
        assert isinstance(screen, GroupScreen)
        screen.query_one("#roster").move_cursor(row=0)  # Ada L.
        await pilot.press("e")
        app.screen.query_one("#person-email", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.find_participant(1, "Ada").email == ""
        await exported(pilot, screen, "i")
        warnings = [n.message for n in app._notifications if n.title == "Not invited"]
        assert warnings and "Ada L.: no e-mail address" in warnings[0]


async def test_typing_a_name_letter_by_letter_splits_it_once_complete(app: FacilitatorApp) -> None:
    """The initial changes as the surname grows (ا, then ح once the article is typed): those
    fills are not the user's typing, so the name is still split when saved."""
    async with app.run_test(size=SIZE) as pilot:
        await open_add(app, pilot)
        await pilot.press(*"مريم الحسن")
        await pilot.press("enter")
        await pilot.pause()
        maryam = app.store.find_participant(1, "مريم")
        assert (maryam.preferred_name, maryam.last_initial) == ("مريم", "ح")


async def test_a_name_no_font_prints_is_a_warning_when_it_is_added(
    app: FacilitatorApp, monkeypatch
) -> None:
    """The app warns naming the script (the CLI twin, with real fonts missing, is in
    tests/pdf/test_scripts.py); this machine has a font for every script, so one is taken away."""
    from facilitator.outputs.pdf import fonts

    monkeypatch.setattr(fonts, "missing_scripts", lambda text: ["Hebrew"] if "שרה" in text else [])
    async with app.run_test(size=SIZE) as pilot:
        await open_add(app, pilot)
        app.screen.query_one("#person-name", Input).value = "שרה"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.find_participant(1, "שרה").preferred_name == "שרה"  # still saved
        messages = [(n.severity, n.message) for n in app._notifications]
        assert any(s == "warning" and "Hebrew" in m and "boxes" in m for s, m in messages), messages
