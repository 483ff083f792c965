"""Moving in: an embedded database made through the real CLI, imported into the clinic's
database by one login; the same records, owned by the importer, with the audit history."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path

import psycopg
import pytest

from facilitator.store import Store, open_store
from tests.builders import fixed_clock
from tests.helpers import run_cli

WEEKLY = ("--curriculum", "example", "--start", "2026-09-01", "--time", "18:30")


@pytest.fixture
def cli():
    """The real CLI in-process."""
    return run_cli


def _laptop(cli, data_dir: Path) -> Path:
    """A facilitator's embedded database with two groups and a bit of everything."""

    def ok(*args: str) -> None:
        result = cli(*args)
        assert result.code == 0, (args, result.err)

    ok("group", "create", "Tue", *WEEKLY, "--tz", "Europe/Berlin", "--facilitator", "Kim")
    ok("group", "create", "Thu", *WEEKLY, "--tz", "UTC")
    for name in ("Ada", "Bo", "Cy"):
        ok("roster", "add", "Tue", name, "--initial", name[0])
    ok("roster", "add", "Thu", "Di")
    ok("schedule", "skip", "Tue", "2026-09-08")
    ok("schedule", "move", "Tue", "2", "--to", "2026-09-16 19:00")
    ok("attend", "Tue", "1", "--late", "Ada", "--absent", "Cy")
    ok("attend", "Tue", "2", "--excused", "Bo")
    ok("attend", "Thu", "1")
    ok("note", "Tue", "1", "Quiet start")
    ok("note", "Tue", "1", "Quiet start, warm end")
    ok("note", "Tue", "1", "Ada spoke first", "--participant", "Ada")
    with open_store(data_dir, clock=fixed_clock) as store:
        tue = store.find_group("Tue")
        store.save_run(
            tue.id,
            1,
            {
                "items": [{"title": "Check-in", "planned": 600, "actual": 540, "state": "done"}],
                "notes": ["ran short"],
            },
            saved_at=fixed_clock(),
            finished=True,
        )
    ok("roster", "leave", "Tue", "Cy", "--on", "2026-09-10")
    return data_dir / "facilitator.sqlite3"


def _everything(store: Store, name: str) -> dict[str, object]:
    """What a facilitator sees of one group, without the ids the server gives anew."""
    group = store.find_group(name)

    def plain(value: object) -> object:
        data = asdict(value) if hasattr(value, "__dataclass_fields__") else value
        return json.loads(json.dumps(data, default=str))

    people = store.participants(group.id)
    pid = {p.id: p.preferred_name for p in people}
    summary = store.summary(group.id)
    return {
        "group": {k: v for k, v in plain(group).items() if k not in ("id",)},
        "people": [
            {k: v for k, v in plain(p).items() if k not in ("id", "group_id")} for p in people
        ],
        "schedule": plain(store.schedule(group.id).meetings),
        "marks": sorted(
            (m.week, pid[m.participant_id], m.status.value) for m in store.marks(group.id)
        ),
        "held": store.held_weeks(group.id),
        "notes": sorted(
            (n.week, pid.get(n.participant_id) or "", n.text, n.version)
            for n in store.notes(group.id)
        ),
        "history": [(v.text, v.version) for v in store.note_history(group.id, 1)],
        "runs": store.load_run(group.id, 1)[0] if store.load_run(group.id, 1) else None,
        "fidelity": plain(store.fidelity(group.id)),
        "summary": sorted(
            (r.participant.preferred_name, r.attended, r.counted, r.meets_threshold, r.at_risk)
            for r in summary.rows
        ),
        "held_text": summary.held_text,
    }


def test_import_copies_everything_owned_by_the_importer(cli, clinic, data_dir):
    file = _laptop(cli, data_dir)
    with sqlite3.connect(file) as conn:
        before_audit = {
            name: conn.execute(
                "SELECT count(*) FROM audit WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM "
                "audit WHERE action = 'insert' AND (json_extract(changes, '$.group_id') = "
                "(SELECT id FROM groups WHERE name = ?) OR (tbl = 'groups' AND row_id = "
                "(SELECT id FROM groups WHERE name = ?))))",
                (name, name),
            ).fetchone()[0]
            for name in ("Tue", "Thu")
        }
    with open_store(data_dir) as laptop:
        expected = {name: _everything(laptop, name) for name in ("Tue", "Thu")}
    alice_url, bob_url = clinic.add("alice"), clinic.add("bob")
    alice = clinic.login("alice")

    done = cli("--database", alice_url, "clinic", "import", str(file))
    assert done.code == 0, done.err
    assert done.out.startswith("imported 2 group(s) ('Tue', 'Thu')")
    assert "4 participants" in done.out and "audit rows" in done.out
    with Store(alice_url) as server:
        for name in ("Tue", "Thu"):
            assert _everything(server, name) == expected[name], name
        log = server.audit_log(10_000, group_id=server.find_group("Tue").id)
    # the importer facilitates what was imported; nobody else sees it
    with psycopg.connect(clinic.owner_url, autocommit=True) as conn:
        assert {r for (r,) in conn.execute("SELECT DISTINCT login FROM group_logins")} == {alice}
        imported = conn.execute(
            "SELECT g.name, count(*) FROM audit a JOIN groups g ON g.id = a.group_id "
            "WHERE a.origin IS NOT NULL GROUP BY g.name"
        ).fetchall()
        actors = {r for (r,) in conn.execute("SELECT DISTINCT actor FROM audit")}
    assert dict(imported) == before_audit
    assert actors == {alice}  # every row, imported or new, was written by the importer
    with Store(bob_url) as bob:
        assert bob.groups() == []
    # the audit history: original actor and time, marked as imported by the login
    old = [r for r in log if "(imported by " in r["actor"]]
    assert len(old) == before_audit["Tue"]
    assert all(r["actor"].endswith(f"(imported by {alice})") for r in old)
    with open_store(data_dir) as laptop:
        original = laptop.audit_log(10_000, group_id=laptop.find_group("Tue").id)

    def story(row: dict, actor: str) -> tuple:
        return (
            row["at"],
            actor,
            row["tbl"],
            row["action"],
            json.dumps(json.loads(row["changes"]), sort_keys=True),
        )

    suffix = f" (imported by {alice})"
    assert sorted(story(r, r["actor"]) for r in original) == sorted(
        story(r, r["actor"].removesuffix(suffix)) for r in old
    )
    assert {r["tbl"] for r in old} >= {"groups", "participants", "marks", "group_notes"}
    shown = cli("--database", alice_url, "audit", "Tue", "--limit", "500")
    assert shown.code == 0 and f"(imported by {alice})" in shown.out
    assert "Ada" not in shown.out  # names never enter the log, imported or not


def test_a_second_import_and_foreign_files_are_refused_on_one_line(cli, clinic, data_dir, tmp_path):
    file = _laptop(cli, data_dir)
    alice_url, bob_url = clinic.add("alice"), clinic.add("bob")
    assert cli("--database", alice_url, "clinic", "import", str(file)).code == 0
    with psycopg.connect(clinic.owner_url, autocommit=True) as conn:
        counted = conn.execute("SELECT count(*) FROM participants").fetchone()
    for url in (alice_url, bob_url):  # Bob cannot see Alice's import, and is refused too
        again = cli("--database", url, "clinic", "import", str(file))
        assert again.code == 2 and len(again.err.strip().splitlines()) == 1
        assert "already in the clinic database" in again.err
        assert "nothing was imported" in again.err
    with psycopg.connect(clinic.owner_url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM participants").fetchone() == counted
    # another laptop's group of the same name (another calendar id): rename first
    other_laptop = tmp_path / "other-laptop"
    assert (
        cli("--data-dir", str(other_laptop), "group", "create", "Tue", *WEEKLY, "--tz", "UTC").code
        == 0
    )
    same_name = cli(
        "--database", bob_url, "clinic", "import", str(other_laptop / "facilitator.sqlite3")
    )
    assert same_name.code == 2 and "a group named 'Tue' is already" in same_name.err
    assert "rename" in same_name.err and len(same_name.err.strip().splitlines()) == 1
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id integer)")
    for wrong in (text, other, tmp_path / "missing.sqlite3"):
        result = cli("--database", bob_url, "clinic", "import", str(wrong))
        assert result.code == 2, result.err
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and str(wrong) in lines[0], result.err
        assert "copy" not in lines[0] and "facilitator-import-" not in lines[0]
    with Store(bob_url) as bob:
        assert bob.groups() == []
