"""`python -m bot` as the service runs it: HEALTH_PORT in polling mode, JSON logs, SIGTERM.

The bot is its own process (as under systemd) against the emulator of this test.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest
from ops_fixtures import clean_env, emu  # noqa: F401
from test_ops_webhook import free_port

from devtools.emulator import BotApiEmulator
from storage.migrate import upgrade

BOT_USERNAME = "pandu_service_bot"
TOKEN = "424243:SERVICE-test-token-never-real"


async def test_polling_service_with_health_port_json_logs_and_a_clean_sigterm(emu: BotApiEmulator, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'pandu.sqlite3'}"
    upgrade(url)
    port = free_port()
    env = clean_env(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=emu.base_url, DATABASE_URL=url,
                    HEALTH_PORT=str(port), LOG_FORMAT="json", LOG_LEVEL="DEBUG")
    log = (tmp_path / "bot.log").open("wb")
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=tmp_path, env=env,
                                                stdout=log, stderr=log)
    log.close()
    started = time.time()
    try:
        ani = emu.add_user(3001, "Ani", language_code="id")
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                polled = any(r.method == "getUpdates" and r.at >= started for r in emu.request_log)
                if polled:
                    break
                assert proc.returncode is None, (tmp_path / "bot.log").read_text()
                await asyncio.sleep(0.05)
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
            assert health.status_code == 200, health.text
            await emu.send_text(ani, ani, "/start")
            await emu.wait_for_message(ani, "Pandu", timeout=20)
            wanted = ("pandu_database_up 1.0", 'pandu_updates_total{kind="message"} 1.0')
            for _ in range(100):  # the answer reaches the emulator a moment before the update is counted
                metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                if all(w in metrics for w in wanted):
                    break
                await asyncio.sleep(0.05)
            assert all(w in metrics for w in wanted), metrics
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    lines = (tmp_path / "bot.log").read_text().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["message"].startswith("Pandu is up") for r in records)
    assert any(r["message"] == "stopping" for r in records)
    text = "\n".join(lines)
    assert TOKEN not in text and TOKEN.split(":")[1] not in text


def test_json_log_lines_redact_the_token_in_tracebacks_too(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from pydantic import SecretStr

    from bot.config import Settings
    from bot.ops.logs import configure_logging

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        configure_logging(Settings(_env_file=None, telegram_bot_token=SecretStr(TOKEN), log_format="json"))  # type: ignore[call-arg]
        try:
            raise ValueError(f"POST https://bot.example/bot{TOKEN}/getMe failed")
        except ValueError:
            logging.getLogger("pandu.test").exception("request %s failed", f"bot{TOKEN}")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    record = json.loads(lines[-1])
    assert record["level"] == "ERROR" and record["logger"] == "pandu.test" and "ValueError" in record["exc_info"]
    assert TOKEN not in lines[-1] and TOKEN.split(":")[1] not in lines[-1] and "[REDACTED]" in record["message"]
