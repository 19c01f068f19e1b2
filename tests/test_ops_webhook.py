"""Webhook mode for real: the emulator POSTs updates to the bot's own server on 127.0.0.1.

First the emulator alone (secret header, retries after non-2xx and refused connections,
per-chat order, loopback only), then the whole bot in webhook mode playing the scripted
SOP run, with /healthz and /metrics on the same server, and a request with a wrong
secret refused. No monkeypatching: the bot's runner sets the webhook itself.
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path
from typing import Any

import httpx
import tornado.web
from bot_fixtures import unthrottled, Office, bot_settings, database_url, office, overrides  # noqa: F401
from pydantic import SecretStr
from ops_fixtures import emu  # noqa: F401
from scripted_office import Script, outcome, populate, undelivered
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from handlers.application import build_application
from devtools.emulator import BotApiEmulator
from bot.ops.runner import serve
from bot.ops.web import Health
from handlers.basic import CHAT_CACHE_SECONDS
from sqlalchemy import text
from storage.db import Database

BOT_USERNAME = "pandu_test_bot"
TOKEN = "123456:TEST-pandu-token-never-real"
SECRET = "rahasia-webhook-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver(tornado.web.RequestHandler):
    """A stand-in webhook: records each POST, fails the first `fail` ones with 500."""

    def initialize(self, seen: list[tuple[int, int, str | None]], fail: list[int]) -> None:
        self.seen, self.fail = seen, fail

    async def post(self) -> None:
        body = json.loads(self.request.body)
        chat = (body.get("message") or body.get("callback_query", {}).get("message"))["chat"]["id"]
        self.seen.append((body["update_id"], chat, self.request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        if self.fail[0] > 0:
            self.fail[0] -= 1
            self.set_status(500)
        await asyncio.sleep(0.01)
        self.finish()


async def call(emu: BotApiEmulator, method: str, **params: Any) -> Any:
    async with httpx.AsyncClient() as client:
        return (await client.post(f"{emu.base_url}{TOKEN}/{method}", json=params)).json()


async def test_emulator_posts_with_the_secret_retries_failures_and_keeps_each_chats_order(emu: BotApiEmulator) -> None:
    seen: list[tuple[int, int, str | None]] = []
    fail = [3]
    sockets = bind_sockets(0, "127.0.0.1", family=socket.AF_INET)
    server = HTTPServer(tornado.web.Application([(r"/hook", Receiver, {"seen": seen, "fail": fail})]))
    server.add_sockets(sockets)
    url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/hook"
    try:
        assert (await call(emu, "setWebhook", url="https://example.org/hook"))["ok"] is False  # loopback only
        assert (await call(emu, "setWebhook", url=url, secret_token=SECRET, max_connections=4))["ok"]
        ani, bayu = emu.add_user(1, "Ani"), emu.add_user(2, "Bayu")
        group = emu.add_group(-100900, "Kantor", members=[ani, bayu])
        for i in range(6):
            await emu.send_text(ani, group, f"grup {i}")
            await emu.send_text(bayu, bayu, f"pribadi {i}")
        for _ in range(200):
            if not emu.state.bots[TOKEN].updates:
                break
            await asyncio.sleep(0.05)
        assert emu.state.bots[TOKEN].updates == []
        assert {h for _, _, h in seen} == {SECRET}
        delivered = [d for d in emu.state.webhook_log if d.outcome == 200]
        assert len(delivered) == 12 and len(seen) == 15  # three answered 500, then sent again
        for chat in (group.id, bayu.id):
            order = [d.update_id for d in delivered if d.chat_id == chat]
            assert order == sorted(order) and len(order) == 6
        info = (await call(emu, "getWebhookInfo"))["result"]
        assert info["url"] == url and "500" in info["last_error_message"] and info["pending_update_count"] == 0
        assert (await call(emu, "getUpdates"))["error_code"] == 409  # like Telegram, while a webhook is set
    finally:
        server.stop()


async def test_unreachable_webhook_keeps_updates_queued_and_reports_the_error(emu: BotApiEmulator) -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"  # nobody listens there
    assert (await call(emu, "setWebhook", url=url))["ok"]
    ani = emu.add_user(1, "Ani")
    await emu.send_text(ani, ani, "halo")
    for _ in range(100):
        if len(emu.state.webhook_log) >= 2:
            break
        await asyncio.sleep(0.05)
    info = (await call(emu, "getWebhookInfo"))["result"]
    assert info["last_error_message"] == "Connection refused" and info["pending_update_count"] == 1
    assert (await call(emu, "deleteWebhook"))["ok"]
    assert len((await call(emu, "getUpdates"))["result"]) == 1  # still there, now for polling


async def test_the_bot_in_webhook_mode_plays_a_whole_sop_run(emu: BotApiEmulator, database_url: str) -> None:  # noqa: F811
    port = free_port()
    settings = bot_settings(
        emu, database_url, webhook_url=f"http://127.0.0.1:{port}/telegram/hook", webhook_listen="127.0.0.1",
        webhook_port=port, webhook_secret=SecretStr(SECRET),
    )
    group, people = populate(emu)
    db = Database(database_url)
    stop = asyncio.Event()
    app = build_application(settings, drain_interval=1.0, rate_limiter=unthrottled())
    running = asyncio.ensure_future(serve(app, settings, stop))
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                if emu.state.bots[TOKEN].webhook.get("url"):
                    break
                assert not running.done(), running.exception()
                await asyncio.sleep(0.05)
            assert emu.state.bots[TOKEN].allowed_updates == {"message", "callback_query"}
            script = Script(emu, db, group, people)
            await script.play()
            assert await script.until(lambda: not undelivered(db), 30), undelivered(db)
            assert outcome(db)["run"] == [("finished", 2, None, "Renja Tahan Banting")]
            assert all(d.outcome == 200 for d in emu.state.webhook_log)
            health = await client.get(f"{base}/healthz")
            assert health.status_code == 200 and health.json()["database"] == "ok", health.text
            metrics = (await client.get(f"{base}/metrics")).text
            assert 'pandu_updates_total{kind="callback_query"}' in metrics
            assert "pandu_press_latency_seconds_count" in metrics and "pandu_outbox_backlog 0.0" in metrics
            assert "pandu_open_runs 0.0" in metrics and 'pandu_messages_sent_total{method="sendMessage"}' in metrics
            forged = await client.post(f"{base}/telegram/hook", json={"update_id": 1},
                                       headers={"X-Telegram-Bot-Api-Secret-Token": "salah"})
            assert forged.status_code == 403
            assert (await client.post(f"{base}/telegram/hook", content=b"{",
                                      headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})).status_code == 400
    finally:
        stop.set()
        await asyncio.wait_for(running, 30)
        db.dispose()


async def test_healthz_fails_when_the_database_or_the_sender_is_down(emu: BotApiEmulator, tmp_path: Path) -> None:
    settings = bot_settings(emu, f"sqlite:///{tmp_path / 'p.sqlite3'}")
    app = build_application(settings, drain_interval=None)

    def broken() -> None:
        raise OSError("database gone")

    app._running = True  # type: ignore[attr-defined]  # only `running` is read
    ok, parts = await Health(app, broken).report()
    assert not ok and parts["database"] == "error: OSError"
    from bot.ops import metrics

    metrics.sender_alive()
    ok, parts = await Health(app, lambda: None, stale_after=0.0).report()
    await asyncio.sleep(0.01)
    ok, parts = await Health(app, lambda: None, stale_after=0.0).report()
    assert not ok and parts["sender"].startswith("stale") and parts["database"] == "ok"
    ok, parts = await Health(app, lambda: None).report()
    assert ok, parts


async def test_a_language_changed_by_another_worker_shows_within_a_minute(office: Office) -> None:
    """Two workers: one caches the group's language; the other changed it in the database."""
    budi = office.people["budi"]
    assert "Saya <b>Pandu</b>" in ((await office.ask(budi, "/start", "Pandu")).raw_text or "")
    with office.engine.db.transaction() as s:  # what /bahasa en on the other worker leaves
        s.execute(text("UPDATE chats SET language = 'en' WHERE id = :c"), {"c": office.group.id})
    assert "Saya" in ((await office.ask(budi, "/start", "Pandu")).raw_text or "")  # cached, for now
    office.app.chat_data[office.group.id]["seen_at"] -= CHAT_CACHE_SECONDS + 1  # a minute later
    assert "I am" in ((await office.ask(budi, "/start", "Pandu")).raw_text or "")


