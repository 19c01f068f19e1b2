"""Fixtures shared by the storage and engine tests (see tests/db_fixtures.py)."""

from db_fixtures import *  # noqa: F403
