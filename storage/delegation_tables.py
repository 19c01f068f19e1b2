"""The Plh./Plt. table: delegations of a run's role to a substitute (see
:mod:`bot.domain.delegation` and :mod:`bot.services.delegations`); the cards sent to
substitutes are :class:`storage.conversation_models.TaskCard` rows naming the delegation.
:mod:`storage.models` re-exports them; migration 0005 creates them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index
from sqlmodel import Field

from storage.base import Base, timestamp, user_fk

#: A delegation's statuses: the values of :class:`bot.domain.delegation.Status`, which the
#: engine uses (the pure rules cannot import this module; a test checks the two agree).
DELEGATION_STATUSES = ("pending", "accepted", "declined", "cancelled", "expired", "ended")


class Delegation(Base, table=True):
    """A substitute (Plh./Plt.) acting for one role of a run for a period, once accepted.

    The period is ``[starts_at, ends_at)`` in UTC (``ends_at`` None: a Plt., open-ended).
    Who acts at an instant follows from the rows alone (:mod:`bot.domain.delegation`); the
    scheduler only carries out the side effects of a period beginning or ending (cards,
    the hand-back digest) at ``next_change_at``, each claimed by a conditional UPDATE so
    that two processes carry it out once.
    """

    __tablename__ = "delegations"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(v) for v in DELEGATION_STATUSES)})", name="status"),
        CheckConstraint("kind IN ('plh', 'plt')", name="kind"),
        Index(None, "run_id", "role_key", "status"),
        Index(None, "next_change_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    role_key: str = Field(max_length=32)
    kind: str = Field(max_length=8)
    #: The holder when it was asked (None for a Plt.: the role was vacant).
    holder_id: int | None = user_fk()
    substitute_id: int = user_fk(nullable=False)
    requested_by: int = user_fk(nullable=False)
    reason: str | None = None
    status: str = Field(max_length=16)
    #: The days as asked (ISO dates, the group's calendar), for display.
    first_day: str | None = Field(default=None, max_length=10)
    last_day: str | None = Field(default=None, max_length=10)
    starts_at: datetime = timestamp(nullable=False)
    ends_at: datetime | None = timestamp()
    accept_by: datetime | None = timestamp()
    requested_at: datetime = timestamp(nullable=False)
    accepted_at: datetime | None = timestamp()
    #: The beginning's side effects (the current task's card to the substitute) are done.
    begun: bool = Field(default=False)
    ended_at: datetime | None = timestamp()
    ended_by: int | None = user_fk()
    #: When the scheduler must next carry out a beginning or an end; None: nothing left.
    next_change_at: datetime | None = timestamp()
