"""Invitation use cases: write a group's calendar files, and e-mail each person their own.

Writing records each file in the output ledger with the person it is for (erase finds it
there). Sending is two steps, so that a front end can show the plan (or stop at a dry run)
and ask for a password before anything is sent: :func:`plan_send` says who gets what and
what is skipped, :func:`send` sends one message each and records each accepted one in the
sent-mail ledger. icalendar and the mail code are imported inside the functions.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facilitator import locations
from facilitator.errors import FacilitatorError

if TYPE_CHECKING:
    from facilitator.model.group import Group
    from facilitator.outputs.ics_invites import InviteSet
    from facilitator.store import Store
    from facilitator.workspace import Workspace


@dataclass(frozen=True, slots=True)
class InviteFile:
    """One calendar file written."""

    filename: str
    method: str
    """REQUEST, PUBLISH or CANCEL."""
    kind: str
    """``participant``, ``left``, ``facilitators`` or ``public``."""
    recipients: tuple[tuple[str, str], ...] = ()
    """(name, e-mail) of each person it is for."""


@dataclass(frozen=True, slots=True)
class Written:
    """What writing a group's calendar files did."""

    folder: Path
    paths: tuple[Path, ...]
    files: tuple[InviteFile, ...]
    skipped: tuple[str, ...]
    """Who got no file of their own, and why."""
    sequence: int
    """The calendar SEQUENCE the files carry."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message to one person, or why none is needed."""

    filename: str
    method: str
    name: str
    email: str
    send: bool
    """A message goes out; otherwise ``why`` says why not ("unchanged", "not invited")."""
    why: str = ""


@dataclass(frozen=True, slots=True)
class SendPlan:
    """Who gets what (see :func:`plan_send`); pass it to :func:`send`."""

    group: Group
    deliveries: tuple[Delivery, ...]
    skipped: tuple[str, ...]
    _raw: tuple[Any, ...] = field(repr=False, compare=False, default=())
    _ledger: Any = field(repr=False, compare=False, default=None)

    @property
    def to_send(self) -> int:
        """How many messages go out."""
        return sum(d.send for d in self.deliveries)


@dataclass(frozen=True, slots=True)
class Server:
    """The mail server a send goes through, and its time limits."""

    host: str
    port: int
    user: str
    per_message: float
    """Seconds one message may take."""
    per_run: float
    """Seconds the whole run may take."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one delivery went."""

    delivery: Delivery
    error: str = ""


@dataclass(frozen=True, slots=True)
class Sent:
    """What a send did."""

    sent: int
    failed: int
    skipped: int


def _build(
    ws: Workspace,
    store: Store,
    group_id: int,
    *,
    stamp: datetime,
    publish: bool,
    cancel_week: int | None,
) -> tuple[Group, InviteSet]:
    from facilitator.exports import invite_set

    group = store.group(group_id)
    made = invite_set(
        store,
        ws.library,
        ws.settings,
        group,
        stamp=stamp,
        publish=publish,
        cancel_week=cancel_week,
    )
    return group, made


def write(
    ws: Workspace,
    store: Store,
    group_id: int,
    *,
    stamp: datetime,
    out: Path | None = None,
    publish: bool = False,
    cancel_week: int | None = None,
) -> Written:
    """Write every calendar file of a group (one per participant, one for the facilitators,
    one public) into ``out``, by default the group's folder under ``invites/`` in the data
    folder. ``stamp`` is the files' DTSTAMP (the caller passes now); ``publish`` gives
    participants files without attendees; ``cancel_week`` writes cancellations of that week."""
    from facilitator.exports import write_invites

    group, made = _build(ws, store, group_id, stamp=stamp, publish=publish, cancel_week=cancel_week)
    folder = out or locations.invites_dir(ws.data_dir, group.id)
    paths = write_invites(store, made, folder, group.id)
    files = tuple(
        InviteFile(
            i.filename, str(i.method), i.kind, tuple((r.name, r.email) for r in i.recipients)
        )
        for i in made.invites
    )
    return Written(folder, tuple(paths), files, made.skipped, group.calendar_sequence)


