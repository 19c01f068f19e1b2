"""The question recogniser against its corpus: questions that must be answered, chatter
that must not, in Indonesian and English. Prints precision and recall (``-s`` to see them)
and holds them above the figures README states."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.intents import Intent, recognise
from bot.intents.tokens import resolve

CORPUS = Path(__file__).parent / "data" / "intent_corpus.tsv"
BOT = "pandu_uji_bot"


@dataclass(frozen=True)
class Sample:
    label: str
    how: str
    text: str

    def run(self) -> Intent | None:
        text = self.text.replace("{bot}", BOT)
        return recognise(text, bot_username=BOT, reply_to_bot=self.how == "reply")


def corpus() -> list[Sample]:
    samples = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, how, text = line.split("\t")
            samples.append(Sample(label, how, text))
    return samples


def figures(samples: list[Sample]) -> dict[str, float]:
    """Precision and recall of "this message is a question to answer", and intent accuracy."""
    fired = [(s, s.run()) for s in samples]
    tp = sum(1 for s, got in fired if got is not None and s.label != "none")
    fp = sum(1 for s, got in fired if got is not None and s.label == "none")
    fn = sum(1 for s, got in fired if got is None and s.label != "none")
    right = sum(1 for s, got in fired if got is not None and got.value == s.label)
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "intent_accuracy": right / tp if tp else 1.0,
        "questions": sum(1 for s in samples if s.label != "none"),
        "chatter": sum(1 for s in samples if s.label == "none"),
        "false_positives": fp,
        "missed": fn,
    }


def test_the_corpus_is_large_enough_in_both_languages() -> None:
    samples = corpus()
    questions = [s for s in samples if s.label != "none"]
    chatter = [s for s in samples if s.label == "none"]
    assert len(questions) >= 80 and len(chatter) >= 80
    english = {"what", "who", "whose", "where", "how", "when", "are", "is", "the"}
    for group in (questions, chatter):
        in_english = [s for s in group if english & set(s.text.lower().replace("'", " ").split())]
        assert 20 <= len(in_english) <= len(group) - 40  # both languages, well represented


def test_precision_and_recall_on_the_corpus() -> None:
    found = figures(corpus())
    print("\nintent corpus:", found)
    wrong = [(s.label, s.text, got) for s in corpus() if (got := s.run()) is not None and got.value != s.label]
    misses = [(s.label, s.text, got) for s in corpus() if (s.run() is None) != (s.label == "none")]
    print("misses:", misses, "\nwrong intent:", wrong)
    assert found["precision"] >= 0.98, misses
    assert found["recall"] >= 0.97, misses
    assert found["intent_accuracy"] >= 0.95, wrong


@pytest.mark.parametrize(
    "text",
    ["selanjutnya kita rapat jam 2", "lanjut makan siang", "next", "selanjutnya", "/status", "", "   "],
)
def test_the_issues_chatter_gets_no_answer(text: str) -> None:
    assert recognise(text) is None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("langkah berikutnya apa ya?", Intent.NEXT),
        ("selanjutnya apa?", Intent.NEXT),
        ("siapa yang harus mengerjakan sekarang?", Intent.WHO),
        ("giliran siapa?", Intent.WHO),
        ("sudah sampai mana?", Intent.WHERE),
        ("lanjut", Intent.NEXT),
        ("slnjtnya apa dong", Intent.NEXT),
        ("lgkh berikutnya?", Intent.NEXT),
        ("brp lama lagi", Intent.LATE),
    ],
)
def test_the_issues_questions_are_understood(text: str, intent: Intent) -> None:
    assert recognise(text) is intent


def test_addressing_the_bot_lifts_the_question_mark_and_tolerates_one_unknown_word() -> None:
    assert recognise("next") is None
    assert recognise(f"@{BOT} next", bot_username=BOT) is Intent.NEXT
    assert recognise("next", reply_to_bot=True) is Intent.NEXT
    assert recognise("selanjutnya apa bosku?") is None  # "bosku" is not a word of a question
    assert recognise(f"@{BOT} selanjutnya apa bosku?", bot_username=BOT) is Intent.NEXT
    assert recognise(f"@{BOT} kamu pintar sekali", bot_username=BOT) is None


def test_a_message_for_someone_else_is_theirs() -> None:
    assert recognise("@budi lanjut") is None
    assert recognise(f"@budi @{BOT} giliran siapa?", bot_username=BOT) is Intent.WHO


def test_abbreviations_typos_and_enclitics_resolve_to_their_words() -> None:
    from bot.intents.lexicon import Concept

    cases = {
        "brp": Concept.COUNT, "lgkh": Concept.STEP, "slnjtnya": Concept.NEXT, "skrg": Concept.NOW,
        "brikutnya": Concept.NEXT, "gilran": Concept.TURN, "statusnya": Concept.STATUS,
        "siapakah": Concept.WHO, "langkh": Concept.STEP,
    }
    for word, concept in cases.items():
        assert resolve(word).concept is concept, word
    assert not resolve("rapat").known and not resolve("makan").known and not resolve("lanjutkan").known


def test_the_recogniser_is_pure() -> None:
    for path in (Path(__file__).parent.parent / "bot" / "intents").glob("*.py"):
        imported = {
            (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        }
        assert not {m for m in imported if m.split(".")[0] in {"telegram", "sqlalchemy", "sqlmodel", "handlers"}}


def test_held_out_sentences_score_close_to_the_corpus() -> None:
    """A second set, never tuned on: a guard against a lexicon fitted to its own corpus."""
    held = [Sample(*line.split("\t")) for line in (CORPUS.parent / "intent_heldout.tsv").read_text().splitlines()
            if line.strip() and not line.startswith("#")]
    found = figures(held)
    print("\nheld out:", found)
    print("misses:", [(s.label, s.text, s.run()) for s in held if (s.run() is None) != (s.label == "none")])
    assert found["precision"] >= 0.9 and found["recall"] >= 0.8


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_gets_an_intent_or_none_and_never_an_error(text: str) -> None:
    assert recognise(text, bot_username=BOT, reply_to_bot=bool(len(text) % 2)) in (None, *Intent)


def test_a_message_longer_than_a_question_is_talk() -> None:
    from bot.intents import MAX_WORDS

    assert recognise("sudah sampai mana " + "ya " * (MAX_WORDS - 3)) is Intent.WHERE
    assert recognise("sudah sampai mana " + "ya " * (MAX_WORDS - 2)) is None
