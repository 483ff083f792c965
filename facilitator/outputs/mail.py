"""Sending invitations as iMIP e-mail: one message per recipient, never a shared To/Cc/Bcc.

Each message is ``multipart/alternative``: a neutral ``text/plain`` part and the calendar as
``text/calendar; method=REQUEST`` (or CANCEL/PUBLISH), built with the standard library's
:class:`~email.message.EmailMessage` and sent with :mod:`smtplib`. What was sent is remembered
in ``<data_dir>/sent-invites.json`` (0600, written atomically) as a fingerprint per series UID and
opaque recipient key, so a re-run sends only what changed and a failed recipient is retried.

Nothing a mail server does can hold a run for long or fill memory: every message has a time
limit and so has the whole run (:class:`~facilitator.outputs.smtp_transport.Budget`, from
``[smtp]`` settings), checked before each read from and write to the socket, and no reply
may be longer than :data:`~facilitator.outputs.smtp_transport.MAX_REPLY_BYTES`
(smtplib bounds a line but keeps the lines of a multi-line reply without limit). A server that
goes silent, drips or floods stops the run with one reason; an invite is marked sent only after
the server accepted it.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import Any

from facilitator import locations
from facilitator.errors import FacilitatorError
from facilitator.files import write_private
from facilitator.outputs.ics import Method, ascii_email, clean_line, valid_email
from facilitator.outputs.ics_invites import Invite, Recipient
from facilitator.outputs.smtp_transport import (
    STOP,
    Budget,
    ServerFlooded,
    ServerStalled,
    ServerUnreachable,
    connector,
    reply_text,
)

# A run is sent with send_all(connect=connector(smtp, password, Budget.of(smtp))).
__all__ = [
    "LEDGER_FILE",
    "Action",
    "Budget",
    "Delivery",
    "Ledger",
    "Outcome",
    "connector",
    "message",
    "plan",
    "send_all",
]

LEDGER_FILE = locations.SENT_INVITES
QUIT_SECONDS = 5.0
"""Most time given to saying goodbye to the server."""


class Action(StrEnum):
    """What a run does for one recipient of one file."""

    SEND = "send"
    UNCHANGED = "unchanged"
    """The same invite was sent before: nothing to do."""
    NOT_INVITED = "not invited"
    """A cancellation for someone who was never sent an invite: nothing to call off."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message to one person (or the reason none is needed)."""

    invite: Invite
    recipient: Recipient
    key: str
    action: Action
    update: bool = False
    """Something was sent to this person for the series before."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How sending one delivery went."""

    delivery: Delivery
    error: str = ""
    stopped: bool = False
    """Not sent because the run stopped (the server failed or time ran out)."""

    @property
    def ok(self) -> bool:
        """Sent (or nothing needed sending)."""
        return not self.error


class Ledger:
    """What was sent to whom: fingerprints keyed by ``<uid>/<opaque key>`` (never a name)."""

    def __init__(self, path: Path, entries: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.entries = entries

    @classmethod
    def load(cls, data_dir: Path) -> Ledger:
        """Read the ledger in ``data_dir`` (a missing file is an empty ledger)."""
        path = locations.sent_ledger(data_dir)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path, {})
        except (OSError, ValueError) as exc:
            raise FacilitatorError(
                f"{path}: cannot read the record of sent invites ({exc}); "
                "move it aside to start afresh"
            ) from None
        sent = raw.get("sent") if isinstance(raw, dict) else None
        if not isinstance(sent, dict):
            raise FacilitatorError(f"{path}: not a record of sent invites")
        return cls(path, sent)

    def fingerprint(self, key: str) -> str | None:
        """The fingerprint last sent under ``key``."""
        entry = self.entries.get(key)
        return str(entry.get("fingerprint")) if isinstance(entry, dict) else None

    def record(self, key: str, invite: Invite, at: datetime) -> None:
        """Remember a sent invite and save at once (a crash later cannot cause a resend)."""
        self.entries[key] = {
            "fingerprint": invite.fingerprint,
            "method": invite.method.value,
            "sent_at": at.astimezone(UTC).isoformat(timespec="seconds"),
        }
        body = json.dumps({"version": 1, "sent": self.entries}, indent=1, sort_keys=True)
        write_private(self.path, body.encode("utf-8") + b"\n")


def plan(invites: Iterable[Invite], uid: str, ledger: Ledger) -> list[Delivery]:
    """One delivery per recipient of each file, marked send / unchanged / not invited."""
    out = []
    for invite in invites:
        for person in invite.recipients:
            key = f"{uid}/{person.key}"
            before = ledger.fingerprint(key)
            if before == invite.fingerprint:
                action = Action.UNCHANGED
            elif invite.cancels and before is None:
                action = Action.NOT_INVITED
            else:
                action = Action.SEND
            out.append(Delivery(invite, person, key, action, update=before is not None))
    return out


