"""`invites send` against hostile mail servers on 127.0.0.1, written here with plain sockets:
silent, dripping a line (or a byte) every so often, flooding its greeting, answering one
message and then going quiet, and answering so slowly that the run's time limit ends it.

Each run is a real `python -m facilitator` process with small limits in settings.toml. It must
end (under a generous subprocess timeout; no wall-clock assertion), with one error line that
says what happened and that nothing was marked sent, memory bounded (the child's own maxrss,
from wait4), and the record of sent invites holding exactly what the server accepted, never
more."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import resource
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from facilitator.config import SmtpSettings
from facilitator.outputs import mail, smtp_transport
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
from tests.helpers import run_cli

MESSAGE_TIMEOUT = 2
RUN_TIMEOUT = 30
CHILD_TIMEOUT = 90.0
"""Generous: a run that does not end by then has no deadline (the test fails, not hangs)."""
MAX_RSS_KIB = 300 * 1024
ADDRESS_SPACE = 2 << 30
"""The child may not map more than this, so a regression cannot take the machine's memory."""


@dataclass
class Server:
    """A scripted SMTP server; ``behave(conn, server)`` runs once per connection."""

    behave: Callable[[socket.socket, Server], None]
    stop: threading.Event = field(default_factory=threading.Event)
    accepted: list[str] = field(default_factory=list)
    """Recipients whose message got a 250 after DATA."""
    port: int = 0


@contextlib.contextmanager
def serving(behave: Callable[[socket.socket, Server], None]) -> Iterator[Server]:
    server = Server(behave)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    server.port = listener.getsockname()[1]
    conns: list[socket.socket] = []

    def handle(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            behave(conn, server)

    def accept() -> None:
        while not server.stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conns.append(conn)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        thread.join(5)
        listener.close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.close()


def silent(conn: socket.socket, server: Server) -> None:
    server.stop.wait()


def drip_lines(conn: socket.socket, server: Server) -> None:
    """A continuation line of the greeting every 0.5 s: each read succeeds, none ends it."""
    while not server.stop.wait(0.5):
        conn.sendall(b"220-still thinking\r\n")


def drip_bytes(conn: socket.socket, server: Server) -> None:
    """One byte of a greeting line every 0.3 s, never a line end."""
    while not server.stop.wait(0.3):
        conn.sendall(b"2")


def flood_lines(conn: socket.socket, server: Server) -> None:
    """An endless multi-line greeting, as fast as the socket takes it."""
    chunk = b"".join(b"220-" + b"x" * 996 + b"\r\n" for _ in range(64))
    while not server.stop.is_set():
        conn.sendall(chunk)


def flood_one_line(conn: socket.socket, server: Server) -> None:
    """A greeting line that never ends."""
    chunk = b"220 " + b"y" * 65536
    while not server.stop.is_set():
        conn.sendall(chunk)


def scripted(quiet_after: int = 0, slow: float = 0.0) -> Callable[[socket.socket, Server], None]:
    """A working server; after ``quiet_after`` accepted messages (0: never) it stops answering
    at the end of DATA; ``slow`` seconds pass before each answer to the end of DATA."""

    def behave(conn: socket.socket, server: Server) -> None:
        reader = conn.makefile("rb")
        conn.sendall(b"220 hostile.test ESMTP\r\n")
        rcpt = ""
        while not server.stop.is_set():
            line = reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250 hostile.test\r\n")
            elif verb == b"MAIL":
                conn.sendall(b"250 OK\r\n")
            elif verb == b"RCPT":
                rcpt = line.split(b"<", 1)[1].split(b">", 1)[0].decode()
                conn.sendall(b"250 OK\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while reader.readline() not in (b".\r\n", b""):
                    pass
                if quiet_after and len(server.accepted) >= quiet_after:
                    server.stop.wait()
                    return
                if slow:
                    server.stop.wait(slow)
                server.accepted.append(rcpt)
                conn.sendall(b"250 queued\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")

    return behave


@pytest.fixture
def group_data(data_dir: Path) -> Path:
    """A group with three participants (and a co-facilitator): four messages to send."""
    with open_store(data_dir) as store:
        group = save_group(store, invite_group(), plan=weeks(3))
        for person in make_participants(3):
            store.enrol(group.id, person.preferred_name, email=person.email)
    return data_dir


def _settings(data: Path, port: int, *, message: float, run: float) -> None:
    (data / "settings.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n'
        f'sender = "fayola@example.org"\nmessage_timeout = {message}\nrun_timeout = {run}\n'
    )


@dataclass
class Child:
    code: int
    out: str
    err: str
    maxrss_kib: int


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _send(data: Path, tmp: Path) -> Child:
    """Run `invites send` in a fresh process; its own peak memory comes from wait4."""
    out, err = tmp / "stdout.txt", tmp / "stderr.txt"
    command = [sys.executable, "-m", "facilitator", "--data-dir", str(data)]
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [*command, "invites", "send", TOPIC],
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "NO_COLOR": "1"},
            preexec_fn=_limit_memory,
        )
    give_up = time.monotonic() + CHILD_TIMEOUT
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > give_up:
            proc.kill()
            proc.wait()
            pytest.fail(f"invites send was still running after {CHILD_TIMEOUT} s")
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Child(proc.returncode, out.read_text(), err.read_text(), int(usage.ru_maxrss))


