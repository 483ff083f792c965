"""Strict scalar types for content files: YAML 1.2 spellings only, with helpful errors.

The YAML reader hands every plain scalar over as :class:`Plain` text. These annotated types turn
that text into numbers and booleans only when it is spelled unambiguously; ``NO``, ``1:30`` or
``08`` become errors that say what to write instead.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator


class Plain(str):
    """Text of an unquoted YAML scalar (quoted text arrives as a plain ``str``)."""

    __slots__ = ()


_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)?\.[0-9]+")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def _hint(text: str) -> str:
    if ":" in text:
        return " (write minutes as one plain number, e.g. 90, not 1:30)"
    if re.fullmatch(r"[-+]?0[0-9]+", text):
        return " (remove the leading zero)"
    return ""


def _whole_number(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, Plain) and _INT.fullmatch(value):
        return int(value)
    if isinstance(value, str) and not isinstance(value, Plain):
        raise ValueError(f"expected a whole number, got quoted text {value!r} (remove the quotes)")
    raise ValueError(f"expected a whole number, got {_shown(value)}{_hint(str(value))}")


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Plain) and value in ("true", "false"):
        return value == "true"
    raise ValueError(f"expected true or false, got {_shown(value)}")


def _fraction(value: Any) -> float:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    if numeric or (isinstance(value, Plain) and (_FLOAT.fullmatch(value) or _INT.fullmatch(value))):
        number = float(value)
    else:
        raise ValueError(f"expected a fraction between 0 and 1 such as 0.75, got {_shown(value)}")
    if not 0 <= number <= 1:
        raise ValueError(f"expected a fraction between 0 and 1 such as 0.75, got {number}")
    return number


def _text(value: Any) -> str:
    if value is None:
        raise ValueError("expected text, got nothing")
    if not isinstance(value, str):
        raise ValueError(f"expected text, got a {_kind(value)}")
    return str(value)


def _identifier(value: str) -> str:
    if not _ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lowercase letters, digits and "
            "hyphens, starting with a letter or digit (e.g. week-3-inner-critic)"
        )
    return value


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(str(value))
    return f"a {_kind(value)}"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "mapping (key: value pairs)"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]
"""An integer written as plain decimal digits."""
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
"""``true`` or ``false`` and nothing else."""
Fraction = Annotated[float, BeforeValidator(_fraction)]
"""A number between 0 and 1."""
Text = Annotated[str, BeforeValidator(_text)]
"""Any scalar's text, verbatim."""
Identifier = Annotated[str, BeforeValidator(_text), AfterValidator(_identifier)]
"""A stable id: lowercase letters, digits and hyphens."""
