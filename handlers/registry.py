"""All handler registration, in one place and in the order it matters.

Group -1 runs first for every update (allowed chats, chat and person records). In group
0 the first matching handler wins, so specific handlers come before general ones: the
commands, then button presses, then messages that carry meaning without a command
(a caption /selesai, the question "apa selanjutnya?", replies to our messages), and last
the catch-all for unknown commands.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from handlers import (
    basic, callback_router, catalog, catalog_review, delegations, monev, monev_survey, privacy, questions, reports,
    roles, runs, task_buttons, tasks,
)
from handlers.errors import on_error

#: A group upload: the document's caption is the command.
SOP_ADD_CAPTION = re.compile(r"^/sop(@\w+)?\s+(tambah|add)\b", re.IGNORECASE)
#: Documents a private chat hands to the SOP catalogue (the others are stray evidence).
SOP_DOCUMENTS = (filters.Document.FileExtension("docx") | filters.Document.FileExtension("xlsx")
                 | filters.Document.FileExtension("txt") | filters.Document.FileExtension("pdf"))

#: (Indonesian, English[, more aliases]) -> callback.
COMMANDS = (
    (("start",), basic.start),
    (("bantuan", "help"), basic.help_command),
    (("sop",), catalog.sop_command),
    (("mulai", "startrun"), runs.start_run),
    (("peran", "roles"), roles.roles_command),
    (("ambil", "claim"), roles.claim_command),
    (("lepas", "release"), roles.release_command),
    (("tetapkan", "assign"), roles.assign_command),
    (("cabut", "revoke"), roles.revoke_command),
    (("plh",), delegations.plh_command),
    (("plt",), delegations.plt_command),
    (("tugas", "mytasks"), tasks.tasks_command),
    (("selesai", "done"), tasks.done_command),
    (("wakili", "onbehalf"), tasks.on_behalf_command),
    (("status", "next", "lanjut"), runs.status_command),
    (("riwayat", "history"), runs.history_command),
    (("batal", "cancel"), runs.cancel_command),
    (("laporan", "report"), reports.report_command),
    (("peta", "flow"), reports.flow_command),
    (("monev", "review"), monev.monev_command),
    (("bahasa", "language"), basic.language_command),
    (("zona", "timezone"), basic.timezone_command),
)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Attach every handler and the error handler."""
    new = filters.UpdateType.MESSAGE  # an edited "/selesai" must not confirm twice
    # 1. Before anything else: allowed chats, chat/person records, the chat's language.
    application.add_handler(TypeHandler(Update, basic.prepare), group=-1)
    # 2. Commands, Indonesian first with their English aliases.
    for names, callback in COMMANDS:
        application.add_handler(CommandHandler(list(names), callback, filters=new))
    # 3. Inline buttons (one router; payloads are typed and re-checked).
    application.add_handler(CallbackQueryHandler(callback_router.on_button))
    # 4. A file or photo captioned /selesai: confirm with evidence; a document captioned
    #    /sop tambah in a group: an SOP upload.
    files = filters.Document.ALL | filters.PHOTO
    sop_caption = new & filters.ChatType.GROUPS & filters.Document.ALL & filters.CaptionRegex(SOP_ADD_CAPTION)
    application.add_handler(MessageHandler(sop_caption, catalog.add_command))
    done_caption = new & filters.CaptionRegex(tasks.CAPTION_DONE) & files
    application.add_handler(MessageHandler(done_caption, tasks.done_command))
    # 5. A question in plain words in a group ("giliran siapa?", bot.intents; needs privacy
    #    mode off, or the bot as admin), before replies: "lanjut?" replying to a notice asks.
    question = new & filters.ChatType.GROUPS & ~filters.COMMAND & questions.ASKS_ABOUT_THE_RUN
    application.add_handler(MessageHandler(question, questions.question_message))
    # 6. Replies to our messages: an SOP draft's question answered, a reason prompt's
    #    answer, or evidence for a task.
    draft_answer = new & filters.REPLY & filters.TEXT & ~filters.COMMAND & catalog_review.DraftPrompt()
    application.add_handler(MessageHandler(draft_answer, catalog_review.answer))
    replies = new & filters.REPLY & (files | (filters.TEXT & ~filters.COMMAND))
    application.add_handler(MessageHandler(replies, task_buttons.reply_message))
    # 7. A file sent privately that is not a reply: an SOP document is an upload; else say
    #    how to attach evidence.
    sop_document = new & filters.ChatType.PRIVATE & ~filters.REPLY & SOP_DOCUMENTS
    application.add_handler(MessageHandler(sop_document, catalog.private_document))
    application.add_handler(MessageHandler(new & filters.ChatType.PRIVATE & files, tasks.stray_file))
    # 8. Anything else that looks like a command.
    application.add_handler(MessageHandler(new & filters.COMMAND, basic.unknown_command))
    # 9. After a group's command has been answered: privacy mode, told to its admins once.
    group_command = new & filters.ChatType.GROUPS & filters.COMMAND
    application.add_handler(MessageHandler(group_command, privacy.notice_once), group=1)
    application.add_error_handler(on_error)
    # 10. Monev questionnaires of finished runs, sent by their own job (not the outbox).
    interval = application.bot_data.settings.monev_invite_seconds
    if interval and application.job_queue is not None:
        application.job_queue.run_repeating(monev_survey.invite_job, interval=interval, first=interval,
                                            name="monev-questionnaires")
