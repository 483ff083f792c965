"""The SMTP session of an invitation run, bounded: every message has a time limit and so has
the whole run (:class:`Budget`, from ``[smtp]`` settings), checked before each read from and
write to the socket, and no reply may be longer than :data:`MAX_REPLY_BYTES` (smtplib bounds a
line but keeps the lines of a multi-line reply without limit). A server that goes silent,
drips or floods raises one of :data:`STOP`, which stops the run
(:func:`facilitator.outputs.mail.send_all`).
"""

from __future__ import annotations

import io
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

from facilitator.config import SmtpSettings
from facilitator.outputs.ics import clean_line

MAX_REPLY_BYTES = 64 * 1024
"""Longest reply (all lines of a multi-line reply together) read from a mail server."""
_MAXLINE = 8192
"""Longest reply line, as smtplib has it."""


class ServerStalled(smtplib.SMTPServerDisconnected):
    """The server did not answer (or take what was sent) within the time left."""


class ServerFlooded(smtplib.SMTPServerDisconnected):
    """The server sent a reply longer than anything SMTP needs."""


@dataclass
class Budget:
    """Time limits of one run: each message (with connecting, for the first) and the whole run.

    The connection checks :attr:`deadline` before every read and write; :meth:`start` moves it
    on for the next message, never past the end of the run.
    """

    per_message: float = 60.0
    per_run: float = 600.0
    started: float = field(default_factory=time.monotonic)
    deadline: float = 0.0
    why: str = ""

    @classmethod
    def of(cls, smtp: SmtpSettings) -> Budget:
        """The limits set in ``[smtp]`` (``message_timeout``, ``run_timeout``)."""
        return cls(float(smtp.message_timeout), float(smtp.run_timeout))

    def __post_init__(self) -> None:
        self.start()

    def run_left(self) -> float:
        """Seconds left for the whole run."""
        return self.started + self.per_run - time.monotonic()

    def start(self, seconds: float | None = None) -> None:
        """Give the next step ``seconds`` (default: one message's limit) within the run's."""
        now = time.monotonic()
        step = self.per_message if seconds is None else seconds
        run_end = self.started + self.per_run
        if now + step < run_end:
            self.deadline, self.why = now + step, f"within {step:g} s"
        else:
            self.deadline = run_end
            self.why = f"before the run's time limit of {self.per_run:g} s ran out"

    def left(self) -> float:
        """Seconds left for the current step (<= 0: time is up)."""
        return self.deadline - time.monotonic()


class _Reader(io.RawIOBase):
    """The socket's input with the budget checked before every ``recv``."""

    def __init__(self, conn: _Bounded) -> None:
        super().__init__()
        self.conn = conn

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        sock = self.conn.sock
        if sock is None:
            return 0
        sock.settimeout(self.conn.time_left())
        try:
            return int(sock.recv_into(buffer))
        except TimeoutError:
            raise self.conn.stalled() from None


class _Bounded(smtplib.SMTP):
    """smtplib with a deadline on every read and write and a bound on each reply."""

    budget: Budget
    address: str

    def time_left(self) -> float:
        """Seconds left before the budget's deadline; raises ServerStalled when none are."""
        left = self.budget.left()
        if left <= 0:
            raise self.stalled()
        return left

    def stalled(self) -> ServerStalled:
        """The error for a server that did not finish in time."""
        return ServerStalled(f"the mail server {self.address} did not answer {self.budget.why}")

    def _get_socket(self, host: str, port: int, timeout: float) -> Any:
        try:
            return super()._get_socket(host, port, self.time_left())  # type: ignore[misc]
        except TimeoutError:
            raise self.stalled() from None

    def send(self, s: Any) -> None:
        if self.sock:
            self.sock.settimeout(self.time_left())
        try:
            super().send(s)
        except smtplib.SMTPServerDisconnected:
            if self.budget.left() <= 0:
                raise self.stalled() from None
            raise

    def getreply(self) -> tuple[int, bytes]:
        """smtplib's getreply, reading through the budget and refusing endless replies."""
        if self.file is None:
            self.file = io.BufferedReader(_Reader(self))
        lines: list[bytes] = []
        total = 0
        while True:
            try:
                line = self.file.readline(_MAXLINE + 1)
            except smtplib.SMTPException:
                self.close()
                raise
            except OSError as exc:
                self.close()
                raise smtplib.SMTPServerDisconnected(
                    f"the mail server {self.address} closed the connection ({exc})"
                ) from None
            if not line:
                self.close()
                raise smtplib.SMTPServerDisconnected(
                    f"the mail server {self.address} closed the connection"
                )
            total += len(line)
            if len(line) > _MAXLINE or total > MAX_REPLY_BYTES:
                self.close()
                raise ServerFlooded(
                    f"the mail server {self.address} sent a reply longer than "
                    f"{(_MAXLINE if len(line) > _MAXLINE else MAX_REPLY_BYTES) // 1024} KiB"
                )
            lines.append(line[4:].strip(b" \t\r\n"))
            try:
                code = int(line[:3])
            except ValueError:
                code = -1
                break
            if line[3:4] != b"-":
                break
        return code, b"\n".join(lines)


