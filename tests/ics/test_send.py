"""Sending over a real SMTP server on loopback (aiosmtpd): one message per person, failures
reported while the rest still go, and nothing sent twice."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from facilitator.config import SmtpSettings
from facilitator.outputs import mail
from facilitator.outputs.ics_invites import build_invites
from facilitator.store import open_store
from tests.builders import (
    STAMP,
    TOPIC,
    invite_group,
    make_participants,
    make_schedule,
    save_group,
    weeks,
)
from tests.helpers import Run, run_cli

ZONE = "America/New_York"


class Recorder:
    """Accepts mail for everyone except ``refuse``; keeps every envelope."""

    def __init__(self) -> None:
        self.refuse: set[str] = set()
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield recorder, controller.port
    finally:
        controller.stop()


def _settings(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender="fayola@example.org")


def _run(made, ledger, port):
    deliveries = mail.plan(made.invites, invite_group().calendar_uid, ledger)
    return mail.send_all(
        deliveries,
        connect=mail.connector(_settings(port), None),
        sender="fayola@example.org",
        display_name="Tuesday group",
        ledger=ledger,
        stamp=STAMP,
    )


def test_one_message_per_person_failures_reported_no_resend(smtp_server, data_dir: Path) -> None:
    recorder, port = smtp_server
    people = make_participants(4)
    recorder.refuse.add(people[1].email)
    made = build_invites(
        invite_group(ZONE), make_schedule(ZONE, date(2027, 3, 2), time(18), 6), people, stamp=STAMP
    )
    ledger = mail.Ledger.load(data_dir)
    outcomes = _run(made, ledger, port)
    failed = [o for o in outcomes if not o.ok]
    assert [o.delivery.recipient.email for o in failed] == [people[1].email]
    assert "550" in failed[0].error
    assert len(recorder.envelopes) == 4  # 3 participants + the co-facilitator
    everyone = [p.email for p in people]
    for envelope in recorder.envelopes:
        assert len(envelope.rcpt_tos) == 1
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert msg["To"].addresses[0].addr_spec == envelope.rcpt_tos[0]
        assert msg["Cc"] is None and msg["Bcc"] is None
        raw = envelope.content.decode()
        assert sum(addr in raw for addr in everyone) <= 1
        assert TOPIC not in raw and TOPIC not in msg["Subject"]
        assert msg.get_content_type() == "multipart/alternative"
        parts = [p.get_content_type() for p in msg.iter_parts()]
        assert parts == ["text/plain", "text/calendar"]
        calendar = list(msg.iter_parts())[1]
        assert calendar.get_param("method") == "REQUEST"
        body = calendar.get_content()
        ics = body if isinstance(body, str) else body.decode()
        assert "METHOD:REQUEST" in ics and envelope.rcpt_tos[0] in ics
    assert (data_dir / mail.LEDGER_FILE).stat().st_mode & 0o777 == 0o600
    assert not any(p.preferred_name in (data_dir / mail.LEDGER_FILE).read_text() for p in people)
    # a re-run sends nothing new except the one that failed (now accepted)
    recorder.refuse.clear()
    again = _run(made, mail.Ledger.load(data_dir), port)
    assert len(recorder.envelopes) == 5 and recorder.envelopes[-1].rcpt_tos == [people[1].email]
    assert sum(o.delivery.action is mail.Action.SEND for o in again) == 1
    third = _run(
        build_invites(
            invite_group(ZONE),
            make_schedule(ZONE, date(2027, 3, 2), time(18), 6),
            people,
            stamp=STAMP.replace(hour=23),
        ),
        mail.Ledger.load(data_dir),
        port,
    )
    assert len(recorder.envelopes) == 5  # a new DTSTAMP alone is not a change
    assert all(o.delivery.action is mail.Action.UNCHANGED for o in third)


def test_cli_send_dry_run_then_send_then_nothing(smtp_server, data_dir: Path) -> None:
    recorder, port = smtp_server
    with open_store(data_dir) as store:
        group = save_group(store, invite_group(ZONE), plan=weeks(3))
        for person in make_participants(2):
            store.enrol(group.id, person.preferred_name, email=person.email)
    (data_dir / "settings.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        'sender = "fayola@example.org"\n'
    )

    def send(*args: str) -> Run:
        return run_cli("invites", "send", TOPIC, *args)

    dry = send("--dry-run")
    assert dry.code == 0
    assert dry.out.count("would send") == 3 and not recorder.envelopes
    sent = send()
    assert sent.code == 0
    assert len(recorder.envelopes) == 3
    again = send()
    assert again.code == 0
    assert len(recorder.envelopes) == 3
    assert (sent.out + again.out).count("skip (unchanged)") == 3
    recorder.refuse.add("quillon@example.org")
    with open_store(data_dir) as store:
        store.move_meeting(group.id, 2, __import__("datetime").datetime(2027, 3, 11, 18, 0))
    failed = send()
    assert failed.code == 1  # one failed: non-zero exit, the others still went
    assert len(recorder.envelopes) == 5
    assert "FAILED" in failed.err


def test_password_refused_without_a_terminal(smtp_server, data_dir: Path, monkeypatch) -> None:
    _, port = smtp_server
    with open_store(data_dir) as store:
        group = save_group(store, invite_group(ZONE), plan=weeks(1))
        store.enrol(group.id, "Zephyrine", email="zephyrine@example.org")
    (data_dir / "settings.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\nuser = "fay"\n'
        'password_env = "FACILITATOR_TEST_NO_SUCH_VAR"\n'
    )
    monkeypatch.delenv("FACILITATOR_TEST_NO_SUCH_VAR", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    refused = run_cli("invites", "send", TOPIC)
    assert refused.code == 2
    assert "FACILITATOR_TEST_NO_SUCH_VAR" in refused.err


def test_icalendar_is_not_imported_by_the_cli_start() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from facilitator.cli import cli; "
        "assert 'icalendar' not in sys.modules and 'smtplib' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
