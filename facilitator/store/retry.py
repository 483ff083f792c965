"""Re-running a whole verb when the database could not serialise its transaction.

One verb is one transaction, so when PostgreSQL reports a serialization failure or a deadlock
(SQLSTATE 40001, 40P01: another facilitator's transaction touched the same rows at the same
time), nothing of the verb was saved and running it again from the start is correct: it reads
again what the other transaction wrote (so a stale note edit then fails as a conflict). SQLite
serialises writers with ``BEGIN IMMEDIATE`` and never raises :class:`RetryTransaction`.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from facilitator.errors import FacilitatorError

ATTEMPTS = 12
"""How often a verb runs before giving up (with backoff: about 3 s in all at worst)."""

P = ParamSpec("P")
R = TypeVar("R")


class RetryTransaction(Exception):
    """The transaction was rolled back by the server's conflict detection; run it again."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def retried(verb: Callable[P, R]) -> Callable[P, R]:
    """Run ``verb`` again (a bounded number of times, with jittered backoff) when its
    transaction was rolled back as a serialization failure or deadlock."""

    @functools.wraps(verb)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(ATTEMPTS):
            try:
                return verb(*args, **kwargs)
            except RetryTransaction as exc:
                if attempt == ATTEMPTS - 1:
                    raise FacilitatorError(
                        f"not saved: other facilitators kept changing the same records "
                        f"({exc.why}); nothing was changed, try again"
                    ) from None
                time.sleep(min(0.5, 0.005 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    return run