class BoundedSMTP(_Bounded):
    """A plain (or STARTTLS) SMTP session within a budget."""

    def __init__(self, host: str, port: int, budget: Budget) -> None:
        self.budget, self.address = budget, f"{host}:{port}"
        super().__init__(host, port, timeout=max(budget.left(), 0.001))


class BoundedSMTPSSL(_Bounded, smtplib.SMTP_SSL):
    """An SMTP-over-TLS session (port 465) within a budget."""

    def __init__(self, host: str, port: int, budget: Budget, context: ssl.SSLContext) -> None:
        self.budget, self.address = budget, f"{host}:{port}"
        super().__init__(host, port, timeout=max(budget.left(), 0.001), context=context)


class Connect:
    """Opens an SMTP session as the settings say (TLS, login), within ``budget``."""

    def __init__(self, smtp: SmtpSettings, password: str | None, budget: Budget) -> None:
        self.smtp, self.password, self.budget = smtp, password, budget

    def __call__(self) -> smtplib.SMTP:
        """A session ready to send; any failure on the way stops the run (every other message
        would meet the same server), so it comes out as one of :data:`STOP`."""
        smtp, budget = self.smtp, self.budget
        address = f"{smtp.host}:{smtp.port}"
        conn: _Bounded | None = None
        try:
            context = ssl.create_default_context()
            if smtp.port == 465:
                conn = BoundedSMTPSSL(smtp.host, smtp.port, budget, context)
            else:
                conn = BoundedSMTP(smtp.host, smtp.port, budget)
            if smtp.port != 465 and smtp.starttls:
                if conn.sock is not None:
                    conn.sock.settimeout(conn.time_left())
                conn.starttls(context=context)
            if smtp.user:
                conn.login(smtp.user, self.password or "")
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, STOP):
                raise
            if isinstance(exc, TimeoutError):
                raise ServerStalled(
                    f"the mail server {address} did not answer {budget.why}"
                ) from None
            if isinstance(exc, smtplib.SMTPResponseException):
                raise ServerUnreachable(
                    f"the mail server {address} refused the session: "
                    f"{exc.smtp_code} {reply_text(exc.smtp_error)}"
                ) from None
            if isinstance(exc, smtplib.SMTPException | OSError | ValueError):
                why = getattr(exc, "strerror", None) or reply_text(str(exc)) or type(exc).__name__
                raise ServerUnreachable(
                    f"cannot talk to the mail server {address}: {why}"
                ) from None
            raise
        return conn


class ServerUnreachable(smtplib.SMTPException):
    """No working session with the mail server could be made."""


def connector(smtp: SmtpSettings, password: str | None, budget: Budget | None = None) -> Connect:
    """A function that opens an SMTP session as the settings say, within the run's budget."""
    return Connect(smtp, password, budget or Budget.of(smtp))


STOP = (ServerStalled, ServerFlooded, ServerUnreachable, smtplib.SMTPAuthenticationError)
"""Failures after which no other message would get through either: the run stops."""


def reply_text(reply: bytes | str) -> str:
    """Server text as one short printable line (a server may send anything)."""
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    return clean_line(text)[:300]
