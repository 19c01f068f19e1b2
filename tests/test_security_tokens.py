"""The bot token never appears in a log line, a traceback or an answer.

The Bot API puts the token in every URL, and HTTP libraries quote URLs in their errors
(httpx's ``ConnectError`` for ``…/bot<token>/getMe``), so redaction must reach exception
messages and tracebacks, not only the log messages Pandu writes itself. The crash test
(``test_crash_restarts``) checks the same of a bot process's whole stderr.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from bot_fixtures import TOKEN, Office, database_url, office, overrides  # noqa: F401

from bot.ops.secrets import protect_secrets


async def test_an_http_error_quoting_the_url_is_logged_redacted_and_answered_politely(
    office: Office, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    budi = office.people["budi"]
    url = f"{office.emu.base_url}{TOKEN}/getChatMember"

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise httpx.ConnectError(f"[Errno 111] Connection refused while requesting {url}", request=httpx.Request("POST", url))

    monkeypatch.setattr(office.engine, "active_runs", broken)
    answer = await office.ask(budi, "/status", "kesalahan")
    assert TOKEN not in (answer.raw_text or "")
    assert office.app.bot_data.unexpected_errors == ["ConnectError"]
    failures = [r for r in caplog.records if r.exc_info or r.exc_text]
    assert failures and all("[REDACTED]" in (r.exc_text or "") for r in failures)
    assert TOKEN not in caplog.text and f"{office.emu.base_url}[REDACTED]" in caplog.text


class BadGateway(BaseHTTPRequestHandler):
    """A proxy in front of the Bot API that fails every request, as one does during an outage."""

    def do_POST(self) -> None:
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # keep the test's output clean
        pass


@pytest.fixture
def bad_gateway() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BadGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    finally:
        server.shutdown()
        server.server_close()


def test_a_real_http_error_quoting_the_token_url_is_logged_redacted(
    bad_gateway: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    protect_secrets(TOKEN)
    with pytest.raises(httpx.HTTPStatusError) as info:
        httpx.post(f"{bad_gateway}{TOKEN}/getMe").raise_for_status()
    assert TOKEN in str(info.value)  # the real error does quote the URL: there is something to redact
    logging.getLogger("telegram.ext").error("cannot reach Telegram: %s", info.value, exc_info=info.value)
    assert caplog.records and TOKEN not in caplog.text
    assert "[REDACTED]" in caplog.records[-1].getMessage() and "[REDACTED]" in (caplog.records[-1].exc_text or "")


def test_uncaught_exceptions_in_the_bot_process_print_the_token_redacted() -> None:
    secret = "987654:UNCAUGHT-secret-token"
    program = f"""
import threading
from bot.ops.secrets import protect_secrets
protect_secrets({secret!r})
def fail():
    raise RuntimeError("thread: POST http://127.0.0.1:1/bot{secret}/sendMessage failed")
thread = threading.Thread(target=fail)
thread.start()
thread.join()
raise RuntimeError("main: GET http://127.0.0.1:1/bot{secret}/getMe failed")
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert secret not in done.stderr + done.stdout
    assert done.stderr.count("[REDACTED]") == 2 and "thread: POST" in done.stderr and "main: GET" in done.stderr
