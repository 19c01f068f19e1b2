"""Cell-level text rules: cleaning, header-label matching, list items, the signer block.

Extracted text carries markup (<b>, <u>, <p>), non-breaking spaces and list numbering
inline ("1. UU ... 2. Perda ..."); these helpers turn such cells into the plain values
of the definition format while keeping the words exactly as written.
"""

from __future__ import annotations

import re

MARKUP = re.compile(r"</?\s*[a-zA-Z][^<>]*>")
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_NUMBERED = re.compile(r"(?:(?<=\s)|^)(\d{1,2})[.)]\s+")
_LEADING_NUMBER = re.compile(r"^(?:\d{1,2}[.)]\s*|\d{1,2}\s+(?=[A-Z(]))")
_BULLETS = "-•·*▪◦●"
_NIP = re.compile(r"NIP\s*[.:]?\s*([\d ]{8,}\d)", re.IGNORECASE)


def clean(text: str) -> str:
    """Markup removed, every run of whitespace (incl. no-break spaces) one space."""
    return _SPACES.sub(" ", MARKUP.sub(" ", text)).strip()


def norm_label(text: str) -> str:
    """A header label compared case/spacing-insensitively ("Persyaratan/ kelengkapan")."""
    label = clean(text).lower()
    label = re.sub(r"\s*/\s*", "/", label)
    return label.strip(" .:;")


def _strip_marker(line: str) -> str:
    line = line.strip()
    if line and line[0] in _BULLETS and (len(line) == 1 or line[1] == " "):
        line = line[1:].strip()
    return _LEADING_NUMBER.sub("", line, count=1).strip()


def _numbered_parts(line: str) -> list[str] | None:
    """Split "1. A 2. B 4. D 3. C" by its own numbering (re-sorted), else None."""
    found: list[tuple[int, int, int]] = []  # number, start, end of the marker
    seen: set[int] = set()
    for match in _NUMBERED.finditer(line):
        number = int(match.group(1))
        if not found:
            if match.start() != 0 or number != 1:
                return None
        elif number in seen or number > max(seen) + 3:
            continue
        found.append((number, match.start(), match.end()))
        seen.add(number)
    if len(found) < 2:
        return None
    parts = []
    for index, (number, _start, end) in enumerate(found):
        stop = found[index + 1][1] if index + 1 < len(found) else len(line)
        parts.append((number, line[end:stop].strip(" ;,")))
    return [text for _n, text in sorted(parts) if text]


def split_items(text: str) -> list[str]:
    """The items of a list section: one per line, or by inline numbering or bullets."""
    lines = [clean(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        line = lines[0]
        parts = _numbered_parts(line)
        if parts is not None:
            return parts
        if line[0] in _BULLETS and f" {line[0]} " in line:
            return [p.strip() for p in line[1:].split(f" {line[0]} ") if p.strip()]
    items = [_strip_marker(line) for line in lines]
    return [item for item in items if item]


def parse_signer(raw: str) -> tuple[dict[str, str], str | None]:
    """Jabatan / nama / pangkat / NIP of the "Disahkan oleh" cell.

    Documents put these on separate lines or in separate <b>/<u>/<p> runs; the underlined
    run is the name. Returns the fields found and, when a NIP is not 18 digits, the text
    of it (the caller marks it unresolved).
    """
    text = raw.lstrip(" :")
    underlined = re.search(r"<u>(.*?)</u>", text, re.IGNORECASE | re.DOTALL)
    bad_nip = None
    nip = None
    match = _NIP.search(MARKUP.sub(" ", text))
    stripped = MARKUP.sub("\n", text)
    if match:
        digits = match.group(1).replace(" ", "")
        if len(digits) == 18:
            nip = digits
        else:
            bad_nip = digits
        stripped = _NIP.sub("\n", stripped)
    pieces = [clean(p) for p in re.split(r"\n|\s{2,}", stripped)]
    pieces = [p.strip(" ,:") for p in pieces if p.strip(" ,:")]
    result: dict[str, str] = {}
    name = clean(underlined.group(1)) if underlined else None
    if name and name in pieces:
        before = pieces[: pieces.index(name)]
        after = pieces[pieces.index(name) + 1 :]
        if before:
            result["jabatan"] = " ".join(before)
        result["nama"] = name
        if after:
            result["pangkat"] = " ".join(after)
    elif pieces:
        result["jabatan"] = pieces[0]
        if len(pieces) > 1:
            result["nama"] = pieces[1]
        if len(pieces) > 2:
            result["pangkat"] = " ".join(pieces[2:])
    if nip:
        result["nip"] = nip
    return result, bad_nip
