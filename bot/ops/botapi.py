"""A small synchronous Bot API client for the command line (setup, doctor).

The CLI checks a token before any bot runs, and doctor needs the HTTP ``Date`` header
Telegram answers with (for the clock skew), which PTB does not expose. Every error is
reported by its description only: the request URL carries the token and is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

#: Telegram's own Bot API (PTB's default too); TELEGRAM_API_BASE_URL replaces it.
DEFAULT_BASE_URL = "https://api.telegram.org/bot"


class BotApiError(Exception):
    """The Bot API refused a call, or could not be reached; the message never holds the token."""

    def __init__(self, description: str, code: int | None = None) -> None:
        super().__init__(description)
        self.code = code


@dataclass(frozen=True)
class Answer:
    result: Any
    #: The server's clock (HTTP ``Date``), when it sent one.
    date: datetime | None


class BotApiClient:
    """``call("getMe")`` and friends, over one HTTP client."""

    def __init__(self, token: str, base_url: str | None = None, timeout: float = 10.0) -> None:
        self.token = token
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.http = httpx.Client(timeout=timeout)

    def call(self, method: str, **params: Any) -> Answer:
        url = f"{self.base_url}{self.token}/{method}"
        try:
            response = self.http.post(url, json=params)
        except httpx.HTTPError as exc:  # str(exc) may hold the URL, hence the token
            raise BotApiError(f"Bot API tidak terjangkau ({type(exc).__name__})") from None
        try:
            body = response.json()
        except ValueError:
            raise BotApiError(f"jawaban bukan JSON (HTTP {response.status_code})", response.status_code) from None
        if not body.get("ok"):
            raise BotApiError(str(body.get("description") or "ditolak"), int(body.get("error_code") or response.status_code))
        date_header = response.headers.get("Date")
        date = parsedate_to_datetime(date_header) if date_header else None
        return Answer(body.get("result"), date)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> BotApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
