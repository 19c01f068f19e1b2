"""Does a group message ask Pandu about the run — what's next, whose turn, where are we,
how late — or is it ordinary talk?

People ask in many ways ("langkah berikutnya apa ya?", "giliran siapa?", "udh sampe mana
nih?", "brp lama lagi", "who's next?"), in any word order, with particles and typos, and
they also say "selanjutnya kita rapat jam 2" or "lanjut makan siang", which must get no
answer. The recogniser is a small rule system over the lexicon
(:mod:`bot.intents.lexicon`):

* every word must be a word of a question (a concept or a filler); one word we do not
  know is tolerated only when the message is addressed to the bot (an @mention of it or
  a reply to its message). A message @mentioning someone else is for them, not for us;
* the concepts present must make one of the question shapes below (order free);
* a lone "next"/"selanjutnya" needs a question mark or to be addressed; a lone "lanjut"
  is the /lanjut command typed without its slash.

Pure: no Telegram, no database. The corpus in ``tests/data/intent_corpus.tsv`` measures it.
"""

from __future__ import annotations

from enum import Enum

from bot.intents.lexicon import Concept as C
from bot.intents.tokens import Token, resolve, split_words

__all__ = ["Intent", "recognise"]

#: Longest message (in words) still taken for a question: chatter runs longer.
MAX_WORDS = 12


class Intent(Enum):
    NEXT = "next"  # what's next
    WHO = "who"  # whose turn
    WHERE = "where"  # where are we
    LATE = "late"  # how late / how long left


def _who(c: set[C], asked: bool) -> bool:
    return C.WHO in c and bool(c & {C.TURN, C.DO, C.NOW, C.NEXT, C.STEP})


def _late(c: set[C], asked: bool) -> bool:
    if c & {C.COUNT, C.HOW} and c & {C.LONG, C.LATE, C.LEFT, C.DUE}:
        return True
    if C.TIME in c and c & {C.LEFT, C.COUNT}:
        return True
    if C.WHEN in c and c & {C.DUE, C.DONE}:
        return True
    if C.DUE in c and C.WHAT in c:
        return True
    return bool(c & {C.LATE, C.LONG}) and (asked or C.WE in c)


def _where(c: set[C], asked: bool) -> bool:
    if C.WHERE in c and c & {C.REACH, C.STEP, C.WE, C.STATUS}:
        return True
    if C.REACH in c and C.HOW in c:
        return True
    if C.STEP in c and C.COUNT in c:
        return True
    if C.STEP in c and C.WHAT in c and C.WE in c:
        return True
    return C.STATUS in c


def _next(c: set[C], asked: bool) -> bool:
    if C.NEXT in c and (asked or c & {C.WHAT, C.HOW, C.STEP, C.DO, C.DO_WHAT}):
        return True
    if C.AFTER in c and C.THIS in c and c & {C.WHAT, C.DO_WHAT, C.STEP}:
        return True
    return bool(c & {C.WHAT, C.DO_WHAT}) and C.NOW in c  # "kita ngapain sekarang?"


#: Checked in this order: "siapa selanjutnya?" is about a person before it is about a step.
_SHAPES = ((Intent.WHO, _who), (Intent.LATE, _late), (Intent.WHERE, _where), (Intent.NEXT, _next))


def recognise(text: str, *, bot_username: str | None = None, reply_to_bot: bool = False) -> Intent | None:
    """The question ``text`` asks, or None for anything else (commands included)."""
    stripped = text.strip()
    if not stripped or stripped.startswith("/"):
        return None
    words, to_bot, to_other = split_words(stripped, bot_username)
    if (to_other and not to_bot) or not words or len(words) > MAX_WORDS:
        return None
    addressed = to_bot or reply_to_bot
    tokens: list[Token] = []
    unknown = 0
    for word in words:  # chatter usually stops at its first unknown word: no typo search after it
        tokens.append(token := resolve(word))
        unknown += not token.known
        if unknown > (1 if addressed else 0):
            return None
    if _is_bare_lanjut(tokens):
        return Intent.NEXT
    concepts = {tok.concept for tok in tokens if tok.concept is not None}
    asked = addressed or "?" in stripped
    for intent, shape in _SHAPES:
        if shape(concepts, asked):
            return intent
    return None


def _is_bare_lanjut(tokens: list[Token]) -> bool:
    return len(tokens) == 1 and tokens[0].text == "lanjut"
