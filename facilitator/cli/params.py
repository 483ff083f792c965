"""Argument types shared by the commands: strict dates and times, and bounded numbers.

Every value a person types is checked here, so none reaches the core out of range: a week or
count past 2^63 would otherwise overflow SQLite, a year 1 or 9999 date would be stored and then
break calendar files later, and ``18:30:59.123456+05:00`` would be cut to 18:30 without a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import click

from facilitator.text import visible

FIRST_YEAR, LAST_YEAR = 1970, 2199
"""Dates outside these years are refused: meetings happen in the present, and the calendar and
time-zone code must be able to go a few years either side of every date."""
MAX_WEEK = 520
"""Ten years of weekly meetings."""

WEEK = click.IntRange(1, MAX_WEEK)
"""A week number of a course."""
CAPACITY = click.IntRange(1, 10_000)
"""Most members of one group."""
ROWS = click.IntRange(1, 1_000_000)
"""How many rows to list."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{1,2})(?::(\d{2}))?")


def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise ValueError(text)
    return _in_range(date.fromisoformat(text))


def _time(text: str) -> time:
    found = _TIME.fullmatch(text)
    if not found:
        raise ValueError(text)
    return time(int(found[1]), int(found[2] or 0))


def _datetime(text: str) -> datetime:
    day, _, clock = text.partition(" ")
    return datetime.combine(_date(day), _time(clock.strip()))


def _in_range(day: date) -> date:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"the year must be {FIRST_YEAR} to {LAST_YEAR}")
    return day


def parser(name: str, parse: Callable[[str], Any], form: str) -> Callable[..., Any]:
    """A click callback turning text (or repeated texts) into values, or a usage error."""

    def one(value: str, param: click.Parameter) -> Any:
        try:
            return parse(value.strip())
        except ValueError as exc:
            why = f": {exc}" if str(exc).startswith("the ") else ""
            raise click.BadParameter(
                f"'{visible(value)}' is not a {name} ({form}){why}", param=param
            ) from None

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if isinstance(value, tuple):
            return tuple(one(v, param) for v in value)
        return None if value is None else one(value, param)

    return callback


DATE = parser("date", _date, "YYYY-MM-DD")
TIME = parser("time", _time, "HH:MM")
DATETIME = parser("date and time", _datetime, "'YYYY-MM-DD HH:MM'")
