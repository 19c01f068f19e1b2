"""Configuration from the environment (and `.env`), validated once at start-up.

Nothing is read at import time: `load_settings()` builds the object when the process
starts, so tests construct their own `Settings(...)` without touching the environment.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

from bot.domain.office_hours import (
    DEFAULT_RAMADAN_HOURS,
    OfficeSchedule,
    parse_extra_hours,
    parse_week,
    schedule_from_settings,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every setting Pandu reads; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    #: Connections Telegram may open at once to the webhook (setWebhook's max_connections).
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    #: /healthz and /metrics on this port in polling mode (off when unset); in webhook
    #: mode they are served on the webhook's own server.
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_listen: str = "127.0.0.1"

    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str | None = None
    sop_dir: Path = PROJECT_ROOT / "sop_data"

    default_language: Literal["id", "en"] = "id"
    default_timezone: str = "Asia/Jakarta"
    office_hours_start: time = time(8, 0)
    office_hours_end: time = time(16, 0)
    office_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    #: Per-weekday hours ("mon-thu 07:30-16:00, fri 07:30-16:30"); overrides START/END/DAYS.
    office_hours: str | None = None
    #: Hours on the dates of Ramadan; "off" keeps the regular hours then.
    ramadan_hours: str = DEFAULT_RAMADAN_HOURS
    #: Hours for dates ("2027-02-08..2027-03-09 mon-thu 08:00-14:30; 2027-03-15 08:00-12:00").
    extra_hours: str | None = None
    extra_holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)

    nag_interval_minutes: int = Field(default=120, ge=1)
    early_reminder_minutes: int = Field(default=0, ge=0)
    undo_window_minutes: int = Field(default=10, ge=0)
    #: Longest Plh. period (days, end date inclusive) one may ask for.
    delegation_max_days: int = Field(default=30, ge=1, le=366)

    allowed_chat_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    run_starters: Literal["admins", "anyone"] = "admins"
    strict_role_claims: bool = False
    #: Evidence files larger than this are refused by the size Telegram reports (Telegram
    #: lets bots download at most 20 MB, so a bigger file could never be fetched later).
    evidence_max_mb: float = Field(default=10, gt=0, le=20)
    #: Telegram user ids who manage the whole bot's SOP catalogue from chat (upload, publish,
    #: withdraw); group admins manage their own group's SOPs without being listed here.
    sop_admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    #: An SOP draft under review is discarded this many hours after its upload.
    sop_draft_hours: int = Field(default=72, ge=1, le=24 * 90)

    #: Monev (Permenpan RB 35/2012): an SOP "berjalan dengan baik" when at least this share
    #: of finished step passes kept the Mutu Baku time and at most this many runs were
    #: cancelled in the period; questionnaires for finished runs go out this often.
    monev_min_on_time_percent: int = Field(default=80, ge=0, le=100)
    monev_max_cancelled: int = Field(default=0, ge=0)
    monev_invite_seconds: int = Field(default=60, ge=0)

    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"

    @field_validator("office_days", "extra_holidays", "allowed_chat_ids", "sop_admin_ids", mode="before")
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("office_days")
    @classmethod
    def _weekdays(cls, value: list[int]) -> list[int]:
        if not value or any(d < 0 or d > 6 for d in value):
            raise ValueError("OFFICE_DAYS berisi angka hari 0 (Senin) sampai 6 (Minggu)")
        return sorted(set(value))

    @field_validator("office_hours", "ramadan_hours", "extra_hours")
    @classmethod
    def _hours(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and value.strip().lower() not in ("off", "none", "tidak"):
            parse = parse_extra_hours if info.field_name == "extra_hours" else parse_week
            parse(value)  # raises ValueError in Indonesian, naming the entry it cannot read
        return value

    def office_schedule(self) -> OfficeSchedule:
        """The office hours every calendar of the bot uses (due times, nags, reports)."""
        return schedule_from_settings(
            self.office_hours,
            self.office_hours_start,
            self.office_hours_end,
            self.office_days,
            self.ramadan_hours,
            self.extra_hours,
        )

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"zona waktu tidak dikenal: {value}") from exc
        return value

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'pandu.sqlite3').as_posix()}"


def load_settings() -> Settings:
    return Settings()
