"""/laporan (/report) and /peta (/flow): a run's times and its flowchart, in the group.

/laporan [no] sends a short summary, the chart as a photo, and the .xlsx and .csv files;
/laporan semua (/report all) does the same for every running and finished run of the
group. /peta [no] shows the run's SOP (the version it started with) with its progress;
/peta ID shows any SOP, in any chat. Figures, charts, workbooks and flowcharts are CPU
work and database reads, so they are made in a worker thread (:func:`do`).

Which run: a number, else the only running one, else the group's latest run (a report is
most wanted right after a run ends). With several running, the answer lists them and asks
for a number: the run picker's buttons route only the commands that own them.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from telegram import Update
from telegram.constants import ChatAction

from bot.engine.views import RunView
from bot.render import render_flowchart
from bot.reports import ChatReport, Reports, RunReport
from bot.reports.labels import percent
from bot.reports.workbook import people_text
from handlers.common import Refusal, args_of, is_group, lang_of, number_arg, reply, require_group
from handlers.context import Context
from handlers.render import esc, minutes, run_title
from handlers.services import do, engine
from handlers.texts import t

ALL_RUNS = ("semua", "all")
PHOTO_MAX_SIDES, PHOTO_MAX_RATIO = 10_000, 20


def reports(context: Context) -> Reports:
    """Reports over the bot's database, measured with the engine's calendars and clock."""
    return Reports.for_engine(engine(context))


def command_name(update: Update) -> str:
    """The alias the person typed (laporan, report, peta, flow), for hints in their words."""
    text = update.effective_message.text if update.effective_message else None
    return (text or "/laporan").split()[0].lstrip("/").split("@")[0].lower()


async def pick_run(update: Update, context: Context) -> RunView | None:
    """The run meant: by number, the only running one, or the latest; several running: ask."""
    chat, lang = require_group(update), lang_of(context)
    number = number_arg(context)
    if number is None:
        running = await do(engine(context).active_runs, chat.id)
        if len(running) > 1:
            lines = "\n".join(t(lang, "report_run_line", number=r.number, title=run_title(r)) for r in running)
            command = command_name(update)
            await reply(update, t(lang, "report_choose_run", runs=lines, command=command, example=running[0].number))
            return None
        if running:
            return running[0]
        number = await do(reports(context).latest_run_number, chat.id)
        if number is None:
            raise Refusal("report_no_runs")
    return await do(engine(context).run_by_number, chat.id, number)


def fits_a_photo(png: bytes) -> bool:
    """Telegram refuses photos over 10,000 px in width + height or 20:1 (a group with many SOPs)."""
    width, height = struct.unpack(">II", png[16:24])  # the PNG header's IHDR chunk
    return width + height <= PHOTO_MAX_SIDES and max(width, height) <= PHOTO_MAX_RATIO * min(width, height)


async def send_file(update: Update, context: Context, kind: str, data: bytes, filename: str,
                    caption: str | None = None) -> None:
    """A photo (a document if too big for one) or document into the chat and topic asked from."""
    message = update.effective_message
    assert message is not None
    where = {"message_thread_id": message.message_thread_id if message.is_topic_message else None}
    if kind == "photo" and fits_a_photo(data):
        await context.bot.send_photo(message.chat_id, data, caption=caption, filename=filename, **where)
    else:
        await context.bot.send_document(message.chat_id, data, caption=caption, filename=filename, **where)


# -- /laporan ------------------------------------------------------------------------------
async def report_command(update: Update, context: Context) -> None:
    """/laporan [no|semua]: standard against actual working time, step by step."""
    chat = require_group(update)
    args = args_of(context)
    if args and args[0].lower() in ALL_RUNS:
        await send_chat_report(update, context, chat.id)
        return
    run = await pick_run(update, context)
    if run is not None:
        await send_run_report(update, context, run)


async def send_run_report(update: Update, context: Context, run: RunView) -> None:
    """Summary text, chart photo, workbook and CSV of one run."""
    lang, service = lang_of(context), reports(context)
    await context.bot.send_chat_action(run.chat_id, ChatAction.UPLOAD_DOCUMENT)
    report = await do(service.run_report, run.id)
    files = await do(service.run_files, report, lang)
    await reply(update, run_summary(report, lang))
    stem = f"{t(lang, 'report_file_stem')}-{report.number}-{report.sop_id}"
    caption = t(lang, "report_chart_caption", number=report.number, title=esc(report.title, 80))
    await send_file(update, context, "photo", files.chart, f"{stem}.png", caption)
    await send_file(update, context, "document", files.xlsx, f"{stem}.xlsx")
    await send_file(update, context, "document", files.csv, f"{stem}.csv")


def run_summary(report: RunReport, lang: str) -> str:
    """The few lines worth reading in the chat; the files carry every step."""
    lines = [
        t(lang, "report_header", number=report.number, title=esc(report.title, 80), sop=esc(report.sop_nama, 80),
          status=t(lang, f"report_status_{report.status}")),
        t(lang, "report_totals", standard=minutes(report.standard_total_minutes, lang),
          actual=minutes(report.actual_total_minutes, lang)),
    ]
    late = [s for s in report.steps if s.overdue_minutes > 0]
    lines.append(t(lang, "report_overdue", late=minutes(report.overdue_total_minutes, lang), count=len(late))
                 if late else t(lang, "report_all_on_time"))
    if report.returns_total:
        lines.append(t(lang, "report_returns", count=report.returns_total))
    if report.bottlenecks:
        lines += ["", t(lang, "report_bottlenecks")]
    for rank, step in enumerate(report.bottlenecks, 1):
        extra = t(lang, "report_late", late=minutes(step.overdue_minutes, lang)) if step.overdue_minutes > 0 else ""
        lines.append(t(lang, "report_bottleneck_line", rank=rank, no=step.no,
                       actual=minutes(step.actual_minutes, lang), standard=minutes(step.standard_total_minutes, lang),
                       late=extra, people=esc(people_text(step, lang) or "-", 200)))
    lines += ["", t(lang, "report_files")]
    return "\n".join(lines)


async def send_chat_report(update: Update, context: Context, chat_id: int) -> None:
    """Every running and finished run of the group, per SOP and step."""
    lang, service = lang_of(context), reports(context)
    report = await do(service.chat_report, chat_id)
    if not report.sops:
        raise Refusal("report_no_runs")
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    files = await do(service.chat_files, report, lang)
    await reply(update, chat_summary(report, lang))
    stem = f"{t(lang, 'report_file_stem')}-{t(lang, 'report_all_stem')}"
    await send_file(update, context, "photo", files.chart, f"{stem}.png", t(lang, "report_all_chart_caption"))
    await send_file(update, context, "document", files.xlsx, f"{stem}.xlsx")
    await send_file(update, context, "document", files.csv, f"{stem}.csv")


def chat_summary(report: ChatReport, lang: str) -> str:
    lines = [t(lang, "report_all_header", runs=report.runs)]
    for sop in report.sops:
        average = ""
        if sop.average_run_minutes is not None:
            average = t(lang, "report_all_average", actual=minutes(sop.average_run_minutes, lang),
                        standard=minutes(sop.standard_minutes, lang))
        lines.append(t(lang, "report_all_sop", sop=esc(sop.nama, 80), runs=sop.runs, finished=sop.finished_runs,
                       rate=percent(sop.on_time_rate), average=average))
        measured = [s for s in sop.steps if s.on_time_rate is not None and s.on_time_rate < 1]
        if measured:
            worst = min(measured, key=lambda s: (s.on_time_rate or 0.0, s.no))
            lines.append(t(lang, "report_all_worst", no=worst.no, rate=percent(worst.on_time_rate)))
    lines += ["", t(lang, "report_files")]
    return "\n".join(lines)


# -- /peta ---------------------------------------------------------------------------------
async def flow_command(update: Update, context: Context) -> None:
    """/peta [no|ID]: the run's flowchart with its progress, or any SOP's flowchart."""
    lang, args = lang_of(context), args_of(context)
    if args and number_arg(context) is None:
        sop = context.bot_data.sops.get(args[0].lower())
        if sop is None:
            raise Refusal("sop_unknown", id=esc(args[0], 48))
        pages = await do(render_flowchart, sop, lang=lang)
        captions = [t(lang, "flow_caption", sop=esc(sop.nama, 80), page=i, pages=len(pages))
                    for i in range(1, len(pages) + 1)]
        await send_pages(update, context, pages, captions, f"{t(lang, 'flow_file_stem')}-{sop.id}")
        return
    if not is_group(update):
        raise Refusal("flow_usage")
    run = await pick_run(update, context)
    if run is None:
        return
    facts, progress = await do(reports(context).progress, run.id)
    pages = await do(render_flowchart, facts.sop, done_steps=progress.done_steps, current_step=progress.current_step,
                     current_actor_index=progress.current_actor_index, lang=lang)
    captions = [t(lang, "flow_caption_run", number=run.number, title=run_title(run), sop=esc(facts.sop.nama, 80),
                  page=i, pages=len(pages)) for i in range(1, len(pages) + 1)]
    await send_pages(update, context, pages, captions, f"{t(lang, 'flow_file_stem')}-{run.number}-{facts.sop.id}")


async def send_pages(update: Update, context: Context, pages: Sequence[bytes], captions: Sequence[str],
                     stem: str) -> None:
    """One photo per page, in order (an album would drop the per-page captions)."""
    for index, (page, caption) in enumerate(zip(pages, captions), 1):
        name = f"{stem}.png" if len(pages) == 1 else f"{stem}-{index}.png"
        await send_file(update, context, "photo", page, name, caption)
