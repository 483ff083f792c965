"""A tiny benchmark harness: repeat a measurement, report median/min/max against a target."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Bench:
    """One figure. ``measure`` returns seconds for one run (it may time only part of its work)."""

    name: str
    measure: Callable[[], float]
    target: float | None = None
    """Upper bound for the median, in seconds (``None``: report only)."""
    runs: int = 7
    unit: str = "ms"
    setup: Callable[[], None] | None = None


@dataclass
class Result:
    """Median, min and max of a bench's runs."""

    bench: Bench
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ok(self) -> bool:
        return self.bench.target is None or self.median <= self.bench.target

    def line(self) -> str:
        scale = 1000.0 if self.bench.unit == "ms" else 1.0
        fmt = lambda s: f"{s * scale:9.2f}"  # noqa: E731
        target = (
            f"target <= {self.bench.target * scale:.2f} {self.bench.unit}"
            if self.bench.target is not None
            else "no target"
        )
        verdict = "" if self.bench.target is None else ("  OK" if self.ok else "  SLOW")
        return (
            f"{self.bench.name:<58} median {fmt(self.median)} min {fmt(min(self.samples))} "
            f"max {fmt(max(self.samples))} {self.bench.unit}  ({target}, n={len(self.samples)})"
            f"{verdict}"
        )


def scratch_dir(prefix: str) -> Path:
    """A temporary folder that is removed when the benchmark run ends."""
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=f"facilitator-bench-{prefix}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def run(bench: Bench) -> Result:
    """Run one bench ``bench.runs`` times after one warm-up."""
    if bench.setup:
        bench.setup()
    bench.measure()  # warm-up (file cache, imports of the harness itself)
    return Result(bench, [bench.measure() for _ in range(bench.runs)])


def time_command(
    *args: str, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)
) -> float:
    """Seconds a fresh process takes to run ``args`` (a cold CLI start)."""
    full_env = {**os.environ, **(env or {})}
    start = time.perf_counter()
    proc = subprocess.run(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=full_env, cwd=ROOT, check=False
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {proc.stderr[-500:]!r}")
    return elapsed


def facilitator_cmd(*args: str) -> tuple[str, ...]:
    """The console script in the venv running the benchmarks."""
    return (str(Path(sys.executable).with_name("facilitator")), *args)
