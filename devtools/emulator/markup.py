"""Text markup as Telegram handles it: UTF-16 lengths, auto entities, the HTML subset, trimming.

Telegram rejects a whole message whose HTML it cannot parse, so the parser is
strict on tags and reports errors with Telegram's own wording and byte offsets.
"""

from __future__ import annotations

import html
import re

from devtools.emulator.errors import JSON, ApiError


def utf16_len(text: str) -> int:
    """Telegram measures offsets and limits in UTF-16 code units, not code points."""
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- entities
_AUTO_ENTITY = re.compile(
    r"(?P<bot_command>(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![/\w@]))"
    r"|(?P<mention>(?<![\w@])@[A-Za-z0-9_]{5,32})|(?P<url>https?://[^\s<>\"]+)"
)


def auto_entities(text: str) -> list[JSON]:
    """Entities the Telegram client/server attach to what a person types."""
    return [
        {"type": m.lastgroup, "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())}
        for m in _AUTO_ENTITY.finditer(text)
    ]


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_REF = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")
_HTML_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
              "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
              "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
              "pre": "pre", "a": "text_link", "blockquote": "blockquote",
              "tg-emoji": "custom_emoji"}


def _bad_html(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def parse_html(source: str) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML subset; strict on tags because Telegram rejects the whole message."""
    out: list[str] = []
    stack: list[tuple[str, JSON, int]] = []  # (tag, entity, start offset)
    entities: list[JSON] = []
    length = pos = 0

    def emit(chunk: str) -> None:
        nonlocal length
        if "<" in chunk:
            where = len(source[: pos + chunk.index("<")].encode())
            raise _bad_html(f"Unsupported start tag at byte offset {where}")
        text = _ENTITY_REF.sub(lambda m: html.unescape(m.group()), chunk)
        out.append(text)
        length += utf16_len(text)

    for m in _TAG.finditer(source):
        emit(source[pos:m.start()])
        pos = m.end()
        closing, tag, attrs = m.group(1) == "/", m.group(2).lower(), m.group(3)
        offset = len(source[: m.start()].encode())
        if closing:
            if not stack or stack[-1][0] != tag:
                want = f'"</{stack[-1][0]}>"' if stack else "nothing"
                raise _bad_html(f'Unmatched end tag at byte offset {offset}, expected {want}, found "</{tag}>"')
            _tag, entity, start = stack.pop()
            parent = stack[-1] if stack else None
            if tag == "code" and parent and parent[0] == "pre":
                if "language" in entity:
                    parent[1]["language"] = entity["language"]
                continue
            if length > start:
                entities.append({**entity, "offset": start, "length": length - start})
            continue
        kind = _HTML_TAGS.get(tag)
        values = {a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                  for a in _ATTR.finditer(attrs)}
        if kind is None or (tag == "span" and values.get("class") != "tg-spoiler"):
            raise _bad_html(f'Unsupported start tag "{tag}" at byte offset {offset}')
        entity: JSON = {"type": kind}
        if tag == "a":
            entity["url"] = values.get("href", "")
        elif tag == "code" and values.get("class", "").startswith("language-"):
            entity["language"] = values["class"].removeprefix("language-")
        elif tag == "blockquote" and "expandable" in values:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = values.get("emoji-id", "")
        stack.append((tag, entity, length))
    emit(source[pos:])
    if stack:
        raise _bad_html(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Telegram strips surrounding whitespace from what bots send and shifts entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    lead, end = utf16_len(text[: len(text) - len(text.lstrip())]), utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - lead)
        stop = min(end, entity["offset"] + entity["length"] - lead)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept
