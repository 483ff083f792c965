"""Live meeting runs: the runner's state after every transition, and the fidelity record."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from facilitator.store.db import Database
from facilitator.store.retry import retried


class RunsMixin:
    """Save and resume live runs; report planned vs actual per meeting."""

    db: Database

    @retried
    def save_run(
        self,
        group_id: int,
        week: int,
        record: dict[str, Any],
        *,
        saved_at: datetime,
        finished: bool = False,
    ) -> None:
        """Save the runner's state for one meeting (one transaction per transition).

        ``saved_at`` (aware wall time) lets a resumed run add the time that passed meanwhile.
        """
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO meeting_runs (group_id, week, record, finished, saved_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (group_id, week) DO UPDATE SET "
                "record = excluded.record, finished = excluded.finished, "
                "saved_at = excluded.saved_at",
                (
                    group_id,
                    week,
                    json.dumps(record, ensure_ascii=False),
                    int(finished),
                    saved_at.isoformat(),
                ),
            )

    def load_run(self, group_id: int, week: int) -> tuple[dict[str, Any], datetime] | None:
        """The saved state of a meeting's run and when it was saved, or None."""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT record, saved_at FROM meeting_runs WHERE group_id = ? AND week = ?",
                (group_id, week),
            ).fetchone()
        if row is None:
            return None
        return json.loads(row[0]), datetime.fromisoformat(row[1])

    def open_runs(self, group_id: int) -> list[tuple[int, datetime]]:
        """(week, saved at) of each run not finished yet, most recently saved first."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT week, saved_at FROM meeting_runs WHERE group_id = ? AND finished = 0 "
                "ORDER BY saved_at DESC",
                (group_id,),
            ).fetchall()
        return [(week, datetime.fromisoformat(at)) for week, at in rows]

    def run_notes(self, group_id: int) -> dict[int, list[str]]:
        """For each week with a run: the quick notes taken during it, in order."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT week, record FROM meeting_runs WHERE group_id = ? ORDER BY week",
                (group_id,),
            ).fetchall()
        return {week: list(json.loads(text).get("notes", [])) for week, text in rows}

    def fidelity(self, group_id: int) -> dict[int, list[tuple[str, float, float, str]]]:
        """For each week with a run: (item, planned min, actual min, state) per agenda item."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT week, record FROM meeting_runs WHERE group_id = ? ORDER BY week",
                (group_id,),
            ).fetchall()
        result = {}
        for week, text in rows:
            record = json.loads(text)
            result[week] = [
                (i["title"], i["planned"] / 60, i["actual"] / 60, i["state"])
                for i in record["items"]
            ]
        return result
