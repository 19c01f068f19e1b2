"""Split long HTML answers into messages Telegram accepts (at most 4096 characters each).

Answers are built from lines, so chunks break at line ends. A single line that is longer
than a message (a pasted reason, a huge history entry) is cut outside tags and entities,
and any tag still open at the cut is closed and reopened, so every chunk parses on its
own. Lengths are counted in UTF-16 code units, as Telegram counts them, on the HTML
source: the visible text is never longer than its source.
"""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
LIMIT = 4000  # headroom for a "(1/3)" marker or a closing tag
_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]{1,10};|.", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")


def utf16_len(text: str) -> int:
    """Length as Telegram measures it."""
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = LIMIT) -> list[str]:
    """Chunks of at most `limit` UTF-16 units, each a well-formed piece of the HTML."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if utf16_len(line) <= limit:
            current = line
            continue
        pieces = _split_line(line, limit)
        chunks.extend(pieces[:-1])
        current = pieces[-1]
    if current or not chunks:
        chunks.append(current)
    return chunks


def _split_line(line: str, limit: int) -> list[str]:
    """Cut one long line at token boundaries, closing and reopening open tags."""
    pieces: list[str] = []
    open_tags: list[tuple[str, str]] = []  # (name, opening tag text)
    body = ""
    budget = limit
    for token in _TOKEN.findall(line):
        reopen = "".join(tag for _, tag in open_tags)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        if body and utf16_len(body) + utf16_len(token) + utf16_len(closing) > budget:
            pieces.append(body + closing)
            body = reopen
        body += token
        match = _TAG.fullmatch(token)
        if match:
            if match.group(1):
                if open_tags and open_tags[-1][0] == match.group(2).lower():
                    open_tags.pop()
            else:
                open_tags.append((match.group(2).lower(), token))
    pieces.append(body)
    return pieces
