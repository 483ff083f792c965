"""Reading calendar files back in tests (icalendar's parser; the third-party ones are separate)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import icalendar

from facilitator.model.group import Schedule


def parse(data: bytes) -> icalendar.Calendar:
    """The calendar in ``data`` (fails the test on a parse error)."""
    return icalendar.Calendar.from_ical(data)


def events(data: bytes) -> list[Any]:
    """Every VEVENT, master first."""
    found = [c for c in parse(data).walk("VEVENT")]
    return sorted(found, key=lambda e: "RECURRENCE-ID" in e)


def expected_instants(schedule: Schedule) -> list[str]:
    """The UTC start of every meeting held, as ``YYYY-MM-DDTHH:MM:SSZ``."""
    return sorted(utc(m.start) for m in schedule.meetings if not m.cancelled)


def utc(moment: datetime) -> str:
    """An aware datetime as a UTC ISO string with Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