def message(delivery: Delivery, *, sender: str, display_name: str, stamp: datetime) -> EmailMessage:
    """The iMIP message for one delivery: To is that one person and nobody else."""
    invite, person = delivery.invite, delivery.recipient
    neutral = clean_line(display_name) or "Group meetings"
    msg = EmailMessage()
    msg["From"] = _address("", sender)
    msg["To"] = _address(person.name, person.email)
    msg["Subject"] = f"{_subject(delivery)}: {neutral}"
    msg["Date"] = format_datetime(stamp.astimezone(UTC))
    msg["Message-ID"] = make_msgid(domain=ascii_email(sender).rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(_body(delivery, clean_line(person.name), neutral))
    msg.add_alternative(
        invite.data,
        maintype="text",
        subtype="calendar",
        params={"method": invite.method.value, "charset": "utf-8"},
    )
    return msg


def _address(name: str, email: str) -> Address:
    if not valid_email(email):
        raise FacilitatorError(f"not a usable e-mail address: {clean_line(email)!r}")
    local, _, domain = ascii_email(email).rpartition("@")  # IDNA-encoded domain
    return Address(display_name=clean_line(name), username=local, domain=domain)


def _subject(delivery: Delivery) -> str:
    if delivery.invite.method is Method.CANCEL or delivery.invite.cancels:
        return "Cancelled"
    return "Updated invitation" if delivery.update else "Invitation"


def _body(delivery: Delivery, name: str, group: str) -> str:
    hello = f"Hello {name},\n\n" if name else "Hello,\n\n"
    if delivery.invite.kind == "left":
        text = (
            f"the meetings of {group} have been removed from your calendar. "
            "Thank you for taking part."
        )
    elif delivery.invite.method is Method.CANCEL or delivery.invite.cancels:
        text = (
            f"a change to {group}: the meeting(s) in the attached calendar entry are "
            "cancelled. Your calendar program will update the entry."
        )
    elif delivery.update:
        text = (
            f"the dates of {group} have changed. The attached calendar entry updates "
            "the one you already have; no second entry is made."
        )
    else:
        text = (
            f"the attached calendar entry has the dates, times and place of {group}. "
            "Open it to add the meetings to your calendar. Any later change will reach "
            "you as an update to the same entry."
        )
    return f"{hello}{text}\n"


def send_all(
    deliveries: Iterable[Delivery],
    *,
    connect: Callable[[], smtplib.SMTP],
    sender: str,
    display_name: str,
    ledger: Ledger,
    stamp: datetime,
    budget: Budget | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Send each delivery marked SEND on its own; one refused recipient does not stop the
    others, but a server that fails (silent, flooding, unreachable, time up) stops the run.

    ``progress`` hears of each delivery as soon as it is settled. A delivery is recorded in the
    ledger only after the server accepted it; the ones a stop left unsent come back with
    ``stopped`` set.
    """
    budget = budget or getattr(connect, "budget", None) or Budget()
    outcomes: list[Outcome] = []
    conn: smtplib.SMTP | None = None
    stop = ""

    def settle(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if progress is not None and not outcome.stopped:
            progress(outcome)

    try:
        for delivery in deliveries:
            if delivery.action is not Action.SEND:
                settle(Outcome(delivery))
                continue
            if not stop and budget.run_left() <= 0:
                stop = f"the run's time limit of {budget.per_run:g} s ran out"
            if stop:
                outcomes.append(Outcome(delivery, f"not sent: {stop}", stopped=True))
                continue
            budget.start()
            try:
                msg = message(delivery, sender=sender, display_name=display_name, stamp=stamp)
                if conn is None:
                    conn = connect()
                conn.send_message(
                    msg, from_addr=ascii_email(sender), to_addrs=[delivery.recipient.email]
                )
            except STOP as exc:
                stop = _why(exc)
                outcomes.append(Outcome(delivery, stop, stopped=True))
                _close(conn)
                conn = None
                continue
            except (smtplib.SMTPException, OSError, FacilitatorError) as exc:
                settle(Outcome(delivery, _why(exc)))
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    _close(conn)
                    conn = None
                continue
            ledger.record(delivery.key, delivery.invite, stamp)
            settle(Outcome(delivery))
    finally:
        if conn is not None:
            budget.start(QUIT_SECONDS)
            _drop(conn)
    return outcomes


def _close(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        conn.close()


def _drop(conn: smtplib.SMTP | None) -> None:
    if conn is not None:
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            conn.close()


def _why(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [f"{code} {reply_text(msg)}" for code, msg in exc.recipients.values()]
        return "refused by the server: " + "; ".join(codes)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"the mail server refused the login: {exc.smtp_code} {reply_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"server said {exc.smtp_code} {reply_text(exc.smtp_error)}"
    if isinstance(exc, FacilitatorError):
        return exc.message
    if isinstance(exc, ServerStalled | ServerFlooded | ServerUnreachable):
        return str(exc)
    return clean_line(f"{type(exc).__name__}: {exc}")[:300]
