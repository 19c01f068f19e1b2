"""Pure pieces of the Telegram layer: the message catalog, callback codec and paging."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devtools.emulator.state import ApiError, parse_html
from handlers.ui import callback_data as cb
from handlers.ui.paging import TELEGRAM_LIMIT, split_html, utf16_len
from handlers.ui.texts import CATALOG, EN, ID, DuplicateMessageId, assemble, language, placeholders, t

ROOT = Path(__file__).resolve().parent.parent
KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,31}", fullmatch=True)
IDS = st.integers(min_value=0, max_value=cb.MAX_ID - 1)


# -- catalog -------------------------------------------------------------------------------
def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert ID.keys() == EN.keys()
    for key in ID:
        assert placeholders(ID[key]) == placeholders(EN[key]), key


def test_every_catalog_entry_is_valid_telegram_html() -> None:
    for lang, texts in CATALOG.items():
        for key, template in texts.items():
            filled = template.format(**{name: "x" for name in placeholders(template)})
            parse_html(filled)  # raises on a broken tag


#: A catalog lookup with a literal id: ``t(lang, "key")``, whatever expression gives the language.
LOOKUP = re.compile(r"\bt\(\s*[^,()]+,\s*\"([a-z_0-9]+)\"")


def test_every_message_id_used_in_the_code_exists() -> None:
    """Every module that may word a message, at any depth: the handlers, the UI package and
    the outbox sender (the sender words notices and nags); bot/ words nothing (layering)."""
    used: dict[str, set[str]] = {}
    for package in ("bot", "handlers"):
        for path in ROOT.joinpath(package).rglob("*.py"):
            where = path.relative_to(ROOT).parts[:2] if package == "handlers" else (package,)
            for key in LOOKUP.findall(path.read_text(encoding="utf-8")):
                used.setdefault(key, set()).add("/".join(where).removesuffix(".py"))
    seen = {p for packages in used.values() for p in packages}
    assert {"handlers/outbox", "handlers/ui"} <= seen, "the scan missed a subpackage"
    assert not {p for p in seen if p.startswith("bot")}, "bot/ words no message: the Telegram layer does"
    assert {key: sorted(where) for key, where in used.items() if key not in ID} == {}


def test_the_message_id_scan_sees_a_lookup_with_any_language_expression() -> None:
    sample = 't(row.lang or "id", "notice_next") + t(self.lang, "undone")'
    assert LOOKUP.findall(sample) == ["notice_next", "undone"]


def part(name: str, messages: dict[str, tuple[str, str]]) -> ModuleType:
    module = ModuleType(name)
    module.MESSAGES = messages  # type: ignore[attr-defined]
    return module


def test_a_message_id_defined_in_two_parts_fails_loudly() -> None:
    one, two = part("one", {"hello": ("Halo", "Hello")}), part("two", {"hello": ("Hai", "Hi")})
    with pytest.raises(DuplicateMessageId, match="'hello' is defined in one and in two"):
        assemble([one, two])
    assert assemble([one])["en"] == {"hello": "Hello"}


def test_language_codes_fall_back_to_indonesian() -> None:
    assert language("en-GB") == "en" and language("fr") == "id" and language(None) == "id"
    assert t("fr", "btn_done") == ID["btn_done"]


# -- callback codec --------------------------------------------------------------------------
PAYLOADS = st.one_of(
    st.builds(cb.Claim, IDS, KEYS),
    st.builds(cb.Release, IDS, KEYS),
    st.builds(cb.Done, IDS),
    st.builds(cb.Decide, IDS, KEYS),
    st.builds(cb.Undo, IDS),
    st.builds(cb.OnBehalf, IDS),
    st.builds(cb.PickRun, st.sampled_from(sorted(cb._ACTIONS)), IDS),
    st.builds(cb.CancelRun, IDS),
    st.builds(cb.KeepRun, IDS),
    st.builds(cb.SopPage, IDS),
    st.builds(cb.Approve, IDS, IDS, IDS),
    st.builds(cb.Reject, IDS, IDS, IDS),
)


@given(PAYLOADS)
def test_callback_round_trip_fits_in_64_bytes(payload: cb.Callback) -> None:
    data = payload.encode()
    assert len(data.encode()) <= 64
    assert cb.decode(data) == payload


@settings(max_examples=500)
@given(st.one_of(st.text(), st.binary().map(lambda b: b.decode("latin-1")), st.from_regex(r"[a-z]{2}(\|[0-9a-z_]{0,20}){0,4}")))
def test_decoding_garbage_raises_only_callback_error(data: str) -> None:
    try:
        decoded = cb.decode(data)
    except cb.CallbackError:
        return
    assert decoded.encode() == data  # whatever decodes is exactly canonical


@pytest.mark.parametrize("data", ["dn|-1", "dn|1.0", "dn| 1", "cl|1|Kepala", "pr|drop|1", "dn|9007199254740993", None, 42])
def test_forged_payloads_are_refused(data: object) -> None:
    with pytest.raises(cb.CallbackError):
        cb.decode(data)


def test_encoding_refuses_values_that_would_not_decode() -> None:
    with pytest.raises(cb.CallbackError):
        cb.Claim(1, "Bad Key").encode()
    with pytest.raises(cb.CallbackError):
        cb.Done(-5).encode()


# -- paging -----------------------------------------------------------------------------------
def test_short_text_is_one_chunk() -> None:
    assert split_html("<b>halo</b>") == ["<b>halo</b>"]


def test_long_list_splits_at_line_ends() -> None:
    text = "\n".join(f"• <b>langkah {i}</b> — {'x' * 50}" for i in range(400))
    chunks = split_html(text)
    assert len(chunks) > 1
    assert "\n".join(chunks) == text
    assert all(utf16_len(c) <= TELEGRAM_LIMIT for c in chunks)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab <>&é😀\n", min_size=0, max_size=12000), st.sampled_from(["b", "i", "code"]))
def test_every_chunk_is_valid_html_below_the_limit(raw: str, tag: str) -> None:
    import html

    text = f"<{tag}>{html.escape(raw, quote=False)}</{tag}>\n" + html.escape(raw, quote=False)
    for chunk in split_html(text):
        assert utf16_len(chunk) <= TELEGRAM_LIMIT
        try:
            parse_html(chunk)
        except ApiError as exc:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"chunk does not parse: {exc.description}")


# -- the plain question ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["apa selanjutnya?", "Apa Selanjutnya", "apa langkah selanjutnya ?", "langkah berikutnya?",
     "What’s next?", "whats next", "what is next?", "WHAT'S NEXT", "apa selanjutnya? tolong cek"],
)
def test_whats_next_is_recognised(text: str) -> None:
    from bot.intents import Intent, recognise

    assert recognise(text) is Intent.NEXT


@pytest.mark.parametrize("text", ["selanjutnya", "next", "/status", "selanjutnya kita rapat jam 2"])
def test_other_chat_is_left_alone(text: str) -> None:
    from bot.intents import recognise

    assert recognise(text) is None
