"""Questions in plain words in a group ("giliran siapa?", "udh sampe mana nih?",
"what's next?"): recognised by :mod:`bot.intents`, each kind answered as a colleague
would (:mod:`handlers.ui.answers`): whose turn → who must act now; where → step n of m and
what is done; how late → working time used against the standard; what's next → the status.

They reach the bot only with privacy mode off (or the bot as admin); see
:mod:`handlers.privacy`.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import filters

from bot.engine.views import RunView
from bot.intents import Intent, recognise
from handlers import runs, task_buttons
from handlers.common import lang_of, reply
from handlers.context import Context
from handlers.reports import run_progress
from handlers.engine_calls import do, engine
from handlers.run_lookup import chat_timezone, choose_run
from handlers.ui import answers


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    target = message.reply_to_message
    return target is not None and target.from_user is not None and target.from_user.id == bot_id


class AsksAboutTheRun(filters.MessageFilter):
    """A text that asks what's next, whose turn it is, where the run is or how late."""

    def filter(self, message: Message) -> bool:
        if not message.text:
            return False
        bot = message.get_bot()
        return recognise(message.text, bot_username=bot.username, reply_to_bot=_replies_to_bot(message, bot.id)) is not None


ASKS_ABOUT_THE_RUN = AsksAboutTheRun(name="AsksAboutTheRun")


async def question_message(update: Update, context: Context) -> None:
    """Answer with the status of the group's run (or ask which run); a prompt's answer stays one."""
    message = update.effective_message
    assert message is not None
    target = message.reply_to_message
    if target is not None and (target.chat_id, target.message_id) in context.bot_data.prompts:
        await task_buttons.reply_message(update, context)  # "lanjut?" typed as the reason asked for
        return
    bot = context.bot
    intent = recognise(message.text or "", bot_username=bot.username, reply_to_bot=_replies_to_bot(message, bot.id))
    run = await choose_run(update, context, "status")
    if run is None:
        return
    if intent in (Intent.WHO, Intent.WHERE, Intent.LATE):  # in a busy group the answer quotes the question
        await reply(update, await _answer(context, run, intent), quote=True)
    else:
        await runs.show_status(update, context, run, quote=True)


async def _answer(context: Context, run: RunView, intent: Intent) -> str:
    view = await do(engine(context).status, run.id)
    tz, lang = await chat_timezone(context, run.chat_id), lang_of(context)
    if intent is Intent.WHO:
        return answers.whose_turn(view, tz, lang)
    if intent is Intent.LATE:
        return answers.how_late(view, tz, lang)
    facts, progress = await do(run_progress, engine(context), run.id)
    return answers.where_we_are(view, len(facts.sop.steps), progress.done_steps, tz, lang)
