"""/laporan (/report) and /peta (/flow): a run's times and its flowchart, in the group.

/laporan [no] sends a short summary, the chart as a photo, and the .xlsx and .csv files;
/laporan semua (/report all) does the same for every running and finished run of the
group. /peta [no] shows the run's SOP (the version it started with) with its progress;
/peta ID shows any SOP, in any chat. Figures, charts, workbooks and flowcharts are CPU
work and database reads, so they are made in a worker thread (:func:`do`); the libraries
that make them (matplotlib, openpyxl: about two seconds) are imported there on first use,
so the bot starts without them.

Which run: a number, else the only running one, else the group's latest run (a report is
most wanted right after a run ends). With several running, the run picker asks with
buttons, as for /status; a press comes back through :mod:`handlers.callback_router`.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from telegram import InputMediaDocument, Update
from telegram.constants import ChatAction

from bot.engine.views import RunView
from handlers.common import Refusal, args_of, is_group, lang_of, number_arg, reply, require_group
from handlers.context import Context
from handlers.ui.formatting import esc, minutes, run_title, standard_time
from handlers.engine_calls import do, engine
from handlers.run_lookup import choose_run
from handlers.ui.texts import t

if TYPE_CHECKING:
    from bot.engine import SopEngine
    from bot.reports import ChatReport, Progress, ReportFiles, Reports, RunFacts, RunReport
    from bot.domain.sop import SopDefinition

ALL_RUNS = ("semua", "all")
PHOTO_MAX_SIDES, PHOTO_MAX_RATIO = 10_000, 20


# -- in a worker thread: the report and drawing libraries load here, on first use -----------
def reports(eng: SopEngine) -> Reports:
    """Reports over the bot's database, measured with the engine's calendars and clock."""
    from bot.reports import Reports  # matplotlib and openpyxl, not at start-up

    return Reports.for_engine(eng)


def make_run_report(eng: SopEngine, run_id: int, lang: str) -> tuple[RunReport, ReportFiles, str]:
    """One run's report, its files and its summary text."""
    service = reports(eng)
    report = service.run_report(run_id)
    return report, service.run_files(report, lang), run_summary(report, lang)


def make_chat_report(eng: SopEngine, chat_id: int) -> ChatReport:
    """Every run of a group, per SOP and step."""
    return reports(eng).chat_report(chat_id)


def make_chat_files(eng: SopEngine, report: ChatReport, lang: str) -> tuple[ReportFiles, str]:
    """The group report's files and its summary text."""
    return reports(eng).chat_files(report, lang), chat_summary(report, lang)


def run_progress(eng: SopEngine, run_id: int) -> tuple[RunFacts, Progress]:
    """A run's pinned SOP and how far it got."""
    return reports(eng).progress(run_id)


def draw_flowchart(sop: SopDefinition, **progress: Any) -> list[bytes]:
    """The flowchart's PNG pages (see :func:`bot.flowchart.render_flowchart`)."""
    from bot.flowchart import render_flowchart  # matplotlib, not at start-up

    return render_flowchart(sop, **progress)


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
    run = await choose_run(update, context, "report")
    if run is not None:
        await send_run_report(update, context, run)


async def send_run_report(update: Update, context: Context, run: RunView) -> None:
    """Summary text, chart photo, workbook and CSV of one run."""
    lang = lang_of(context)
    await context.bot.send_chat_action(run.chat_id, ChatAction.UPLOAD_DOCUMENT)
    report, files, summary = await do(make_run_report, engine(context), run.id, lang)
    await reply(update, summary)
    stem = f"{t(lang, 'report_file_stem')}-{report.number}-{report.sop_id}"
    caption = t(lang, "report_chart_caption", number=report.number, title=esc(report.title, 80))
    await send_album(update, context, [(files.chart, f"{stem}.png", caption), (files.xlsx, f"{stem}.xlsx", None),
                                       (files.csv, f"{stem}.csv", None)])


async def send_album(update: Update, context: Context, files: list[tuple[bytes, str, str | None]]) -> None:
    """The report's files as one album of documents, the chart first (groups get 20 messages
    a minute; Telegram groups documents only with documents, so the chart goes as one too)."""
    message = update.effective_message
    assert message is not None
    media = [InputMediaDocument(data, caption=caption, filename=name) for data, name, caption in files]
    thread = message.message_thread_id if message.is_topic_message else None
    await context.bot.send_media_group(message.chat_id, media, message_thread_id=thread)


def run_summary(report: RunReport, lang: str) -> str:
    """The few lines worth reading in the chat; the files carry every step."""
    from bot.reports.workbook import people_text  # loaded with the report

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
        people = people_text(step, lang)
        lines.append(t(lang, "report_bottleneck_line", rank=rank, no=step.no,
                       actual=minutes(step.actual_minutes, lang), standard=standard_time(step.standard_total_minutes, lang),
                       late=extra, people=f" — {esc(people, 200)}" if people else ""))
    lines += ["", t(lang, "report_files")]
    return "\n".join(lines)


async def send_chat_report(update: Update, context: Context, chat_id: int) -> None:
    """Every running and finished run of the group, per SOP and step."""
    lang = lang_of(context)
    report = await do(make_chat_report, engine(context), chat_id)
    if not report.sops:
        raise Refusal("report_no_runs")
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    files, summary = await do(make_chat_files, engine(context), report, lang)
    await reply(update, summary)
    stem = f"{t(lang, 'report_file_stem')}-{t(lang, 'report_all_stem')}"
    await send_album(update, context, [(files.chart, f"{stem}.png", t(lang, "report_all_chart_caption")),
                                       (files.xlsx, f"{stem}.xlsx", None), (files.csv, f"{stem}.csv", None)])


def chat_summary(report: ChatReport, lang: str) -> str:
    """Per SOP: runs, on-time rate, average time and the step most often late."""
    from bot.reports.labels import percent  # loaded with the report

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
        chat = update.effective_chat  # a group's own SOP is drawn in that group only
        scope = chat.id if chat is not None and is_group(update) else None
        sop = await do(context.bot_data.sops.get_for, args[0].lower()[:48], scope)
        if sop is None:
            raise Refusal("sop_unknown", id=esc(args[0], 48))
        pages = await do(draw_flowchart, sop, lang=lang)
        captions = [t(lang, "flow_caption", sop=esc(sop.nama, 80), page=i, pages=len(pages))
                    for i in range(1, len(pages) + 1)]
        await send_pages(update, context, pages, captions, f"{t(lang, 'flow_file_stem')}-{sop.id}")
        return
    if not is_group(update):
        raise Refusal("flow_usage")
    run = await choose_run(update, context, "flow")
    if run is not None:
        await send_run_flow(update, context, run)


async def send_run_flow(update: Update, context: Context, run: RunView) -> None:
    """A run's flowchart: its pinned SOP, steps done dimmed, the current actor highlighted."""
    lang = lang_of(context)
    facts, progress = await do(run_progress, engine(context), run.id)
    pages = await do(draw_flowchart, facts.sop, done_steps=progress.done_steps, current_step=progress.current_step,
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
