"""Benchmarks: ``python -m benchmarks [NAME...]`` (``make bench``) prints median, min and max.

Each module ``benchmarks/bench_*.py`` defines ``BENCHMARKS``, a list of :class:`Bench`.
"""
