"""The rules of Plh. (Pelaksana Harian) and Plt. (Pelaksana Tugas), free of any framework.

An official on leave or on an official trip is replaced for those days by a Plh.; a
vacant post is filled by a Plt. until someone holds it. Everything that decides *who*
acts is here, so it can be read and tested without a database:

* who may ask for a substitute (the rule itself is in :mod:`bot.domain.permissions`),
* which periods are valid (not in the past, at most ``max_days`` long, not overlapping
  another substitute of the same role),
* the period itself on the group's calendar: from the start day's opening (or now) to the
  start of the first working day after the inclusive end date — a Friday end hands back
  on Monday at opening time,
* who the effective actor of a role is at an instant.

The period is half-open, ``[starts_at, ends_at)``, in UTC; ``ends_at`` is None for a Plt.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.domain import permissions

#: How long a substitute has to press "accept" (capped by the period's end).
ACCEPT_WINDOW = timedelta(hours=24)
#: How far ahead a period may start.
PLAN_AHEAD = timedelta(days=366)


class Kind(StrEnum):
    PLH = "plh"
    PLT = "plt"


class Status(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    ENDED = "ended"


class Calendar(Protocol):
    """The one operation of a working calendar the period needs."""

    def add_working_minutes(self, start: datetime, minutes: int | float) -> datetime: ...


class Refused(Exception):
    """A request the rules turn down; ``code`` names why (a catalog message per code)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Cover:
    """One delegation as the rules see it."""

    id: int
    role_key: str
    kind: Kind
    holder_id: int | None
    substitute_id: int
    status: Status
    starts_at: datetime
    ends_at: datetime | None
    accept_by: datetime | None = None

    def in_force(self, at: datetime) -> bool:
        """Accepted, and `at` falls in its period: the substitute acts for the role."""
        return (
            self.status == Status.ACCEPTED
            and self.starts_at <= at
            and (self.ends_at is None or at < self.ends_at)
        )

    def live(self, at: datetime) -> bool:
        """Still counts against a new request: accepted and not over, or awaiting an answer."""
        if self.status == Status.ACCEPTED:
            return self.ends_at is None or at < self.ends_at
        if self.status == Status.PENDING:
            return self.accept_by is None or at < self.accept_by
        return False

    def overlaps(self, starts_at: datetime, ends_at: datetime | None) -> bool:
        return (self.ends_at is None or starts_at < self.ends_at) and (ends_at is None or self.starts_at < ends_at)


@dataclass(frozen=True)
class Request:
    """Someone asks that `substitute_id` act for `role_key` (of one run)."""

    kind: Kind
    role_key: str
    requester_id: int
    substitute_id: int
    #: The role's holder now (None: vacant), and the run's coordinator.
    holder_id: int | None
    coordinator_id: int
    external: bool = False
    reason: str | None = None
    first_day: date | None = None
    last_day: date | None = None


def meaningful(text: str | None) -> bool:
    """A reason counts only if a letter or digit is left once blanks and invisible format
    characters (zero-width spaces, direction marks: Unicode category Cf) are removed."""
    if not text:
        return False
    return any(ch.isalnum() for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo, calendar: Calendar) -> datetime:
    """The first working moment at or after local midnight of `day`."""
    return calendar.add_working_minutes(datetime.combine(day, time(0), tzinfo=tz), 0)


def period(
    first_day: date | None, last_day: date | None, now: datetime, tz: ZoneInfo, calendar: Calendar
) -> tuple[datetime, datetime | None]:
    """[starts_at, ends_at): from the first day's opening (or now), to the opening of the
    first working day after `last_day` (None: open-ended, a Plt.)."""
    starts = now if first_day is None else max(now, day_start(first_day, tz, calendar))
    ends = None if last_day is None else day_start(last_day + timedelta(days=1), tz, calendar)
    return starts, ends


