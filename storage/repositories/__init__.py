"""Repositories: the only place with SQL.

Each module serves one subject and hands back plain results (frozen dataclasses or
detached rows), so the use cases and the pure computations above never build a query.
"""