def _ledger(data: Path) -> dict[str, object]:
    path = data / mail.LEDGER_FILE
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text())["sent"])


def _recorded(data: Path) -> set[str]:
    """The e-mail addresses the record of sent invites says were sent to."""
    with open_store(data) as store:
        group = store.find_group(TOPIC)
        by_key = {p.opaque_id: p.email for p in store.participants(group.id)}
        for person in group.facilitators:
            digest = hashlib.sha256(person.email.strip().lower().encode()).hexdigest()[:20]
            by_key[f"cofacilitator-{digest}"] = person.email
    return {by_key[key.split("/", 1)[1]] for key in _ledger(data)}


def _one_error_line(child: Child) -> str:
    lines = [line for line in child.err.splitlines() if line.strip()]
    assert len(lines) == 1, child.err
    assert lines[0].startswith("facilitator: error: "), lines
    assert "Traceback" not in child.err
    return lines[0]


@pytest.mark.parametrize(
    ("behave", "words"),
    [
        (silent, f"did not answer within {MESSAGE_TIMEOUT} s"),
        (drip_lines, f"did not answer within {MESSAGE_TIMEOUT} s"),
        (drip_bytes, f"did not answer within {MESSAGE_TIMEOUT} s"),
        (flood_lines, "sent a reply longer than 64 KiB"),
        (flood_one_line, "sent a reply longer than 8 KiB"),
    ],
    ids=["silent", "drip-lines", "drip-bytes", "flood-lines", "flood-one-line"],
)
def test_a_failing_server_stops_the_run_with_one_line(
    group_data: Path, tmp_path: Path, behave: Callable[[socket.socket, Server], None], words: str
) -> None:
    with serving(behave) as server:
        _settings(group_data, server.port, message=MESSAGE_TIMEOUT, run=RUN_TIMEOUT)
        child = _send(group_data, tmp_path)
    assert child.code == 2, child
    line = _one_error_line(child)
    assert f"the mail server 127.0.0.1:{server.port} {words}" in line, line
    assert "0 sent, 4 not sent and not marked sent" in line, line
    assert "Sending 4 invite(s) through" in child.out
    assert "sent " not in child.out.replace("Sending", "")  # no recipient reported sent
    assert _ledger(group_data) == {}
    assert child.maxrss_kib < MAX_RSS_KIB, f"peak memory {child.maxrss_kib} KiB"


def test_a_server_that_goes_quiet_keeps_what_it_accepted(group_data: Path, tmp_path: Path) -> None:
    with serving(scripted(quiet_after=1)) as server:
        _settings(group_data, server.port, message=MESSAGE_TIMEOUT, run=RUN_TIMEOUT)
        child = _send(group_data, tmp_path)
    assert child.code == 2, child
    line = _one_error_line(child)
    assert f"did not answer within {MESSAGE_TIMEOUT} s" in line
    assert "1 sent, 3 not sent and not marked sent" in line, line
    assert len(server.accepted) == 1
    progress = [row for row in child.out.splitlines() if row.startswith("sent ")]
    assert len(progress) == 1 and server.accepted[0] in progress[0], child.out
    assert _recorded(group_data) == set(server.accepted)
    # the next run sends only what was not sent (the server works again)
    with serving(scripted()) as again:
        _settings(group_data, again.port, message=MESSAGE_TIMEOUT, run=RUN_TIMEOUT)
        second = _send(group_data, tmp_path)
    assert second.code == 0, second
    assert len(again.accepted) == 3 and server.accepted[0] not in again.accepted
    assert len(_ledger(group_data)) == 4


