"""Settings edited in the app: the locale (support lines), paper, large print and duplex,
written into settings.toml with the file's comments and other keys kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select

from facilitator.config import load_settings, save_settings
from facilitator.errors import FacilitatorError
from facilitator.tui.app import FacilitatorApp
from facilitator.tui.widgets.settings_dialog import SettingsDialog
from tests.tui.conftest import ready

SIZE = (100, 32)
WRITTEN = """# Our service's settings
paper = "letter"

[[support_lines]]
name = "Our duty line"
contact = "0123 456"
"""


async def test_edit_settings_in_the_app(app: FacilitatorApp, data_dir: Path) -> None:
    (data_dir / "settings.toml").write_text(WRITTEN, encoding="utf-8")
    app.workspace.__dict__.pop("settings", None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SettingsDialog)
        assert dialog.query_one("#s-paper", Select).value == "letter"
        dialog.query_one("#s-locale", Select).value = "de-DE"
        dialog.query_one("#s-paper", Select).value = "a4"
        await pilot.press("ctrl+s")
        await pilot.pause()
    text = (data_dir / "settings.toml").read_text(encoding="utf-8")
    assert text.startswith("# Our service's settings") and "Our duty line" in text
    settings = load_settings(data_dir)
    assert (settings.locale, settings.paper) == ("de-DE", "a4")
    assert app.workspace.settings.locale == "de-DE"  # used by the next print at once


def test_save_settings_checks_before_writing(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    save_settings(data_dir, locale="en_gb", paper="a4")
    assert load_settings(data_dir).locale == "en-GB"
    with pytest.raises(FacilitatorError, match="no support lines are known for locale 'xx'"):
        save_settings(data_dir, locale="xx")
    assert load_settings(data_dir).locale == "en-GB"  # the file was not replaced
    save_settings(data_dir, locale="")  # back to each group's own country
    assert load_settings(data_dir).locale == ""
    with pytest.raises(FacilitatorError, match="not a setting the app edits: smtp"):
        save_settings(data_dir, smtp="x")
