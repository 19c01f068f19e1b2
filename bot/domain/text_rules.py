"""What counts as text a person actually wrote: reasons, run titles, notes.

``str.strip()`` keeps zero-width spaces (U+200B), word joiners (U+2060) and the other
invisible *format* characters (Unicode category Cf), so a "reason" made only of them
looked filled in and said nothing. A text counts when at least one letter or digit is
left after removing whitespace and format characters. Pure: no framework imports.
"""

from __future__ import annotations

import unicodedata


def visible(text: str | None) -> str:
    """`text` without whitespace and invisible format characters (category Cf)."""
    return "".join(ch for ch in (text or "") if not ch.isspace() and unicodedata.category(ch) != "Cf")


def is_real_text(text: str | None) -> bool:
    """At least one letter or digit (any script) once the invisible characters are gone."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in visible(text))


def is_blank(text: str | None) -> bool:
    """Nothing at all was written (None, or only whitespace and format characters).

    An optional field (a note, a run title) left blank is simply absent; one that has
    something visible but no letter or digit (``"..."``) is refused like a fake reason.
    """
    return visible(text) == ""
