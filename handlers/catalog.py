"""/sop: the SOP catalogue in chat. Listing, an entry's versions, uploads, downloads, withdrawal.

``/sop`` lists what this chat may start (whole-bot SOPs and, in a group, the group's own);
``/sop ID`` summarizes one with its version history; ``/sop tambah`` (replying to a
document in a group) and a document sent privately make a draft (see
:mod:`handlers.catalog_review` for its review); ``/sop unduh ID [versi]`` sends YAML, DOCX
and XLSX; ``/sop tarik ID`` withdraws after a confirmation button, ``/sop pulihkan ID``
undoes it. Downloads, imports and drawings run in worker threads.
"""

from __future__ import annotations

import logging

from telegram import Document, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.catalog.rules import visible_in
from bot.catalog.upload import ACCEPTED, MAX_BYTES, UploadError, import_bytes, safe_name, suffix_of
from bot.catalog.views import CatalogItem
from bot.domain.sop import SopDefinition
from handlers.ui import callback_data as cb
from handlers.ui import catalog_text as view
from handlers.ui import keyboards, formatting
from handlers.catalog_review import send_new_draft, show_review
from handlers.catalog_services import call, desk, manager_of
from handlers.common import Refusal, acknowledge, args_of, edit_pressed, is_group, lang_of, reply
from handlers.context import Context
from handlers.ui.formatting import esc, mention
from handlers.reports import send_file
from handlers.actor_facts import person_ref
from handlers.engine_calls import do, me
from handlers.run_lookup import chat_timezone
from handlers.ui.texts import t

logger = logging.getLogger(__name__)


#: English words for the subcommands (the Indonesian ones are canonical).
SUBCOMMANDS = {"add": "tambah", "download": "unduh", "withdraw": "tarik", "restore": "pulihkan"}


def _chat_scope(update: Update) -> int | None:
    chat = update.effective_chat
    return chat.id if chat is not None and is_group(update) else None


async def sop_command(update: Update, context: Context) -> None:
    """/sop [ID | tambah | unduh ID [versi] | tarik ID | pulihkan ID]."""
    args = args_of(context)
    word = SUBCOMMANDS.get(args[0].lower(), args[0].lower()) if args else ""
    if word == "tambah":
        await add_command(update, context)
    elif word == "unduh":
        await download(update, context, args[1:])
    elif word in ("tarik", "pulihkan"):
        await ask_status(update, context, word, args[1:])
    elif args:
        await show_entry(update, context, word)
    else:
        await show_list(update, context, 0)


