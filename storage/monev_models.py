"""Monev's tables: the actors' evaluation questionnaires, the supervisor's own actions and
the sign-offs that freeze a period (Permenpan RB 35/2012's monitoring and evaluation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, UniqueConstraint
from sqlmodel import Field

from storage.base import Base, _ts, _user_fk


class MonevEvaluation(Base, table=True):
    """One actor's evaluation questionnaire of one finished run (Permenpan RB 35/2012's
    "Evaluasi penerapan SOP AP"): invited once per (run, person), changeable until the
    period is signed off. ``answers`` maps a criterion key to true (Ya) or false (Tidak)."""

    __tablename__ = "monev_evaluations"
    __table_args__ = (UniqueConstraint("run_id", "user_id"), Index(None, "chat_id", "sop_id"))

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="runs.id")
    user_id: int = _user_fk(nullable=False)
    chat_id: int = Field(sa_type=BigInteger, foreign_key="chats.id")
    sop_id: str = Field(max_length=48)
    answers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    note: str | None = None
    created_at: datetime = _ts(nullable=False)
    #: When the questionnaire reached the person (None: not yet; a claim is `claimed_until`).
    sent_at: datetime | None = _ts()
    claimed_until: datetime | None = _ts()
    attempts: int = Field(default=0)
    #: Given up (the person blocked the bot): never tried again, never nagged.
    abandoned_at: datetime | None = _ts()
    updated_at: datetime | None = _ts()


class MonevAction(Base, table=True):
    """The supervisor's own "Tindakan yang harus diambil" for one SOP of a group's period,
    replacing the one Pandu proposes from the facts (until the period is signed off)."""

    __tablename__ = "monev_actions"
    __table_args__ = (UniqueConstraint("chat_id", "period", "sop_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, foreign_key="chats.id")
    period: str = Field(max_length=32)
    sop_id: str = Field(max_length=48)
    text: str
    set_by: int = _user_fk(nullable=False)
    set_at: datetime = _ts(nullable=False)


class MonevSignoff(Base, table=True):
    """The supervisor's paraf on a group's monev of one period, with the figures as they
    stood then: a later run or answer never changes a signed-off form."""

    __tablename__ = "monev_signoffs"
    __table_args__ = (UniqueConstraint("chat_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, foreign_key="chats.id")
    period: str = Field(max_length=32)
    signed_by: int = _user_fk(nullable=False)
    signed_at: datetime = _ts(nullable=False)
    snapshot: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
