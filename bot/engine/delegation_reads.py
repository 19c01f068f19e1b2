"""Reading delegations (Plh./Plt.): thin delegations to :mod:`bot.services.delegation_reads`
over :mod:`storage.repositories.delegations` — the views for /peran and the request
message, the hand-back digest, the substitute named by @username, and the scheduler's
next moment."""

from __future__ import annotations

from datetime import datetime

from bot.engine.core import EngineCore
from bot.engine.delegation_views import DelegationView, HandbackDigest
from bot.engine.views import UserView
from bot.services import delegation_reads as reads
from storage.models import Delegation
from storage.repositories.delegations import DelegationsRepository
from storage.unit_of_work import ReadSession


class DelegationReadsMixin(EngineCore):
    def next_delegation_change(self) -> datetime | None:
        return self.read(lambda s: DelegationsRepository(s).next_change())

    # -- reads ----------------------------------------------------------------------------
    def delegations(self, run_id: int) -> list[DelegationView]:
        """The run's pending and accepted delegations (for /peran)."""
        now = self.now()
        return self.read(lambda s: reads.live(self, DelegationsRepository(s), run_id, now))

    def get_delegation(self, delegation_id: int) -> DelegationView:
        return self.read(lambda s: reads.one(self, DelegationsRepository(s), delegation_id))

    def handback_digest(self, delegation_id: int) -> HandbackDigest:
        """The role's steps completed during the period, and the task now back with the holder."""
        return self.read(lambda s: reads.handback_digest(self, DelegationsRepository(s), delegation_id, self.now()))

    def delegation_view(self, s: ReadSession, row: Delegation) -> DelegationView:
        return reads.view(self, DelegationsRepository(s), row)

    def user_by_username(self, username: str) -> UserView | None:
        """Someone the bot has seen with this @username (case-insensitive), for `/plh ... @siti`."""
        return self.read(lambda s: reads.user_by_username(DelegationsRepository(s), username))
