"""The catalogue in chat, the less happy paths: a second bot process, bad documents,
people who may not manage it, a group's own SOPs, restarts, expiry and downloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bot_fixtures import (  # noqa: F401
    BOT_USERNAME, TOKEN, unthrottled, Office, bot_settings, database_url, office, overrides,
)
from catalog_fixtures import docx_bytes, marked_docx, seed
from pydantic import SecretStr
from sqlalchemy import text

from handlers.application import build_application, serving
from devtools.emulator import Msg, User
from bot.sop.loader import parse_text
from bot.sop_import import import_document

BUDI = 2001
SECOND_TOKEN = "654321:TEST-second-pandu-process"
SECOND = "pandu_two_bot"


@pytest.fixture
def overrides() -> dict[str, Any]:  # noqa: F811
    return {"sop_admin_ids": [BUDI]}


def count(office: Office, sql: str) -> int:
    with office.engine.db.transaction(readonly=True) as s:
        return int(s.execute(text(sql)).scalar_one())


async def send_private(office: Office, who: User, name: str, data: bytes, **kwargs: Any) -> Msg:
    return await office.emu.send_document(who, who, name, data, bot=kwargs.pop("bot", None), **kwargs)


async def publish_clean(office: Office, who: User, data: bytes, bot: str | None = None) -> tuple[str, Msg]:
    """Upload a document that needs no fix and publish it; (its id, the published message)."""
    await send_private(office, who, "SOP Kesbangpol.docx", data, bot=bot)
    review = await office.expect(who, "Semua isian lengkap", timeout=20)
    sop_id = (review.text or "").split(" · ")[1]
    await office.press(who, review, "Terbitkan")
    return sop_id, await office.emu.wait_for_edit(who, "terbit sebagai versi")


async def test_a_second_bot_process_sees_a_publication_without_restart(
        office: Office, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    budi = office.people["budi"]
    office.emu.register_bot(SECOND_TOKEN, SECOND, "Pandu 2")
    settings = bot_settings(office.emu, database_url, sop_admin_ids=[BUDI], telegram_bot_token=SecretStr(SECOND_TOKEN))
    second = build_application(settings, drain_interval=1.0, rate_limiter=unthrottled())
    async with serving(second):
        before = await office.ask(budi, f"/sop@{SECOND}", "Daftar SOP")
        data = docx_bytes(seed("renja-kesbangpol-tangerang"), tmp_path)
        sop_id, published = await publish_clean(office, budi, data, bot=BOT_USERNAME)
        assert sop_id not in (before.text or "") and "versi 1" in (published.text or "")
        listing = await office.ask(budi, f"/sop@{SECOND}", "Daftar SOP")
        assert sop_id in (listing.text or "")
        await office.say(budi, f"/mulai@{SECOND} {sop_id} Renja Kesbangpol")
        await office.expect(office.group, "dimulai")
        assert count(office, "SELECT count(*) FROM runs") == 1
        # The next version, published through the first process, is the second's next read.
        _, again = await publish_clean(office, budi, data, bot=BOT_USERNAME)
        assert "versi 2" in (again.text or "")
        history = await office.ask(budi, f"/sop@{SECOND} {sop_id}", "Riwayat versi")
        assert "v2" in (history.text or "") and "v1" in (history.text or "")
    assert office.app.bot_data.unexpected_errors == [] and second.bot_data.unexpected_errors == []


@pytest.mark.parametrize("name, data, answer", [
    ("Belanja.txt", "Daftar belanja\nberas\ttelur\n".encode(), "tidak dapat dijadikan draf SOP"),
    ("Rusak.docx", b"PK\x03\x04 broken zip", "bukan dokumen Word"),
    ("Terkunci.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "dilindungi kata sandi"),
    ("Rusak.pdf", b"%PDF-1.4 truncated", "PDF tidak dapat dibaca"),  # PDFs are read since issue 12
])
async def test_bad_documents_get_a_clear_answer_and_store_nothing(
        office: Office, name: str, data: bytes, answer: str) -> None:
    budi = office.people["budi"]
    await send_private(office, budi, name, data)
    final = await office.emu.wait_for_edit(budi, "❌")
    assert answer in (final.text or "")
    assert count(office, "SELECT count(*) FROM sop_drafts") == 0
    assert office.app.bot_data.unexpected_errors == []


async def test_a_file_over_20_mb_is_refused_by_its_reported_size_without_downloading(office: Office) -> None:
    budi = office.people["budi"]
    await send_private(office, budi, "Besar.docx", b"PK", reported_size=25 * 1024 * 1024)
    refusal = await office.expect(budi, "20 MB")
    assert "25.0 MB" in (refusal.text or "")
    assert not [r for r in office.emu.request_log if r.method == "getFile"]
    assert count(office, "SELECT count(*) FROM sop_drafts") == 0


async def test_people_who_may_not_manage_the_catalogue_are_refused_and_nothing_is_stored(
        office: Office, tmp_path: Path) -> None:
    siti = office.people["siti"]  # neither SOP admin nor group admin
    data = marked_docx(tmp_path)
    await send_private(office, siti, "SOP.docx", data)
    refusal = await office.expect(siti, "Hanya admin SOP")
    assert "tidak disimpan" in (refusal.text or "")
    posted = await office.emu.send_document(siti, office.group, "SOP.docx", data)
    await office.say(siti, "/sop tambah", reply_to=posted)
    await office.expect(office.group, "Hanya admin SOP")
    assert "Hanya admin" in (await office.ask(siti, "/sop tarik renja-bappeda-kalbar", "admin")).text  # type: ignore[operator]
    assert count(office, "SELECT count(*) FROM sop_drafts") == 0
    assert count(office, "SELECT count(*) FROM catalog_entries WHERE status = 'withdrawn'") == 0
    assert not [r for r in office.emu.request_log if r.method == "getFile"]


@pytest.mark.parametrize("overrides", [{"sop_admin_ids": []}])
async def test_a_group_admin_publishes_for_the_group_only(office: Office, tmp_path: Path) -> None:
    budi, siti = office.people["budi"], office.people["siti"]  # Budi: group admin, not SOP admin
    data = docx_bytes(seed("renja-kesbangpol-tangerang"), tmp_path)
    await office.emu.send_document(budi, office.group, "SOP Kesbangpol.docx", data, caption="/sop tambah")
    review = await office.expect(office.group, "Semua isian lengkap", timeout=20)
    sop_id = (review.text or "").split(" · ")[1]
    refused = await office.press(siti, review, "Terbitkan")  # another member presses the owner's button
    assert refused.show_alert and "milik orang lain" in (refused.text or "")
    await office.press(budi, review, "Terbitkan")
    published = await office.emu.wait_for_edit(office.group, "terbit sebagai versi 1")
    assert "grup ini saja" in (published.text or "")
    listing = await office.ask(siti, "/sop", "Daftar SOP")
    assert f"{sop_id}</code> — " in (listing.raw_text or "") and "grup ini" in (listing.text or "")
    await office.start_private(siti)
    assert sop_id not in ((await office.ask(siti, "/sop", "Daftar SOP", chat=siti)).text or "")
    assert "tidak ditemukan" in ((await office.ask(siti, f"/sop {sop_id}", "SOP", chat=siti)).text or "")
    refusal = await office.ask(budi, "/sop tarik renja-bappeda-kalbar", "Hanya admin SOP")  # a whole-bot SOP
    assert refusal is not None


async def test_a_draft_survives_a_restart_and_expires(office: Office, database_url: str, tmp_path: Path) -> None:  # noqa: F811
    budi = office.people["budi"]
    await send_private(office, budi, "SOP.docx", marked_docx(tmp_path))
    review = await office.expect(budi, "Belum lengkap")
    await office.press(budi, review, "Langkah 3: waktu")
    question = await office.expect(budi, "waktu bakunya")
    await office.app.updater.stop()  # type: ignore[union-attr]
    await office.app.stop()
    settings = bot_settings(office.emu, database_url, sop_admin_ids=[BUDI], telegram_bot_token=SecretStr(TOKEN))
    restarted = build_application(settings, drain_interval=1.0, rate_limiter=unthrottled())
    async with serving(restarted):
        await office.emu.reply(budi, budi, question, "2 hari")
        after = await office.expect(budi, "Draf #")
        assert "Langkah 3: waktu" not in (after.text or "")
        stale = await office.emu.reply(budi, budi, question, "3 hari")
        assert stale and "tidak berlaku" in ((await office.expect(budi, "tidak berlaku")).text or "")
        with restarted.bot_data.engine.db.transaction() as s:  # a week passes
            s.execute(text("UPDATE sop_drafts SET expires_at = created_at - interval '1 day'"
                           if restarted.bot_data.engine.db.dialect == "postgresql"
                           else "UPDATE sop_drafts SET expires_at = datetime(created_at, '-1 day')"))
        expired = await office.press(budi, after, "Supervisor")
        assert expired.show_alert and "kedaluwarsa" in (expired.text or "")
    await office.app.start()  # let the fixture shut the first application down as usual
    await office.app.updater.start_polling(timeout=5)  # type: ignore[union-attr]


async def test_download_sends_yaml_word_and_excel(office: Office, tmp_path: Path) -> None:
    budi = office.people["budi"]
    await office.say(budi, "/sop unduh renja-bappeda-kalbar")
    files = [await office.expect(office.group, "versi 1") for _ in range(3)]
    names = [m.document.file_name for m in files if m.document is not None]
    assert names == ["renja-bappeda-kalbar-v1.yaml", "renja-bappeda-kalbar-v1.docx", "renja-bappeda-kalbar-v1.xlsx"]
    definition = parse_text(files[0].document.data.decode("utf-8"), Path(names[0]))  # type: ignore[union-attr]
    assert definition == seed()
    (tmp_path / names[1]).write_bytes(files[1].document.data)  # type: ignore[union-attr]
    assert import_document(tmp_path / names[1]).draft["nama"] == seed().nama
    unknown = await office.ask(budi, "/sop download renja-bappeda-kalbar 9", "tidak punya versi 9")  # English word
    assert unknown is not None


async def test_a_discarded_draft_is_gone_for_good(office: Office, tmp_path: Path) -> None:
    budi = office.people["budi"]
    await send_private(office, budi, "SOP.docx", marked_docx(tmp_path))
    review = await office.expect(budi, "Belum lengkap")
    supervisor = review.button("Supervisor").callback_data or ""
    await office.press(budi, review, "Buang draf")
    await office.emu.wait_for_edit(budi, "dibuang")
    stale = await office.press_data(budi, review, supervisor)
    assert stale.show_alert and "dibuang" in (stale.text or "")
    assert count(office, "SELECT count(*) FROM sop_drafts WHERE status = 'discarded'") == 1


@pytest.mark.parametrize("overrides", [{"sop_admin_ids": [2001, 2002]}])
async def test_the_admin_who_publishes_second_is_told_and_publishes_the_next_version_knowingly(
        office: Office, tmp_path: Path) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    data = docx_bytes(seed("renja-kesbangpol-tangerang"), tmp_path)
    reviews = []
    for who in (budi, siti):  # both review their upload of the same document
        await send_private(office, who, "SOP Kesbangpol.docx", data)
        reviews.append(await office.expect(who, "Semua isian lengkap", timeout=20))
    await office.press(budi, reviews[0], "Terbitkan")
    await office.emu.wait_for_edit(budi, "terbit sebagai versi 1")
    await office.press(siti, reviews[1], "Terbitkan")
    told = await office.expect(siti, "baru saja diterbitkan")
    assert "Versi 1" in (told.text or "") and "Budi" in (told.text or "") and "versi 2" in (told.text or "")
    rebased = await office.emu.wait_for_edit(siti, "versi 2")
    await office.press(siti, rebased, "Terbitkan")
    await office.emu.wait_for_edit(siti, "terbit sebagai versi 2")
    assert count(office, "SELECT count(*) FROM catalog_versions WHERE origin = 'upload'") == 2


async def test_forged_draft_buttons_change_nothing_and_english_reads_english(office: Office, tmp_path: Path) -> None:
    budi = office.people["budi"]
    await office.say(budi, "/bahasa en", budi, bot=None)
    await office.expect(budi, "English")
    await send_private(office, budi, "SOP.docx", marked_docx(tmp_path))
    review = await office.expect(budi, "Not complete yet")
    assert "Step 2: no actor yet" in (review.text or "") and review.button("Step 3: time")
    draft_id = (review.button("Supervisor").callback_data or "").split("|")[1]
    drafts = office.app.bot_data.catalog.drafts
    before = drafts.get(int(draft_id), BUDI)
    for data in (f"df|{draft_id}|actors|9999|0", f"df|{draft_id}|set_sup|9999|0", f"df|{draft_id}|bogus|0|0",
                 f"df|{draft_id}|actors|10000|0", f"df|{int(draft_id) + 7}|publish|0|0"):
        answer = await office.press_data(budi, review, data)
        assert answer.show_alert, data
    assert drafts.get(int(draft_id), BUDI) == before and before.pending is None
    assert office.app.bot_data.unexpected_errors == []


async def test_a_flowchart_that_cannot_be_drawn_does_not_cost_the_review(
        office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.catalog_review as review_module

    def broken(*_args: Any, **_kwargs: Any) -> list[bytes]:
        raise ValueError("a layout the renderer cannot place")

    monkeypatch.setattr(review_module, "draw_flowchart", broken)  # a fault, injected: the renderer never fails here
    budi = office.people["budi"]
    await send_private(office, budi, "SOP.docx", marked_docx(tmp_path))
    await office.expect(budi, "belum dapat digambar")
    review = await office.expect(budi, "Belum lengkap")
    assert review.button("Supervisor")
    assert not [m for m in office.emu.sent_to(budi) if m.photo is not None]
