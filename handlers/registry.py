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

from handlers import actions, basic, buttons, delegations, reports, roles, runs, tasks
from handlers.errors import on_error

#: "apa selanjutnya?", "langkah berikutnya?", "what's next?" — any case, "?" optional.
WHATS_NEXT = re.compile(
    r"^\s*(apa\s+(langkah\s+)?selanjutnya|langkah\s+(berikutnya|selanjutnya)|what(['’]?s|\s+is)\s+next)\s*\??\s*$",
    re.IGNORECASE,
)

#: (Indonesian, English[, more aliases]) -> callback.
COMMANDS = (
    (("start",), basic.start),
    (("bantuan", "help"), basic.help_command),
    (("sop",), basic.sop_command),
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
    application.add_handler(CallbackQueryHandler(buttons.on_button))
    # 4. A file or photo captioned /selesai: confirm with evidence.
    files = filters.Document.ALL | filters.PHOTO
    done_caption = new & filters.CaptionRegex(tasks.CAPTION_DONE) & files
    application.add_handler(MessageHandler(done_caption, tasks.done_command))
    # 5. The plain question in a group (needs privacy mode off, or the bot as admin).
    question = new & filters.ChatType.GROUPS & filters.Regex(WHATS_NEXT) & ~filters.COMMAND
    application.add_handler(MessageHandler(question, runs.status_command))
    # 6. Replies to our messages: a reason prompt's answer, or evidence for a task.
    replies = new & filters.REPLY & (files | (filters.TEXT & ~filters.COMMAND))
    application.add_handler(MessageHandler(replies, actions.reply_message))
    # 7. A file sent privately that is not a reply: say how to attach it.
    application.add_handler(MessageHandler(new & filters.ChatType.PRIVATE & files, tasks.stray_file))
    # 8. Anything else that looks like a command.
    application.add_handler(MessageHandler(new & filters.COMMAND, basic.unknown_command))
    application.add_error_handler(on_error)