async def test_metrics_count_sends_failures_by_reason_and_429s_as_telegram_answered(office: Office) -> None:
    from bot.ops import metrics

    def value(counter: Any, *labels: str) -> float:
        return float((counter.labels(*labels) if labels else counter)._value.get())

    before = (value(metrics.RATE_LIMITED), value(metrics.FAILED, "retry", "sendMessage"),
              value(metrics.SENT, "sendMessage"), value(metrics.UPDATES, "message"))
    mark = len(office.emu.request_log)
    office.emu.faults.configure(0.5, seed=7, weights={"retry429": 1, "error500": 1}, retry_after=1,
                                methods=["sendMessage"])
    budi = office.people["budi"]
    for _ in range(4):
        await office.ask(budi, "/start", "Pandu")
    office.emu.faults.disable()
    await office.ask(budi, "/start", "Pandu")  # the bot has had the answers to everything before
    injected = office.emu.stats.injected
    assert injected["retry429"] and injected["error500"]
    assert value(metrics.RATE_LIMITED) - before[0] == injected["retry429"]
    assert value(metrics.FAILED, "retry", "sendMessage") - before[1] == injected["error500"]
    ok_sends = [r for r in office.emu.request_log[mark:] if r.method == "sendMessage" and r.status == 200]
    # The last answer is recorded by the emulator before the bot has read the response.
    assert value(metrics.SENT, "sendMessage") - before[2] in (len(ok_sends) - 1, len(ok_sends))
    assert value(metrics.UPDATES, "message") - before[3] in (4, 5)  # the last one may still be finishing