def check_request(
    request: Request, *, today: date, max_days: int, others: Iterable[Cover], now: datetime,
    tz: ZoneInfo, calendar: Calendar,
) -> tuple[datetime, datetime | None]:
    """The request's period, [starts_at, ends_at); raises :class:`Refused` unless it may be
    put to the substitute. The days are checked before any instant is computed from them,
    so an absurd date (year 9999) is a refusal, not an overflow."""
    r = request
    if r.external:
        raise Refused("external")
    if r.kind == Kind.PLH and r.holder_id is None:
        raise Refused("vacant")
    if r.kind == Kind.PLT and r.holder_id is not None:
        raise Refused("held", holder_id=r.holder_id)
    who = permissions.substitute_request_refusal(
        r.kind == Kind.PLT, r.requester_id, r.holder_id, r.coordinator_id, meaningful(r.reason))
    if who is not None:
        raise Refused(who[0], **who[1])
    if r.kind == Kind.PLH:
        if r.substitute_id == r.holder_id:
            raise Refused("self")
        if r.last_day is None:
            raise Refused("end_required")
    first = r.first_day or today
    if first < today or (r.last_day is not None and r.last_day < today):
        raise Refused("past")
    if first > today + PLAN_AHEAD:
        raise Refused("too_far", days=PLAN_AHEAD.days)
    if r.last_day is not None:
        if r.last_day < first:
            raise Refused("order")
        days = (r.last_day - first).days + 1
        if days > max_days:
            raise Refused("too_long", days=days, max_days=max_days)
    starts_at, ends_at = period(r.first_day, r.last_day, now, tz, calendar)
    if ends_at is not None and ends_at <= starts_at:
        raise Refused("past")
    for other in others:
        if other.role_key == r.role_key and other.live(now) and other.overlaps(starts_at, ends_at):
            raise Refused("overlap", substitute_id=other.substitute_id, ends_at=other.ends_at)
    return starts_at, ends_at


def check_accept(cover: Cover, user_id: int, now: datetime, holder_id: int | None, others: Iterable[Cover]) -> None:
    """Raise :class:`Refused` unless `user_id` may accept `cover` now."""
    if user_id != cover.substitute_id:
        raise Refused("not_substitute", substitute_id=cover.substitute_id)
    if cover.status != Status.PENDING:
        raise Refused("not_pending", status=str(cover.status))
    if cover.accept_by is not None and now >= cover.accept_by:
        raise Refused("expired")
    if cover.ends_at is not None and now >= cover.ends_at:
        raise Refused("expired")
    if holder_id != cover.holder_id:
        raise Refused("holder_changed")
    for other in others:
        if other.id != cover.id and other.role_key == cover.role_key and other.status == Status.ACCEPTED \
                and other.live(now) and other.overlaps(max(now, cover.starts_at), cover.ends_at):
            raise Refused("overlap", substitute_id=other.substitute_id, ends_at=other.ends_at)


def may_end(cover: Cover, user_id: int, coordinator_id: int) -> bool:
    """Who may end (or withdraw) a delegation: see :func:`bot.domain.permissions.may_end_delegation`."""
    return permissions.may_end_delegation(user_id, cover.holder_id, cover.substitute_id, coordinator_id)


def accept_deadline(requested_at: datetime, ends_at: datetime | None) -> datetime:
    found = requested_at + ACCEPT_WINDOW
    return found if ends_at is None else min(found, ends_at)


def in_force(covers: Iterable[Cover], at: datetime) -> dict[str, Cover]:
    """The delegation in force per role at `at` (at most one: periods never overlap)."""
    return {c.role_key: c for c in covers if c.in_force(at)}


def effective_holders(holders: Mapping[str, int], covers: Iterable[Cover], at: datetime) -> dict[str, int]:
    """Role → who acts for it at `at`: the substitute while a delegation is in force, else the holder."""
    result = dict(holders)
    for role_key, cover in in_force(covers, at).items():
        result[role_key] = cover.substitute_id
    return result


def may_act(user_id: int, holder_id: int | None, cover: Cover | None) -> bool:
    """The substitute acts; the holder on leave may still act (:func:`bot.domain.permissions.may_act`)."""
    return permissions.may_act(user_id, holder_id, cover.substitute_id if cover is not None else None)


def acting_as(user_id: int, holder_id: int | None, cover: Cover | None) -> Kind | None:
    """How a confirmation by `user_id` is recorded: as Plh./Plt., or (None) in their own right."""
    if cover is not None and user_id == cover.substitute_id and user_id != holder_id:
        return cover.kind
    return None
