"""Persistence: tables, units of work and migrations. Knows nothing of Telegram."""

from storage.db import Database, make_engine
from storage.migrate import current, head, upgrade

__all__ = ["Database", "current", "head", "make_engine", "upgrade"]