async def show_list(update: Update, context: Context, page: int) -> None:
    lang, chat_id = lang_of(context), _chat_scope(update)
    items = await do(desk(context).listed_in, chat_id)
    pages = max(1, -(-len(items) // formatting.SOP_PAGE_SIZE))
    await reply(update, view.catalog_list(items, page, chat_id, lang), keyboards.sop_pages(page, pages, lang))


async def sop_page(update: Update, context: Context, data: cb.SopPage) -> None:
    """Turn a page of the SOP list."""
    query, lang, chat_id = update.callback_query, lang_of(context), _chat_scope(update)
    assert query is not None
    items = await do(desk(context).listed_in, chat_id)
    pages = max(1, -(-len(items) // formatting.SOP_PAGE_SIZE))
    page = min(data.page, pages - 1)
    await acknowledge(query)
    await edit_pressed(query, view.catalog_list(items, page, chat_id, lang), keyboards.sop_pages(page, pages, lang))


async def visible_item(update: Update, context: Context, sop_id: str) -> CatalogItem:
    """An entry this chat may see (withdrawn ones too), else "not found" (another group's stays hidden)."""
    item = await do(desk(context).item, sop_id.lower()[:48])
    if item is None or not visible_in(item.scope_chat_id, _chat_scope(update)):
        raise Refusal("sop_unknown", id=esc(sop_id, 48))
    return item


async def show_entry(update: Update, context: Context, sop_id: str) -> None:
    """/sop ID: roles, steps and the version history."""
    lang = lang_of(context)
    item = await visible_item(update, context, sop_id)
    versions = await call(context, desk(context).publisher.history, item.sop_id)
    ids = {v.published_by for v in versions if v.published_by} | ({item.changed_by} if item.changed_by else set())
    people = {i: mention(await person_ref(context, i)) for i in ids}
    chat = update.effective_chat
    tz = await chat_timezone(context, chat.id) if chat is not None else context.bot_data.settings.default_timezone
    text = formatting.sop_summary(item.definition, lang)
    if versions:
        text += "\n\n" + view.history(item, versions, people, _chat_scope(update), tz, lang)
    await reply(update, text)


# -- withdraw / restore ------------------------------------------------------------------------
async def ask_status(update: Update, context: Context, word: str, args: list[str]) -> None:
    """/sop tarik ID asks first (buttons); /sop pulihkan ID restores at once."""
    if not args:
        raise Refusal("catalog_usage")
    lang, item = lang_of(context), await visible_item(update, context, args[0])
    if not (await manager_of(update, context)).may_manage(item.scope_chat_id):
        raise Refusal("catalog_not_allowed")
    if word == "pulihkan":
        await set_status(update, context, "pulih", item.sop_id)
        return
    markup = InlineKeyboardMarkup([[view.button(t(lang, "btn_withdraw"), cb.SopStatus("tarik", item.sop_id)),
                                    view.button(t(lang, "btn_keep_sop"), cb.SopStatus("batal", item.sop_id))]])
    text = t(lang, "catalog_withdraw_confirm", name=esc(item.definition.nama), id=item.sop_id)
    await reply(update, text, markup)


async def status_button(update: Update, context: Context, data: cb.SopStatus) -> None:
    """⛔ or Cancel under the withdraw question (re-checked: only who may manage the entry)."""
    query = update.callback_query
    assert query is not None
    item = await visible_item(update, context, data.sop_id)
    if not (await manager_of(update, context)).may_manage(item.scope_chat_id):
        raise Refusal("catalog_not_allowed")
    if data.action == "batal":
        await acknowledge(query, t(lang_of(context), "catalog_kept"))
        await edit_pressed(query)
        return
    await set_status(update, context, data.action, data.sop_id)
    await acknowledge(query)
    await edit_pressed(query)


async def set_status(update: Update, context: Context, action: str, sop_id: str) -> None:
    """Withdraw ("tarik") or restore ("pulih") and say so in the chat."""
    lang, manager, publisher = lang_of(context), await manager_of(update, context), desk(context).publisher
    change = publisher.withdraw if action == "tarik" else publisher.restore
    await call(context, change, sop_id, manager, _chat_scope(update))
    key = "catalog_withdrawn" if action == "tarik" else "catalog_restored"
    await reply(update, t(lang, key, id=sop_id, user=mention(me(update))))


# -- download ------------------------------------------------------------------------------------
def export_files(sop: SopDefinition) -> list[tuple[str, bytes]]:
    """YAML, DOCX and XLSX of a definition (in a worker thread: python-docx and openpyxl)."""
    import tempfile
    from pathlib import Path

    from bot.sop_import.export_layout import write_docx, write_xlsx
    from bot.sop_import.draft_yaml import dump_yaml

    files = [(f"{sop.id}.yaml", dump_yaml(sop.model_dump(mode="json", exclude_none=True)).encode("utf-8"))]
    with tempfile.TemporaryDirectory(prefix="pandu-export-") as folder:
        for suffix, write in ((".docx", write_docx), (".xlsx", write_xlsx)):
            path = Path(folder) / f"{sop.id}{suffix}"
            write(sop, path)
            files.append((path.name, path.read_bytes()))
    return files


async def download(update: Update, context: Context, args: list[str]) -> None:
    """/sop unduh ID [versi]: the definition as YAML, Word and Excel."""
    if not args:
        raise Refusal("catalog_usage")
    lang, item = lang_of(context), await visible_item(update, context, args[0])
    asked = args[1] if len(args) > 1 else None
    if asked is not None and not (asked.isascii() and asked.isdigit() and len(asked) < 6):
        raise Refusal("catalog_unknown_version", id=item.sop_id, version=esc(asked, 8))
    found = await call(context, desk(context).publisher.version, item.sop_id, int(asked) if asked else None)
    if found is None and item.latest_version == 0:  # a catalogue without versions (a test's plain dict)
        info_version, sop = 0, item.definition
    elif found is None:
        raise Refusal("catalog_unknown_version", id=item.sop_id, version=esc(args[1] if len(args) > 1 else "", 8))
    else:
        info_version, sop = found[0].version, found[1]
    caption = t(lang, "catalog_download_caption", name=esc(sop.nama, 80), version=info_version)
    for name, data in await do(export_files, sop):
        stem, _, ext = name.rpartition(".")
        await send_file(update, context, "document", data, f"{stem}-v{info_version}.{ext}", caption)


# -- uploads ----------------------------------------------------------------------------------------
async def add_command(update: Update, context: Context) -> None:
    """/sop tambah: in a group, replying to a document; in private, say what to send."""
    message, lang = update.effective_message, lang_of(context)
    assert message is not None
    target = message.reply_to_message
    document = message.document or (target.document if target is not None else None)
    if document is None:
        raise Refusal("catalog_add_usage_group" if is_group(update) else "catalog_add_usage_private")
    await upload(update, context, document)


async def private_document(update: Update, context: Context) -> None:
    """A document sent privately (not as a reply): an SOP admin's upload; anyone else is told."""
    message = update.effective_message
    assert message is not None and message.document is not None
    await upload(update, context, message.document)


async def upload(update: Update, context: Context, document: Document) -> None:
    """Check, download, import in a worker thread, store the draft, then show it."""
    lang, chat, user = lang_of(context), update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    private = not is_group(update)
    name = await _check_upload(update, context, document, private)
    progress = await reply(update, t(lang, "catalog_progress_download", name=name))
    data = await _download(context, document, progress, name)
    if data is None:
        return
    await _finish(progress, t(lang, "catalog_progress_import", name=name))
    try:
        imported = await do(import_bytes, document.file_name, data, lang)
    except UploadError as exc:
        await _finish(progress, _upload_error(exc, name, data, lang))
        return
    scope = None if private else chat.id
    draft = await call(context, desk(context).drafts.create, user.id, chat.id, scope, imported.content,
                       imported.notes, imported.source_name, imported.source_hash)
    await _finish(progress, t(lang, "catalog_progress_draw", draft=draft.id))
    await send_new_draft(update, context, draft)
    await _finish(progress, t(lang, "catalog_progress_done", draft=draft.id, name=name))
    await show_review(update, context, draft, edit=False)


async def _check_upload(update: Update, context: Context, document: Document, private: bool) -> str:
    """Who may upload here, and a file of a kind and size we import; its name, escaped."""
    manager = await manager_of(update, context)
    if not (manager.sop_admin if private else manager.may_upload):
        raise Refusal("catalog_upload_refused" if private else "catalog_not_allowed")
    name = esc(safe_name(document.file_name), 80)
    if suffix_of(document.file_name) not in ACCEPTED:
        raise Refusal("catalog_bad_type", name=name)
    if document.file_size is not None and document.file_size > MAX_BYTES:
        raise Refusal("catalog_too_big", name=name, size=f"{document.file_size / 1024 / 1024:.1f}")
    return name


async def _download(context: Context, document: Document, progress: Message | None, name: str) -> bytes | None:
    """The file's bytes from Telegram (None: it failed, and the progress message says so)."""
    try:
        file = await context.bot.get_file(document.file_id)
        return bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        detail = esc(str(exc), 120)
        await _finish(progress, t(lang_of(context), "catalog_download_failed", name=name, detail=detail))
        return None


def _upload_error(exc: UploadError, name: str, data: bytes, lang: str) -> str:
    if exc.code == "too_big":
        return t(lang, "catalog_too_big", name=name, size=f"{len(data) / 1024 / 1024:.1f}")
    if exc.code == "import":
        detail = exc.detail_en if lang == "en" else exc.detail
        return t(lang, "catalog_import_failed", name=name, detail=esc(detail, 400))
    return t(lang, f"catalog_{exc.code}", name=name)


async def _finish(progress: Message | None, text: str) -> None:
    """The progress message, edited in place (a new one if it is gone)."""
    if progress is None:
        return
    try:
        await progress.edit_text(text)
    except TelegramError as exc:
        logger.info("could not edit the upload progress: %s", exc)
        await progress.get_bot().send_message(progress.chat_id, text)
