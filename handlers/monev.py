"""/monev (/review): the period's monitoring and evaluation forms, the Paraf, the Tindakan.

``/monev [periode]`` in a group, for the SOP's supervisor, a run's coordinator or a group
admin: a summary per SOP (assessment, Catatan, Tindakan, the actors' evaluation), the
✍️ Paraf button while the period is open, then ``monev-<periode>.docx``, ``.xlsx`` and the
chart. In private it covers every group where the person coordinates or supervises, and
every group with runs where Telegram says they are an admin (one getChatMember per group,
the most recently used ``MAX_ADMIN_LOOKUPS`` groups; the Paraf is pressed in each group). ``/monev tindakan [periode] NO teks`` (periode: a semester or two dates) lets the supervisor
replace a row's proposed Tindakan before signing off (``-`` restores the proposal).
Forms are computed in a worker thread; the libraries that write them load there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.domain import permissions
from handlers.ui import callback_data as cb
from handlers.common import Refusal, acknowledge, args_of, edit_pressed, is_group, lang_of, reply
from handlers.context import Context
from handlers.ui.formatting import esc, mention
from handlers.reports import send_file
from handlers.actor_facts import actor, is_admin
from handlers.engine_calls import do, engine, me
from handlers.ui.texts import t

if TYPE_CHECKING:
    from bot.engine.views import UserRef
    from bot.monev.model import MonevForm
    from bot.monev.period import Period
    from bot.monev.service import Monev, MonevFiles

ACTION_WORDS = ("tindakan", "action")
MESSAGE_LIMIT = 4096
#: Groups a private /monev asks Telegram about (is the person an admin there?), newest first.
MAX_ADMIN_LOOKUPS = 25


# -- in a worker thread ---------------------------------------------------------------------
def service(context: Context) -> Monev:
    from bot.monev.service import Monev

    return Monev.for_engine(engine(context), context.bot_data.settings)


def make_form(monev: Monev, chat_ids: list[int], words: list[str], chat_id: int | None) -> MonevForm:
    """The form of `chat_ids` for the period the words name (refusals for bad input)."""
    from bot.monev.service import NoRuns

    period = parse(monev, words, chat_id)
    try:
        return monev.form(chat_ids, period)
    except NoRuns:
        raise Refusal("monev_no_runs", period=period.key) from None


def parse(monev: Monev, words: list[str], chat_id: int | None) -> Period:
    from bot.monev.period import PeriodError, parse_period

    try:
        return parse_period(words, monev.today(chat_id))
    except PeriodError as exc:
        raise Refusal(f"monev_period_{exc.code}", text=esc(exc.text, 60)) from None


def make_files(form: MonevForm, lang: str) -> MonevFiles:
    from bot.monev.service import Monev

    return Monev.files(form, lang)


# -- who may see ----------------------------------------------------------------------------
async def standing(context: Context, user_id: int, chat_id: int | None = None) -> dict[int, set[str]]:
    monev = service(context)
    return await do(monev.standing, user_id, None if chat_id is None else [chat_id])


async def require_viewer(update: Update, context: Context, chat_id: int) -> set[str]:
    """What the person is in the group; refused unless supervisor, coordinator or admin."""
    user = me(update)
    found = (await standing(context, user.id, chat_id)).get(chat_id, set())
    if not permissions.may_view_monev(await actor(context, chat_id, user.id, ask_admin=not found), found):
        raise Refusal("monev_not_allowed")
    return found


async def private_chats(context: Context, user_id: int) -> list[int]:
    """The groups a private /monev covers: coordinated or supervised, or administered."""
    found = set(await standing(context, user_id))
    candidates = [c for c in await do(service(context).run_chat_ids) if c not in found]
    for chat_id in candidates[:MAX_ADMIN_LOOKUPS]:
        try:
            if await is_admin(context, chat_id, user_id):
                found.add(chat_id)
        except TelegramError:  # the bot left the group, or the person is not in it
            continue
    return sorted(found)


async def require_supervisor(update: Update, context: Context, chat_id: int) -> None:
    if "supervisor" not in (await standing(context, me(update).id, chat_id)).get(chat_id, set()):
        raise Refusal("monev_only_supervisor")


# -- /monev ---------------------------------------------------------------------------------
async def monev_command(update: Update, context: Context) -> None:
    """/monev [periode] | /monev tindakan [periode] NO teks."""
    args = args_of(context)
    if args and args[0].lower() in ACTION_WORDS:
        await set_action(update, context, args[1:])
        return
    chat = update.effective_chat
    assert chat is not None
    if is_group(update):
        roles = await require_viewer(update, context, chat.id)
        chat_ids = [chat.id]
    else:
        chat_ids = await private_chats(context, me(update).id)
        roles = set()
        if not chat_ids:
            raise Refusal("monev_not_allowed_private")
    form = await do(make_form, service(context), chat_ids, args, chat.id if is_group(update) else None)
    await send_form(update, context, form, offer_paraf="supervisor" in roles)


async def send_form(update: Update, context: Context, form: MonevForm, offer_paraf: bool) -> None:
    """The summary (with ✍️ Paraf while open, for the supervisor), then the documents."""
    lang = lang_of(context)
    await context.bot.send_chat_action(update.effective_chat.id, ChatAction.UPLOAD_DOCUMENT)  # type: ignore[union-attr]
    files = await do(make_files, form, lang)
    markup = None
    if offer_paraf and not form.parafs:
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(
            t(lang, "btn_paraf"), callback_data=cb.MonevSign(form.period).encode())]])
    await reply(update, summary(form, lang), markup)
    stem = f"monev-{form.period}"
    await send_file(update, context, "document", files.docx, f"{stem}.docx")
    await send_file(update, context, "document", files.xlsx, f"{stem}.xlsx")
    await send_file(update, context, "photo", files.chart, f"{stem}.png", t(lang, "monev_chart_caption", key=form.period))


def summary(form: MonevForm, lang: str) -> str:
    """Per SOP: the assessment, Catatan, Tindakan and the share of Ya per criterion."""
    from bot.monev.labels import local_time
    from bot.monev.sentences import assessment_text, catatan, tindakan

    lines = [t(lang, "monev_header", first=form.first, last=form.last, key=form.period)]
    evaluation = {(e.chat_id, e.sop_id): e for e in form.evaluation}
    several = len({r.chat_id for r in form.monitoring}) > 1
    for no, row in enumerate(form.monitoring, 1):
        lines.append(t(lang, "monev_row", no=no, sop=esc(row.nama, 80),
                       group=f" — {esc(row.chat_title, 60)}" if several else "",
                       assessment=assessment_text(row.assessment, lang), notes=esc(catatan(row, lang), 900),
                       action=esc(tindakan(row, lang), 500),
                       own=t(lang, "monev_own_action") if row.action_override else ""))
        found = evaluation.get((row.chat_id, row.sop_id))
        if found is not None:
            shares = "".join(f" · {i}: {round(100 * c.yes / c.answered)}%"
                             for i, c in enumerate(found.criteria, 1) if c.answered)
            lines.append(t(lang, "monev_evaluation", responded=found.responded, invited=found.invited, shares=shares))
    lines.append(t(lang, "monev_rule", rule=form.rule.describe(lang)))
    if several:
        groups = ", ".join(f"{esc(r.chat_title, 40)}: {'✍️' if form.paraf_for(r.chat_id) else '—'}"
                           for r in {r.chat_id: r for r in form.monitoring}.values())
        lines.append(t(lang, "monev_paraf_groups", groups=groups))
    elif form.parafs:
        paraf = form.parafs[0]
        lines.append(t(lang, "monev_paraf_done", name=esc(paraf.name, 64),
                       when=local_time(paraf.signed_at, form.timezone)))
    else:
        lines.append(t(lang, "monev_paraf_open", key=form.period))
    lines += ["", t(lang, "monev_files")]
    return "\n".join(lines)


async def paraf_button(update: Update, context: Context, data: cb.MonevSign) -> None:
    """✍️ Paraf: freeze the group's period with the supervisor's sign-off."""
    query = update.callback_query
    assert query is not None and query.message is not None
    chat_id = query.message.chat.id
    await require_supervisor(update, context, chat_id)
    person = me(update)
    form = await _sign_off(context, chat_id, data.period, person)
    await acknowledge(query)
    lang = lang_of(context)
    text = summary(form, lang)
    if len(text) <= MESSAGE_LIMIT:
        await edit_pressed(query, text)
    else:  # a long form was sent in parts: only its button goes
        await edit_pressed(query, None, None)
    await reply(update, t(lang, "monev_signed", key=form.period, user=mention(person)))


async def _sign_off(context: Context, chat_id: int, period_key: str, person: UserRef) -> MonevForm:
    """The supervisor's sign-off of the period, its refusals worded."""
    from bot.monev.period import period_from_key
    from bot.monev.service import NoRuns
    from bot.monev.store import MonevRefused

    try:
        return await do(service(context).sign_off, chat_id, period_from_key(period_key), person.id,
                        person.first_name or str(person.id))
    except MonevRefused:
        raise Refusal("monev_already_signed") from None
    except NoRuns:
        raise Refusal("monev_no_runs", period=period_key) from None


