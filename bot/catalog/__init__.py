"""The SOP catalogue managed in chat: drafts from uploaded documents, their review, and
published versions in the database.

Pure parts (no Telegram, no SQL): :mod:`bot.catalog.review` (what is still missing),
:mod:`bot.catalog.fixes` (one fix to a draft), :mod:`bot.catalog.provisional` (a
drawable stand-in for a draft with marks), :mod:`bot.catalog.rules` (who may do what,
version numbers). :mod:`bot.catalog.service` carries out the use cases over the
repository in :mod:`storage.repositories.catalog` (the only SQL); :mod:`bot.catalog.source` is the catalogue the
engine reads, fresh in every process after one cheap check.
"""
