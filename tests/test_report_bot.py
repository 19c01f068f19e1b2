"""/laporan and /peta through the real bot, long-polling the Bot API emulator over HTTP.

The run is played through the bot's own engine on a clock that moves in working minutes
of the bot's office calendar (the sample schedule: step 2 forty minutes late, one return),
so the chat summary, the files' names and the downloaded workbook's numbers are known.
"""

from __future__ import annotations

import asyncio
import csv
import io

from bot_fixtures import GROUP_ID, Office, database_url, office, overrides  # noqa: F401
from openpyxl import load_workbook
from PIL import Image
from scripted_office import undelivered

from devtools.emulator import Msg
from bot.flowchart import render_flowchart
from bot.reports.sample import KALBAR_MINUTES, KALBAR_OUTCOMES, START, SteppingClock, act, play, start
from handlers.reports import fits_a_photo

SOP = "renja-bappeda-kalbar"
#: The emulator's officials; Siti's name as the database knows it needs escaping in HTML.
PEOPLE = [(2001, "Budi", "kasubbag_renja"), (2002, "Siti <b>R</b>", "sekretaris"),
          (2003, "Agus", "kepala_bidang"), (2004, "Dewi", "kepala_badan")]


def fake_time(office: Office) -> SteppingClock:
    """Let the bot's engine (and so its reports) run on a clock the test moves."""
    clock = SteppingClock(START, office.engine.calendar("Asia/Pontianak"))
    office.engine.clock = clock
    return clock


async def finished_run(office: Office) -> int:
    """The sample run, played through the engine, and its notices all delivered: the sender
    works in the background, so a late notice could otherwise land between the report's
    messages."""
    clock = fake_time(office)
    run_id = await asyncio.to_thread(play, office.engine, clock.work, SOP, PEOPLE, KALBAR_MINUTES, KALBAR_OUTCOMES,
                                     chat_id=GROUP_ID)
    for _ in range(600):
        if not await asyncio.to_thread(undelivered, office.engine.db):
            return run_id
        await asyncio.sleep(0.1)
    raise AssertionError(f"the run's notices were not delivered in 60 s: {undelivered(office.engine.db)}")


async def next_file(office: Office, kind: str, chat: object = None) -> Msg:
    def has(message: Msg) -> bool:
        return getattr(message, kind) is not None
    return await office.emu.wait_for_message(chat if chat is not None else office.group, has, timeout=30)


async def download(office: Office, message: Msg) -> bytes:
    """What a member's phone would fetch: getFile, then the file URL, over HTTP."""
    stored = message.document or message.photo
    assert stored is not None
    found = await office.app.bot.get_file(stored.file_id)
    return bytes(await found.download_as_bytearray())


async def test_laporan_sends_summary_chart_workbook_and_csv(office: Office) -> None:
    budi = office.people["budi"]
    await finished_run(office)
    summary = await office.ask(budi, "/laporan", "Laporan #1")
    text = summary.text or ""
    assert "Menyusun Rencana Kerja · selesai" in text
    assert "Waktu baku 4 jam 40 menit · aktual 4 jam 47 menit" in text
    assert "Terlambat 40 menit di 1 langkah" in text and "Dikembalikan 1 kali" in text
    assert "1. Langkah 2: aktual 2 jam 40 menit dari baku 2 jam, terlambat 40 menit — Agus, Budi (a.n. Forum SKPD)" in text
    assert "2. Langkah" not in text  # only late steps are bottlenecks; the others were on time

    chart = await next_file(office, "document")  # one album of documents, the chart first
    assert chart.document is not None and chart.document.file_name == "laporan-1-renja-bappeda-kalbar.png"
    assert (await download(office, chart)).startswith(b"\x89PNG")
    workbook = await next_file(office, "document")
    assert workbook.document is not None and workbook.document.file_name == "laporan-1-renja-bappeda-kalbar.xlsx"
    book = load_workbook(io.BytesIO(await download(office, workbook)))
    rows = [[c.value for c in row] for row in book["Langkah"].iter_rows(min_row=2)]
    assert [(r[0], r[4], r[5], r[6], r[7], r[8]) for r in rows] == [
        (1, 1, 60, 50, 0, 0), (2, 1, 120, 160, 40, 0), (3, 2, 60, 47, 0, 1), (4, 2, 20, 16, 0, 1), (5, 2, 20, 14, 0, 1)
    ]
    assert rows[1][9] == "Agus, Budi (a.n. Forum SKPD)"
    table = await next_file(office, "document")
    assert table.document is not None and table.document.file_name == "laporan-1-renja-bappeda-kalbar.csv"
    parsed = list(csv.reader(io.StringIO((await download(office, table)).decode("utf-8-sig")), delimiter=";"))
    assert parsed[2][:9] == ["2", parsed[2][1], "Kepala Bidang, Forum SKPD", "120", "1", "120", "160", "40", "0"]
    albums = {m.extra.get("media_group_id") for m in (chart, workbook, table)}
    assert len(albums) == 1 and None not in albums  # summary + one album: two group messages
    assert office.emu.sent_to(office.group)[-4:] == [summary, chart, workbook, table]


