"""The Bot API emulator, exercised by a real PTB Application over HTTP with long polling."""

from __future__ import annotations

import asyncio
import base64
import io
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from emulator_fixtures import TOKEN, emulator, ptb_app, running  # noqa: F401
from telegram import (
    ChatMemberAdministrator, ChatMemberLeft, ChatMemberOwner, InlineKeyboardButton,
    InlineKeyboardMarkup, Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, TypeHandler, filters

from devtools.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
# PTB itself warns about RetryAfter.retry_after turning into a timedelta; not our concern here.
pytestmark = pytest.mark.filterwarnings("ignore:Deprecated since version v22.2")


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


def echo_app(emu: BotApiEmulator, seen: list[Update] | None = None, **kwargs: float) -> Application:
    """Tiny bot: /start greets with buttons, text is echoed, buttons answer and edit, files bounce."""
    app = ptb_app(emu, **kwargs)

    async def record(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        if seen is not None:
            seen.append(update)

    async def start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        name = update.effective_user.first_name  # type: ignore[union-attr]
        await update.effective_message.reply_html(f"<b>Halo</b> {name}", reply_markup=keyboard("ya", "tidak"))  # type: ignore[union-attr]

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(update.effective_message.text)  # type: ignore[union-attr]

    async def pressed(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        await query.answer(f"Pilihan: {query.data}", show_alert=query.data == "tidak")  # type: ignore[union-attr]
        await query.edit_message_text(f"Anda memilih {query.data}")  # type: ignore[union-attr]

    async def document(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        buf = io.BytesIO()
        await (await msg.document.get_file()).download_to_memory(buf)  # type: ignore[union-attr]
        await msg.reply_document(buf.getvalue()[::-1], filename="balik.txt", caption=f"{len(buf.getvalue())} bytes")  # type: ignore[union-attr]

    app.add_handler(TypeHandler(Update, record), group=-1)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    return app


@pytest.fixture
def world(emulator: BotApiEmulator) -> BotApiEmulator:  # noqa: F811
    emulator.register_bot(TOKEN, "pandu_bot")
    alice = emulator.add_user(1001, "Alice", username="alice", language_code="id")
    bob = emulator.add_user(1002, "Bob", username="bob_bappeda")
    emulator.add_group(-100500, "Bappeda", members=[alice, bob], admins=[alice])
    return emulator


async def test_echo_commands_and_update_json(world: BotApiEmulator) -> None:
    alice, grp, seen = world.state.users[1001], world.state.chats[-100500], []
    async with running(echo_app(world, seen)):
        started = time.monotonic()
        await world.send_text(alice, alice, "/start")
        hello = await world.wait_for_message(alice)
        assert time.monotonic() - started < 1.0, "long polling must return as soon as an update arrives"
        assert hello.text == "Halo Alice" and hello.raw_text == "<b>Halo</b> Alice"
        assert hello.entities == [{"type": "bold", "offset": 0, "length": 4}]
        assert hello.callback_data == ["ya", "tidak"] and hello.button("TIDAK").callback_data == "tidak"
        assert hello.reply_to is None  # PTB only quotes in groups

        await world.send_text(alice, grp, "Rapat 🗓 jam 9 @bob_bappeda")
        assert (await world.wait_for_message(grp)).text == "Rapat 🗓 jam 9 @bob_bappeda"
        question = await world.send_text(alice, grp, "/start@pandu_bot renja")
        assert (await world.wait_for_message(grp, "Halo")).reply_to is question
        await world.reply(alice, grp, hello, "balasan")
        assert (await world.wait_for_message(grp)).text == "balasan"

    message = seen[1].message
    assert message is not None and message.chat.type == "supergroup" and message.from_user.id == 1001  # type: ignore[union-attr]
    assert message.parse_entities(["mention"]) != {}
    command = seen[2].message
    assert command.entities[0].type == "bot_command" and command.entities[0].length == len("/start@pandu_bot")  # type: ignore[union-attr]
    assert seen[3].message.reply_to_message.message_id == hello.message_id  # type: ignore[union-attr]
    assert [u.update_id for u in seen] == sorted({u.update_id for u in seen})
    assert [m.message_id for m in world.messages(grp)] == [1, 2, 3, 4, 5, 6]


async def test_buttons_and_callback_answers(world: BotApiEmulator) -> None:
    alice = world.state.users[1001]
    async with running(echo_app(world)) as app:
        await world.send_text(alice, alice, "/start")
        menu = await world.wait_for_message(alice)
        query_id = await world.press(alice, menu, text="TIDAK")
        answer = await world.wait_for_callback_answer(query_id)
        assert (answer.text, answer.show_alert, answer.data) == ("Pilihan: tidak", True, "tidak")
        edited = await world.wait_for_edit(alice)
        assert edited is menu and menu.text == "Anda memilih tidak" and menu.buttons == []
        assert menu.history[0]["text"] == "Halo Alice" and menu.edit_date is not None
        assert world.sent_to(alice) == [menu]
        with pytest.raises(ValueError, match="no button"):
            await world.press(alice, menu, "ya")  # the keyboard was removed by the edit
        with pytest.raises(BadRequest, match="Query is too old"):
            await app.bot.answer_callback_query(query_id, "again")


async def test_forbidden_until_user_starts_and_when_blocked(world: BotApiEmulator) -> None:
    bot, bob = ptb_app(world).bot, world.state.users[1002]
    async with bot:
        with pytest.raises(Forbidden, match="can't initiate conversation"):
            await bot.send_message(bob.id, "halo")
        await world.send_text(bob, bob, "hai")
        assert (await bot.send_message(bob.id, "halo")).chat.id == bob.id
        world.block(bob)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(bob.id, "halo lagi")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(424242, "siapa?")
    assert [m.text for m in world.sent_to(bob)] == ["halo"]


async def test_limits_html_and_not_modified(world: BotApiEmulator) -> None:
    alice = world.state.users[1001]
    await world.send_text(alice, alice, "/start")
    async with ptb_app(world).bot as bot:
        assert len((await bot.send_message(alice.id, "x" * 4096)).text) == 4096
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(alice.id, "x" * 4097)
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(alice.id, "😀" * 2049)  # limits count UTF-16 units
        await bot.send_message(alice.id, "ok", reply_markup=keyboard("d" * 64))
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(alice.id, "too long", reply_markup=keyboard("é" * 33))
        for bad in ("<b>tebal", "<b><i>x</b></i>", "<div>x</div>", "a < b"):
            with pytest.raises(BadRequest, match="Can't parse entities"):
                await bot.send_message(alice.id, bad, parse_mode="HTML")
        ok = await bot.send_message(alice.id, '<a href="https://x.go.id">tautan</a> &lt;3 <pre><code class="language-py">x</code></pre>', parse_mode="HTML")
        assert ok.text == "tautan <3 x" and [e.type for e in ok.entities] == ["text_link", "pre"]
        msg = await bot.send_message(alice.id, "Status", reply_markup=keyboard("a"))
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("Status", alice.id, msg.message_id, reply_markup=keyboard("a"))
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_reply_markup(alice.id, msg.message_id, reply_markup=keyboard("a"))
        await bot.edit_message_reply_markup(alice.id, msg.message_id, reply_markup=None)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", alice.id, 999)
        assert await bot.delete_message(alice.id, msg.message_id)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(alice.id, msg.message_id)
    assert world.sent_to(alice)[-1].deleted


async def test_document_upload_and_download(world: BotApiEmulator) -> None:
    alice, grp = world.state.users[1001], world.state.chats[-100500]
    payload = "Renja Bappeda 2027 — draf".encode() * 100
    async with running(echo_app(world)):
        sent = await world.send_document(alice, grp, "renja.txt", payload, caption="draf")
        reply = await world.wait_for_message(grp)
    assert reply.caption == f"{len(payload)} bytes" and reply.reply_to is sent
    assert reply.document is not None and reply.document.file_name == "balik.txt"
    assert reply.document.data == payload[::-1]
    assert [r.method for r in world.request_log if r.method in ("getFile", "sendDocument")] == ["getFile", "sendDocument"]
    async with httpx.AsyncClient() as client:
        url = f"{world.base_file_url}{TOKEN}/{sent.document.file_path}"  # type: ignore[union-attr]
        assert (await client.get(url)).content == payload
        assert (await client.get(url.replace(TOKEN, "9:WRONG"))).status_code == 401


async def test_fault_injection_still_delivers_exactly_once(world: BotApiEmulator) -> None:
    alice = world.state.users[1001]
    await world.send_text(alice, alice, "/start")
    world.faults.configure(0.1, seed=11, hold_seconds=0.5, methods=["sendMessage"])
    failures = 0
    async with ptb_app(world, read_timeout=0.2).bot as bot:
        for i in range(40):
            for _attempt in range(10):
                try:
                    await bot.send_message(alice.id, f"pesan {i}")
                    break
                except (NetworkError, RetryAfter, TimedOut):
                    failures += 1
    assert [m.text for m in world.sent_to(alice)] == [f"pesan {i}" for i in range(40)]
    assert world.stats.injected_total == failures > 0
    assert world.stats.messages_sent == 40


async def test_failed_get_updates_keeps_updates(world: BotApiEmulator) -> None:
    alice = world.state.users[1001]
    await world.send_text(alice, alice, "satu")
    world.faults.configure(1.0, weights={"error500": 1, "retry429": 1}, methods=["getUpdates"])
    async with httpx.AsyncClient(base_url=f"{world.base_url}{TOKEN}") as client:
        for _ in range(4):
            resp = await client.post("/getUpdates", data={"timeout": "0"})
            assert resp.status_code in (500, 429) and resp.json()["ok"] is False
        world.faults.disable()
        updates = (await client.post("/getUpdates")).json()["result"]
        assert [u["message"]["text"] for u in updates] == ["satu"]
        offset = updates[0]["update_id"] + 1
        assert (await client.post("/getUpdates", data={"offset": str(offset)})).json()["result"] == []


async def test_flood_limits_return_retry_after(world: BotApiEmulator) -> None:
    now = [1000.0]
    world.faults.clock = lambda: now[0]
    world.faults.set_flood_limits(True)
    alice, grp = world.state.users[1001], world.state.chats[-100500]
    await world.send_text(alice, alice, "/start")
    async with ptb_app(world).bot as bot:
        for i in range(3):  # a small burst is allowed, like Telegram
            await bot.send_message(alice.id, f"burst {i}")
        with pytest.raises(RetryAfter) as exc:
            await bot.send_message(alice.id, "one too many")
        assert str(exc.value) == "Flood control exceeded. Retry in 1 seconds"
        now[0] += 1.0
        await bot.send_message(alice.id, "after waiting")
        for i in range(20):
            await bot.send_message(grp.id, f"grup {i}")
        with pytest.raises(RetryAfter):
            await bot.send_message(grp.id, "21st within a minute")
    assert world.stats.flood_429 == 2 and world.stats.messages_sent == 24


async def test_api_surface_membership_and_commands(world: BotApiEmulator) -> None:
    alice, bob, grp = world.state.users[1001], world.state.users[1002], world.state.chats[-100500]
    world.set_member(grp, alice, "creator")
    world.set_member(grp, bob, "administrator")
    carol = world.add_user(1003, "Carol")
    async with ptb_app(world).bot as bot:
        assert (await bot.get_me()).username == "pandu_bot"
        assert isinstance(await bot.get_chat_member(grp.id, alice.id), ChatMemberOwner)
        assert isinstance(await bot.get_chat_member(grp.id, bob.id), ChatMemberAdministrator)
        assert isinstance(await bot.get_chat_member(grp.id, carol.id), ChatMemberLeft)
        assert {m.user.id for m in await bot.get_chat_administrators(grp.id)} == {alice.id, bob.id}
        assert (await bot.get_chat(grp.id)).title == "Bappeda"
        await bot.set_my_commands([("mulai", "Mulai SOP")], language_code="id")
        await bot.set_my_commands([("status", "Status")], scope={"type": "chat", "chat_id": grp.id})
        assert [c.command for c in await bot.get_my_commands(language_code="id")] == ["mulai"]
        assert await bot.get_my_commands() == ()
    assert world.commands_for(language_code="id") == ["mulai"]
    assert world.commands[("chat", grp.id, None, "")] == [{"command": "status", "description": "Status"}]
    async with httpx.AsyncClient() as client:
        api = f"{world.base_url}{TOKEN}"
        assert (await client.post(f"{world.base_url}9:NOPE/getMe")).status_code == 401
        resp = await client.post(f"{api}/setChatMenuButton")
        assert resp.status_code == 404 and resp.json()["description"] == "Not Found: method not found"
        resp = await client.post(f"{api}/sendMessage", json={"chat_id": grp.id, "text": "json body"})
        assert resp.json()["result"]["text"] == "json body"
        polls = [asyncio.create_task(client.post(f"{api}/getUpdates", data={"timeout": "5"})) for _ in range(2)]
        await asyncio.sleep(0.1)
        await world.send_text(alice, grp, "bangun")
        codes = sorted([(await p).status_code for p in polls])
        assert codes == [200, 409]  # the older long poll is terminated, like Telegram
    assert "TOKEN" not in repr(world.request_log) and TOKEN not in repr(world.request_log)


async def test_edited_channel_and_bot_sender_updates(world: BotApiEmulator) -> None:
    alice, grp, seen = world.state.users[1001], world.state.chats[-100500], []
    robot = world.add_user(5005, "SpamBot", is_bot=True)
    world.set_member(grp, robot, "member")
    channel = world.add_channel(-100777, "Kanal Bappeda", username="kanal_bappeda")
    async with running(echo_app(world, seen)):
        original = await world.send_text(alice, grp, "draf 1")
        await world.wait_for_message(grp)
        await world.edit_text(alice, grp, original, "draf 2")
        await world.send_text(robot, grp, "spam")
        await world.wait_for_message(grp, lambda m: m.text == "spam")
        await world.post_channel(channel, "pengumuman")
        for _ in range(50):
            if len(seen) == 4:
                break
            await asyncio.sleep(0.02)
    assert seen[1].edited_message.text == "draf 2" and seen[1].edited_message.edit_date  # type: ignore[union-attr]
    assert seen[2].message.from_user.is_bot  # type: ignore[union-attr]
    assert seen[3].channel_post.chat.type == "channel" and seen[3].channel_post.sender_chat.id == channel.id  # type: ignore[union-attr]


async def test_tokens_are_isolated(emulator: BotApiEmulator) -> None:  # noqa: F811
    one, two = emulator.register_bot(TOKEN, "pandu_bot"), emulator.register_bot("456:DEF", "other_bot")
    alice = emulator.add_user(1001, "Alice")
    grp = emulator.add_group(-100500, "Bappeda", members=[alice])
    await emulator.send_text(alice, grp, "/mulai@pandu_bot renja-bappeda-bogor Renja 2027")
    await emulator.send_text(alice, alice, "/start", bot=two)
    assert [u[1] for u in one.updates] == ["message"] and [u[1] for u in two.updates] == ["message", "message"]
    assert one.updates[0][2]["entities"] == [{"type": "bot_command", "offset": 0, "length": 16}]
    assert two.updates[0][0] == one.updates[0][0]  # update ids count per bot
    async with ptb_app(emulator).bot as bot_one, ptb_app(emulator, "456:DEF").bot as bot_two:
        with pytest.raises(Forbidden):
            await bot_one.send_message(alice.id, "hai")
        assert (await bot_two.send_message(alice.id, "hai")).message_id == 2
    assert emulator.sent_to(alice, bot=two)[0].text == "hai" and emulator.sent_to(alice, bot=one) == []


async def test_http_control_side(emulator: BotApiEmulator) -> None:  # noqa: F811
    async with httpx.AsyncClient(base_url=emulator.control_url) as ctl, \
            httpx.AsyncClient(base_url=f"{emulator.base_url}{TOKEN}") as api:
        async def op(name: str, **body: object) -> object:
            resp = await ctl.post(f"/{name}", json=body)
            assert resp.status_code == 200, resp.text
            return resp.json()["result"]

        await op("register_bot", token=TOKEN, username="pandu_bot")
        await op("add_user", id=1001, first_name="Alice")
        await op("add_group", id=-100500, title="Bappeda", members=[1001], admins=[1001])
        await op("send_text", user_id=1001, chat_id=-100500, text="/mulai renja")
        updates = (await api.post("/getUpdates")).json()["result"]
        assert updates[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
        markup = '{"inline_keyboard": [[{"text": "Setuju", "callback_data": "ok"}]]}'
        await api.post("/sendMessage", data={"chat_id": "-100500", "text": "Setuju?", "reply_markup": markup})
        waited = await op("wait_for_message", chat_id=-100500, contains="Setuju", timeout=2)
        sent = await op("sent", chat_id=-100500)
        assert sent == [waited] and sent[0]["buttons"][0][0]["callback_data"] == "ok"  # type: ignore[index]
        pressed = await op("press", user_id=1001, chat_id=-100500, message_id=waited["message_id"], button="Setuju")  # type: ignore[index]
        updates = (await api.post("/getUpdates", data={"offset": updates[-1]["update_id"] + 1})).json()["result"]
        assert updates[0]["callback_query"]["id"] == pressed["callback_query_id"]  # type: ignore[index]
        await api.post("/answerCallbackQuery", data={"callback_query_id": pressed["callback_query_id"], "text": "Oke"})  # type: ignore[index]
        assert (await op("callback_answers"))[0]["text"] == "Oke"  # type: ignore[index]
        doc = await op("send_document", user_id=1001, chat_id=-100500, filename="a.pdf",
                       data_base64=base64.b64encode(b"%PDF-1").decode())
        assert doc["document"]["file_name"] == "a.pdf"  # type: ignore[index]
        assert (await op("faults", probability=0.5, seed=3, flood=True))["faults"]["probability"] == 0.5  # type: ignore[index]
        assert (await op("stats"))["requests"] >= 4  # type: ignore[index]
        assert (await ctl.post("/wait_for_message", json={"chat_id": -100500, "timeout": 0.05})).status_code == 408
        assert (await ctl.post("/nonsense", json={})).status_code == 400
        await op("reset")
        assert emulator.state.chats == {} and emulator.faults.config.probability == 0
        assert (await api.post("/getMe")).json()["result"]["username"] == "pandu_bot"


def test_standalone_module_serves_bot_api() -> None:
    with subprocess.Popen([sys.executable, "-m", "devtools.emulator", "--port", "0", "--token", TOKEN],
                          cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        try:
            base_url = proc.stdout.readline().strip()  # type: ignore[union-attr]
            assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
            assert httpx.post(f"{base_url}{TOKEN}/getMe").json()["result"]["username"] == "pandu_bot"
        finally:
            proc.terminate()
            assert proc.wait(timeout=5) == 0
