"""Handler tests on the in-process client (tests/handler_client.py): questions, /status,
/peran, /bantuan and refusals, with no emulator, HTTP or polling."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from bot_fixtures import database_url  # noqa: F401
from handler_client import BOT_ID, BOT_USERNAME, HandlerClient, Person, handler_client

BUDI = Person(2001, "Budi", "budi_renja")
SITI = Person(2002, "Siti", "siti_sekretaris")
JOKO = Person(2006, "Joko")


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[HandlerClient]:  # noqa: F811
    async with handler_client(database_url, admins={BUDI.id}) as c:
        yield c


async def start(client: HandlerClient, title: str = "Renja 2027") -> None:
    calls = await client.say(BUDI, f"/mulai renja-bappeda-kalbar {title}")
    assert any("dimulai" in c.text for c in calls), [c.text for c in calls]


async def test_the_client_records_calls_and_answers_them_plausibly(client: HandlerClient) -> None:
    calls = await client.say(JOKO, "/bantuan")
    assert [c.method for c in calls] == ["sendMessage"] and "/mulai" in calls[0].text
    assert calls[0].chat_id == client.group
    assert client.app.bot_data.bot_username == BOT_USERNAME


async def test_each_kind_of_question_gets_its_answer_and_chatter_gets_nothing(client: HandlerClient) -> None:
    await start(client)
    kinds = {"giliran siapa?": "langkah 1 menunggu Kasubbag", "udh sampe mana nih?": "langkah 1 dari 5",
             "langkah berikutnya apa ya?": "Sekarang: langkah 1", "brp lama lagi": "waktu kerja dari waktu baku",
             "who's next?": "belum ada pemegangnya", "lanjut": "Sekarang: langkah 1"}
    for question, expected in kinds.items():
        assert await client.say(JOKO, "selanjutnya kita rapat jam 2") == []
        assert await client.say(SITI, "lanjut makan siang") == []
        calls = await client.say(SITI, question)
        assert len(calls) == 1 and expected in calls[0].text, (question, [c.text for c in calls])
        assert calls[0].params["reply_parameters"]["message_id"] > 0  # it quotes the question
    taken = await client.say(BUDI, "/ambil kasubbag")
    assert any("memegang" in c.text for c in taken)
    who = (await client.say(SITI, "giliran siapa?"))[0].text
    assert f'giliran <a href="tg://user?id={BUDI.id}">Budi</a> sebagai Kasubbag' in who and "langkah 1, sejak" in who


async def test_a_mention_or_a_reply_to_the_bot_is_a_question_too(client: HandlerClient) -> None:
    await start(client)
    answer = await client.say(SITI, f"@{BOT_USERNAME} next")
    assert "Sekarang: langkah 1" in answer[0].text
    replied = await client.say(SITI, "next", reply_to=client.sent_message(answer[0]))
    assert "Sekarang: langkah 1" in replied[0].text
    assert await client.say(SITI, "@budi_renja lanjut") == []  # for Budi, not for the bot
    assert await client.say(SITI, "next") == []  # no question mark, nobody addressed
    assert client.sent_message(answer[0])["from"]["id"] == BOT_ID


async def test_with_two_runs_the_question_asks_which_one(client: HandlerClient) -> None:
    await start(client, "Renja A")
    await start(client, "Renja B")
    choose = await client.say(SITI, "sudah sampai mana?")
    assert "Pilih salah satu" in choose[0].text
    labels = [label for label, _ in choose[0].buttons()]
    assert any("#1" in label for label in labels) and any("#2" in label for label in labels)
    picked = await client.press(SITI, choose[0], "#2")
    assert any("#2 Renja B" in c.text for c in picked), [c.text for c in picked]


async def test_english_chats_get_english_answers_of_each_kind(client: HandlerClient) -> None:
    assert any("English" in c.text for c in await client.say(BUDI, "/bahasa en"))
    await client.say(BUDI, "/mulai renja-bappeda-kalbar Renja 2027")
    assert "step 1 waits for" in (await client.say(SITI, "whose turn is it?"))[0].text
    assert "of working time used" in (await client.say(SITI, "how long left?"))[0].text
    where = (await client.say(SITI, "where are we?"))[0].text
    assert "step 1 of 5" in where and "No step is done yet." in where
    assert "Now: step 1" in (await client.say(SITI, "what's next?"))[0].text


async def test_status_roles_and_refusals(client: HandlerClient) -> None:
    refused = await client.say(JOKO, "/mulai renja-bappeda-kalbar")
    assert [c.method for c in refused] == ["getChatMember", "sendMessage"] and "Hanya admin" in refused[1].text
    assert "Belum ada SOP yang berjalan" in (await client.say(JOKO, "apa selanjutnya?"))[0].text
    assert "tidak dikenal" in (await client.say(JOKO, "/terbang"))[0].text
    await start(client)
    status = (await client.say(JOKO, "/status"))[0]
    assert "Sekarang: langkah 1" in status.text and "Berjalan" in status.text
    await client.say(BUDI, "/ambil kasubbag")
    roles = [c for c in await client.say(JOKO, "/peran") if c.method == "sendMessage"]
    assert roles and "Kasubbag. Rencana Kerja dan Monev" in roles[0].text and "Budi" in roles[0].text
    assert not any("Lepas" in label for label, _ in roles[0].buttons())  # Joko holds nothing to release
    own = [c for c in await client.say(BUDI, "/peran") if c.method == "sendMessage"]
    assert [label for label, _ in own[0].buttons() if "Lepas" in label] == ["🔓 Lepas: Kasubbag. Rencana Kerja dan Monev"]


async def test_peran_shows_release_only_for_ones_own_roles_and_revoke_to_the_coordinator(
        client: HandlerClient) -> None:
    await start(client)
    await client.say(SITI, "/ambil sekretaris")
    await client.say(BUDI, "/ambil kasubbag")

    def labels(calls: list) -> list[str]:  # type: ignore[type-arg]
        return [label for c in calls if c.method == "sendMessage" for label, _ in c.buttons()]

    by_joko = labels(await client.say(JOKO, "/peran"))
    assert not [b for b in by_joko if "Lepas" in b or "Cabut" in b] and any("Ambil: Kepala Badan" in b for b in by_joko)
    by_siti = labels(await client.say(SITI, "/peran"))
    assert [b for b in by_siti if "Lepas" in b] == ["🔓 Lepas: Sekretaris"] and not [b for b in by_siti if "Cabut" in b]
    seen_by_budi = next(c for c in await client.say(BUDI, "/peran") if c.method == "sendMessage")
    assert any("Cabut: Sekretaris" in b for b, _ in seen_by_budi.buttons())
    refused = [c for c in await client.press(JOKO, seen_by_budi, "Cabut: Sekretaris") if c.method == "answerCallbackQuery"]
    assert refused[0].params.get("show_alert") and "koordinator" in refused[0].params["text"]
    revoked = await client.press(BUDI, seen_by_budi, "Cabut: Sekretaris")
    assert any("dicabut dari" in c.text for c in revoked if c.chat_id == client.group), [c.text for c in revoked]


async def test_an_upload_in_an_english_chat_gets_the_importers_notes_in_english(database_url: str) -> None:  # noqa: F811
    from test_sop_import_lang import REPEATED

    async with handler_client(database_url, sop_admin_ids=[BUDI.id]) as client:
        await client.say(BUDI, "/start", chat=BUDI.id)
        await client.say(BUDI, "/bahasa en", chat=BUDI.id)
        calls = await client.send_document(BUDI, "uji.txt", REPEATED.encode())
        assert [c.method for c in calls if c.method in ("getFile",)] == ["getFile"]
        review = next(c for c in reversed(calls) if c.method == "sendMessage" and "koreksi" in c.text)
        assert "step 3 › step number: repeated, so the second was renumbered" in review.text
        assert "muncul dua kali" not in review.text
