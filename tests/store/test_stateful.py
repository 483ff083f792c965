"""A Hypothesis state machine drives the store and a plain dict model side by side, on the
SQLite file and on PostgreSQL (a fresh database of the throwaway cluster per example)."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from store_helpers import HOSTILE

from facilitator.model.group import AttendanceStatus, has_visible
from facilitator.store import ConflictError, Store, open_store
from tests.builders import save_group

NAMES = st.one_of(
    st.sampled_from(HOSTILE),
    # a name of format characters only (a soft hyphen) is refused by enrol, as it should be
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
        lambda s: s.strip() and has_visible(s)
    ),
)
STATUS = st.sampled_from(list(AttendanceStatus))


class StoreMachine(RuleBasedStateMachine):
    """Store vs model: people, rolls and notes survive every verb and every reopen."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="store-sm-"))
        self.store = self.open()
        self.group_id = save_group(self.store).id
        self.people: dict[int, str] = {}
        self.left: set[int] = set()
        self.marks: dict[tuple[int, int], AttendanceStatus] = {}
        self.notes: dict[int, tuple[str, int]] = {}

    @rule(name=NAMES)
    def enrol(self, name: str) -> None:
        person = self.store.enrol(self.group_id, name)
        self.people[person.id] = unicodedata.normalize("NFC", name).strip()

    @precondition(lambda self: bool(set(self.people) - self.left))
    @rule(data=st.data())
    def leave_after_last_week(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(sorted(set(self.people) - self.left)))
        self.store.leave(pid, date(2027, 1, 1))  # after the course: still in every roll
        self.left.add(pid)

    @precondition(lambda self: bool(self.people))
    @rule(data=st.data(), week=st.integers(1, 8))
    def roll(self, data: st.DataObject, week: int) -> None:
        ids = sorted(self.people)
        exceptions = data.draw(st.dictionaries(st.sampled_from(ids), STATUS, max_size=len(ids)))
        self.store.mark_roll(self.group_id, week, exceptions)
        for pid in ids:
            self.marks[(pid, week)] = exceptions.get(pid, AttendanceStatus.PRESENT)

    @precondition(lambda self: bool(self.people))
    @rule(data=st.data())
    def erase(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(sorted(self.people)))
        self.store.erase_participant(pid)
        del self.people[pid]
        self.left.discard(pid)
        self.marks = {k: v for k, v in self.marks.items() if k[0] != pid}

    @rule(week=st.integers(1, 8), text=NAMES, stale=st.booleans())
    def note(self, week: int, text: str, stale: bool) -> None:
        version = self.notes.get(week, ("", 0))[1]
        try:
            saved = self.store.save_note(
                self.group_id, week, text, expected_version=version - 1 if stale else version
            )
        except ConflictError:
            assert stale
            return
        assert not stale  # a stale version must never overwrite
        self.notes[week] = (saved.text, saved.version)
        assert saved.version == version + 1

    def open(self) -> Store:
        """The SQLite file in this example's own folder."""
        return open_store(self.folder)

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = self.open()

    @invariant()
    def matches_model(self) -> None:
        people = self.store.participants(self.group_id)
        assert {p.id: p.preferred_name for p in people} == self.people
        assert {p.id for p in people if p.left} == self.left
        stored = {(m.participant_id, m.week): m.status for m in self.store.marks(self.group_id)}
        assert stored == self.marks
        notes = {n.week: (n.text, n.version) for n in self.store.notes(self.group_id)}
        assert notes == self.notes

    def teardown(self) -> None:
        assert self.store.verify_audit() is None
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)


CLUSTER: list[Any] = []
"""The session's PostgreSQL cluster, set by the fixture below for the PostgreSQL machine."""


class PostgresStoreMachine(StoreMachine):
    """The same rules on PostgreSQL: each example gets a fresh database (from the migrated
    template), dropped at its end."""

    def open(self) -> Store:
        if not hasattr(self, "url"):
            from tests.pg_cluster import TEMPLATE

            cluster = CLUSTER[0]
            self.database = cluster.new_name()
            cluster.admin(f"CREATE DATABASE {self.database} TEMPLATE {TEMPLATE}")
            self.url = cluster.url(self.database)
        return Store(self.url)

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            CLUSTER[0].admin(f"DROP DATABASE {self.database} WITH (FORCE)")


SETTINGS = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
StoreMachine.TestCase.settings = SETTINGS
PostgresStoreMachine.TestCase.settings = SETTINGS
TestStore = StoreMachine.TestCase
TestStorePostgres = PostgresStoreMachine.TestCase


@pytest.fixture(autouse=True)
def _cluster_for_postgres(request: pytest.FixtureRequest) -> None:
    if request.node.cls is TestStorePostgres and not CLUSTER:
        CLUSTER.append(request.getfixturevalue("pg_cluster"))
