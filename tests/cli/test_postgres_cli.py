"""Real commands against a PostgreSQL database, chosen by ``--database URL`` or by
``FACILITATOR_DATABASE_URL``: the same output as on the SQLite file, and nothing written there."""

from __future__ import annotations

import pytest

from tests.helpers import Run, one_line_error, run_cli, run_process

WEEKLY = ("--curriculum", "example", "--start", "2026-09-01", "--time", "18:30")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    def run(*args: str) -> Run:
        return run_cli(*args)

    return run


def test_commands_with_the_database_option(cli, pg_url, data_dir):
    db = ("--database", pg_url)
    created = cli(*db, "group", "create", "Tue", *WEEKLY, "--tz", "Europe/Berlin")
    assert created.code == 0, created.err
    for name in ("Ada", "Bo"):
        assert cli(*db, "roster", "add", "Tue", name, "--initial", name[0]).code == 0
    saved = cli(*db, "attend", "Tue", "1", "--late", "Ada")
    assert saved.out.strip() == "saved week 1: 1 present, 1 late"
    matrix = cli(*db, "attendance", "Tue").out
    assert "Ada A." in matrix and "Bo B." in matrix and " L " in f" {matrix} "
    assert "version 1" in cli(*db, "note", "Tue", "1", "Good start").out
    assert "version 2" in cli(*db, "note", "Tue", "1", "Good start, quiet end").out
    audit = cli(*db, "audit", "Tue", "--limit", "50")
    assert audit.code == 0, audit.err
    assert "marks" in audit.out and "kept by the PostgreSQL server" in audit.out
    assert "Ada" not in audit.out
    # the SQLite file was never made: everything went to the server
    assert not (data_dir / "facilitator.sqlite3").exists()
    assert cli("group", "list").out.strip() != cli(*db, "group", "list").out.strip()


def test_commands_with_the_environment_in_a_fresh_process(pg_url, data_dir):
    env = {"FACILITATOR_DATABASE_URL": pg_url, "FACILITATOR_DATA_DIR": str(data_dir)}
    created = run_process("group", "create", "Wed", *WEEKLY, "--tz", "UTC", env=env)
    assert created.code == 0, created.err
    assert run_process("roster", "add", "Wed", "Cy", env=env).code == 0
    assert run_process("attend", "Wed", "1", "--absent", "Cy", env=env).code == 0
    shown = run_process("attendance", "Wed", env=env)
    assert shown.code == 0 and "Cy" in shown.out
    assert not (data_dir / "facilitator.sqlite3").exists()


def test_backup_on_postgres_explains_pg_dump(cli, pg_url, tmp_path):
    result = cli("--database", pg_url, "backup", str(tmp_path / "clinic.dump"))
    line = one_line_error(result, "pg_dump", "--format=custom", "clinic.dump")
    assert pg_url.rpartition("/")[2].partition("?")[0] in line  # the database's name
    assert not (tmp_path / "clinic.dump").exists()


def test_bad_and_unreachable_urls_exit_2_on_one_line(cli, tmp_path):
    one_line_error(cli("--database", "mysql://x/y", "group", "list"), "not understood")
    nowhere = f"postgresql://sam:topsecret@/clinic?host={tmp_path}"
    line = one_line_error(cli("--database", nowhere, "group", "list"), "cannot connect", "clinic")
    assert "topsecret" not in line


def test_the_database_setting_is_read(cli, pg_url, data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.toml").write_text(f'database_url = "{pg_url}"\n', encoding="utf-8")
    assert cli("group", "create", "Thu", *WEEKLY, "--tz", "UTC").code == 0
    assert "Thu" in cli("--database", pg_url, "group", "list").out
    assert not (data_dir / "facilitator.sqlite3").exists()
