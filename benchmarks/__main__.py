"""Run every benchmark module (or those named on the command line) and print the figures."""

from __future__ import annotations

import compileall
import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks.harness import run


def main(names: list[str]) -> int:
    folder = Path(__file__).parent
    # Cold-process figures are for a normal start, with the bytecode cache written as on every
    # run after the first (the cache is never written when PYTHONDONTWRITEBYTECODE is set).
    compileall.compile_dir(folder.parent / "facilitator", quiet=1)
    compileall.compile_dir(folder, quiet=1)
    modules = sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )
    slow = 0
    for name in modules:
        if names and not any(n in name for n in names):
            continue
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"# {name}: {(module.__doc__ or '').strip().splitlines()[0]}")
        for bench in module.BENCHMARKS:
            result = run(bench)
            print(result.line(), flush=True)
            slow += not result.ok
    print(f"{slow} figure(s) over target" if slow else "all figures within target")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
