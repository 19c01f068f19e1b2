"""The one stale-button rule, without Telegram or a database: which buttons belong to which
task, and what a message keeps once some of its tasks ended."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.outbox.card_sweep import rebuild, tag_buttons


def _markup(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows])


def test_task_buttons_are_tagged_with_their_task_and_claims_with_their_role() -> None:
    tagged = tag_buttons(_markup([("↩️", "un|4")], [("🤝", "ob|5")], [("✅", "dn|6"), ("👍", "dc|7|setuju")], [("🙋", "cl|1|kepala")]))
    assert tagged == [
        [{"text": "↩️", "callback_data": "un|4"}],
        [{"text": "🤝", "callback_data": "ob|5", "task": 5}],
        [{"text": "✅", "callback_data": "dn|6", "task": 6}, {"text": "👍", "callback_data": "dc|7|setuju", "task": 7}],
        [{"text": "🙋", "callback_data": "cl|1|kepala", "claim": [1, "kepala"]}],
    ]


def test_a_message_without_task_buttons_is_not_recorded() -> None:
    assert tag_buttons(None) is None
    assert tag_buttons(_markup([("↩️", "un|4")])) is None
    url = InlineKeyboardMarkup([[InlineKeyboardButton("Buka Pandu", url="https://t.me/pandu_bot?start=tugas")]])
    assert tag_buttons(url) is None


def test_a_message_keeps_the_buttons_of_live_tasks_and_untagged_ones() -> None:
    tagged = tag_buttons(_markup([("↩️", "un|4")], [("🤝", "ob|5")], [("🤝", "ob|8")]))
    kept = rebuild(tagged, frozenset({8}))
    assert [[b.callback_data for b in row] for row in kept] == [["un|4"], ["ob|8"]]
    assert [[b.callback_data for b in row] for row in rebuild(tagged, frozenset())] == [["un|4"]]
    assert rebuild(None, frozenset({8})) == []  # a card recorded before 0011: all of it was its task's