def test_the_run_time_limit_ends_a_slow_server(group_data: Path, tmp_path: Path) -> None:
    """Each message is within its own limit, but together they are not: the run stops at its
    limit, and the record holds only messages the server accepted."""
    with serving(scripted(slow=0.8)) as server:
        _settings(group_data, server.port, message=10, run=2)
        child = _send(group_data, tmp_path)
    assert child.code == 2, child
    line = _one_error_line(child)
    assert "time limit of 2 s" in line, line
    recorded = _recorded(group_data)
    assert recorded <= set(server.accepted)
    assert len(recorded) < 4
    assert f"{len(recorded)} sent, {4 - len(recorded)} not sent and not marked sent" in line


def test_limits_are_settings_with_checked_values(group_data: Path) -> None:
    for value in ("0", "-1", '"5"', "true", "99999"):
        (group_data / "settings.toml").write_text(f"[smtp]\nmessage_timeout = {value}\n")
        result = run_cli("invites", "send", TOPIC)
        assert result.code == 2
        err = result.err
        assert "smtp.message_timeout: must be a number of seconds" in err, (value, err)
        assert err.count("\n") == 1


def starttls_then_silent(conn: socket.socket, server: Server) -> None:
    """Offers STARTTLS, agrees to it, then never starts the TLS handshake."""
    reader = conn.makefile("rb")
    conn.sendall(b"220 hostile.test ESMTP\r\n")
    while not server.stop.is_set():
        line = reader.readline()
        if not line:
            return
        if line[:4].upper() == b"EHLO":
            conn.sendall(b"250-hostile.test\r\n250 STARTTLS\r\n")
        elif line[:8].upper() == b"STARTTLS":
            conn.sendall(b"220 go ahead\r\n")
            server.stop.wait()
            return


def _in_process(port: int, *, starttls: bool = False) -> list[mail.Outcome]:
    people = make_participants(3)
    made = build_invites(
        invite_group(),
        make_schedule("Europe/Berlin", dt.date(2027, 3, 2), dt.time(18), 4),
        people,
        stamp=STAMP,
    )
    ledger = mail.Ledger.load(Path(os.environ["FACILITATOR_DATA_DIR"]))
    smtp = SmtpSettings(host="127.0.0.1", port=port, starttls=starttls, sender="f@example.org")
    budget = mail.Budget(per_message=1, per_run=30)
    return mail.send_all(
        mail.plan(made.invites, invite_group().calendar_uid, ledger),
        connect=mail.connector(smtp, None, budget),
        sender="f@example.org",
        display_name="Tuesday group",
        ledger=ledger,
        stamp=STAMP,
        budget=budget,
    )


def test_a_stalled_starttls_handshake_stops_the_run(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with serving(starttls_then_silent) as server:
        outcomes = _in_process(server.port, starttls=True)
    sends = [o for o in outcomes if o.delivery.action is mail.Action.SEND]
    assert sends and all(o.stopped for o in sends)
    assert sends[0].error == f"the mail server 127.0.0.1:{server.port} did not answer within 1 s"
    assert _ledger(data_dir) == {}


def test_a_silent_tls_server_is_a_stall(data_dir: Path) -> None:
    """Port 465 style (TLS from the start): the handshake itself runs within the budget."""
    with serving(silent) as server:
        budget = mail.Budget(per_message=1, per_run=30)
        with pytest.raises(smtp_transport.ServerStalled, match="did not answer within 1 s"):
            smtp_transport.BoundedSMTPSSL(
                "127.0.0.1", server.port, budget, ssl.create_default_context()
            )


def test_an_unreachable_server_stops_the_run_at_once(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    outcomes = _in_process(port)
    sends = [o for o in outcomes if o.delivery.action is mail.Action.SEND]
    assert all(o.stopped for o in sends)
    assert sends[0].error.startswith(f"cannot talk to the mail server 127.0.0.1:{port}")
    assert all(o.error.startswith("not sent: ") for o in sends[1:])
    assert _ledger(data_dir) == {}