async def set_action(update: Update, context: Context, words: list[str]) -> None:
    """/monev tindakan [periode] NO teks: the supervisor's own Tindakan for one row."""
    from bot.monev.store import MonevRefused

    lang = lang_of(context)
    chat = update.effective_chat
    if not is_group(update) or chat is None:
        raise Refusal("group_only")
    period_words, no, text = _action_words(words)
    await require_supervisor(update, context, chat.id)
    monev = service(context)
    form = await do(make_form, monev, [chat.id], period_words, chat.id)
    if not 1 <= no <= len(form.monitoring):
        raise Refusal("monev_row_unknown", no=no, period=form.period)
    row = form.monitoring[no - 1]
    period = await do(parse, monev, period_words, chat.id)
    try:
        await do(monev.set_action, chat.id, period, row.sop_id, "" if text.strip() == "-" else text, me(update).id)
    except MonevRefused as exc:
        raise Refusal("monev_already_signed" if exc.code == "locked" else "monev_too_long") from None
    key = "monev_action_reset" if text.strip() == "-" else "monev_action_saved"
    await reply(update, t(lang, key, sop=esc(row.nama, 80), key=form.period, text=esc(text, 500)))


def _action_words(words: list[str]) -> tuple[list[str], int, str]:
    """/monev tindakan's words: (the period's words, the row number, the Tindakan)."""
    from bot.monev.period import split_period_words

    period_words, rest = split_period_words(words)
    if len(rest) < 2 or not rest[0].isascii() or not rest[0].isdigit() or len(rest[0]) > 4:
        raise Refusal("monev_action_usage")
    return period_words, int(rest[0]), " ".join(rest[1:])

