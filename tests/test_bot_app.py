"""The application around the handlers: command menus, secrets in logs, webhook mode,
and the outbox drain that delivers what a handler's own flush could not.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from bot_fixtures import TOKEN, Office, bot_settings, database_url, office, overrides  # noqa: F401
from pydantic import SecretStr
from telegram.ext import Application

from handlers import application as app_module
from bot.ops.secrets import RedactSecrets, protect_secrets
from handlers.application import file_url_for
from devtools.emulator import BotApiEmulator


async def test_command_menu_is_published_in_both_languages(office: Office) -> None:
    assert office.emu.commands_for("default", "")[:3] == ["start", "tugas", "selesai"]
    indonesian = set(office.emu.commands_for("default", ""))
    english = set(office.emu.commands_for("default", "en"))
    assert {"mulai", "peran", "ambil", "wakili", "riwayat", "laporan", "peta", "bahasa"} <= indonesian
    assert {"startrun", "roles", "claim", "onbehalf", "history", "report", "flow", "language"} <= english


def test_every_menu_command_is_handled() -> None:
    from handlers.registry import COMMANDS

    handled = {name for names, _ in COMMANDS for name in names}
    assert {name for ind, eng, _ in app_module.MENU for name in (ind, eng)} <= handled


async def test_the_token_never_reaches_the_log(office: Office, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    budi = office.people["budi"]
    await office.start_private(budi)
    await office.ask(budi, "/sop", "SOP")
    logging.getLogger("httpx").warning("HTTP Request: POST %s/bot%s/getUpdates", office.emu.base_url, TOKEN)
    try:
        raise RuntimeError(f"connection to https://bot-api.example/bot{TOKEN}/getMe failed")
    except RuntimeError:
        logging.getLogger("telegram.ext").exception("network trouble")
    assert caplog.records, "nothing was logged at all"
    assert TOKEN not in caplog.text and "[REDACTED]" in caplog.text
    assert all(TOKEN not in (r.getMessage() + (r.exc_text or "")) for r in caplog.records)


def test_redaction_filter_covers_arguments_and_tracebacks() -> None:
    redactor = RedactSecrets(["s3cret"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s", ("s3cret",), None)
    assert redactor.filter(record) and record.getMessage() == "token=[REDACTED]"
    assert protect_secrets("another-s3cret") is protect_secrets()


def test_file_url_follows_the_api_url() -> None:
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url_for("https://bot-api.example/bot") == "https://bot-api.example/file/bot"


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for a condition the emulator has no event for (a failed request)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


async def test_outbox_drain_delivers_what_a_failed_flush_left(office: Office) -> None:
    budi = office.people["budi"]
    office.app.bot_data.notifier.retry_delay = timedelta(seconds=0.2)
    await office.start_private(budi)
    office.emu.faults.configure(1.0, weights={"error500": 1.0}, methods=["sendMessage"])
    await office.say(budi, "/mulai renja-bappeda-kalbar Renja 2027")
    await until(lambda: office.emu.stats.injected["error500"] >= 2)  # both notices failed once
    assert office.snapshot()["runs"] == 1 and not office.emu.sent_to(office.group)
    office.emu.faults.disable()
    started = await office.expect(office.group, "dimulai", timeout=10)
    assert "Renja 2027" in (started.text or "")
    assert office.snapshot()["runs"] == 1


def test_run_bot_picks_the_webhook_server_or_health_port_from_settings(tmp_path: Path) -> None:
    """Which HTTP server each configuration gets (webhook mode itself runs for real in
    tests/test_ops_webhook.py and tests/test_ops_workers.py)."""
    from bot.ops.runner import web_server

    settings = bot_settings(
        BotApiEmulator(),
        f"sqlite:///{tmp_path / 'x.sqlite3'}",
        webhook_url="https://pandu.example.go.id/telegram/hook",
        webhook_port=8443,
        webhook_listen="127.0.0.1",
        webhook_secret=SecretStr("rahasia-webhook"),
        telegram_api_base_url=None,
    )
    app = app_module.build_application(settings, drain_interval=None)
    server = web_server(app, settings)
    assert server is not None
    assert (server.listen, server.port, server.webhook_path, server.secret) == (
        "127.0.0.1", 8443, "/telegram/hook", "rahasia-webhook")
    polling = settings.model_copy(update={"webhook_url": None})
    assert web_server(app, polling) is None  # health endpoint off by default
    health = web_server(app, polling.model_copy(update={"health_port": 9100}))
    assert health is not None and (health.listen, health.port, health.webhook_path) == ("127.0.0.1", 9100, None)
