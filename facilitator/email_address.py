"""E-mail addresses, checked with email-validator (never a hand-written pattern).

An address is usable when it is a plain ``local@domain`` address that can go into a calendar's
``mailto:`` and through any SMTP server: the part before the ``@`` in ASCII (most servers do not
speak SMTPUTF8), no quoted local part, no IP-address literal, and a domain that exists on the
public Internet by its syntax (``.test``, ``.local`` or a bare ``localhost`` are refused). No DNS
look-up is made: addresses are checked offline and nobody learns whom the facilitator writes to.
Internationalised domains are welcome (``anna@münchen.de``): they are kept readable in the
roster and IDNA-encoded (``anna@xn--mnchen-3ya.de``) wherever the address is written out.

``email_validator`` is imported on first use, so that the CLI starts fast.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from facilitator.errors import FacilitatorError


class _Checked(NamedTuple):
    stored: str
    """Normalised for keeping: NFC, domain in lower case (and in Unicode)."""
    wire: str
    """For ``mailto:`` and SMTP: ASCII, the domain IDNA-encoded."""
    problem: str


@functools.lru_cache(maxsize=2048)
def _check(text: str) -> _Checked:
    from email_validator import EmailNotValidError, validate_email

    try:
        found = validate_email(
            text,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError as error:
        return _Checked("", "", " ".join(str(error).split()))
    return _Checked(found.normalized, found.ascii_email or found.normalized, "")


def email_problem(text: str) -> str:
    """Why ``text`` is not a usable address (one line), or ``""`` when it is."""
    if not text:
        return "the address is empty."
    return _check(text).problem


def usable_email(text: str) -> bool:
    """Whether ``text`` is a usable address (see the module's description)."""
    return not email_problem(text)


def checked_email(text: str) -> str:
    """The address in ``text`` as it is stored (``""`` stays ``""``), or a one-line error."""
    text = text.strip()
    if not text:
        return ""
    problem = email_problem(text)
    if problem:
        raise FacilitatorError(f"e-mail address {_shown(text)}: {problem}")
    return _check(text).stored


def wire_email(text: str) -> str:
    """The ASCII form of a usable address (IDNA-encoded domain), or a one-line error."""
    problem = email_problem(text)
    if problem:
        raise FacilitatorError(f"not a usable e-mail address {_shown(text)}: {problem}")
    return _check(text).wire


def _shown(text: str) -> str:
    """The address quoted for an error message, control characters made visible."""
    return repr(" ".join(text.split()))