async def test_laporan_semua_in_english_rolls_up_the_groups_runs(office: Office) -> None:
    budi = office.people["budi"]
    await finished_run(office)
    await office.ask(budi, "/bahasa en", "English")
    summary = await office.ask(budi, "/report all", "Report of all SOPs")
    assert "Menyusun Rencana Kerja</b>: runs 1, finished 1 · on time 88%" in (summary.raw_text or "")
    chart = await next_file(office, "document")
    assert chart.document is not None and chart.document.file_name == "report-all.png"
    workbook = await next_file(office, "document")
    assert workbook.document is not None and workbook.document.file_name == "report-all.xlsx"
    book = load_workbook(io.BytesIO(await download(office, workbook)))
    assert [c.value for c in book["Ringkasan"][2]][:4] == [SOP, "Menyusun Rencana Kerja", 1, 1]
    table = await next_file(office, "document")
    assert table.document is not None and table.document.file_name == "report-all.csv"


async def test_peta_shows_the_runs_progress_and_any_sop_anywhere(office: Office) -> None:
    budi, siti = office.people["budi"], office.people["siti"]
    fake_time(office)

    def two_steps_in() -> None:
        run_id = start(office.engine, SOP, PEOPLE, chat_id=GROUP_ID)
        holders = {role: uid for uid, _, role in PEOPLE}
        for _ in range(2):  # step 1, then Agus's part of step 2: Forum SKPD is up
            task = next(t for t in office.engine.current_tasks(run_id) if t.status == "active")
            act(office.engine, task, holders, PEOPLE[0][0])

    await asyncio.to_thread(two_steps_in)
    await office.say(budi, "/peta")
    page = await next_file(office, "photo")
    assert page.photo is not None and page.photo.file_name == "peta-1-renja-bappeda-kalbar.png"
    assert "#1 Renja 2027" in (page.caption or "") and "(1/1)" in (page.caption or "")
    sop = office.app.bot_data.sops.get(SOP)
    expected = render_flowchart(sop, done_steps={1}, current_step=2, current_actor_index=1, lang="id")
    assert await download(office, page) == expected[0]  # step 1 dimmed, Forum SKPD highlighted

    await office.say(siti, f"/peta {SOP}", chat=siti)
    plain = await next_file(office, "photo", siti)
    assert plain.photo is not None and plain.photo.file_name == f"peta-{SOP}.png"
    assert await download(office, plain) == render_flowchart(sop, lang="id")[0]
    assert await office.ask(siti, "/peta", "Pakai: /peta", chat=siti)
    assert await office.ask(siti, "/peta tidak-ada", "tidak ditemukan", chat=siti)


async def test_several_running_runs_are_told_apart_by_button_or_number(office: Office) -> None:
    budi = office.people["budi"]
    assert await office.ask(budi, "/laporan", "Belum ada SOP di grup ini yang bisa dilaporkan")
    fake_time(office)
    runs = [await asyncio.to_thread(start, office.engine, SOP, PEOPLE, chat_id=GROUP_ID) for _ in range(2)]
    picker = await office.ask(budi, "/report", "beberapa SOP berjalan")
    assert picker.callback_data == [f"pr|report|{run_id}" for run_id in runs]
    assert not (await office.press(budi, picker, "#2 Renja 2027")).show_alert
    pressed = await office.expect(office.group, "Laporan #2")
    assert "masih berjalan" in (pressed.text or "")
    chart = await next_file(office, "document")
    assert chart.document is not None and chart.document.file_name == "laporan-2-renja-bappeda-kalbar.png"
    first = await office.ask(budi, "/laporan 1", "Laporan #1")
    assert "masih berjalan" in (first.text or "")


async def test_peta_picker_buttons_are_checked_again_when_pressed(office: Office) -> None:
    budi = office.people["budi"]
    fake_time(office)
    runs = [await asyncio.to_thread(start, office.engine, SOP, PEOPLE, chat_id=GROUP_ID) for _ in range(2)]
    elsewhere = await asyncio.to_thread(start, office.engine, SOP, PEOPLE, chat_id=GROUP_ID - 1)
    picker = await office.ask(budi, "/flow", "beberapa SOP berjalan")
    assert picker.callback_data == [f"pr|flow|{run_id}" for run_id in runs]
    forged = await office.press_data(budi, picker, f"pr|flow|{elsewhere}")  # a run of another group
    assert forged.show_alert and "tidak berlaku" in (forged.text or "")
    assert not (await office.press(budi, picker, "#1 Renja 2027")).show_alert
    page = await next_file(office, "photo")
    assert page.photo is not None and page.photo.file_name == "peta-1-renja-bappeda-kalbar.png"


def test_a_chart_too_tall_for_a_photo_goes_as_a_document() -> None:
    def png(width: int, height: int) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, height), "white").save(out, format="PNG")
        return out.getvalue()

    assert fits_a_photo(png(1080, 2114)) and fits_a_photo(png(1080, 8900))
    assert not fits_a_photo(png(1080, 9000)) and not fits_a_photo(png(100, 2500))
