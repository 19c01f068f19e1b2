"""Questions in plain words in a group ("giliran siapa?", "udh sampe mana nih?",
"what's next?"): recognised by :mod:`bot.intents`, answered with the run's status.

They reach the bot only with privacy mode off (or the bot as admin); see
:mod:`handlers.privacy`.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import filters

from bot.intents import recognise
from handlers import actions, runs
from handlers.context import Context
from handlers.services import choose_run


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
        await actions.reply_message(update, context)  # "lanjut?" typed as the reason asked for
        return
    run = await choose_run(update, context, "status")
    if run is not None:  # in a busy group the answer quotes the question it answers
        await runs.show_status(update, context, run, quote=True)
