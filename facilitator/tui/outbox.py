"""The app's outbox: saves that must not be lost when the database server is out of reach.

The live runner (its timings after every step, the door roll, quick notes) hands each save to
the outbox instead of calling the store on the UI thread. On a PostgreSQL server the outbox runs
them in order on a thread of its own: one that fails because the server cannot be reached
(:class:`~facilitator.errors.ServerUnreachable`) stays at the head of the queue and is tried
again with backoff, the ones behind it wait their turn, and the screen shows how many are
waiting. Nothing is acknowledged before its transaction committed: ``done`` runs only then.
A save the server refuses for another reason (a constraint, a permission) is dropped and
reported through ``failed``; it would fail the same way again.

Every job is safe to run twice (a run's snapshot and a roll replace what was there), except a
note's new line: when the connection broke during COMMIT (``maybe_saved``), ``saved_already``
checks whether that line got there before the line is appended again.

On the SQLite file nothing is out of reach: the outbox runs each job at once, on the caller's
thread, exactly as a direct store call (``inline``).

Held in memory only: a save still waiting when the app is closed is lost, and the app says so
before it closes (:meth:`Outbox.pending`).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass

from facilitator.errors import FacilitatorError, ServerUnreachable

BACKOFF_S = (0.25, 0.5, 1.0, 2.0, 4.0)
"""Waits between attempts while the server is unreachable (the last one repeats)."""

Report = Callable[[Callable[[], None]], None]
"""How a callback reaches the UI thread (the app's ``call_from_thread``)."""


@dataclass
class Save:
    """One save waiting in the outbox."""

    label: str
    job: Callable[[], object]
    done: Callable[[], None] | None = None
    saved_already: Callable[[], bool] | None = None
    unknown: bool = False
    """An earlier attempt lost the connection during COMMIT: it may have been saved."""


class Outbox:
    """Saves in order, retried while the server is unreachable."""

    def __init__(
        self,
        *,
        inline: bool,
        report: Report = lambda call: call(),
        failed: Callable[[str, str], None] = lambda label, message: None,
    ) -> None:
        self.inline = inline
        self.report = report
        self.failed = failed
        self.queue: collections.deque[Save] = collections.deque()
        self.problem = ""
        """Why the head of the queue is waiting ('' while saves go through)."""
        self.attempts = 0
        self.cond = threading.Condition()
        self.busy = False
        self.closed = False
        self.thread: threading.Thread | None = None

    # -- the UI thread's side ------------------------------------------------------------------

    def put(
        self,
        label: str,
        job: Callable[[], object],
        *,
        done: Callable[[], None] | None = None,
        saved_already: Callable[[], bool] | None = None,
    ) -> None:
        """Save ``job`` after everything put before it; ``done`` runs (on the UI thread) once
        it is committed."""
        save = Save(label, job, done, saved_already)
        if self.inline:
            try:
                job()
            except FacilitatorError as exc:
                self.failed(label, exc.message)
                return
            if done:
                done()
            return
        with self.cond:
            self.queue.append(save)
            self.cond.notify_all()
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="outbox", daemon=True)
                self.thread.start()

    @property
    def pending(self) -> int:
        """Saves not committed yet (the one being tried included)."""
        with self.cond:
            return len(self.queue)

    @property
    def waiting(self) -> bool:
        """The server is out of reach: saves are being kept."""
        with self.cond:
            return bool(self.problem) and bool(self.queue)

    def banner(self) -> str:
        """What the screen shows: '' while everything is saved or going through."""
        with self.cond:
            if not self.problem or not self.queue:
                return ""
            n = len(self.queue)
            return f"not saved yet: reconnecting ({n} change{'s' if n != 1 else ''} waiting)"

    def kick(self) -> None:
        """Try again now (the connection is back)."""
        with self.cond:
            self.attempts = 0
            self.cond.notify_all()

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the queue to empty; True if it did."""
        with self.cond:
            return self.cond.wait_for(lambda: not self.queue, timeout)

    def close(self) -> None:
        """Stop the thread (what is still queued is not saved)."""
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    # -- the outbox thread -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self.cond:
                self.cond.wait_for(lambda: self.closed or bool(self.queue))
                if self.closed:
                    return
                save = self.queue[0]
            outcome = self._attempt(save)
            with self.cond:
                if outcome is None:  # unreachable: wait, then try the same save again
                    delay = BACKOFF_S[min(self.attempts, len(BACKOFF_S) - 1)]
                    self.attempts += 1
                    self.cond.wait_for(lambda: self.closed or self.attempts == 0, delay)
                    continue
                self.queue.popleft()
                self.problem = ""
                self.attempts = 0
                self.cond.notify_all()
            ok, message = outcome
            if ok and save.done is not None:
                self._report(save.done)
            elif not ok:
                self._report(functools.partial(self.failed, save.label, message))

    def _attempt(self, save: Save) -> tuple[bool, str] | None:
        """(True, '') when committed, (False, why) when refused; None when unreachable."""
        try:
            if save.unknown and save.saved_already is not None and save.saved_already():
                return True, ""
            save.job()
        except ServerUnreachable as exc:
            with self.cond:
                self.problem = exc.message
            save.unknown = save.unknown or exc.maybe_saved
            return None
        except FacilitatorError as exc:
            return False, exc.message
        except Exception as exc:  # a bug must not stop the saves behind it
            return False, f"{type(exc).__name__}: {exc}"
        return True, ""

    def _report(self, call: Callable[[], None]) -> None:
        with contextlib.suppress(Exception):  # the app is closing: nothing is left to tell
            self.report(call)
