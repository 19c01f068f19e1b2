"""The Plh./Plt. rules without a database: who may ask, valid periods, who acts when."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import delegation as rules
from bot.delegation.parse import BadDate, read_day, read_period
from bot.domain.delegation import Cover, Kind, Refused, Request, Status
from bot.engine.ports import ContinuousCalendar
from bot.domain.working_calendar import calendar_for

WIB = ZoneInfo("Asia/Jakarta")
CAL = calendar_for("Asia/Jakarta")
HOLDER, SUB, COORD, OTHER = 1, 2, 3, 4
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=WIB)  # Wednesday
TODAY = date(2026, 12, 2)


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


def request(**kw: object) -> Request:
    base: dict[str, object] = dict(kind=Kind.PLH, role_key="kepala", requester_id=HOLDER, substitute_id=SUB,
                                   holder_id=HOLDER, coordinator_id=COORD, last_day=date(2026, 12, 4))
    base.update(kw)
    return Request(**base)  # type: ignore[arg-type]


def check(r: Request, others: tuple[Cover, ...] = (), max_days: int = 30) -> tuple[datetime, datetime | None]:
    return rules.check_request(r, today=TODAY, max_days=max_days, others=others, now=NOW, tz=WIB, calendar=CAL)


def refused(r: Request, **kw: object) -> str:
    with pytest.raises(Refused) as caught:
        check(r, **kw)  # type: ignore[arg-type]
    return caught.value.code


def cover(**kw: object) -> Cover:
    base: dict[str, object] = dict(id=9, role_key="kepala", kind=Kind.PLH, holder_id=HOLDER, substitute_id=SUB,
                                   status=Status.ACCEPTED, starts_at=wib(2026, 12, 2, 9), ends_at=wib(2026, 12, 7, 8))
    base.update(kw)
    return Cover(**base)  # type: ignore[arg-type]


# -- the period on the working calendar ----------------------------------------------------
def test_a_friday_end_date_hands_back_on_monday_at_opening() -> None:
    starts, ends = rules.period(None, date(2026, 12, 4), NOW, WIB, CAL)  # Friday 4 Dec
    assert starts == NOW and ends == wib(2026, 12, 7, 8, 0)


def test_an_end_before_a_holiday_hands_back_after_it() -> None:
    _, ends = rules.period(None, date(2026, 12, 24), NOW, WIB, CAL)  # 25 Dec Natal, 26-27 weekend
    assert ends == wib(2026, 12, 28, 8, 0)


def test_a_start_date_begins_at_that_days_opening_and_a_plt_never_ends() -> None:
    starts, ends = rules.period(date(2026, 12, 7), None, NOW, WIB, CAL)
    assert starts == wib(2026, 12, 7, 8, 0) and ends is None


def test_on_a_continuous_calendar_the_end_is_local_midnight() -> None:
    _, ends = rules.period(None, date(2026, 12, 4), NOW, WIB, ContinuousCalendar())
    assert ends == wib(2026, 12, 5, 0, 0)


# -- who may ask, and for what ---------------------------------------------------------------
def test_the_holder_may_ask_without_a_reason_and_gets_the_period() -> None:
    assert check(request()) == (NOW, wib(2026, 12, 7, 8, 0))


def test_an_absurd_year_is_refused_not_an_overflow() -> None:
    assert refused(request(last_day=date(9999, 12, 31))) == "too_long"
    assert refused(request(first_day=date(9999, 12, 31), last_day=date(9999, 12, 31))) == "too_far"
    check(request(first_day=date(2027, 12, 1), last_day=date(2027, 12, 3)))  # within a year ahead


def test_the_coordinator_needs_a_real_reason_for_an_absent_holder() -> None:
    assert refused(request(requester_id=COORD)) == "reason_required"
    assert refused(request(requester_id=COORD, reason=" \u200b\u2060\t")) == "reason_required"
    assert refused(request(requester_id=COORD, reason="\u200f!!")) == "reason_required"
    check(request(requester_id=COORD, reason="dinas luar ke Jakarta"))
    check(request(requester_id=COORD, reason="\u200b3"))


def test_someone_else_cannot_delegate_a_role_they_do_not_hold() -> None:
    assert refused(request(requester_id=OTHER)) == "not_holder"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"substitute_id": HOLDER}, "self"),
        ({"external": True}, "external"),
        ({"holder_id": None}, "vacant"),
        ({"last_day": None}, "end_required"),
        ({"last_day": date(2026, 12, 1)}, "past"),
        ({"first_day": date(2026, 12, 1)}, "past"),
        ({"first_day": date(2026, 12, 5), "last_day": date(2026, 12, 4)}, "order"),
        ({"last_day": date(2027, 1, 1)}, "too_long"),
        ({"first_day": date(2028, 1, 5), "last_day": date(2028, 1, 6)}, "too_far"),
    ],
)
def test_invalid_requests_are_refused(changes: dict[str, object], code: str) -> None:
    assert refused(request(**changes)) == code


def test_the_limit_counts_days_inclusively() -> None:
    check(request(last_day=date(2026, 12, 31)), max_days=30)  # 2..31 Dec: 30 days
    assert refused(request(last_day=date(2026, 12, 31)), max_days=29) == "too_long"


def test_a_plt_is_for_a_vacant_role_and_only_the_coordinator_asks() -> None:
    plt = dict(kind=Kind.PLT, holder_id=None, last_day=None)
    check(request(requester_id=COORD, **plt))
    assert refused(request(requester_id=OTHER, **plt)) == "not_coordinator"
    assert refused(request(requester_id=COORD, kind=Kind.PLT, holder_id=HOLDER, last_day=None)) == "held"


def test_overlapping_periods_are_refused_but_adjacent_or_dead_ones_are_not() -> None:
    assert refused(request(), others=(cover(substitute_id=OTHER),)) == "overlap"
    assert refused(request(), others=(cover(status=Status.PENDING, accept_by=NOW + timedelta(hours=1)),)) == "overlap"
    check(request(), others=(cover(status=Status.PENDING, accept_by=NOW - timedelta(minutes=1)),))
    check(request(), others=(cover(status=Status.ENDED),))
    check(request(), others=(cover(role_key="sekretaris"),))
    later = cover(starts_at=wib(2026, 12, 7, 8), ends_at=wib(2026, 12, 9, 8))  # starts when ours hands back
    check(request(), others=(later,))


# -- accepting ---------------------------------------------------------------------------------
def test_only_the_substitute_accepts_a_pending_request_in_time() -> None:
    pending = cover(status=Status.PENDING, accept_by=NOW + timedelta(hours=2))
    rules.check_accept(pending, SUB, NOW, HOLDER, ())
    for user, at, holder, code in (
        (OTHER, NOW, HOLDER, "not_substitute"),
        (SUB, NOW + timedelta(hours=2), HOLDER, "expired"),
        (SUB, NOW, OTHER, "holder_changed"),
    ):
        with pytest.raises(Refused) as caught:
            rules.check_accept(pending, user, at, holder, ())
        assert caught.value.code == code
    with pytest.raises(Refused) as caught:
        rules.check_accept(cover(), SUB, NOW, HOLDER, ())
    assert caught.value.code == "not_pending"


def test_the_accept_window_is_a_day_at_most_and_never_past_the_period() -> None:
    assert rules.accept_deadline(NOW, None) == NOW + timedelta(hours=24)
    assert rules.accept_deadline(NOW, NOW + timedelta(hours=3)) == NOW + timedelta(hours=3)


# -- who acts at an instant --------------------------------------------------------------------
def test_the_substitute_acts_for_exactly_the_period() -> None:
    c = cover()
    assert c.ends_at is not None
    holders = {"kepala": HOLDER, "staf": OTHER}
    assert rules.effective_holders(holders, [c], c.starts_at - timedelta(seconds=1)) == holders
    assert rules.effective_holders(holders, [c], c.starts_at) == {"kepala": SUB, "staf": OTHER}
    assert rules.effective_holders(holders, [c], c.ends_at - timedelta(seconds=1))["kepala"] == SUB
    assert rules.effective_holders(holders, [c], c.ends_at)["kepala"] == HOLDER
    assert rules.effective_holders(holders, [cover(status=Status.PENDING)], NOW) == holders


def test_a_plt_gives_a_vacant_role_an_actor() -> None:
    plt = cover(kind=Kind.PLT, holder_id=None, ends_at=None)
    assert rules.effective_holders({}, [plt], NOW + timedelta(days=400)) == {"kepala": SUB}


def test_both_may_act_and_only_the_substitute_is_recorded_as_plh() -> None:
    c = cover()
    assert rules.may_act(SUB, HOLDER, c) and rules.may_act(HOLDER, HOLDER, c)
    assert not rules.may_act(OTHER, HOLDER, c) and not rules.may_act(SUB, HOLDER, None)
    assert rules.acting_as(SUB, HOLDER, c) == Kind.PLH
    assert rules.acting_as(HOLDER, HOLDER, c) is None
    assert rules.may_end(c, COORD, COORD) and not rules.may_end(c, OTHER, COORD)


def test_the_rules_statuses_are_the_tables_statuses() -> None:
    from storage.models import DELEGATION_STATUSES

    assert [s.value for s in Status] == list(DELEGATION_STATUSES)


def test_the_rules_import_no_framework() -> None:
    import bot.delegation.parse as parse_module

    for module in (rules, parse_module):
        source = open(module.__file__ or "").read()
        for banned in ("telegram", "sqlalchemy", "sqlmodel", "handlers"):
            assert f"import {banned}" not in source and f"from {banned}" not in source


# -- reading dates ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("words", "expected", "used"),
    [
        (["7", "Des"], date(2026, 12, 7), 2),
        (["7", "desember", "2026"], date(2026, 12, 7), 3),
        (["5", "Jan"], date(2027, 1, 5), 2),
        (["1", "Des"], date(2027, 12, 1), 2),  # yesterday: the next one
        (["7/12"], date(2026, 12, 7), 1),
        (["07-12-2026"], date(2026, 12, 7), 1),
        (["2026-12-07"], date(2026, 12, 7), 1),
        (["7", "Dec"], date(2026, 12, 7), 2),
    ],
)
def test_dates_as_people_type_them(words: list[str], expected: date, used: int) -> None:
    assert read_day(words, TODAY) == (expected, used)


@pytest.mark.parametrize("words", [["31", "Feb"], ["kemarin"], ["32/12"], []])
def test_not_a_date(words: list[str]) -> None:
    with pytest.raises(BadDate):
        read_day(words, TODAY)


def test_a_period_with_start_end_and_reason() -> None:
    found = read_period("mulai 3 Des sampai 7 Des cuti tahunan".split(), TODAY)
    assert (found.first_day, found.last_day, found.reason) == (date(2026, 12, 3), date(2026, 12, 7), "cuti tahunan")
    found = read_period("s.d. 7/12 dinas luar".split(), TODAY)
    assert (found.first_day, found.last_day, found.reason) == (None, date(2026, 12, 7), "dinas luar")
    assert read_period([], TODAY).last_day is None



# -- hostile input: whatever people type ends in a date, the reader's error, or the rules' refusal --
WORD = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["sampai", "mulai", "s.d.", "dari", "until", "7", "31", "99", "Des", "feb", "2026", "0/0",
                     "29/2", "2026-02-30", "9999-12-31", "1/1/0001", "\u200b", "٣", "²"]),
)


@given(st.lists(WORD, max_size=8))
@settings(max_examples=300, deadline=None)
def test_any_words_give_a_period_or_a_clear_refusal(words: list[str]) -> None:
    """Parsed dates go through the rules without any other exception (an overflow, say)."""
    try:
        found = read_period(words, TODAY)
    except BadDate:
        return
    try:
        check(request(first_day=found.first_day, last_day=found.last_day or date(2026, 12, 4)))
    except Refused:
        pass


@given(st.text(max_size=20), st.text(alphabet=" \t\n\u200b\u200c\u200d\u2060\ufeff\u200e\u200f", max_size=6))
@settings(max_examples=300, deadline=None)
def test_blanks_and_invisible_characters_never_make_a_reason(text: str, padding: str) -> None:
    assert not rules.meaningful(padding)
    assert rules.meaningful(padding + text + padding) == rules.meaningful(text)
