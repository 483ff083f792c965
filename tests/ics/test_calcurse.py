"""calcurse shows exactly the group's meetings: no phantom meeting after a series with skipped
and cancelled weeks (it did with ``COUNT``), and the last meeting also when the user's computer
is in another zone (it repeats the first UTC offset across DST). Skipped without calcurse
(Debian's ``calcurse`` package); calcurse ignores RECURRENCE-ID, so the series has no move."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, time
from pathlib import Path

import pytest

from facilitator.outputs.ics_invites import PUBLIC_FILE, build_invites
from tests.builders import STAMP, invite_group, make_participants, make_schedule

ZONE = "Europe/Berlin"


def _calcurse_dates(ics: Path, folder: Path, tz: str) -> list[str]:
    env = {**os.environ, "HOME": str(folder), "TZ": tz}
    store = folder / "calcurse"
    subprocess.run(
        ["calcurse", "-D", str(store), "-i", str(ics)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=60,
    )
    query = ["-Q", "--from", "01/01/2027", "--to", "12/31/2027", "--filter-type", "recur-apt"]
    shown = subprocess.run(
        ["calcurse", "-D", str(store), *query, "--format-recur-apt", "%(start:%Y-%m-%dT%H:%M)\\n"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return [line for line in shown.stdout.split() if line.startswith("2027-")]


@pytest.mark.parametrize("user_zone", [ZONE, "UTC", "America/New_York"])
def test_calcurse_shows_exactly_the_meetings(tmp_path: Path, user_zone: str) -> None:
    if shutil.which("calcurse") is None:
        pytest.skip("calcurse not installed (apt-get install calcurse)")
    # slots 2 and 4 skipped, slot 6 cancelled: eight meetings over eleven weeks, across DST
    schedule = make_schedule(ZONE, date(2027, 3, 2), time(18, 30), 8, skip=(2, 4), cancel=(6,))
    made = build_invites(invite_group(ZONE), schedule, make_participants(1), stamp=STAMP)
    public = next(i for i in made.invites if i.filename == PUBLIC_FILE)
    path = tmp_path / PUBLIC_FILE
    path.write_bytes(public.data)
    shown = _calcurse_dates(path, tmp_path, user_zone)
    held = [m.start for m in schedule.meetings if not m.cancelled]
    assert [s[:10] for s in shown] == [m.date().isoformat() for m in held]
    if user_zone == ZONE:
        assert [datetime.fromisoformat(s) for s in shown] == [m.replace(tzinfo=None) for m in held]
