"""The throwaway cluster the PostgreSQL tests use: no TCP, a private socket folder, and no
server left running when the test process dies (kill -9 included)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]

STARTER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from tests.pg_cluster import Cluster, find_bindir
cluster = Cluster(find_bindir())
print(cluster.folder, flush=True)
time.sleep(600)
"""


def test_no_tcp_a_private_socket_and_fsync(pg_cluster):
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        settings = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN "
                "('listen_addresses', 'fsync', 'unix_socket_directories')"
            ).fetchall()
        )
        assert conn.execute("SELECT inet_server_addr()").fetchone()[0] is None  # a socket
    assert settings["listen_addresses"] == "" and settings["fsync"] == "on"
    assert settings["unix_socket_directories"] == str(pg_cluster.socket_dir)
    assert (pg_cluster.folder.stat().st_mode & 0o777) == 0o700


@pytest.mark.slow
def test_a_killed_test_process_leaves_no_server_behind(pg_cluster):
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    assert starter.stdout is not None
    folder = Path(starter.stdout.readline().strip())
    pid_file = folder / "data" / "postmaster.pid"
    postmaster = int(pid_file.read_text().split()[0])
    os.kill(starter.pid, signal.SIGKILL)
    starter.wait()
    give_up = time.monotonic() + 120  # a bound, not a speed requirement
    while (folder.exists() or _alive(postmaster)) and time.monotonic() < give_up:
        time.sleep(0.1)
    assert not _alive(postmaster), "the server outlived the test process"
    assert not folder.exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped by its parent) is not running
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"
