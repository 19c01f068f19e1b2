"""From a chat message to the words of the lexicon: case, contractions, enclitics,
chat abbreviations and typos.

Resolution of one token, first hit wins:

1. the word itself (``selanjutnya``, ``yg``, ``sapa``);
2. without an Indonesian enclitic (``statusnya``, ``siapakah``, ``tahapnya``);
3. as a vowel-less abbreviation: ``brp`` → berapa, ``lgkh`` → langkah, ``slnjtnya`` →
   selanjutnya (the consonants of the word, in order, at most one missing, same first and
   last letter; vowels only in the last three letters of a word of six or more);
4. as a typo of a concept word of five letters or more, by normalised Levenshtein
   similarity ≥ 85 with rapidfuzz (``brikutnya``, ``gilran``, ``langkh``). rapidfuzz is
   a maintained C++ implementation; writing and tuning an edit distance here would be
   slower and no better.

Fillers are only matched exactly (or by rule 2/3): a typo of a particle is not worth a
false answer. Anything else is an unknown word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.intents.lexicon import FILLERS, WORDS, Concept

__all__ = ["Token", "resolve", "split_words", "tokenize"]

_VOWELS = set("aeiou")
_ENCLITICS = ("nya", "kah", "lah", "tah", "pun")
_CONTRACTIONS = (
    (re.compile(r"\b(what|who|where|when|how|it|that)'s\b"), r"\1 is"),
    (re.compile(r"\b(\w+)'re\b"), r"\1 are"),
    (re.compile(r"\b(\w+)'ll\b"), r"\1 will"),
    (re.compile(r"\b(\w+)'m\b"), r"\1 am"),
    (re.compile(r"\bwhats\b"), "what is"),
)
_WORD = re.compile(r"@\w+|[a-z0-9]+")
_TYPO_SCORE = 85
_CONCEPT_WORDS = tuple(w for w in WORDS if len(w) >= 5)


@dataclass(frozen=True)
class Token:
    text: str
    concept: Concept | None  # None with filler=False: an unknown word
    filler: bool = False

    @property
    def known(self) -> bool:
        return self.filler or self.concept is not None


def _skeleton(word: str) -> str:
    return "".join(c for c in word if c not in _VOWELS)


@lru_cache(maxsize=1)
def _skeletons() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in (*WORDS, *FILLERS):
        skeleton = _skeleton(word)
        if len(skeleton) >= 2:
            index.setdefault(skeleton, []).append(word)
    return {k: tuple(v) for k, v in index.items()}


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def _abbreviation(token: str) -> str | None:
    """The one lexicon word ``token`` abbreviates by dropping vowels, if there is one."""
    if len(token) < 3 or any(c in _VOWELS for c in token[:-3] if len(token) >= 6) or (
        len(token) < 6 and any(c in _VOWELS for c in token)
    ):
        return None  # vowels only in a long word's ending ("slnjtnya"); "new" is not "now"
    skeleton = _skeleton(token)
    exact = _skeletons().get(skeleton)
    if exact:
        return exact[0]
    found = {
        words[0]
        for full, words in _skeletons().items()
        if len(full) - 1 <= len(skeleton) < len(full)
        and full[0] == skeleton[0]
        and full[-1] == skeleton[-1]
        and _is_subsequence(skeleton, full)
    }
    return found.pop() if len(found) == 1 else None


def _lookup(word: str) -> Token | None:
    if word in WORDS:
        return Token(word, WORDS[word])
    if word in FILLERS:
        return Token(word, None, filler=True)
    return None


@lru_cache(maxsize=4096)
def resolve(word: str) -> Token:
    """The lexicon entry ``word`` stands for, or an unknown token."""
    if (hit := _lookup(word)) is not None:
        return hit
    for ending in _ENCLITICS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            if (hit := _lookup(word[: -len(ending)])) is not None:
                return hit
    if (full := _abbreviation(word)) is not None and (hit := _lookup(full)) is not None:
        return hit
    if len(word) >= 5:
        best = process.extractOne(word, _CONCEPT_WORDS, scorer=fuzz.ratio, score_cutoff=_TYPO_SCORE)
        if best is not None:
            return Token(word, WORDS[best[0]])
    return Token(word, None)


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def split_words(text: str, bot_username: str | None = None) -> tuple[list[str], bool, bool]:
    """(the words, whether the bot is @mentioned, whether someone else is); nothing resolved yet."""
    words: list[str] = []
    to_bot = to_other = False
    me = f"@{bot_username.lower().lstrip('@')}" if bot_username else None
    for word in _WORD.findall(normalise(text)):
        if word.startswith("@"):
            if me is not None and word == me:
                to_bot = True
            else:
                to_other = True
            continue
        if len(word) > 3 and word.endswith("2") and word[:-1].isalpha():
            word = word[:-1]  # "teman2": a doubled word written with a 2
        words.append(word)
    return words, to_bot, to_other


def tokenize(text: str, bot_username: str | None = None) -> tuple[list[Token], bool, bool]:
    """(tokens, whether the bot is @mentioned, whether someone else is)."""
    words, to_bot, to_other = split_words(text, bot_username)
    return [resolve(w) for w in words], to_bot, to_other
