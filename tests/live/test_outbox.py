"""The outbox on its own: saves in order, kept while the server is unreachable, acknowledged
only once committed, a refused save reported and dropped, a note not appended twice after a
connection lost during COMMIT; inline on the SQLite file."""

from __future__ import annotations

import threading

from facilitator.errors import FacilitatorError, ServerUnreachable
from facilitator.tui.outbox import Outbox


class FlakyServer:
    """Stands in for the store: down until told otherwise; records what was committed."""

    def __init__(self) -> None:
        self.up = threading.Event()
        self.committed: list[str] = []
        self.tries: list[str] = []

    def save(self, what: str, *, lose_commit: bool = False) -> None:
        self.tries.append(what)
        if not self.up.is_set():
            raise ServerUnreachable("cannot connect to the database: no such file")
        self.committed.append(what)
        if lose_commit:  # saved, but the answer never came
            raise ServerUnreachable("the connection was lost", maybe_saved=True)


def test_saves_wait_in_order_while_unreachable_and_are_acknowledged_after_commit() -> None:
    server = FlakyServer()
    acked: list[str] = []
    outbox = Outbox(inline=False)
    try:
        for what in ("start", "roll", "next"):
            outbox.put(what, lambda w=what: server.save(w), done=lambda w=what: acked.append(w))
        assert not outbox.drain(0.6)  # kept: the server is down
        assert outbox.pending == 3 and outbox.waiting and acked == []
        assert outbox.banner() == "not saved yet: reconnecting (3 changes waiting)"
        assert set(server.tries) == {"start"}  # nothing jumps the queue
        server.up.set()
        outbox.kick()
        assert outbox.drain(10)
        assert server.committed == acked == ["start", "roll", "next"]
        assert outbox.banner() == "" and not outbox.waiting
    finally:
        outbox.close()


def test_a_refused_save_is_reported_and_the_rest_go_on() -> None:
    failed: list[tuple[str, str]] = []
    done: list[str] = []
    outbox = Outbox(inline=False, failed=lambda label, message: failed.append((label, message)))

    def refuse() -> None:
        raise FacilitatorError("not saved: week 9 does not exist")

    try:
        outbox.put("the roll", refuse, done=lambda: done.append("roll"))
        outbox.put("a note", lambda: None, done=lambda: done.append("note"))
        assert outbox.drain(10)
        assert failed == [("the roll", "not saved: week 9 does not exist")] and done == ["note"]
    finally:
        outbox.close()


def test_a_note_lost_during_commit_is_not_appended_twice() -> None:
    server = FlakyServer()
    server.up.set()
    outbox = Outbox(inline=False)
    first = [True]

    def append() -> None:
        lose, first[0] = first[0], False
        server.save("18:40 Room too warm", lose_commit=lose)

    try:
        outbox.put(
            "a quick note",
            append,
            saved_already=lambda: "18:40 Room too warm" in server.committed,
        )
        assert outbox.drain(10)
        assert server.committed == ["18:40 Room too warm"]
    finally:
        outbox.close()


def test_inline_runs_at_once_on_the_callers_thread() -> None:
    seen: list[str] = []
    outbox = Outbox(inline=True, failed=lambda label, message: seen.append(message))
    outbox.put(
        "x", lambda: seen.append(threading.current_thread().name), done=lambda: seen.append("done")
    )
    assert seen == [threading.current_thread().name, "done"] and outbox.thread is None
    outbox.put("y", lambda: (_ for _ in ()).throw(FacilitatorError("disk full")))
    assert seen[-1] == "disk full"
