"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, a Unix socket
in that folder, no TCP, trust authentication for local sockets, fsync on.

The server runs as an unprivileged user: the current one, or (the tests run as root in CI, and
PostgreSQL refuses to run as root) the ``postgres`` system user that Debian's package creates,
through ``runuser``. A watchdog process stops the server and removes the folder when the test
process ends in any way (kill -9 included): it waits on a pipe only the test process holds, so
no cluster outlives the run. Clusters whose watchdog died too are swept by the next run.

Used by the fixtures in tests/conftest.py (``pg_cluster``, ``pg_url``, ``pg_empty_url``) and by
the benchmarks (benchmarks/bench_clinic.py), which may not import from tests/.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

PREFIX = "facilitator-pg-"
SUPERUSER = "postgres"
"""The cluster's bootstrap superuser (the database owner in the tests)."""
TEMPLATE = "facilitator_template"
INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package "
    "'postgresql' (.ci/install-system-deps does)"
)

_WATCHDOG = r"""
import os, shutil, subprocess, sys
pid_user, bindir, data, folder = sys.argv[1:5]
sys.stdin.buffer.read()  # EOF: the test process closed the pipe or died
prefix = ["runuser", "-u", pid_user, "--"] if pid_user else []
if os.path.exists(os.path.join(data, "postmaster.pid")):
    subprocess.run(prefix + [os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate",
                   "-w", "-t", "30", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
shutil.rmtree(folder, ignore_errors=True)
"""


def find_bindir() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian's /usr/lib/postgresql/N/bin, else
    initdb on PATH), or None."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        version = Path(initdb).parent.parent.name
        if version.isdigit():
            found.append((int(version), Path(initdb).parent))
    if found:
        return max(found)[1]
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    return None


def _run_as() -> str:
    """The user to run the server as: '' for the current user, else 'postgres' (as root)."""
    if os.geteuid() != 0:
        return ""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "the tests run as root and there is no 'postgres' user to run the server as "
            "(install the Debian package 'postgresql', which creates it)"
        ) from None
    return "postgres"


class Cluster:
    """One running cluster; :meth:`url` names a database in it."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = _run_as()
        sweep_orphans()
        # Directly under the system temporary folder (sticky, world-traversable): pytest's own
        # folders are 0700 root, which the postgres user cannot enter; and a Unix socket path
        # must stay under ~100 bytes.
        self.folder = Path(
            tempfile.mkdtemp(prefix=PREFIX, dir="/tmp" if Path("/tmp").is_dir() else None)
        )
        self.data = self.folder / "data"
        self.socket_dir = self.folder
        self.log = self.folder / "server.log"
        (self.folder / "owner.pid").write_text(str(os.getpid()))
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.folder.chmod(0o700)
        self._watchdog = subprocess.Popen(
            [
                sys.executable,
                "-c",
                _WATCHDOG,
                self.user,
                str(bindir),
                str(self.data),
                str(self.folder),
            ],
            stdin=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C to the test run reaches the watchdog via EOF only
        )
        self._names = itertools.count(1)
        try:
            self._init()
            self._start()
        except BaseException:
            self.stop()
            raise

    def _cmd(self, *args: str) -> list[str]:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return [*prefix, *args]

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            self._cmd(*args), capture_output=True, text=True, cwd=self.folder, check=False
        )
        if done.returncode:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr.strip()} {log}")

    def _init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "--auth=trust",
            f"--username={SUPERUSER}",
            "--encoding=UTF8",
            "--no-locale",
            "--no-instructions",
            "--no-sync",  # the cluster is thrown away; the server itself runs with fsync on
        )
        settings = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{self.socket_dir}'",
            "unix_socket_permissions": "0700" if not self.user else "0777",
            "fsync": "on",
            "synchronous_commit": "on",
            "max_connections": "200",
            "shared_buffers": "32MB",
            "log_min_messages": "warning",
            "log_min_error_statement": "panic",
        }
        conf = self.data / "postgresql.conf"
        with open(conf, "a", encoding="utf-8") as handle:
            handle.write("\n# the test suite's throwaway cluster\n")
            handle.writelines(f"{k} = {v}\n" for k, v in settings.items())

    def _start(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )

    def restart(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: as after a crash, recovery on start) and start it
        again; clients' connections are cut."""
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"
        )
        self._start()

    def stop_server(self, mode: str = "immediate") -> None:
        """Stop the server only (start it again with :meth:`start`)."""
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"
        )

    def start(self) -> None:
        """Start a stopped server again."""
        self._start()

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq URL for ``database`` through the cluster's socket (no password)."""
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{quote(user)}@/{quote(database)}?host={host}"

    def new_name(self) -> str:
        """A database name not used yet in this cluster."""
        return f"test_{os.getpid()}_{next(self._names)}"

    def admin(self, *statements: str) -> None:
        """Run statements as the superuser in the ``postgres`` database (autocommit)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def stop(self) -> None:
        """Stop the server (fast), then let the watchdog remove the folder."""
        with contextlib.suppress(Exception):
            if (self.data / "postmaster.pid").exists():
                subprocess.run(
                    self._cmd(
                        str(self.bindir / "pg_ctl"),
                        "-D",
                        str(self.data),
                        "-m",
                        "fast",
                        "-w",
                        "-t",
                        "60",
                        "stop",
                    ),
                    capture_output=True,
                    check=False,
                )
        watchdog = self._watchdog
        if watchdog.stdin and not watchdog.stdin.closed:
            watchdog.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watchdog.wait(timeout=60)


def sweep_orphans() -> list[Path]:
    """Stop and remove clusters of test runs that died with their watchdog (both killed)."""
    swept = []
    base = Path("/tmp") if Path("/tmp").is_dir() else Path(tempfile.gettempdir())
    for folder in base.glob(f"{PREFIX}*"):
        try:
            owner = int((folder / "owner.pid").read_text())
        except (OSError, ValueError):
            if time.time() - folder.stat().st_mtime < 3600:
                continue  # being set up right now
            owner = 0
        if owner and _alive(owner):
            continue
        pid_file = folder / "data" / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            postmaster = int(pid_file.read_text().split()[0])
            os.kill(postmaster, signal.SIGQUIT)  # immediate shutdown
        shutil.rmtree(folder, ignore_errors=True)
        swept.append(folder)
    return swept


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def valid_name(name: str) -> bool:
    """Database names the fixtures make (safe to splice into CREATE/DROP DATABASE)."""
    return re.fullmatch(r"[a-z_][a-z0-9_]*", name) is not None
