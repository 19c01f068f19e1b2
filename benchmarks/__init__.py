"""Pandu's benchmarks (GitHub issue #8): `python -m benchmarks.<name> [--quick] [--db ...]`.

Each script measures the real bot (or its engine) against the Bot API emulator over
loopback, on a real database: a SQLite file, and PostgreSQL in a throw-away schema
(``bench_<pid>_<n>``) when the server answers. Targets are printed as PASS/MISS lines,
never asserted; a script exits non-zero only when it crashes. See README "Performance".
"""
