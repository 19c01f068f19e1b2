"""The JSON alias and the Bot API error every layer of the emulator raises.

Kept apart from the model so that markup parsing, the world state and the HTTP
side can all raise :class:`ApiError` without importing each other.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """A Bot API error; raised deep inside the model so validation stays next to the data."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def to_json(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def error_response(code: int, description: str) -> tuple[int, JSON]:
    """HTTP status and body of a plain Bot API error, for answers made outside a method."""
    return code, ApiError(code, description).to_json()
