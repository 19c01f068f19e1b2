"""The engine that runs SOPs: one object, every operation, no Telegram.

The Telegram layer calls it through ``asyncio.to_thread``: every method is synchronous,
opens its own short transaction, and returns frozen views. Build it from the settings
with :meth:`SopEngine.from_settings`, or by hand in tests (a fake clock, a 24/7 calendar).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.engine.delegations import DelegationsMixin
from bot.engine.cards import CardsMixin
from bot.engine.lookups import LookupsMixin
from bot.engine.outbox import OutboxMixin
from bot.engine.people import PeopleMixin
from bot.engine.ports import SopSource, WorkingCalendar
from bot.engine.queries import QueriesMixin
from bot.engine.roles import RolesMixin
from bot.engine.snapshot import SnapshotMixin
from bot.engine.tasks import TasksMixin
from bot.engine.undo import UndoMixin
from storage.db import Database
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.config import Settings


class SopEngine(
    TasksMixin, UndoMixin, RolesMixin, DelegationsMixin, PeopleMixin, QueriesMixin, LookupsMixin, SnapshotMixin,
    OutboxMixin, CardsMixin,
):
    """Runs SOPs step by step; see the mixins for the operations, grouped by subject."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        db: Database | None = None,
        sops: SopSource | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> SopEngine:
        """The production wiring: configured database, the catalogue (seeded from the SOP
        folder), office hours, holidays, nags."""
        from bot.catalog.source import DbCatalog
        from bot.domain.nag_policy import NagPolicy
        from bot.sop.loader import load_directory
        from bot.domain.working_calendar import calendar_for

        hours = settings.office_schedule()
        extra = tuple(settings.extra_holidays)

        def calendars(tz: str) -> WorkingCalendar:
            return calendar_for(tz, hours=hours, extra_holidays=extra)

        database = db if db is not None else Database.from_settings(settings)
        engine = cls(
            database,
            sops if sops is not None else DbCatalog(database, lambda: load_directory(settings.sop_dir), clock),
            clock=clock,
            calendar_for=calendars,
            undo_window=timedelta(minutes=settings.undo_window_minutes),
            strict_role_claims=settings.strict_role_claims,
            default_timezone=settings.default_timezone,
            nag_policy=NagPolicy(settings.nag_interval_minutes, settings.early_reminder_minutes),
        )
        engine.delegation_max_days = settings.delegation_max_days
        return engine
