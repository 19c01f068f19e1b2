"""Monev as a service: the one entry point the bot and ``python -m bot monev`` call.

A form covers one or more groups for one period. A group whose period was signed off is
read from its snapshot (frozen: later runs and answers change nothing); any other group
is computed now from the runs, with the same working-time calendars the reports and the
reminders use. Every method is synchronous; the bot calls them through a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.monev import queries, store
from bot.monev.model import MonevForm, Paraf, PeriodRun, build_evaluation, build_monitoring
from bot.monev.labels import local_time
from bot.monev.period import Period
from bot.monev.rules import AssessmentRule
from bot.monev.snapshot import form_from_json, form_to_json
from bot.reports.model import WorkingCalendar, build_run_report
from storage.db import Database
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.engine import SopEngine

#: Questionnaires go out for runs finished this recently (older runs were before monev).
INVITE_WINDOW = timedelta(days=7)


class NoRuns(LookupError):
    """No run started in the period in the groups asked about."""


@dataclass(frozen=True)
class MonevFiles:
    docx: bytes
    xlsx: bytes
    chart: bytes


class Monev:
    """Monitoring and evaluation over one database."""

    def __init__(self, db: Database, calendar_for: Callable[[str], WorkingCalendar],
                 clock: Callable[[], datetime] = utcnow, default_timezone: str = "Asia/Jakarta",
                 rule: AssessmentRule | None = None) -> None:
        self.db, self.calendar_for, self.clock = db, calendar_for, clock
        self.default_timezone, self.rule = default_timezone, rule or AssessmentRule()

    @classmethod
    def for_engine(cls, engine: SopEngine, settings: Settings | None = None) -> Monev:
        """Same database, calendars and clock as the run engine; the rule from the settings."""
        rule = AssessmentRule() if settings is None else AssessmentRule(
            settings.monev_min_on_time_percent / 100, settings.monev_max_cancelled)
        return cls(engine.db, engine.calendar, engine.now, engine.default_timezone, rule)

    def today(self, chat_id: int | None = None) -> date:
        """Today's date in the group's zone (the default zone without a group)."""
        zone = self.default_timezone
        if chat_id is not None:
            found = queries.chats(self.db, [chat_id], zone).get(chat_id)
            zone = found.timezone if found is not None else zone
        return self.clock().astimezone(ZoneInfo(zone)).date()

    def group_chat_ids(self) -> list[int]:
        return queries.group_chat_ids(self.db)

    def run_chat_ids(self) -> list[int]:
        return queries.run_chat_ids(self.db)

    def form(self, chat_ids: Iterable[int], period: Period) -> MonevForm:
        """The form of these groups for `period`; :class:`NoRuns` when nothing ran."""
        infos = queries.chats(self.db, chat_ids, self.default_timezone)
        parts = [self._group_form(info, period) for info in sorted(infos.values(), key=lambda c: c.title)]
        parts = [p for p in parts if p.monitoring]
        if not parts:
            raise NoRuns(period.key)
        first = parts[0]
        return replace(first, generated_at=self.clock(),
                       monitoring=tuple(r for p in parts for r in p.monitoring),
                       evaluation=tuple(r for p in parts for r in p.evaluation),
                       parafs=tuple(x for p in parts for x in p.parafs),
                       details=tuple(d for p in parts for d in p.details))

    def _group_form(self, chat: queries.ChatInfo, period: Period) -> MonevForm:
        signed = queries.signoff(self.db, chat.id, period.key)
        if signed is not None:
            return form_from_json(signed.snapshot)
        return self.live_form(chat, period)

    def live_form(self, chat: queries.ChatInfo, period: Period) -> MonevForm:
        """One group's form computed now (what a sign-off freezes)."""
        now = self.clock()
        facts, nags = queries.period_runs(self.db, chat, period)
        calendar = self.calendar_for(chat.timezone)
        runs = [PeriodRun(f, build_run_report(f, calendar, now), nags.get(f.run_id, 0), chat.title) for f in facts]
        monitoring = build_monitoring(runs, self.rule, queries.overrides(self.db, chat.id, period.key))
        answers, invited = queries.answers(self.db, [f.run_id for f in facts])
        details = tuple(
            (chat.title, f.number, f.title, f.sop.id, f.status, local_time(f.started_at, chat.timezone),
             local_time(f.ended_at, chat.timezone) if f.ended_at else "")
            for f in facts
        )
        return MonevForm(
            period=period.key, first=period.first.isoformat(), last=period.last.isoformat(), generated_at=now,
            min_on_time=self.rule.min_on_time, max_cancelled=self.rule.max_cancelled, monitoring=monitoring,
            evaluation=build_evaluation(monitoring, answers, invited), timezone=chat.timezone, details=details,
        )

    def sign_off(self, chat_id: int, period: Period, user_id: int, name: str) -> MonevForm:
        """Freeze the group's period with the supervisor's paraf; refused when already signed."""
        infos = queries.chats(self.db, [chat_id], self.default_timezone)
        if chat_id not in infos:
            raise NoRuns(period.key)
        if queries.signoff(self.db, chat_id, period.key) is not None:
            raise store.MonevRefused("signed")
        form = self.live_form(infos[chat_id], period)
        if not form.monitoring:
            raise NoRuns(period.key)
        now = self.clock()
        form = replace(form, parafs=(Paraf(chat_id, name, user_id, now),))
        store.sign_off(self.db, chat_id, period.key, user_id, form_to_json(form), now)
        return form

    def set_action(self, chat_id: int, period: Period, sop_id: str, text: str, user_id: int) -> None:
        store.set_action(self.db, chat_id, period.key, sop_id, text, user_id, self.clock())

    def standing(self, user_id: int, chat_ids: Iterable[int] | None = None) -> dict[int, set[str]]:
        return queries.standing(self.db, user_id, chat_ids)

    def invite_finished(self) -> int:
        now = self.clock()
        return store.invite_finished(self.db, now - INVITE_WINDOW, now)

    @staticmethod
    def files(form: MonevForm, lang: str) -> MonevFiles:
        """The .docx, the .xlsx and the on-time chart of a form, in `lang`."""
        from bot.monev.documents import monev_chart, monev_docx
        from bot.monev.workbook import monev_workbook

        return MonevFiles(monev_docx(form, lang), monev_workbook(form, lang), monev_chart(form, lang))
