"""The parts that keep chats from waiting for each other, on their own: the per-chat update
processor, the production rate limiter's per-chat pacing and priorities, group-notice
merging, and the rule for what counts as written text."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.error import RetryAfter

from handlers.outbox.merging import LIMIT, SEPARATOR, merge_parts
from handlers.transport.pacing import GROUP_LIMIT, TelegramPacer
from bot.domain.text_rules import is_blank, is_real_text
from handlers.transport.update_order import PerChatUpdateProcessor, order_key

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def update_in(chat_id: int, update_id: int = 1) -> Update:
    chat = Chat(chat_id, "private" if chat_id > 0 else "supergroup")
    message = Message(update_id, None, chat, from_user=User(abs(chat_id), "X", False), text="hi")  # type: ignore[arg-type]
    return Update(update_id, message=message)


# -- the update processor ---------------------------------------------------------------------
async def test_a_blocked_chat_does_not_hold_up_another_chat() -> None:
    processor = PerChatUpdateProcessor(max_in_flight=4)
    release = asyncio.Event()
    done: list[str] = []

    async def slow() -> None:
        await release.wait()
        done.append("A1")

    async def quick(name: str) -> None:
        done.append(name)

    a1 = asyncio.create_task(processor.process_update(update_in(-1, 1), slow()))
    a2 = asyncio.create_task(processor.process_update(update_in(-1, 2), quick("A2")))
    b1 = asyncio.create_task(processor.process_update(update_in(5, 3), quick("B1")))
    await asyncio.wait_for(b1, 2)
    assert done == ["B1"] and not a2.done()  # A2 waits for A1, B1 did not
    release.set()
    await asyncio.wait_for(asyncio.gather(a1, a2), 2)
    assert done == ["B1", "A1", "A2"] and processor.waiting_chats == 0


async def test_one_chats_updates_run_in_arrival_order_and_waiting_costs_no_slot() -> None:
    processor = PerChatUpdateProcessor(max_in_flight=2)
    gate = asyncio.Event()
    order: list[int] = []

    async def handle(n: int) -> None:
        if n == 0:
            await gate.wait()
        order.append(n)

    flooded = [asyncio.create_task(processor.process_update(update_in(-7, n), handle(n))) for n in range(50)]
    other = asyncio.create_task(processor.process_update(update_in(9, 99), handle(99)))
    await asyncio.wait_for(other, 2)  # 49 queued updates of chat -7 hold no slot
    gate.set()
    await asyncio.wait_for(asyncio.gather(*flooded), 5)
    assert order == [99, *range(50)]


def test_chat_less_presses_are_ordered_per_person() -> None:
    assert order_key(update_in(-3)) == ("chat", -3)
    assert order_key(Update(1)) is None and order_key("not an update") is None


# -- the pacer ------------------------------------------------------------------------------
class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def request(pacer: TelegramPacer, chat_id: int | None, endpoint: str = "sendMessage",
                  log: list[Any] | None = None, fail: list[BaseException] | None = None) -> Any:
    async def call() -> dict[str, Any]:
        if fail:
            raise fail.pop(0)
        if log is not None:
            log.append(chat_id)
        return {"ok": True}

    data = {} if chat_id is None else {"chat_id": chat_id}
    return await pacer.process_request(call, (), {}, endpoint, data, None)


async def test_a_full_group_waits_alone_while_private_chats_go_on() -> None:
    clock = FakeClock()
    pacer = TelegramPacer(overall_rate=0, clock=clock)
    for _ in range(GROUP_LIMIT):
        await request(pacer, -100)
    assert pacer.chat(-100).wait(clock()) > 50  # the 21st waits for the first to leave the minute
    sent: list[Any] = []
    waiting = asyncio.create_task(request(pacer, -100, log=sent))
    await asyncio.sleep(0.01)
    await request(pacer, 42, log=sent)
    await request(pacer, -200, log=sent)
    await request(pacer, -100, "editMessageText", log=sent)  # edits are not new messages
    assert sent == [42, -200, -100] and not waiting.done()
    waiting.cancel()


async def test_a_429_pauses_its_chat_and_429s_from_several_chats_pause_all() -> None:
    clock = FakeClock()
    pacer = TelegramPacer(overall_rate=0, clock=clock, max_retries=0)
    with pytest.raises(RetryAfter):
        await request(pacer, 7, fail=[RetryAfter(5)])
    assert pacer.chat(7).wait(clock()) >= 5 and pacer.chat(8).wait(clock()) == 0
    assert pacer.bucket.paused_until < clock()
    for chat in (8, 9):
        with pytest.raises(RetryAfter):
            await request(pacer, chat, fail=[RetryAfter(3)])
    assert pacer.bucket.paused_until >= clock() + 3 and pacer.count_429 == 3


async def test_waiting_private_chats_are_served_before_waiting_groups() -> None:
    pacer = TelegramPacer(overall_rate=2)  # the real clock: a token every 500 ms
    for chat in range(1, 3):
        await request(pacer, chat)  # the bucket's burst is spent
    order: list[Any] = []
    groups = [asyncio.create_task(request(pacer, chat, log=order)) for chat in (-1, -2, -3)]
    await asyncio.sleep(0)
    private = [asyncio.create_task(request(pacer, chat, log=order)) for chat in (31, 32)]
    await asyncio.wait_for(asyncio.gather(*groups, *private), 5)
    assert order[:2] == [31, 32] and order[2:] == [-1, -2, -3]  # later, but first; groups in arrival order


# -- merging --------------------------------------------------------------------------------
def buttons(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d)] for d in data])


def test_queued_notices_of_a_group_merge_in_order_below_the_limit() -> None:
    parts = [(0, -1, "satu", buttons("un|1")), (1, -1, "dua", None), (2, -1, "tiga", buttons("un|3", "un|1"))]
    (merged,) = merge_parts(parts)
    assert merged.text == SEPARATOR.join(["satu", "dua", "tiga"]) and merged.owners == [0, 1, 2]
    assert [row[0].callback_data for row in merged.buttons] == ["un|1", "un|3"]  # un|1 once
    long = [(n, -1, "x" * 1500, None) for n in range(5)]
    messages = merge_parts(long)
    assert [m.owners for m in messages] == [[0, 1], [2, 3], [4]]
    assert all(len(m.text) <= LIMIT for m in messages)
    assert len(merge_parts([(0, -1, "a", None), (1, -2, "b", None)])) == 2  # other chat: never merged


# -- written text ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["\u200b\u2060", " \u200b ", "\ufeff", "", None, "\u00ad\n\t"])
def test_invisible_text_is_no_text(text: str | None) -> None:
    assert not is_real_text(text) and is_blank(text)


@pytest.mark.parametrize("text", ["ok", "7", "\u200bsudah\u200b", "ناقص", "合意", "Ⅻ"])
def test_a_letter_or_digit_in_any_script_is_text(text: str) -> None:
    assert is_real_text(text)


def test_punctuation_alone_is_not_blank_but_not_text_either() -> None:
    assert not is_blank("...") and not is_real_text("... ?!")


async def test_the_production_pacer_counts_sends_and_429s_for_the_metrics() -> None:
    """/metrics must count what the production limiter sends, not only the tests' limiter."""
    from telegram.error import RetryAfter

    from bot.ops import metrics
    from handlers.transport.pacing import TelegramPacer

    def value(counter: object, *labels: str) -> float:
        return float((counter.labels(*labels) if labels else counter)._value.get())  # type: ignore[attr-defined]

    answers: list[object] = [RetryAfter(0), True]

    async def send(*args: object, **kwargs: object) -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    before = value(metrics.RATE_LIMITED), value(metrics.SENT, "sendMessage")
    pacer = TelegramPacer()
    assert await pacer.process_request(send, (), {}, "sendMessage", {"chat_id": 42, "text": "x"}, None) is True
    assert value(metrics.RATE_LIMITED) - before[0] == 1 and value(metrics.SENT, "sendMessage") - before[1] == 1
