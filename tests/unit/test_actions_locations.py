"""Every location in the data folder is named by facilitator.locations, and the modules that
read or write there ask it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from facilitator import locations, paths
from facilitator.config import load_settings, save_settings
from facilitator.store import DB_NAME, open_store


def test_each_location_is_inside_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    found = [
        locations.database(data),
        locations.settings_file(data),
        locations.user_content_dir(data),
        locations.prints_dir(data, 3),
        locations.handout_prints_dir(data),
        locations.invites_dir(data, 3),
        locations.attendance_csv(data, 3),
        locations.sent_ledger(data),
        locations.restore_aside(data, datetime(2026, 1, 2, 3, 4, 5)),
    ]
    assert all(data in p.parents for p in found)
    assert len(set(found)) == len(found)
    assert locations.prints_dir(data, 3) != locations.prints_dir(data, 4)
    assert locations.restore_aside(data, datetime(2026, 1, 2, 3, 4, 5)).name == (
        "before-restore-20260102-030405.sqlite3"
    )


def test_the_store_opens_the_database_locations_names(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert DB_NAME == locations.DATABASE  # the store takes its file name from locations
    with open_store(data) as store:
        assert store.path == locations.database(data)
    assert locations.database(data).is_file()


def test_settings_are_written_where_locations_says(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    save_settings(data, paper="a4")
    assert locations.settings_file(data).is_file()
    assert load_settings(data).paper == "a4"


def test_user_content_and_data_folder_marks(tmp_path: Path) -> None:
    assert paths.user_content_dir(tmp_path) == locations.user_content_dir(tmp_path)
    assert paths.OWN_FILES == locations.OWN_NAMES
    assert locations.DATABASE in paths.OWN_FILES
    assert locations.plan_file(tmp_path, "mine").parent == tmp_path / locations.PLANS