def plan_send(
    ws: Workspace,
    store: Store,
    group_id: int,
    *,
    stamp: datetime,
    publish: bool = False,
    cancel_week: int | None = None,
) -> SendPlan:
    """Who would get which file: one delivery per recipient, each to send or skipped
    (unchanged since it was last sent, or a cancellation for someone never invited)."""
    from facilitator.outputs import mail

    group, made = _build(ws, store, group_id, stamp=stamp, publish=publish, cancel_week=cancel_week)
    ledger = mail.Ledger.load(ws.data_dir)
    raw = mail.plan(made.invites, group.calendar_uid, ledger)
    return SendPlan(group, tuple(_delivery(d) for d in raw), made.skipped, tuple(raw), ledger)


def _delivery(d: Any) -> Delivery:
    from facilitator.outputs.mail import Action

    send = d.action is Action.SEND
    person = d.recipient
    return Delivery(
        d.invite.filename,
        str(d.invite.method),
        person.name,
        person.email,
        send,
        "" if send else str(d.action),
    )


def server(ws: Workspace) -> Server:
    """The mail server of the settings; a one-line error when none is set."""
    smtp = ws.settings.smtp
    if not smtp.host:
        raise FacilitatorError(
            "no mail server set: add [smtp] host, port, user and sender to "
            f"{locations.settings_file(ws.data_dir)} (see docs/INVITES.md)"
        )
    from facilitator.outputs.mail import Budget

    budget = Budget.of(smtp)
    return Server(smtp.host, smtp.port, smtp.user, budget.per_message, budget.per_run)


def sender(ws: Workspace, group: Group) -> str:
    """The From address: the settings' sender, else the group's first facilitator with one."""
    found = ws.settings.smtp.sender or next((f.email for f in group.facilitators if f.email), "")
    if not found:
        raise FacilitatorError(f"no sender address: set [smtp] sender in {locations.SETTINGS}")
    return found


def password(ws: Workspace, ask: Callable[[str], str] | None) -> str | None:
    """The mail server's password: none without a user name, else the environment variable
    the settings name, else ``ask(user)`` (``None``: nobody at a terminal to ask)."""
    smtp = ws.settings.smtp
    if not smtp.user:
        return None
    found = os.environ.get(smtp.password_env)
    if found:
        return found
    if ask is None:
        raise FacilitatorError(
            f"no SMTP password: set ${smtp.password_env} (there is no terminal to ask on)"
        )
    return ask(smtp.user)


def send(
    ws: Workspace,
    plan: SendPlan,
    *,
    password: str | None,
    stamp: datetime,
    progress: Callable[[Outcome], None] | None = None,
) -> Sent:
    """Send each delivery of ``plan`` that is to send, one message each; ``progress`` hears
    of every delivery (skipped ones too) as it is settled. One refused recipient does not stop
    the others; a server that fails or runs out of time stops the run, and that is a one-line
    error saying how many were sent (the rest are sent by running it again)."""
    from facilitator.outputs import mail

    smtp = ws.settings.smtp
    budget = mail.Budget.of(smtp)
    by_raw = dict(zip((id(r) for r in plan._raw), plan.deliveries, strict=True))

    def heard(o: Any) -> None:
        if progress is not None:
            progress(Outcome(by_raw[id(o.delivery)], o.error))

    todo = plan.to_send
    outcomes = mail.send_all(
        plan._raw,
        connect=mail.connector(smtp, password, budget),
        sender=sender(ws, plan.group),
        display_name=plan.group.display_name,
        ledger=plan._ledger,
        stamp=stamp,
        budget=budget,
        progress=heard,
    )
    stopped = [o for o in outcomes if o.stopped]
    failed = sum(not o.ok for o in outcomes)
    if stopped:
        raise FacilitatorError(
            f"{stopped[0].error}; stopped: {todo - failed} sent, {len(stopped)} not sent and not "
            "marked sent (run 'invites send' again to send them)"
        )
    return Sent(todo - failed, failed, len(outcomes) - todo)
