"""Tools for developing facilitator, shared by the test suite and the benchmarks (never shipped
in the wheel): ``pg_cluster``, a throwaway PostgreSQL cluster."""
